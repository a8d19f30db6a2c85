import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { createModal } from "@codegouvfr/react-dsfr/Modal";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type ReactNode, useState } from "react";
import {
  type ImportDecision,
  type ImportField,
  type ImportPreview,
  importDecisionLabels,
  importDecisions,
  importFieldLabels,
  importFields,
} from "../../../common/imports/imports.schema";
import { formatDate } from "../../components/dates";
import { useModalOpener } from "../../components/modalOpener";
import { ScrollableTable } from "../../components/ScrollableTable";

export interface Decisions {
  duplicates: ImportDecision;
  choices: { line: number; decision: ImportDecision }[];
}

/** The confirmation before the files are written: an import may create thousands of them at once. */
const confirmModal = createModal({ id: "import-run-confirm", isOpenedByDefault: false });

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("fr-FR")} ${n > 1 ? many : one}`;
const fieldLabel = (field: string) => importFieldLabels[field as ImportField] ?? field;

function Issues({ preview }: { preview: ImportPreview }): ReactNode {
  if (preview.issues.length === 0) return null;
  return (
    <ScrollableTable
      caption={`Lignes en erreur (${preview.errorCount.toLocaleString("fr-FR")}) : elles ne seront pas importées`}
      headers={["Ligne", "Champ", "Erreur"]}
      data={preview.issues.map((issue) => [String(issue.line), fieldLabel(issue.field), issue.message])}
      fixed={false}
      // Narrow screens: one block per error, « Ligne : 2 » first (the columns squeezed the message).
      stacked
      stackedTitle={false}
    />
  );
}

function FirstRows({ preview }: { preview: ImportPreview }): ReactNode {
  const shown = importFields.filter((f) => preview.rows.some((r) => r.values[f]));
  return (
    <ScrollableTable
      caption="Aperçu des premières lignes du fichier"
      headers={["Ligne", ...shown.map((f) => importFieldLabels[f]), "Erreurs"]}
      data={preview.rows.map((row) => [
        String(row.line),
        ...shown.map((f) => row.values[f] ?? ""),
        row.errors.length === 0
          ? "Aucune"
          : row.errors.map((e) => `${fieldLabel(e.field)} : ${e.message}`).join(" ; "),
      ])}
      fixed={false}
      // Narrow screens: one block per line (its errors in a column a few letters wide made rows
      // a screen high).
      stacked
      stackedTitle={false}
    />
  );
}

function DuplicateChoices({
  preview,
  decisions,
  onChange,
}: {
  preview: ImportPreview;
  decisions: Decisions;
  onChange: (decisions: Decisions) => void;
}): ReactNode {
  const choiceOf = (line: number) =>
    decisions.choices.find((c) => c.line === line)?.decision ?? decisions.duplicates;
  const choose = (line: number, decision: ImportDecision) =>
    onChange({
      ...decisions,
      choices: [...decisions.choices.filter((c) => c.line !== line), { line, decision }],
    });
  return (
    <>
      <h2 className="fr-h4">Doublons possibles ({preview.duplicates.length.toLocaleString("fr-FR")})</h2>
      <p>
        Ces lignes ont le même nom et la même date de naissance qu'une personne déjà suivie dans la structure.
      </p>
      <RadioButtons
        legend="Pour tous les doublons"
        name="import-duplicates"
        options={importDecisions.map((d) => ({
          label: importDecisionLabels[d],
          nativeInputProps: {
            checked: decisions.duplicates === d,
            onChange: () => onChange({ duplicates: d, choices: [] }),
          },
        }))}
      />
      <Accordion
        label={`Choisir ligne par ligne (${preview.duplicates.length.toLocaleString("fr-FR")})`}
        defaultExpanded={preview.duplicates.length <= 10}
        className="fr-mb-3w"
      >
        <ul className="pa-import-duplicates">
          {preview.duplicates.map((d) => (
            <li key={d.line}>
              <p className="fr-mb-1w">
                <strong>Ligne {d.line}</strong> : {d.fileName}, né(e) le {formatDate(d.birthDate)}.{" "}
                {d.existing
                  ? `Dossier existant : ${d.existing.name} (n° ${d.existing.fileNumber}).`
                  : "Dossier existant que vous ne voyez pas : il ne peut pas être complété."}
              </p>
              <Select
                label={`Ligne ${d.line} : que faire ?`}
                nativeSelectProps={{
                  value: choiceOf(d.line),
                  onChange: (event) => choose(d.line, event.currentTarget.value as ImportDecision),
                }}
              >
                {importDecisions
                  .filter((option) => option !== "merge" || d.existing)
                  .map((option) => (
                    <option key={option} value={option}>
                      {importDecisionLabels[option]}
                    </option>
                  ))}
              </Select>
            </li>
          ))}
        </ul>
      </Accordion>
    </>
  );
}

/** What the run will do with the rows to import, as the server plans it (`writeBatch`'s `plan`). */
export function plannedOutcomes(
  preview: ImportPreview,
  decisions: Decisions,
): { created: number; merged: number; skipped: number } {
  const toImport = preview.validCount - preview.alreadyImportedCount;
  const decisionOf = (line: number) =>
    decisions.choices.find((c) => c.line === line)?.decision ?? decisions.duplicates;
  let merged = 0;
  let skipped = 0;
  for (const d of preview.duplicates) {
    const decision = decisionOf(d.line);
    if (decision === "merge" && d.existing) merged += 1;
    else if (decision !== "create") skipped += 1;
  }
  return { created: Math.max(0, toImport - merged - skipped), merged, skipped };
}

/** Step 3: what will happen to each row, the duplicates to decide, then the import. */
export function PreviewStep({
  preview,
  onRun,
  onBack,
}: {
  preview: ImportPreview;
  onRun: (decisions: Decisions) => void;
  onBack: () => void;
}): ReactNode {
  const [decisions, setDecisions] = useState<Decisions>({ duplicates: "skip", choices: [] });
  const toImport = preview.validCount - preview.alreadyImportedCount;
  const openConfirm = useModalOpener(confirmModal);
  const planned = plannedOutcomes(preview, decisions);
  const importLabel = `Importer ${plural(toImport, "ligne", "lignes")}`;
  return (
    <>
      <Alert
        severity={preview.errorCount > 0 ? "warning" : "info"}
        small
        className="fr-mb-3w"
        description={[
          `${plural(preview.rowCount, "ligne lue", "lignes lues")}`,
          `${plural(toImport, "à importer", "à importer")}`,
          `${plural(preview.alreadyImportedCount, "déjà importée (inchangée)", "déjà importées (inchangées)")}`,
          `${plural(preview.errorCount, "en erreur", "en erreur")}`,
          `${plural(preview.duplicates.length, "doublon possible", "doublons possibles")}`,
        ].join(" · ")}
      />
      <FirstRows preview={preview} />
      <Issues preview={preview} />
      {preview.duplicates.length > 0 && (
        <DuplicateChoices preview={preview} decisions={decisions} onChange={setDecisions} />
      )}
      <div className="fr-btns-group fr-btns-group--inline-md">
        <Button onClick={openConfirm} disabled={toImport === 0}>
          {toImport === 0 ? "Rien à importer" : importLabel}
        </Button>
        <Button priority="secondary" onClick={onBack}>
          Modifier les colonnes
        </Button>
      </div>
      <confirmModal.Component
        titleAs="h2"
        title={`${importLabel} ?`}
        buttons={[
          { children: "Annuler", priority: "secondary" },
          { children: "Lancer l'import", onClick: () => onRun(decisions) },
        ]}
      >
        <ul>
          <li>{plural(planned.created, "dossier sera créé", "dossiers seront créés")} ;</li>
          <li>
            {plural(planned.merged, "dossier existant sera complété", "dossiers existants seront complétés")}{" "}
            (fusion avec un doublon) ;
          </li>
          <li>{plural(planned.skipped, "doublon sera ignoré", "doublons seront ignorés")}.</li>
        </ul>
        <p>
          Les dossiers créés ou complétés ne peuvent pas être retirés depuis l'application : vérifiez l'aperçu
          avant de lancer l'import.
        </p>
      </confirmModal.Component>
    </>
  );
}
