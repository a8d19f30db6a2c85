import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ReactNode } from "react";
import type { z } from "zod";
import type { consentsSchema } from "../../../common/consent/consent.schema";
import { frenchList } from "../../../common/frenchList";
import { serviceKindLabels } from "../../../common/roles";
import { missingConsentText } from "./consentWording";

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
 * (none recorded, one withdrawn — said with its day —, or one not naming it), that only a draft
 * is possible until then, and where to record it.
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
  const { active } = consent;
  const { missing, todo } = missingConsentText({ partnerName, consent, iae });
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
          {todo}{" "}
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
