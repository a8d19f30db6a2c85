import type { NotificationView } from "../../../common/notifications/notifications.schema";
import { formatDateTime } from "../../components/dates";

/** Failed and uncertain convocation messages of the last 7 days, for the direction. */
export function failureSummary(failed: number, uncertain: number): string {
  return [failed > 0 ? `${failed} en échec` : "", uncertain > 0 ? `${uncertain} en envoi incertain` : ""]
    .filter(Boolean)
    .join(" et ");
}

/** What "envoi incertain" means, for the log and the direction's home page. */
export const uncertainExplanation =
  "« Envoi incertain » : le fournisseur n'a pas répondu à temps ou la connexion a été coupée ; le message a peut-être été reçu. Un SMS est renvoyé une seule fois au plus, après vérification auprès du fournisseur ; un courriel n'est jamais renvoyé.";

/**
 * What an uncertain message means for the agent, and what really happens next (ADR 0004): the
 * outcome of a send is unknown (a provider's late or cut answer, an error that may come after it took
 * the message, a server stopped mid-send — not always a provider that "did not confirm"). An SMS is
 * looked up in the provider's event log before its only resend. An e-mail is ended at once
 * (`uncertainSends` 2: its end of data may have left, ADR 0004, addendum 2026-12-04); only one left
 * uncertain by an earlier version, without that marker, is resent once without a check.
 */
export function uncertainDetail(
  n: Pick<NotificationView, "channel" | "uncertainSends" | "uncertainAt" | "notBefore">,
): string {
  const since = n.uncertainAt ? ` depuis le ${formatDateTime(n.uncertainAt)}` : "";
  if (n.uncertainSends >= 2)
    return `Résultat de l'envoi inconnu${since} : le message a peut-être été reçu, il ne sera pas renvoyé. Vérifiez auprès de la personne.`;
  const next = formatDateTime(n.notBefore);
  return n.channel === "sms"
    ? `Résultat de l'envoi inconnu${since}. Le ${next}, Passerelle demandera au fournisseur s'il a pris le SMS en charge ; sinon, il sera renvoyé une seule fois.`
    : `Résultat de l'envoi inconnu${since}. Il sera renvoyé une seule fois le ${next}, sans vérification possible : la personne pourrait le recevoir deux fois.`;
}
