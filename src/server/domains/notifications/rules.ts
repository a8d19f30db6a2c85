import { addDays, minutesOf, parisDay } from "../../../common/calendar";
import type { NotificationChannel } from "../../../common/notifications/templates";
import { parisInstant } from "../../core/parisTime";

/** After this many attempts a retryable error ends the notification as failed. */
export const MAX_ATTEMPTS = 5;
/** A claimed notification whose worker died is "maybe sent" after this lease (see UNCERTAIN_WAIT_MS). */
export const CLAIM_LEASE_MS = 5 * 60_000;
/**
 * A claim ends before its lease when the instance that made it is dead: its heartbeat, refreshed
 * every INSTANCE_GRACE_MS / 6 (5 s) with the database's clock, is older than this (ADR 0004,
 * addendum 2026-12-05). Six missed beats: a live instance is never that late short of a pause of
 * its own (event loop, network, database) of 25 s, and the judge must itself have beaten without
 * a gap for as long, on a database up for as long. A wrong judgment only ends a claim early, as a
 * lease lapsing under a slow worker does, which the end-of-data marker (e-mail) and the lookup
 * before a single resend (SMS) already make safe; the grace makes it rare, the lease stays the bound.
 */
export const INSTANCE_GRACE_MS = 30_000;
/**
 * A send whose outcome is unknown is "maybe sent": it waits this long for the provider's receipt
 * before it is sent again, once. A second unknown outcome ends it as uncertain, never sent again.
 */
export const UNCERTAIN_WAIT_MS = 15 * 60_000;
export const MAX_UNCERTAIN_SENDS = 2;
/**
 * Before that resend, the SMS provider is asked whether it took the message (`lookup.ts`). While
 * it cannot answer, the question is asked again every LOOKUP_RETRY_MS, for LOOKUP_PATIENCE_MS
 * past the wait; then the SMS is resent without an answer (a person convoked twice rather than
 * not at all, ADR 0004).
 */
export const LOOKUP_RETRY_MS = 5 * 60_000;
export const LOOKUP_PATIENCE_MS = 45 * 60_000;
/** Failures of a structure within a day that alert its direction (at most one alert a day). */
export const FAILURES_BEFORE_ALERT = 3;
export const ALERT_WINDOW_MS = 24 * 3_600_000;

/** Delay before attempt n+1 after n failed attempts: 1 min, 5 min, 25 min, 2 h 05… */
export function retryDelayMs(failedAttempts: number): number {
  return 60_000 * 5 ** Math.max(0, failedAttempts - 1);
}

function parisMinutes(at: Date): number {
  const time = at.toLocaleTimeString("fr-FR", {
    timeZone: "Europe/Paris",
    hour: "2-digit",
    minute: "2-digit",
  });
  return minutesOf(time);
}

/**
 * When an SMS due at `at` may leave: `at` itself outside quiet hours, otherwise the end of the
 * quiet period (Paris time, DST-aware). Quiet hours may span midnight (20:00 → 08:00).
 */
export function smsSendableAt(at: Date, quiet: { from: string; to: string }): Date {
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return at;
  const now = parisMinutes(at);
  const overnight = from > to;
  const quietNow = overnight ? now >= from || now < to : now >= from && now < to;
  if (!quietNow) return at;
  const day = parisDay(at);
  const endDay = overnight && now >= from ? addDays(day, 1) : day;
  return parisInstant(endDay, quiet.to);
}

/**
 * When the reminder of an appointment is due, or null when there is none to send: the appointment
 * is sooner than the reminder delay, so the summon that just left is the reminder.
 */
export function reminderDueAt(startsAt: Date, reminderHours: number, now: Date): Date | null {
  const due = new Date(startsAt.getTime() - reminderHours * 3_600_000);
  return due.getTime() > now.getTime() ? due : null;
}

/** Why a provider refused a message, and whether trying again later may succeed. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** What the log may say of it ("SMTP 550 RCPT TO", "Brevo 429"): never an address, a number or a text. */
    readonly logCode = "",
  ) {
    super(message);
    this.name = "SendError";
  }
}

/**
 * The mail server refused the message for good (an SMTP 5xx answer): a bounce. Not retried; the
 * partner contact it was for is marked undeliverable (`bounces/record.ts`).
 */
export class BouncedSendError extends SendError {
  constructor(message: string, logCode = "") {
    super(message, false, logCode);
    this.name = "BouncedSendError";
  }
}

/**
 * The request reached the provider but its answer did not come back (timeout, connection cut after
 * sending, SMTP session cut after the end of the message): the message may have been accepted.
 * Never resent blindly; `final`: never resent at all (an e-mail whose terminating dot may have
 * left, ADR 0004, addendum 2026-12-04).
 */
export class UncertainSendError extends SendError {
  constructor(
    message: string,
    logCode = "",
    readonly final = false,
  ) {
    super(message, false, logCode);
    this.name = "UncertainSendError";
  }
}

