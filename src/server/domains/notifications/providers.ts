import { Transform, type TransformCallback } from "node:stream";
import nodemailer from "nodemailer";
import { verpAddress } from "./bounces/verp";
import { BouncedSendError, SendError, UncertainSendError } from "./rules";

export interface EmailMessage {
  /** The notification id: a resend of the same message carries the same Message-ID. */
  id: string;
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative of the text. */
  html?: string | undefined;
  attachments?: { filename: string; contentType: string; content: string }[] | undefined;
  headers?: Record<string, string> | undefined;
  /** The outbox row's bounce token: the envelope sender names it (VERP), see SmtpOptions.bounceAddress. */
  bounceToken?: string | undefined;
}
export interface SmsMessage {
  /** The notification id, given to the provider as a tag and echoed by the receipts' address. */
  id: string;
  /** E.164 number (+33612345678). */
  to: string;
  text: string;
  /** Where the provider posts the delivery receipts of this message. */
  receiptUrl: string | null;
}

/** What a provider answers when it took a message. */
export interface SendResult {
  providerMessageId: string | null;
  /** Nothing left the machine: no provider is configured, the message was only written to the log. */
  loggedOnly?: boolean;
}

/** What the sender of one e-mail is asked to do while it sends it. */
export interface EmailSendHooks {
  /**
   * Run once the whole message is ready to end, before its end can leave (SMTP: the relay accepted
   * DATA, and the terminating dot waits for it). The message is ended only if it resolves; if it
   * rejects, the send stops without the end, and the message is certainly not taken (a retryable
   * SendError). The worker records the end-of-data marker there (ADR 0004, addendum 2026-12-04):
   * a sender that delivers without calling it, or a wrapper that does not pass it on, would let a
   * message interrupted after its end be sent twice. Required, so that a wrapper cannot forget it.
   */
  beforeDataEnd: () => Promise<void>;
}

/** Sends one email; resolves with the provider's message id, throws a SendError. */
export interface EmailSender {
  send(message: EmailMessage, hooks: EmailSendHooks): Promise<SendResult>;
  close(): void;
}
/** What the provider recorded of one SMS, found by its tag (`smsTagOf`). */
export interface SmsTrace {
  /** The provider's event: `sent`, `accepted`, `delivered`, `softBounce`, `hardBounce`, `rejected`… */
  event: string;
  messageId: string | null;
  /** When the event happened; null when the provider's date could not be read. */
  at: Date | null;
}

/** What is asked of the provider before resending an SMS whose previous send has an unknown outcome. */
export interface SmsLookupQuery {
  /** The notification id: the SMS carries it in its tag. */
  id: string;
  /** When the send in doubt started (or earlier): the search covers the days from then until now. */
  since: Date;
  now: Date;
}

/** Sends one SMS; resolves with the provider's message id, throws a SendError. */
export interface SmsSender {
  send(message: SmsMessage): Promise<SendResult>;
  /**
   * Asks the provider what it recorded of a message, without sending anything: every event of
   * the SMS tagged with this notification id (none: it never took it). Throws `SmsLookupError`
   * when the answer is unknown (timeout, refused, unreadable). Absent: the provider cannot tell,
   * and an uncertain SMS is resent once after the wait (ADR 0004).
   */
  lookup?(query: SmsLookupQuery): Promise<SmsTrace[]>;
}

/** The provider could not say whether it took an SMS: the question is asked again later. */
export class SmsLookupError extends Error {
  constructor(
    message: string,
    /** What the log may say of it ("Brevo 503", "Brevo timeout"): never a number or a text. */
    readonly logCode: string,
  ) {
    super(message);
    this.name = "SmsLookupError";
  }
}

/**
 * The one tag each SMS carries: our notification id, so the provider's events name the message
 * exactly (Brevo has no idempotency key, and after a timeout we never learn its messageId). One
 * tag, not two: Brevo reports an event's tag as one string, and how it joins several is not
 * documented; 49 characters, within any limit.
 */
export const smsTagOf = (notificationId: string): string => `notification-${notificationId}`;

type Log = (line: string) => void;

/** The Message-ID of a notification's email: the same on a resend, so it is recognisably one message. */
export function emailMessageId(notificationId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? "passerelle.invalid";
  return `<notification-${notificationId}@${domain}>`;
}

