import { Stepper } from "@codegouvfr/react-dsfr/Stepper";
import { type ReactNode, useEffect, useRef, useState } from "react";
import type { ImportPreview, UploadedImport } from "../../../common/imports/imports.schema";
import { useSession } from "../../api/session";
import { usePageTitle } from "../../components/pageTitle";
import { FileStep } from "./FileStep";
import { MappingStep } from "./MappingStep";
import { type Decisions, PreviewStep } from "./PreviewStep";
import { RunStep } from "./RunStep";
import "./imports.css";

type Step =
  | { name: "file" }
  | { name: "mapping"; uploaded: UploadedImport }
  | { name: "preview"; uploaded: UploadedImport; preview: ImportPreview }
  | { name: "run"; uploaded: UploadedImport; decisions: Decisions };

const titles = {
  file: "Choisir le fichier",
  mapping: "Indiquer les colonnes",
  preview: "Vérifier les lignes et les doublons",
  run: "Importer",
} as const;
const order = ["file", "mapping", "preview", "run"] as const;

/**
 * "Importer des dossiers": a CPIP or the direction brings the caseload of the SPIP's application
 * into the structure — file, columns, preview with errors and duplicates, then the import.
 */
export function ImportPage(): ReactNode {
  usePageTitle("Importer des dossiers");
  const { structureId } = useSession();
  const [step, setStep] = useState<Step>({ name: "file" });
  const index = order.indexOf(step.name);
  // A step done replaces the form that had the focus (its button): the focus goes to the new
  // step's title, read from the top, not left to the page's body. Not on arrival (the page's title).
  const stepper = useRef<HTMLDivElement>(null);
  const shownStep = useRef(step.name);
  useEffect(() => {
    if (shownStep.current === step.name) return;
    shownStep.current = step.name;
    const title = stepper.current?.querySelector<HTMLElement>(".fr-stepper__title");
    if (!title) return;
    title.tabIndex = -1;
    title.focus();
  }, [step.name]);
  return (
    <>
      <h1>Importer des dossiers</h1>
      <div ref={stepper}>
        <Stepper
          currentStep={index + 1}
          stepCount={order.length}
          title={titles[step.name]}
          {...(index + 1 < order.length ? { nextTitle: titles[order[index + 1]!] } : {})}
        />
      </div>
      {step.name === "file" && structureId && (
        <FileStep
          structureId={structureId}
          onUploaded={(uploaded) => setStep({ name: "mapping", uploaded })}
        />
      )}
      {step.name === "mapping" && (
        <MappingStep
          uploaded={step.uploaded}
          onPreview={(preview) => setStep({ name: "preview", uploaded: step.uploaded, preview })}
        />
      )}
      {step.name === "preview" && (
        <PreviewStep
          preview={step.preview}
          onBack={() => setStep({ name: "mapping", uploaded: step.uploaded })}
          onRun={(decisions) => setStep({ name: "run", uploaded: step.uploaded, decisions })}
        />
      )}
      {step.name === "run" && <RunStep importId={step.uploaded.importId} decisions={step.decisions} />}
    </>
  );
}
