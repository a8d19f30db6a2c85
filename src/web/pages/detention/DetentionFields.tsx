import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { detentionRoutes } from "../../../common/detention/detention.routes";
import {
  isDetentionSiteKind,
  releaseKindLabels,
  releaseKinds,
} from "../../../common/detention/detention.schema";
import { sasReleaseHint } from "../../../common/detention/sas";
import { structuresRoutes } from "../../../common/structures/structures.routes";
import { call } from "../../api/client";
import { parisDayOf } from "../../components/dates";
import { ErrorAlert } from "../../components/ErrorAlert";
import type { FormErrors } from "../../components/form/useFormErrors";
import { type fullSasFor, fullSasWarning } from "./sasPlaces";

type Key =
  | "detention.siteId"
  | "detention.prisonNumber"
  | "detention.expectedReleaseDate"
  | "detention.releaseKind"
  | "detention.releasedOn";

type FieldErrors = Pick<FormErrors<Key>, "state" | "native">;

/**
 * The places of the structure's SAS today and the server's Paris day (ADR 0028, addendum "SAS"):
 * the release date's hint and the full SAS warning. Counts only; shared by the form and its page.
 */
export function useSasOccupancy(structureId: string, enabled = true) {
  return useQuery({
    queryKey: ["sas-occupancy", structureId],
    queryFn: () => call(detentionRoutes.sasOccupancy, { params: { structureId } }),
    enabled,
  });
}

/** The title of a failed read of the structure's establishments, where one is chosen. */
export const ESTABLISHMENTS_UNAVAILABLE = "La liste des établissements ne peut pas être lue pour l'instant";

/** Milieu fermé part of the person form (referent CPIP, direction): establishment, écrou, release. */
export function DetentionFields({
  structureId,
  current,
  form,
  set,
  errors,
  fullSas,
  bornOn,
}: {
  structureId: string;
  /** The establishment the file names now: still shown if no longer offered (archived since). */
  current: { id: string; name: string; kind: string } | null;
  form: Record<Key, string>;
  set: (key: Key, value: string) => void;
  errors: FieldErrors;
  /** The SAS this correction would place the person in while it is full (`fullSasFor`), or null. */
  fullSas: ReturnType<typeof fullSasFor>;
  /** The person's birth date as the form has it: the actual release is not before it. */
  bornOn?: string;
}): ReactNode {
  const overview = useQuery({
    queryKey: ["structure", structureId],
    queryFn: () => call(structuresRoutes.overview, { params: { structureId } }),
  });
  const offered = (overview.data?.sites ?? []).filter((s) => isDetentionSiteKind(s.kind));
  // The overview lists the sites in service only: the file's own establishment stays a choice. Not
  // read (an outage): it is still offered, so the select shows the file as it is, not « Aucun ».
  const sites =
    current && !offered.some((s) => s.id === current.id)
      ? [
          ...offered,
          {
            id: current.id,
            name: overview.data ? `${current.name} (archivé)` : current.name,
            kind: current.kind,
          },
        ]
      : offered;
  const chosenSas = sites.find((s) => s.id === form["detention.siteId"])?.kind === "sas";
  // The server's day when known: the hint says the limit the server will check.
  const today = useSasOccupancy(structureId).data?.today ?? parisDayOf();
  const field = (key: Key, extra: Record<string, unknown> = {}) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
    ...errors.native(key),
    ...extra,
  });
  const col = "fr-col-12 fr-col-md-6";
  return (
    <fieldset className="fr-fieldset">
      <legend className="fr-fieldset__legend fr-h4">Détention (milieu fermé)</legend>
      <div className="fr-fieldset__element">
        {/* Without it no establishment can be chosen: said, with « Réessayer » (fault review). */}
        <ErrorAlert error={overview.error} title={ESTABLISHMENTS_UNAVAILABLE} />
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className={col}>
            <Select
              label="Établissement de détention"
              hint="Aucun : la personne n'est pas détenue. Une personne détenue ne reçoit ni SMS ni courriel."
              {...(fullSas && !errors.state("detention.siteId").stateRelatedMessage
                ? { state: "info" as const, stateRelatedMessage: fullSasWarning(fullSas) }
                : errors.state("detention.siteId"))}
              nativeSelectProps={field("detention.siteId")}
            >
              <option value="">Aucun (milieu ouvert)</option>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
          </div>
          {form["detention.siteId"] && (
            <>
              <div className={col}>
                <Input
                  label="Numéro d'écrou (réservé au SPIP, facultatif)"
                  {...errors.state("detention.prisonNumber")}
                  nativeInputProps={field("detention.prisonNumber", { autoComplete: "off" })}
                />
              </div>
              <div className={col}>
                <Input
                  label={chosenSas ? "Date de libération prévue" : "Date de libération prévue (facultatif)"}
                  hintText={chosenSas ? sasReleaseHint(today) : undefined}
                  {...errors.state("detention.expectedReleaseDate")}
                  nativeInputProps={field("detention.expectedReleaseDate", { type: "date" })}
                />
              </div>
              <div className={col}>
                <Select
                  label="Type de sortie (facultatif)"
                  {...errors.state("detention.releaseKind")}
                  nativeSelectProps={field("detention.releaseKind")}
                >
                  <option value="">Non renseigné</option>
                  {releaseKinds.map((k) => (
                    <option key={k} value={k}>
                      {releaseKindLabels[k]}
                    </option>
                  ))}
                </Select>
              </div>
            </>
          )}
          <div className={col}>
            <Input
              label="Date de libération effective (facultatif)"
              hintText="À saisir le jour de la sortie : le plan de sortie se ferme et les chiffres du milieu fermé la comptent."
              {...errors.state("detention.releasedOn")}
              nativeInputProps={field("detention.releasedOn", {
                type: "date",
                // The day the person left: today at the latest (the server's day), after their birth.
                max: today,
                ...(bornOn ? { min: bornOn } : {}),
              })}
            />
          </div>
        </div>
      </div>
    </fieldset>
  );
}