type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";
type LogFn = (entry: { tnx?: string }, message: string) => void;

interface DataCommandWatch {
  logger: Record<LogLevel, LogFn>;
  /** The DATA command of the current transaction left. */
  dataSent: () => boolean;
  /** Resolves once the relay answered DATA with its 3xx "start mail input". */
  dataAccepted: () => Promise<void>;
  reset: () => void;
}

/**
 * A nodemailer logger (with `transactionLog`) that follows the current transaction: whether the
 * DATA command left (the message may then be accepted), and when the relay accepted it. A new
 * transaction starts at MAIL FROM; with PIPELINING the answers to MAIL FROM and RCPT TO (2xx, 4xx,
 * 5xx) come after DATA left, and only DATA is answered 3xx (RFC 5321, 4.2 and 4.3.2).
 */
function dataCommandWatch(): DataCommandWatch {
  let sent = false;
  let accepted = false;
  let waiting: (() => void)[] = [];
  const ignore: LogFn = () => {};
  const watch: LogFn = (entry, message) => {
    const line = String(message);
    if (entry.tnx === "client" && /^MAIL FROM\b/i.test(line)) {
      sent = false;
      accepted = false;
    } else if (entry.tnx === "client" && /^DATA\b/i.test(line)) sent = true;
    else if (entry.tnx === "server" && sent && !accepted && /^3/.test(line)) {
      accepted = true;
      for (const resolve of waiting.splice(0)) resolve();
    }
  };
  return {
    logger: { trace: ignore, debug: watch, info: ignore, warn: ignore, error: ignore, fatal: ignore },
    dataSent: () => sent,
    dataAccepted: () => (accepted ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve))),
    reset: () => {
      sent = false;
      accepted = false;
      // A send that ended (sent or failed) no longer waits: its message stream is gone.
      waiting = [];
    },
  };
}

/**
 * The last stage of the message nodemailer streams into DATA: it passes the message through and
 * withholds its end until the relay accepted DATA and `beforeEnd` resolved. nodemailer writes the
 * terminating `<CRLF>.<CRLF>` only when the message stream ends (`smtp-connection/data-stream.js`,
 * `_flush`), so before then the relay holds an incomplete message, which SMTP discards when the
 * connection closes (RFC 5321, 4.1.1.4: the transaction is complete only at the end of data). A
 * `beforeEnd` that rejects fails the stream: nodemailer then closes the connection without the dot
 * (`ESTREAM`), never sends it.
 */
class HeldEnd extends Transform {
  constructor(
    private readonly dataAccepted: () => Promise<void>,
    private readonly beforeEnd: () => Promise<void>,
    private readonly released: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.dataAccepted()
      .then(() => (this.destroyed ? undefined : this.beforeEnd()))
      .then(
        () => {
          if (this.destroyed) return;
          this.released();
          done();
        },
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
      );
  }
}

export interface SmtpOptions {
  /** Messages sent at once, each over its own kept connection (default 1). */
  connections?: number;
  /** A connection is closed after this many messages, and a new one opened (default 100). */
  messagesPerConnection?: number;
  /** A connection unused this long is closed (default 5 s; the worker polls every few seconds). */
  idleMs?: number;
  /**
   * The envelope sender of the messages that carry a bounce token (`bounces@example.fr`): each is
   * sent from `bounces+<token>@example.fr` (VERP), so an asynchronous bounce names its message.
   */
  bounceAddress?: string | null;
}

/** The message a lane is sending: what to run before its end, and whether its end was let go. */
interface InFlight {
  beforeEnd: () => Promise<void>;
  /** The end (the terminating dot) was let go: the relay may have the whole message. */
  released: boolean;
}

/**
 * One connection and the messages it sends, one after the other: nodemailer's pooled transport
 * limited to one connection, so the DATA command the watch sees belongs to the message in flight.
 */
interface Lane {
  transport: ReturnType<typeof nodemailer.createTransport>;
  watch: DataCommandWatch;
  current: InFlight | null;
}

