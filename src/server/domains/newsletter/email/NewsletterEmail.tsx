import {
  Body,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import type { ReactNode } from "react";
import { formatDate, formatDateTime } from "../../../../common/dateFormat";
import {
  blockTypeLabels,
  type IssueContent,
  quarterLabel,
  type ResolvedBlock,
} from "../../../../common/newsletter/newsletter.schema";

const font = "Marianne, Arial, Helvetica, sans-serif";
const styles = {
  body: { backgroundColor: "#f6f6f6", fontFamily: font, color: "#161616", margin: 0, padding: "16px 0" },
  container: { backgroundColor: "#ffffff", maxWidth: "600px", margin: "0 auto", padding: "24px" },
  brand: { fontSize: "14px", fontWeight: 700, textTransform: "uppercase" as const, margin: "0 0 4px" },
  tagline: { fontSize: "12px", margin: 0, color: "#3a3a3a" },
  h1: { fontSize: "24px", lineHeight: "32px", margin: "24px 0 8px", color: "#000091" },
  h2: { fontSize: "18px", lineHeight: "24px", margin: "24px 0 8px", color: "#000091" },
  text: { fontSize: "16px", lineHeight: "24px", margin: "0 0 8px" },
  small: { fontSize: "12px", lineHeight: "18px", color: "#3a3a3a", margin: "0 0 8px" },
  link: { color: "#000091", textDecoration: "underline" },
};

function DataBlock({ block }: { block: Exclude<ResolvedBlock, { type: "text" }> }): ReactNode {
  switch (block.type) {
    case "upcoming_actions":
      return (
        <Section>
          <Heading as="h2" style={styles.h2}>
            {blockTypeLabels.upcoming_actions}
          </Heading>
          {block.actions.length === 0 ? (
            <Text style={styles.text}>
              Aucune action collective prévue dans les {block.weeks} semaines à venir.
            </Text>
          ) : (
            block.actions.map((a) => (
              <Text key={`${a.title}-${a.startsAt}`} style={styles.text}>
                <strong>{a.title}</strong> ({a.kind}) — {formatDateTime(a.startsAt)}
                {a.place ? `, ${a.place}` : ""}
              </Text>
            ))
          )}
        </Section>
      );
    case "conventions":
      return (
        <Section>
          <Heading as="h2" style={styles.h2}>
            Conventions signées ou renouvelées depuis le {formatDate(block.since)}
          </Heading>
          {block.conventions.length === 0 ? (
            <Text style={styles.text}>Aucune convention signée ou renouvelée sur la période.</Text>
          ) : (
            block.conventions.map((c) => (
              <Text key={c.title} style={styles.text}>
                <strong>{c.title}</strong> — {c.event === "renewed" ? "renouvelée" : "signée"} le{" "}
                {formatDate(c.on)}
                {c.parties.length > 0 ? ` (${c.parties.join(", ")})` : ""}
              </Text>
            ))
          )}
        </Section>
      );
    case "key_figures":
      return (
        <Section>
          <Heading as="h2" style={styles.h2}>
            Chiffres clés du {quarterLabel(block.quarter)}
          </Heading>
          {block.figures.map((f) => (
            <Text key={f.label} style={styles.text}>
              {f.label} : <strong>{f.value}</strong>
            </Text>
          ))}
          <Text style={styles.small}>
            Effectifs protégés comme ceux du comité de pilotage : les effectifs de 1 à 4 sont indiqués « moins
            de 5 ».
          </Text>
        </Section>
      );
  }
}

/** The newsletter as an e-mail: a simple, accessible single column (ADR 0032). */
export function NewsletterEmail({
  content,
  unsubscribeUrl,
}: {
  content: IssueContent;
  unsubscribeUrl: string;
}): ReactNode {
  return (
    <Html lang="fr" dir="ltr">
      <Head>
        <title>{content.title}</title>
      </Head>
      <Preview>{`Lettre d'information n° ${content.number} — ${content.title}`}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>République française</Text>
          <Text style={styles.tagline}>{content.structureName} — Lettre d'information aux partenaires</Text>
          <Heading as="h1" style={styles.h1}>
            {`N° ${content.number} — ${content.title}`}
          </Heading>
          {content.blocks.map((block, i) =>
            block.type === "text" ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity but their order
              <Section key={i}>
                {/* The HTML comes from markdown-it with raw HTML disabled and only http(s)/mailto links
                    (common/newsletter/markdown.ts): typed HTML is text, never markup. */}
                {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised Markdown output, see above */}
                <div style={styles.text} dangerouslySetInnerHTML={{ __html: block.html }} />
              </Section>
            ) : (
              // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity but their order
              <DataBlock key={i} block={block} />
            ),
          )}
          <Hr />
          <Text style={styles.small}>
            Vous recevez cette lettre en tant que contact partenaire de {content.structureName}.{" "}
            <Link href={unsubscribeUrl} style={styles.link}>
              Se désabonner
            </Link>
          </Text>
        </Container>
      </Body>
    </Html>
  );
}
