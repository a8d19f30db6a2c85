import type { notification } from "../../db/schema";
import { SmsLookupError, type SmsSender, type SmsTrace } from "./providers";
import { CLAIM_LEASE_MS, LOOKUP_PATIENCE_MS, LOOKUP_RETRY_MS, UNCERTAIN_WAIT_MS } from "./rules";

type NotificationRow = typeof notification.$inferSelect;

/** What becomes of an uncertain SMS about to be resent, once the provider was asked about it. */
export type LookupVerdict =
  /** The provider has no trace of it (or could not answer for too long): resend, once. */
  | { action: "resend"; logLine: string }
  /** The provider took it: recorded as its events say, never resent. */
  | {
      action: "settle";
      status: "sent" | "delivered" | "failed";
      providerMessageId: string | null;
      sentAt: Date;
      lastError: string;
      logLine: string;
    }
  /** The provider could not answer: the row waits, still uncertain, and the question is asked again. */
  | { action: "wait"; until: Date; lastError: string; logLine: string };

/** Events of a message the operator refused or Brevo did not pass on: not delivered, and a resend would meet the same fate. */
const UNDELIVERED = new Set(["hardBounce", "rejected", "skip", "blocked"]);

/** "11 h 20", Paris time. */
const hourOf = (at: Date): string =>
  at
    .toLocaleTimeString("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" })
    .replace(":", " h ");

/** The verdict when the provider answered with the events of the SMS tagged with the row's id. */
export function afterTraces(row: NotificationRow, traces: SmsTrace[], now: Date): LookupVerdict {
  if (traces.length === 0)
    return { action: "resend", logLine: "aucune trace chez le fournisseur, renvoi unique" };
  const dated = traces.map((t) => t.at).filter((at): at is Date => at !== null);
  const sentAt =
    dated.length > 0 ? new Date(Math.min(...dated.map((at) => at.getTime()))) : (row.uncertainAt ?? now);
  const providerMessageId = traces.find((t) => t.messageId)?.messageId ?? null;
  const events = new Set(traces.map((t) => t.event));
  const named = [...events].sort().join(", ");
  if (events.has("delivered"))
    return {
      action: "settle",
      status: "delivered",
      providerMessageId,
      sentAt,
      lastError: "",
      logLine: `pris en charge par le fournisseur (${named}), non renvoyée`,
    };
  const refused = [...events].find((e) => UNDELIVERED.has(e));
  if (refused)
    return {
      action: "settle",
      status: "failed",
      providerMessageId,
      sentAt,
      lastError:
        refused === "hardBounce"
          ? "Numéro injoignable (refusé par l'opérateur)."
          : `SMS pris en charge par le fournisseur mais non remis (événement « ${refused} ») : non renvoyé.`,
      logLine: `pris en charge par le fournisseur mais non remise (${named}), non renvoyée`,
    };
  return {
    action: "settle",
    status: "sent",
    providerMessageId,
    sentAt,
    lastError: events.has("softBounce")
      ? "Remise retardée par l'opérateur (téléphone éteint ou saturé)."
      : "",
    logLine: `pris en charge par le fournisseur (${named}), non renvoyée`,
  };
}

/**
 * The verdict when the provider could not answer: wait and ask again every LOOKUP_RETRY_MS until
 * LOOKUP_PATIENCE_MS after the end of the wait for a receipt, then resend without an answer.
 */
export function afterLookupFailure(row: NotificationRow, error: unknown, now: Date): LookupVerdict {
  const code = error instanceof SmsLookupError ? error.logCode : "erreur inattendue";
  const since = row.uncertainAt ?? now;
  const giveUpAt = new Date(since.getTime() + UNCERTAIN_WAIT_MS + LOOKUP_PATIENCE_MS);
  if (now.getTime() >= giveUpAt.getTime())
    return {
      action: "resend",
      logLine: `vérification impossible auprès du fournisseur depuis ${LOOKUP_PATIENCE_MS / 60_000} min (${code}), renvoi unique sans confirmation`,
    };
  const until = new Date(Math.min(now.getTime() + LOOKUP_RETRY_MS, giveUpAt.getTime()));
  return {
    action: "wait",
    until,
    lastError: `Envoi incertain : le fournisseur d'envoi des SMS ne répond pas à la vérification (${code}). Nouvelle vérification à ${hourOf(until)} ; sans réponse, le SMS sera renvoyé une fois à partir de ${hourOf(giveUpAt)}.`,
    logLine: `vérification impossible auprès du fournisseur (${code}), nouvel essai à ${until.toISOString()}`,
  };
}

/**
 * Asks the SMS provider about a message whose previous send has an unknown outcome, just before
 * its only resend; null when there is nothing to ask (not an SMS resend, or a provider that cannot
 * tell: the SMS is then resent once, as before). Never throws: a failed question is a `wait` (or, past the patience, a resend).
 */
export async function checkBeforeResend(
  sms: SmsSender,
  row: NotificationRow,
  now: Date,
): Promise<LookupVerdict | null> {
  if (row.channel !== "sms" || row.uncertainSends === 0 || !sms.lookup) return null;
  // The send in doubt started at most a lease before it was found uncertain.
  const since = new Date((row.uncertainAt ?? now).getTime() - CLAIM_LEASE_MS);
  try {
    return afterTraces(row, await sms.lookup({ id: row.id, since, now }), now);
  } catch (error) {
    return afterLookupFailure(row, error, now);
  }
}
