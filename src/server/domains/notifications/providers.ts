import nodemailer from "nodemailer";
import { SendError } from "./rules";

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}
export interface SmsMessage {
  /** E.164 number (+33612345678). */
  to: string;
  text: string;
  /** Where the provider posts the delivery receipts of this message. */
  receiptUrl: string | null;
}

/** Sends one email; resolves with the provider's message id, throws a SendError. */
export interface EmailSender {
  send(message: EmailMessage): Promise<{ providerMessageId: string | null }>;
  close(): void;
}
/** Sends one SMS; resolves with the provider's message id, throws a SendError. */
export interface SmsSender {
  send(message: SmsMessage): Promise<{ providerMessageId: string | null }>;
}

type Log = (line: string) => void;

/** SMTP through nodemailer. 4xx SMTP answers and connection problems are retried, 5xx are not. */
export function smtpEmailSender(url: string, from: string): EmailSender {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      try {
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
        return { providerMessageId: info.messageId ?? null };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const text = error instanceof Error ? error.message : String(error);
        throw new SendError(`SMTP : ${text}`, code === undefined || code < 500);
      }
    },
    close: () => transport.close(),
  };
}

/**
 * Development: the email is written to the log, nothing leaves the machine. Only the subject and
 * the body's links (an account activation link, say) are logged, never the rest of the text.
 */
export function logEmailSender(log: Log): EmailSender {
  return {
    async send(message) {
      const links = message.text.split("\n").filter((line) => /^https?:\/\//.test(line.trim()));
      log(
        `[courriel non envoyé, mode développement] à ${message.to} : ${message.subject}${links.map((l) => ` ${l.trim()}`).join("")}`,
      );
      return { providerMessageId: null };
    },
    close: () => {},
  };
}

export function logSmsSender(log: Log): SmsSender {
  return {
    async send(message) {
      log(`[SMS non envoyé, mode développement] à ${message.to} : ${message.text}`);
      return { providerMessageId: null };
    },
  };
}

/**
 * Brevo transactional SMS API (POST {apiUrl}/transactionalSMS/send, header `api-key`), a French
 * provider. 400/401/402/403 are final (bad number, key or credits); 429, 5xx and network errors
 * are retried. Receipts come back to `webUrl` as `{ messageId, msg_status }` events.
 */
export function brevoSmsSender(options: { apiUrl: string; apiKey: string; sender: string }): SmsSender {
  return {
    async send(message) {
      let response: Response;
      try {
        response = await fetch(`${options.apiUrl.replace(/\/$/, "")}/transactionalSMS/send`, {
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
            tag: "convocation",
            ...(message.receiptUrl ? { webUrl: message.receiptUrl } : {}),
          }),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        throw new SendError(
          `Brevo injoignable : ${error instanceof Error ? error.message : String(error)}`,
          true,
        );
      }
      const payload = (await response.json().catch(() => ({}))) as {
        messageId?: unknown;
        code?: unknown;
        message?: unknown;
      };
      if (!response.ok) {
        const detail = [payload.code, payload.message].filter(Boolean).join(" : ") || response.statusText;
        throw new SendError(
          `Brevo ${response.status} ${detail}`,
          response.status === 429 || response.status >= 500,
        );
      }
      return { providerMessageId: payload.messageId === undefined ? null : String(payload.messageId) };
    },
  };
}
