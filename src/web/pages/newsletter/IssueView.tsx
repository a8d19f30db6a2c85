import type { ReactNode } from "react";
import { formatDate, formatDateTime } from "../../../common/dateFormat";
import {
  blockTypeLabels,
  type IssueContent,
  quarterLabel,
  type ResolvedBlock,
} from "../../../common/newsletter/newsletter.schema";

/**
 * Markdown rendered by common/newsletter/markdown.ts: raw HTML disabled (typed tags are text),
 * only http(s) and mailto links. Shown as is, never anything else.
 */
export function SafeMarkdown({ html }: { html: string }): ReactNode {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: output of the sanitising Markdown renderer only
  return <div className="newsletter-text" dangerouslySetInnerHTML={{ __html: html }} />;
}

function Block({ block, level }: { block: ResolvedBlock; level: 2 | 3 }): ReactNode {
  const H = level === 2 ? "h2" : "h3";
  switch (block.type) {
    case "text":
      return <SafeMarkdown html={block.html} />;
    case "upcoming_actions":
      return (
        <section className="fr-mb-4w">
          <H>{blockTypeLabels.upcoming_actions}</H>
          {block.actions.length === 0 ? (
            <p>Aucune action collective prévue dans les {block.weeks} semaines à venir.</p>
          ) : (
            <ul>
              {block.actions.map((a) => (
                <li key={`${a.title}-${a.startsAt}`}>
                  <strong>{a.title}</strong> ({a.kind}) — {formatDateTime(a.startsAt)}
                  {a.place ? `, ${a.place}` : ""}
                </li>
              ))}
            </ul>
          )}
        </section>
      );
    case "conventions":
      return (
        <section className="fr-mb-4w">
          <H>Conventions signées ou renouvelées depuis le {formatDate(block.since)}</H>
          {block.conventions.length === 0 ? (
            <p>Aucune convention signée ou renouvelée sur la période.</p>
          ) : (
            <ul>
              {block.conventions.map((c) => (
                <li key={c.title}>
                  <strong>{c.title}</strong> — {c.event === "renewed" ? "renouvelée" : "signée"} le{" "}
                  {formatDate(c.on)}
                  {c.parties.length > 0 ? ` (${c.parties.join(", ")})` : ""}
                </li>
              ))}
            </ul>
          )}
        </section>
      );
    case "key_figures":
      return (
        <section className="fr-mb-4w">
          <H>Chiffres clés du {quarterLabel(block.quarter)}</H>
          <ul>
            {block.figures.map((f) => (
              <li key={f.label}>
                {f.label} : <strong>{f.value}</strong>
              </li>
            ))}
          </ul>
          <p className="fr-text--sm">
            Effectifs protégés comme ceux du comité de pilotage : de 1 à 4, ils sont indiqués « moins de 5 ».
          </p>
        </section>
      );
  }
}

/** An issue as a web page (the archive, the preview's first tab). */
export function IssueView({ content, level = 2 }: { content: IssueContent; level?: 2 | 3 }): ReactNode {
  return (
    <article className="fr-p-3w fr-mb-4w newsletter-issue">
      <p className="fr-text--sm fr-mb-1w">
        {content.structureName} — lettre d'information n° {content.number}
      </p>
      {content.blocks.map((block, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity but their order
        <Block key={i} block={block} level={level} />
      ))}
    </article>
  );
}
