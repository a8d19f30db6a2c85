import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../db/createDb";
import { storedFile } from "../db/schema";

/**
 * The encrypted file store: every uploaded file (documents of a person, signed conventions…) is kept
 * in `stored_file`, encrypted with AES-256-GCM under a key that comes from the environment
 * (`DOCUMENT_KEYS`) and never reaches the database. The row's id is the additional authenticated
 * data, so a ciphertext moved to another row does not decrypt. Each row names its key: rotation puts
 * a new key first and re-encrypts the rows of the old ones (`reencryptStoredFile`).
 */
export interface DocumentKeyring {
  /** The key new files are encrypted with. */
  current: { id: string; key: Buffer };
  /** Every key that may still decrypt a row, by id. */
  keys: ReadonlyMap<string, Buffer>;
}

/** Development and tests only (NODE_ENV=production requires DOCUMENT_KEYS): not a secret. */
const developmentKey = createHash("sha256").update("passerelle-development-document-key").digest();

/** `id:base64,id:base64`, first one current; throws a French message on a malformed value. */
export function parseDocumentKeys(value: string | undefined): DocumentKeyring {
  if (!value) {
    const current = { id: "dev", key: developmentKey };
    return { current, keys: new Map([[current.id, current.key]]) };
  }
  const entries = value.split(",").map((part) => {
    const [id = "", encoded = "", ...rest] = part.trim().split(":");
    const key = Buffer.from(encoded, "base64");
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id) || rest.length > 0 || key.length !== 32)
      throw new Error("chaque clé s'écrit identifiant:base64 de 32 octets (openssl rand -base64 32)");
    return { id, key };
  });
  const keys = new Map(entries.map((entry) => [entry.id, entry.key]));
  if (keys.size !== entries.length) throw new Error("deux clés portent le même identifiant");
  const current = entries[0];
  if (!current) throw new Error("aucune clé");
  return { current, keys };
}

const keyrings = new Map<string, DocumentKeyring>();
/** The keyring of a configuration (parsed once). */
export function documentKeyring(config: { DOCUMENT_KEYS?: string | undefined }): DocumentKeyring {
  const value = config.DOCUMENT_KEYS ?? "";
  let keyring = keyrings.get(value);
  if (!keyring) {
    keyring = parseDocumentKeys(value || undefined);
    keyrings.set(value, keyring);
  }
  return keyring;
}

interface Sealed {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export function seal(keyring: DocumentKeyring, plain: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { keyId: keyring.current.id, iv, tag: cipher.getAuthTag(), ciphertext };
}

export function unseal(keyring: DocumentKeyring, sealed: Sealed, aad: string): Buffer {
  const key = keyring.keys.get(sealed.keyId);
  if (!key) throw new Error(`document key ${sealed.keyId} is not configured (DOCUMENT_KEYS)`);
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}

/** Stores a file encrypted; returns its id. Call inside the transaction that records what owns it. */
export async function putStoredFile(
  db: Db,
  keyring: DocumentKeyring,
  file: { bytes: Buffer; mediaType: string },
): Promise<string> {
  const id = randomUUID();
  const sealed = seal(keyring, file.bytes, id);
  await db.insert(storedFile).values({ id, ...sealed, size: file.bytes.length, mediaType: file.mediaType });
  return id;
}

/** The decrypted file, or null when there is no such row. */
export async function readStoredFile(
  db: Db,
  keyring: DocumentKeyring,
  id: string,
): Promise<{ bytes: Buffer; mediaType: string; size: number } | null> {
  const [row] = await db.select().from(storedFile).where(eq(storedFile.id, id));
  if (!row) return null;
  return { bytes: unseal(keyring, row, row.id), mediaType: row.mediaType, size: row.size };
}

export async function deleteStoredFile(db: Db, id: string): Promise<void> {
  await db.delete(storedFile).where(eq(storedFile.id, id));
}

/** Re-encrypts one row under the current key (rotation); false when it already uses it. */
export async function reencryptStoredFile(db: Db, keyring: DocumentKeyring, id: string): Promise<boolean> {
  const [row] = await db.select().from(storedFile).where(eq(storedFile.id, id)).for("update");
  if (!row || row.keyId === keyring.current.id) return false;
  const sealed = seal(keyring, unseal(keyring, row, row.id), row.id);
  await db.update(storedFile).set(sealed).where(eq(storedFile.id, id));
  return true;
}