/**
 * SMTP through nodemailer, over kept connections (ADR 0032, "Sending rate"): up to `connections`
 * messages at once, each connection reused for the next message. A 5xx answer to RCPT TO or DATA is
 * a bounce; any other failure before DATA is retried (`smtpFailure`). The end of each message (the
 * terminating dot) waits for `hooks.beforeDataEnd` (`HeldEnd`): a session cut, or a hook that
 * failed, before the end left is retried (the relay discarded the incomplete message); a session
 * cut after it is uncertain, and final when the hook had recorded the end (ADR 0004, addendum
 * 2026-12-04). nodemailer only sends a message again over a new connection when not a byte of it
 * was read (a kept connection the server had closed), which cannot repeat a message; a session cut
 * once the message left reports an error, never a resend.
 */
export function smtpEmailSender(url: string, from: string, options: SmtpOptions = {}): EmailSender {
  const size = Math.max(1, options.connections ?? 1);
  const idle: Lane[] = [];
  const all: Lane[] = [];
  const waiting: ((lane: Lane) => void)[] = [];
  const openLane = (): Lane => {
    const watch = dataCommandWatch();
    const transport = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: 1,
      maxMessages: options.messagesPerConnection ?? 100,
      idleTimeout: options.idleMs ?? 5_000,
      logger: watch.logger,
      transactionLog: true,
      // Well within the claim lease: a send never outlives it (nodemailer's socket default is 10 min).
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });
    const lane: Lane = { transport, watch, current: null };
    // Each stream of the message (nodemailer makes a new one if it requeues it) ends through HeldEnd.
    transport.use("stream", (mail, done) => {
      const inFlight = lane.current;
      if (inFlight)
        mail.message.transform(
          () =>
            new HeldEnd(watch.dataAccepted, inFlight.beforeEnd, () => {
              inFlight.released = true;
            }),
        );
      done();
    });
    all.push(lane);
    return lane;
  };
  const acquire = (): Promise<Lane> => {
    const lane = idle.pop() ?? (all.length < size ? openLane() : undefined);
    return lane ? Promise.resolve(lane) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (lane: Lane): void => {
    const next = waiting.shift();
    if (next) next(lane);
    else idle.push(lane);
  };
  return {
    async send(message, hooks) {
      const lane = await acquire();
      lane.watch.reset();
      const inFlight: InFlight = { beforeEnd: hooks.beforeDataEnd, released: false };
      lane.current = inFlight;
      try {
        const info = await lane.transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          ...(message.attachments?.length ? { attachments: message.attachments } : {}),
          ...(message.headers ? { headers: message.headers } : {}),
          ...(message.bounceToken && options.bounceAddress
            ? { envelope: { from: verpAddress(options.bounceAddress, message.bounceToken), to: message.to } }
            : {}),
          messageId: emailMessageId(message.id, from),
        });
        return { providerMessageId: info.messageId ?? null };
      } catch (error) {
        throw smtpFailure(error, lane.watch.dataSent(), inFlight.released ? "marked" : "held");
      } finally {
        lane.current = null;
        release(lane);
      }
    },
    close: () => {
      for (const lane of all.splice(0)) lane.transport.close();
      idle.length = 0;
    },
  };
}

/**
 * How far a message got when its send failed: `held` — its end never left (certainly not taken);
 * `marked` — it was let go after the caller recorded it; `unknown` — not followed.
 */
export type MessageEnd = "held" | "marked" | "unknown";

/** The SMTP commands whose refusal is about the recipient or the message: a 5xx there is a bounce. */
const RECIPIENT_COMMANDS = new Set(["RCPT TO", "DATA"]);

/**
 * What the agent reads of a failed send, whatever the channel: "Courriel : …" or "SMS : …", a short
 * French sentence, the provider's status code at most — never the provider's own (English) words,
 * which stay in the log code.
 */
function failureText(
  channel: "Courriel" | "SMS",
  summary: (answered: string) => string,
  code?: number,
): string {
  return `${channel} : ${summary(code === undefined ? "" : ` (code ${code})`)}`;
}

/** What the agent reads of a refused or failed e-mail. */
function smtpSummary(command: string, code: number | undefined, errorCode: string): string {
  return failureText("Courriel", (answered) => smtpSentence(command, answered, code, errorCode), code);
}

