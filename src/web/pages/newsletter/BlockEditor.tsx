import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { ReactNode } from "react";
import { renderMarkdown } from "../../../common/newsletter/markdown";
import { type Block, blockTypeLabels, quarterLabel } from "../../../common/newsletter/newsletter.schema";
import type { FormErrors } from "../../components/form/useFormErrors";
import { removeButtonId } from "./BlockRemoval";
import { SafeMarkdown } from "./IssueView";

export type EditedBlock = Block & { key: string };

/** The last eight quarters, the latest first ("2026-Q1"). */
export function recentQuarters(today: Date): string[] {
  let year = today.getFullYear();
  let q = Math.floor(today.getMonth() / 3) + 1;
  const list: string[] = [];
  for (let i = 0; i < 8; i += 1) {
    q -= 1;
    if (q === 0) [year, q] = [year - 1, 4];
    list.push(`${year}-Q${q}`);
  }
  return list;
}

const MARKDOWN_HELP =
  "Markdown : **gras**, *italique*, une ligne vide entre deux paragraphes, « - » en début de ligne pour une liste, [texte du lien](https://…). Le HTML tapé est affiché tel quel ; une image n'est pas insérée, seul son texte est affiché.";

export function BlockEditor({
  block,
  index,
  count,
  errors,
  onChange,
  onMove,
  onRemove,
}: {
  block: EditedBlock;
  index: number;
  count: number;
  errors: Pick<FormErrors<string>, "state" | "native">;
  onChange(block: EditedBlock): void;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
}): ReactNode {
  const title = `Bloc ${index + 1} : ${blockTypeLabels[block.type]}`;
  const path = `blocks.${index}`;
  return (
    <fieldset className="fr-fieldset fr-mb-3w newsletter-block">
      <legend className="fr-fieldset__legend fr-text--md fr-mb-0">{title}</legend>
      <div className="fr-fieldset__content" style={{ width: "100%" }}>
        {block.type === "text" && (
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-md-6">
              <Input
                label="Texte"
                hintText={MARKDOWN_HELP}
                textArea
                {...errors.state(`${path}.markdown`)}
                nativeTextAreaProps={{
                  ...errors.native(`${path}.markdown`),
                  rows: 8,
                  value: block.markdown,
                  onChange: (e) => onChange({ ...block, markdown: e.target.value }),
                }}
              />
            </div>
            <div className="fr-col-12 fr-col-md-6">
              <p className="fr-text--sm fr-mb-1w" id={`${block.key}-preview`}>
                Aperçu du texte
              </p>
              <section className="fr-p-2w newsletter-live" aria-labelledby={`${block.key}-preview`}>
                {block.markdown.trim() ? <SafeMarkdown html={renderMarkdown(block.markdown)} /> : <p>—</p>}
              </section>
            </div>
          </div>
        )}
        {block.type === "upcoming_actions" && (
          <Input
            label="Sur combien de semaines ?"
            hintText="Les actions collectives prévues (forums, ateliers, réunions) de 1 à 26 semaines à venir."
            {...errors.state(`${path}.weeks`)}
            nativeInputProps={{
              ...errors.native(`${path}.weeks`),
              type: "number",
              min: 1,
              max: 26,
              value: Number.isNaN(block.weeks) ? "" : block.weeks,
              onChange: (e) => onChange({ ...block, weeks: e.target.valueAsNumber }),
            }}
          />
        )}
        {block.type === "conventions" && (
          <Input
            label="Depuis le (facultatif)"
            hintText="Laissez vide pour les conventions signées ou renouvelées depuis la dernière lettre envoyée."
            {...errors.state(`${path}.since`)}
            nativeInputProps={{
              ...errors.native(`${path}.since`),
              type: "date",
              value: block.since ?? "",
              onChange: (e) => onChange({ ...block, since: e.target.value || null }),
            }}
          />
        )}
        {block.type === "key_figures" && (
          <Select
            label="Trimestre"
            hint="Les chiffres du comité de pilotage, protégés : de 1 à 4, un effectif est indiqué « moins de 5 »."
            {...errors.state(`${path}.quarter`)}
            nativeSelectProps={{
              ...errors.native(`${path}.quarter`),
              value: block.quarter,
              onChange: (e) => onChange({ ...block, quarter: e.target.value }),
            }}
          >
            {recentQuarters(new Date()).map((q) => (
              <option key={q} value={q}>
                {quarterLabel(q)}
              </option>
            ))}
          </Select>
        )}
        <div className="newsletter-block-tools fr-mt-1w">
          <Button
            type="button"
            priority="tertiary"
            size="small"
            iconId="fr-icon-arrow-up-line"
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            Monter<span className="fr-sr-only"> le bloc {index + 1}</span>
          </Button>
          <Button
            type="button"
            priority="tertiary"
            size="small"
            iconId="fr-icon-arrow-down-line"
            disabled={index === count - 1}
            onClick={() => onMove(1)}
          >
            Descendre<span className="fr-sr-only"> le bloc {index + 1}</span>
          </Button>
          <Button
            type="button"
            priority="tertiary"
            size="small"
            iconId="fr-icon-delete-line"
            nativeButtonProps={{ id: removeButtonId(block) }}
            onClick={onRemove}
          >
            Retirer<span className="fr-sr-only"> le bloc {index + 1}</span>
          </Button>
        </div>
      </div>
    </fieldset>
  );
}
