import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import type { Clock } from "../../../core/clock";
import { errorForLog, isDatabaseUnavailable } from "../../../core/dbErrors";
import type { Db } from "../../../db/createDb";
import { hardBounceOf, parseDsn } from "./dsn";
import { recordBounce } from "./record";
import { tokenOfRecipient } from "./verp";

/** A DSN quotes the message, or its headers: a newsletter's is well under this. */
export const BOUNCE_MAX_BYTES = 1024 * 1024;

export interface BounceListenerDeps {
  db: Db;
  clock: Clock;
  /** `bounces@example.fr`: only `bounces+<token>@example.fr` is accepted as a recipient. */
  bounceAddress: string;
  log: (line: string) => void;
}

export interface BounceListener {
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string): Error =>
  Object.assign(new Error(message), { responseCode: code });

/** Reads the message up to the limit; beyond it the rest is drained, not kept. */
function readLimited(stream: SMTPServerDataStream, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    stream.on("end", () => resolve(size > limit || stream.sizeExceeded ? null : Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

/**
 * What a received message does: a DSN reporting a hard bounce ends the outbox row of each token it
 * was sent to as failed (`record.ts`); anything else (an out-of-office, a delay 4.x.x, a reply, a
 * token of no message) is accepted and dropped, so that no mail server keeps retrying it and nothing
 * bounces back. Only a database that cannot answer asks the sender to try again later (451).
 */
async function handle(deps: BounceListenerDeps, raw: Buffer, session: SMTPServerSession): Promise<void> {
  const bounce = hardBounceOf(parseDsn(raw));
  if (!bounce) return;
  for (const recipient of session.envelope.rcptTo) {
    const token = tokenOfRecipient(deps.bounceAddress, recipient.address);
    if (!token) continue;
    const outcome = await recordBounce(deps.db, token, bounce, deps.clock.now());
    if (outcome === "recorded")
      deps.log(`Avis de non-remise reçu (statut ${bounce.status}) : courriel en échec`);
  }
}

/**
 * A small SMTP server for asynchronous bounces (ADR 0032), on `port` of `host`: the mail exchanger of
 * the bounce domain forwards `bounces+*@domain` to it. No authentication, no relaying: a recipient
 * other than the bounce address with a well-formed token is refused at RCPT (550), a message over
 * BOUNCE_MAX_BYTES at DATA (552). Errors are logged, never thrown: it cannot stop the server.
 */
export async function startBounceListener(
  deps: BounceListenerDeps,
  options: { port: number; host: string; maxBytes?: number },
): Promise<BounceListener> {
  const maxBytes = options.maxBytes ?? BOUNCE_MAX_BYTES;
  const server = new SMTPServer({
    name: deps.bounceAddress.slice(deps.bounceAddress.lastIndexOf("@") + 1),
    banner: "Passerelle, avis de non-remise",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    size: maxBytes,
    maxClients: 20,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onRcptTo(address, _session, callback) {
      if (tokenOfRecipient(deps.bounceAddress, address.address)) callback();
      else callback(smtpError(550, "5.1.1 Destinataire inconnu"));
    },
    onData(stream, session, callback) {
      readLimited(stream, maxBytes)
        .then(async (raw) => {
          if (!raw) return callback(smtpError(552, "5.3.4 Message trop volumineux"));
          await handle(deps, raw, session);
          callback();
        })
        .catch((error: unknown) => {
          deps.log(`Avis de non-remise : message non traité (${errorForLog(error)})`);
          if (isDatabaseUnavailable(error)) callback(smtpError(451, "4.3.0 Réessayez plus tard"));
          else callback();
        });
    },
  });
  server.on("error", (error) => deps.log(`Serveur des avis de non-remise : ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