function smtpSentence(
  command: string,
  answered: string,
  code: number | undefined,
  errorCode: string,
): string {
  if (command === "RCPT TO") return `Adresse refusée par le serveur de messagerie${answered}.`;
  if (command === "DATA") return `Message refusé par le serveur de messagerie${answered}.`;
  if (command.startsWith("AUTH"))
    return `Le serveur d'envoi des courriels a refusé l'identification de Passerelle${answered} : vérifiez le réglage SMTP_URL.`;
  if (command === "MAIL FROM") return `Le serveur d'envoi des courriels a refusé l'expéditeur${answered}.`;
  if (code !== undefined) return `Le serveur d'envoi des courriels a refusé la connexion${answered}.`;
  if (errorCode === "ETIMEDOUT") return "Le serveur d'envoi des courriels n'a pas répondu à temps.";
  if (errorCode === "EDNS") return "Le nom du serveur d'envoi des courriels est introuvable.";
  return "Le serveur d'envoi des courriels est injoignable.";
}

/**
 * A failed SMTP send: a 5xx refusal of the recipient (RCPT TO) or of the message (DATA) is a
 * bounce; a session cut after DATA left is uncertain if the message's end may have left (final when
 * it was `marked`: never resent), retried when it was `held` (the relay discards a message without
 * its end); anything else — a 4xx, a refused connection, and the server's own refusals at the
 * greeting, at AUTH or at MAIL FROM (a relay out of order or misconfigured, which says nothing of the
 * recipient) — is retried. nodemailer's errors carry the `command` they answered ("CONN", "EHLO",
 * "AUTH PLAIN", "MAIL FROM", "RCPT TO", "DATA"…; "API" for a message stream that failed).
 */
export function smtpFailure(error: unknown, dataSent: boolean, end: MessageEnd = "unknown"): SendError {
  const { responseCode, command, code } = error as {
    responseCode?: unknown;
    command?: unknown;
    code?: unknown;
  };
  const status = typeof responseCode === "number" ? responseCode : undefined;
  const verb = typeof command === "string" ? command : "";
  const errorCode = typeof code === "string" ? code : "";
  const logCode = ["SMTP", status, verb, errorCode].filter(Boolean).join(" ");
  if (status === undefined && dataSent && end === "held")
    return new SendError(
      "Courriel : envoi interrompu avant la fin du message ; le serveur de messagerie ne l'a pas pris, nouvel essai prévu.",
      true,
      `${logCode} avant la fin du message`,
    );
  if (status === undefined && dataSent && end === "marked")
    return new UncertainSendError(
      "SMTP : connexion coupée après la fin du message, que le serveur de messagerie a pu prendre",
      logCode,
      true,
    );
  if (status === undefined && dataSent)
    return new UncertainSendError("SMTP : connexion coupée pendant l'envoi du message", logCode);
  const summary = smtpSummary(verb, status, errorCode);
  if (status !== undefined && status >= 500 && RECIPIENT_COMMANDS.has(verb))
    return new BouncedSendError(summary, logCode);
  return new SendError(summary, true, logCode);
}

/**
 * Development only (the configuration requires SMTP_URL in production): the email is printed,
 * nothing leaves the machine. Only the subject and the body's links are printed, never the rest of
 * the text; a link is printed whole wherever it stands in a line ("Je participe : https://…"),
 * which is how a developer activates an account or answers an invitation locally.
 */
export function logEmailSender(log: Log): EmailSender {
  return {
    async send(message) {
      const links = message.text.match(/https?:\/\/\S+/g) ?? [];
      log(
        `[courriel non envoyé, mode développement] à ${message.to} : ${message.subject}${links.map((l) => ` ${l}`).join("")}`,
      );
      return { providerMessageId: null, loggedOnly: true };
    },
    close: () => {},
  };
}

export function logSmsSender(log: Log): SmsSender {
  return {
    async send(message) {
      log(`[SMS non envoyé, mode développement] à ${message.to} : ${message.text}`);
      return { providerMessageId: null, loggedOnly: true };
    },
  };
}

/**
 * Production without an SMS provider (`SMS_PROVIDER=log`): nothing leaves, and the log names the
 * message only, never the number or the text (a person's data has no place in the log).
 */
export function unsentSmsSender(log: Log): SmsSender {
  return {
    async send(message) {
      log(`SMS non envoyé (aucun fournisseur configuré, SMS_PROVIDER=log) : notification ${message.id}`);
      return { providerMessageId: null, loggedOnly: true };
    },
  };
}

