import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ReactNode } from "react";
import type { z } from "zod";
import type { consentsSchema } from "../../../common/consent/consent.schema";
import { frenchList } from "../../../common/frenchList";
import { serviceKindLabels } from "../../../common/roles";

type Consents = z.infer<typeof consentsSchema>;

/** Takes the agent to the consent panel of the file, its first button focused. */
function goToConsent(): void {
  const panel = document.getElementById("notes");
  if (!panel) return;
  panel.scrollIntoView();
  panel.querySelector<HTMLButtonElement>("button")?.focus({ preventScroll: true });
}

/**
 * Said once, above the list of organisations: the consent an orientation to a partner is missing
 * (none recorded, or one not naming it), that only a draft is possible until then, and where to
 * record it.
 */
export function MissingConsentNotice({
  partnerName,
  consent,
  iae,
}: {
  partnerName: string | null;
  consent: Consents;
  iae: boolean;
}): ReactNode {
  const { active, permissions } = consent;
  const which = iae ? "aucun de ces employeurs IAE" : "aucune de ces organisations";
  const missing = partnerName
    ? `La personne n'a pas consenti au partage d'informations avec ${partnerName}`
    : active
      ? `Le consentement de la personne ne nomme ${which}`
      : "La personne n'a encore donné aucun consentement au partage d'informations";
  const covered = active
    ? [...active.recipients.map((r) => serviceKindLabels[r]), ...active.partners.map((p) => p.name)]
    : [];
  return (
    <Alert
      severity="warning"
      small
      className="fr-mb-3w"
      description={
        <>
          {missing} : l'orientation ne peut pas encore être envoyée, seulement enregistrée en brouillon.{" "}
          {covered.length > 0 ? `Son consentement en vigueur vaut pour ${frenchList(covered)}. ` : ""}
          {permissions.record
            ? `${active ? "Modifiez son consentement en y cochant" : "Enregistrez son consentement en cochant"} l'organisation destinataire (section « Notes et consentement »), puis envoyez l'orientation depuis le tableau.`
            : "Son CPIP référent, un conseiller ou la direction peut enregistrer son consentement (section « Notes et consentement ») ; l'orientation s'enverra ensuite depuis le tableau."}{" "}
          <button type="button" className="fr-link" onClick={goToConsent}>
            Aller au consentement de la personne
          </button>
        </>
      }
    />
  );
}

/**
 * Whether « Envoyer maintenant » is off: the organisation chosen is not named in the consent, or the
 * consent names none of the organisations listed (the notice above the form says so either way).
 */
export function sendBlockedByConsent(needsConsent: boolean, noneNamed: boolean): boolean {
  return needsConsent || noneNamed;
}