export type AttemptOutcome =
  | { status: "pending"; notBefore: Date; lastError: string }
  | { status: "failed"; lastError: string }
  | { status: "uncertain"; notBefore: Date; lastError: string; uncertainSends: number; uncertainAt: Date };

/** Whether an uncertain notification is over: no more sends, it stays "envoi incertain". */
export const uncertainForGood = (uncertainSends: number): boolean => uncertainSends >= MAX_UNCERTAIN_SENDS;

/**
 * A send with an unknown outcome: the first waits UNCERTAIN_WAIT_MS for a receipt before its only
 * resend; the second ends the notification as uncertain, and so does the first when `final` (an
 * e-mail whose end of data may have left: ADR 0004, addendum 2026-12-04), counted as
 * MAX_UNCERTAIN_SENDS so that every reader (claim, alert, log) sees it over. The agent's wording
 * says what will really happen: an SMS is looked up in Brevo's event log before its resend (ADR
 * 0004, addendum); an e-mail sent before that rule (no marker) is resent once without a check, with
 * the same Message-ID.
 */
export function afterUncertainSend(
  reason: string,
  uncertainSends: number,
  now: Date,
  channel: NotificationChannel,
  endsIt = false,
): AttemptOutcome {
  const final = endsIt || uncertainForGood(uncertainSends + 1);
  const count = final ? Math.max(uncertainSends + 1, MAX_UNCERTAIN_SENDS) : uncertainSends + 1;
  return {
    status: "uncertain",
    notBefore: final ? now : new Date(now.getTime() + UNCERTAIN_WAIT_MS),
    uncertainSends: count,
    uncertainAt: now,
    lastError: final
      ? `Envoi incertain, non renvoyé : ${reason}`
      : channel === "email"
        ? `Envoi incertain, sera renvoyé une seule fois sans vérification possible (même identifiant de message, que la plupart des messageries fusionnent) : ${reason}`
        : `Envoi incertain, vérification avant un seul nouvel envoi : ${reason}`,
  };
}

/**
 * What the agent reads of an e-mail whose sending was interrupted before its end of data (the
 * server killed mid-send, its lease expired without the marker): the relay discarded it, so it is
 * sent again normally, at once.
 */
export const EMAIL_INTERRUPTED_BEFORE_END =
  "Courriel : envoi interrompu avant la fin du message (serveur arrêté pendant l'envoi) ; le serveur de messagerie ne l'a pas pris, il est envoyé de nouveau.";

/**
 * A `sending` row whose lease expired: its worker died mid-send, or could not record the outcome
 * for as long. An SMS may have left: uncertain (looked up, then resent once at most). An e-mail
 * follows its end-of-data marker (ADR 0004, addendum 2026-12-04): without it the terminating dot
 * never left and the relay discarded the message, so it goes back to `pending`, due now, and is
 * not an uncertain send; with it the message may have been taken: ended uncertain, never resent.
 */
export function afterExpiredLease(
  row: { channel: NotificationChannel; uncertainSends: number; dataEndAt: Date | null },
  now: Date,
): AttemptOutcome {
  if (row.channel === "email" && !row.dataEndAt)
    return { status: "pending", notBefore: now, lastError: EMAIL_INTERRUPTED_BEFORE_END };
  if (row.channel === "email")
    return afterUncertainSend(
      "envoi interrompu après la fin du message, résultat non enregistré (serveur arrêté ou base de données indisponible pendant l'envoi) ; le serveur de messagerie a pu le prendre",
      row.uncertainSends,
      now,
      row.channel,
      true,
    );
  return afterUncertainSend(
    "envoi interrompu, résultat non enregistré (serveur arrêté ou base de données indisponible pendant l'envoi)",
    row.uncertainSends,
    now,
    row.channel,
  );
}

/** The detail kept on an e-mail resent after an uncertain send: the person may have it twice. */
export const RESENT_AFTER_UNCERTAIN_EMAIL =
  "Renvoyé une fois après un envoi incertain (même identifiant de message) : la personne a pu le recevoir deux fois.";

/**
 * What becomes of a notification whose attempt number `attempts` failed with `error`, after
 * `uncertainSends` earlier sends with an unknown outcome. An error that is not a SendError (a bug,
 * an unexpected exception of a library) says nothing of whether the message left: uncertain.
 */
export function afterFailure(
  error: unknown,
  attempts: number,
  now: Date,
  uncertainSends = 0,
  channel: NotificationChannel = "sms",
): AttemptOutcome {
  // Anything else than a SendError is a bug or a library's exception: its words are not for agents.
  const message =
    error instanceof SendError ? error.message : "erreur inattendue pendant l'envoi, le message a pu partir";
  if (error instanceof UncertainSendError)
    return afterUncertainSend(message, uncertainSends, now, channel, error.final);
  if (!(error instanceof SendError)) return afterUncertainSend(message, uncertainSends, now, channel);
  if (error.retryable && attempts < MAX_ATTEMPTS) {
    return {
      status: "pending",
      notBefore: new Date(now.getTime() + retryDelayMs(attempts)),
      lastError: message,
    };
  }
  return { status: "failed", lastError: message };
}
