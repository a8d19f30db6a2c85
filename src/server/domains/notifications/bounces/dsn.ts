/**
 * Delivery status notifications (RFC 3464): a `multipart/report; report-type=delivery-status`
 * message whose `message/delivery-status` part (or `message/global-delivery-status`, RFC 6533) has
 * a block of fields per recipient (`Action: failed`, `Status: 5.1.1`, `Diagnostic-Code: …`). Parsed
 * here with no library: mail parsers fold that part into the text. Anything else is no DSN (null).
 */

export interface DsnRecipient {
  action: string;
  status: string;
  diagnostic: string;
}

type Fields = Map<string, string>;

/** Header-like fields, names lower-cased, folded lines joined; the first of a name wins. */
function parseFields(block: string): Fields {
  const fields: Fields = new Map();
  const unfolded = block.replace(/\r?\n[ \t]+/g, " ");
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

function contentType(value: string | undefined): { type: string; params: Map<string, string> } {
  const [type = "", ...rest] = (value ?? "text/plain").split(";");
  const params = new Map<string, string>();
  for (const match of rest.join(";").matchAll(/\s*([^=\s;]+)\s*=\s*(?:"([^"]*)"|([^;\s]+))/g))
    params.set((match[1] ?? "").toLowerCase(), match[2] ?? match[3] ?? "");
  return { type: type.trim().toLowerCase(), params };
}

/** Head and body of a message or a MIME part. */
function splitEntity(text: string): { head: Fields; body: string } {
  const end = /\r?\n\r?\n/.exec(text);
  if (!end) return { head: parseFields(text), body: "" };
  return { head: parseFields(text.slice(0, end.index)), body: text.slice(end.index + end[0].length) };
}

function partsOf(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (trimmed === delimiter || trimmed === `${delimiter}--`) {
      if (current) parts.push(current.join("\r\n"));
      if (trimmed !== delimiter) return parts;
      current = [];
    } else current?.push(line);
  }
  if (current) parts.push(current.join("\r\n"));
  return parts;
}

function decoded(body: string, encoding: string | undefined): string {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    case "quoted-printable":
      return body
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    default:
      return body;
  }
}

/** The recipients' blocks of a DSN, or null when the message is no delivery status report. */
export function parseDsn(raw: Buffer): DsnRecipient[] | null {
  const message = splitEntity(raw.toString("utf8"));
  const top = contentType(message.head.get("content-type"));
  const boundary = top.params.get("boundary");
  if (top.type !== "multipart/report" || top.params.get("report-type")?.toLowerCase() !== "delivery-status")
    return null;
  if (!boundary) return null;
  for (const part of partsOf(message.body, boundary)) {
    const entity = splitEntity(part);
    const type = contentType(entity.head.get("content-type")).type;
    if (type !== "message/delivery-status" && type !== "message/global-delivery-status") continue;
    const blocks = decoded(entity.body, entity.head.get("content-transfer-encoding"))
      .split(/\r?\n[ \t]*\r?\n/)
      .filter((block) => block.trim() !== "");
    // The first block is about the message (Reporting-MTA…); the others each about a recipient.
    return blocks
      .map(parseFields)
      .filter((fields) => fields.has("action"))
      .map((fields) => ({
        action: (fields.get("action") ?? "").toLowerCase(),
        status: /^\d\.\d{1,3}\.\d{1,3}/.exec(fields.get("status") ?? "")?.[0] ?? "",
        diagnostic: fields.get("diagnostic-code") ?? "",
      }));
  }
  return null;
}

/**
 * The hard bounce a DSN reports, if any: a recipient `failed` with a permanent (5.x.x) status.
 * Delays (`delayed`, 4.x.x), successes (`delivered`, `relayed`, `expanded`) are not bounces.
 */
export function hardBounceOf(recipients: DsnRecipient[] | null): DsnRecipient | null {
  return recipients?.find((r) => r.action === "failed" && r.status.startsWith("5.")) ?? null;
}
