import { randomBytes } from "node:crypto";

/**
 * VERP (variable envelope return path): each outgoing newsletter or invitation is sent from
 * `bounces+<token>@domain`, the token an unguessable random id of its outbox row (never a person's
 * data). A delivery status notification comes back to that address, so it names its message
 * whatever the remote server quotes of it.
 */

/** 128 random bits, lower-case hex: survives servers that fold the case of local parts. */
export const newBounceToken = (): string => randomBytes(16).toString("hex");

const TOKEN = /^[0-9a-f]{32}$/;

function split(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf("@");
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/** `bounces@example.fr` and a token → `bounces+<token>@example.fr`. */
export function verpAddress(bounceAddress: string, token: string): string {
  const { local, domain } = split(bounceAddress);
  return `${local}+${token}@${domain}`;
}

/**
 * The token of a recipient address if it is the bounce address with a well-formed token
 * (case-insensitive), null for any other address.
 */
export function tokenOfRecipient(bounceAddress: string, recipient: string): string | null {
  const expected = split(bounceAddress.toLowerCase());
  const got = split(recipient.trim().toLowerCase());
  if (got.domain !== expected.domain) return null;
  const prefix = `${expected.local}+`;
  if (!got.local.startsWith(prefix)) return null;
  const token = got.local.slice(prefix.length);
  return TOKEN.test(token) ? token : null;
}