/** Network errors raised before the request could leave: nothing reached the provider. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

const MAYBE_TAKEN = " : le SMS a pu être pris en charge.";

/** What the agent reads of a refused or failed SMS: Brevo's HTTP status in French. */
function brevoSummary(status: number): string {
  return failureText(
    "SMS",
    (answered) => {
      if (status === 400) return `Numéro ou texte refusé par le fournisseur d'envoi des SMS${answered}.`;
      if (status === 401 || status === 403)
        return `Le fournisseur d'envoi des SMS a refusé l'identification de Passerelle${answered} : vérifiez le réglage BREVO_API_KEY.`;
      if (status === 402) return `Crédit d'envoi des SMS épuisé chez le fournisseur${answered}.`;
      if (status === 429)
        return `Trop d'envois à la fois : le fournisseur d'envoi des SMS demande d'attendre${answered}.`;
      if (status === 503) return `Le fournisseur d'envoi des SMS est momentanément indisponible${answered}.`;
      if (status >= 500)
        return `Le fournisseur d'envoi des SMS a répondu une erreur${answered}${MAYBE_TAKEN}`;
      return `SMS refusé par le fournisseur d'envoi des SMS${answered}.`;
    },
    status,
  );
}

/** Brevo's transactional SMS event log is searched over this many days at most (the API keeps 90). */
const LOOKUP_MAX_DAYS = 30;

/** A fetch that threw: refused or unresolved before sending is retryable, anything else may have been sent. */
function fetchFailure(error: unknown, timeoutMs: number): SendError {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === "string" ? cause.code : "";
  if (error instanceof Error && error.name === "TimeoutError")
    return new UncertainSendError(
      failureText(
        "SMS",
        () => `Le fournisseur d'envoi des SMS n'a pas répondu en ${timeoutMs / 1000} s${MAYBE_TAKEN}`,
      ),
      "Brevo timeout",
    );
  if (NOT_SENT_CODES.has(code))
    return new SendError(
      failureText("SMS", () => "Le fournisseur d'envoi des SMS est injoignable."),
      true,
      `Brevo ${code}`,
    );
  return new UncertainSendError(
    failureText("SMS", () => `Connexion au fournisseur d'envoi des SMS interrompue${MAYBE_TAKEN}`),
    `Brevo ${code || "connexion interrompue"}`,
  );
}

/**
 * Brevo transactional SMS API (POST {apiUrl}/transactionalSMS/send, header `api-key`), a French
 * provider. 400/401/402/403 are final (bad number, key or credits); 429 (rate limit) and 503
 * (unavailable) say the SMS was not taken and are retried, as are connections refused before
 * sending. A timeout or a connection cut once the request left is uncertain, as is any other 5xx:
 * a 500 may come after the SMS was queued, a 502 or 504 from a gateway that forwarded the request.
 * Brevo has no idempotency key: the notification id goes in the `tag` (`smsTagOf`), which `lookup`
 * searches in Brevo's event log (GET {apiUrl}/transactionalSMS/statistics/events) before a resend,
 * and in the `webUrl` receipts come back to, as `{ messageId, msg_status }` events.
 */
