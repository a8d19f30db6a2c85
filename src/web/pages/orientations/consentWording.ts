import type { z } from "zod";
import type { consentsSchema } from "../../../common/consent/consent.schema";
import { formatShortDate } from "../../../common/dateFormat";

type Consents = z.infer<typeof consentsSchema>;

/**
 * The day the person's consent was withdrawn, when no consent is in force and the latest one was
 * withdrawn (not replaced: a replaced one leaves a consent in force); null when none was ever given.
 */
export function withdrawnOn(consent: Pick<Consents, "active" | "history">): string | null {
  if (consent.active) return null;
  const latest = consent.history[0];
  return latest?.revokedAt ? formatShortDate(latest.revokedAt) : null;
}

/**
 * What the orientation form says is missing: the consent naming the chosen organisation, one naming
 * any of those listed, a consent at all — or the one withdrawn, with its day — then what to do.
 */
export function missingConsentText({
  partnerName,
  consent,
  iae,
}: {
  partnerName: string | null;
  consent: Pick<Consents, "active" | "history" | "permissions">;
  iae: boolean;
}): { missing: string; todo: string } {
  const { active, permissions } = consent;
  const withdrawn = withdrawnOn(consent);
  const which = iae ? "aucun de ces employeurs IAE" : "aucune de ces organisations";
  const missing = withdrawn
    ? `Le consentement de la personne au partage d'informations a été retiré le ${withdrawn}`
    : partnerName
      ? `La personne n'a pas consenti au partage d'informations avec ${partnerName}`
      : active
        ? `Le consentement de la personne ne nomme ${which}`
        : "La personne n'a encore donné aucun consentement au partage d'informations";
  const todo = withdrawn
    ? permissions.record
      ? "Si elle consent de nouveau, enregistrez un nouveau consentement en y cochant l'organisation destinataire (section « Notes et consentement »), puis envoyez l'orientation depuis le tableau."
      : "Si elle consent de nouveau, son CPIP référent, un conseiller ou la direction peut enregistrer un nouveau consentement (section « Notes et consentement ») ; l'orientation s'enverra ensuite depuis le tableau."
    : permissions.record
      ? `${active ? "Modifiez son consentement en y cochant" : "Enregistrez son consentement en cochant"} l'organisation destinataire (section « Notes et consentement »), puis envoyez l'orientation depuis le tableau.`
      : "Son CPIP référent, un conseiller ou la direction peut enregistrer son consentement (section « Notes et consentement ») ; l'orientation s'enverra ensuite depuis le tableau.";
  return { missing, todo };
}