export function brevoSmsSender(options: {
  apiUrl: string;
  apiKey: string;
  sender: string;
  /**
   * Default 15 s, for a send and for a lookup. Brevo answers a send within a second or two; the
   * worker finishes the send in flight when the server stops, within SHUTDOWN_TIMEOUT_MS (25 s):
   * a longer timeout would turn a slow answer at shutdown into a forced exit. A send that times
   * out is checked in Brevo's event log before any resend (ADR 0004), so it costs a delay, not a
   * duplicate.
   */
  timeoutMs?: number;
  /**
   * The signal that gives up a request unanswered, its abort reason a `TimeoutError` (default:
   * `AbortSignal.timeout(timeoutMs)`). The tests give one their fake provider fires once it has taken
   * the request it answers late, so that the machine's load cannot fire it sooner.
   */
  timeoutSignal?: (timeoutMs: number) => AbortSignal;
}): SmsSender {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const timeoutSignal = options.timeoutSignal ?? ((ms: number) => AbortSignal.timeout(ms));
  const base = options.apiUrl.replace(/\/$/, "");
  return {
    async send(message) {
      let response: Response;
      try {
        response = await fetch(`${base}/transactionalSMS/send`, {
          method: "POST",
          headers: {
            "api-key": options.apiKey,
            "content-type": "application/json",
            accept: "application/json",
          },
          body: JSON.stringify({
            sender: options.sender,
            recipient: message.to.replace(/^\+/, ""),
            content: message.text,
            type: "transactional",
            tag: smsTagOf(message.id),
            ...(message.receiptUrl ? { webUrl: receiptUrlOf(message.receiptUrl, message.id) } : {}),
          }),
          signal: timeoutSignal(timeoutMs),
        });
      } catch (error) {
        throw fetchFailure(error, timeoutMs);
      }
      // Once the status line is in, the answer is known even if the body cannot be read.
      const payload = (await response.json().catch(() => ({}))) as {
        messageId?: unknown;
        code?: unknown;
        message?: unknown;
      };
      if (!response.ok) {
        // Brevo's own code ("invalid_parameter") goes to the log; its message may quote the number.
        const brevoCode =
          typeof payload.code === "string" && /^[a-z_]{1,40}$/.test(payload.code) ? payload.code : "";
        const logCode = ["Brevo", response.status, brevoCode].filter(Boolean).join(" ");
        if (response.status >= 500 && response.status !== 503)
          throw new UncertainSendError(brevoSummary(response.status), logCode);
        throw new SendError(
          brevoSummary(response.status),
          response.status === 429 || response.status === 503,
          logCode,
        );
      }
      return { providerMessageId: payload.messageId === undefined ? null : String(payload.messageId) };
    },

    /**
     * GET /transactionalSMS/statistics/events?tags=…&days=…&limit=100: Brevo's unaggregated SMS
     * events (`{ events: [{ messageId, event, date, tag, phoneNumber }] | null }`). `days` (today
     * included) rather than `startDate`/`endDate`, whose time zone is not documented: a day of
     * margin, never a date in the future. Brevo filters on the tag; the events are checked again
     * here (the tag must name this notification), so a filter Brevo ignored can only lead to a
     * resend, never to a message wrongly taken as sent. Any failure throws SmsLookupError.
     */
    async lookup(query) {
      const tag = smsTagOf(query.id);
      const elapsedDays = Math.floor((query.now.getTime() - query.since.getTime()) / 86_400_000);
      const days = Math.min(LOOKUP_MAX_DAYS, Math.max(0, elapsedDays) + 2);
      const url = `${base}/transactionalSMS/statistics/events?${new URLSearchParams({
        tags: tag,
        days: String(days),
        limit: "100",
        sort: "desc",
      })}`;
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { "api-key": options.apiKey, accept: "application/json" },
          signal: timeoutSignal(timeoutMs),
        });
      } catch (error) {
        const timedOut = error instanceof Error && error.name === "TimeoutError";
        const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
        const code = typeof cause?.code === "string" ? cause.code : "";
        throw new SmsLookupError(
          timedOut ? `pas de réponse en ${timeoutMs / 1000} s` : "injoignable",
          timedOut ? "Brevo timeout" : `Brevo ${code || "connexion impossible"}`,
        );
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new SmsLookupError(`réponse ${response.status}`, `Brevo ${response.status}`);
      }
      let payload: { events?: unknown };
      try {
        payload = (await response.json()) as { events?: unknown };
      } catch {
        throw new SmsLookupError("réponse illisible", "Brevo réponse illisible");
      }
      if (payload === null || typeof payload !== "object")
        throw new SmsLookupError("réponse illisible", "Brevo réponse illisible");
      // Brevo answers `events: null` (or no key) when nothing matched.
      if (payload.events == null) return [];
      if (!Array.isArray(payload.events))
        throw new SmsLookupError("réponse illisible", "Brevo réponse illisible");
      return payload.events.flatMap((raw): SmsTrace[] => {
        const event = raw as { event?: unknown; messageId?: unknown; date?: unknown; tag?: unknown };
        if (typeof event.tag !== "string" || !event.tag.includes(tag) || typeof event.event !== "string")
          return [];
        const at = typeof event.date === "string" ? new Date(event.date) : null;
        return [
          {
            event: event.event,
            messageId: event.messageId == null ? null : String(event.messageId),
            at: at && !Number.isNaN(at.getTime()) ? at : null,
          },
        ];
      });
    },
  };
}

/** The receipt address of one SMS: receipts name the notification, whichever send they are about. */
export const receiptUrlOf = (base: string, notificationId: string): string =>
  `${base}?notification=${encodeURIComponent(notificationId)}`;
