import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedFile } from "../db/schema";
import { openTestDb, type TestDbHandle } from "../testing/testDb";
import {
  deleteStoredFile,
  parseDocumentKeys,
  putStoredFile,
  readStoredFile,
  reencryptStoredFile,
  seal,
  unseal,
} from "./fileStore";

const key = (id: string) => `${id}:${randomBytes(32).toString("base64")}`;

describe("the encrypted file store", () => {
  let t: TestDbHandle;
  beforeAll(async () => {
    t = await openTestDb();
  });
  afterAll(() => t.close());

  it("refuses malformed keys in French", () => {
    expect(() => parseDocumentKeys("k1:abc")).toThrow(/32 octets/);
    expect(() => parseDocumentKeys(`${key("a")},${key("a")}`)).toThrow(/même identifiant/);
  });

  it("stores ciphertext only, reads the plain file back, and detects a moved or altered ciphertext", async () => {
    const keyring = parseDocumentKeys(key("k1"));
    const bytes = Buffer.from("Extrait de jugement — confidentiel ".repeat(100));
    const id = await putStoredFile(t.db, keyring, { bytes, mediaType: "application/pdf" });
    const [row] = await t.db.select().from(storedFile);
    expect(row?.ciphertext.includes(Buffer.from("confidentiel"))).toBe(false);
    expect(row?.size).toBe(bytes.length);
    expect((await readStoredFile(t.db, keyring, id))?.bytes.equals(bytes)).toBe(true);
    if (!row) throw new Error("no row");
    expect(() => unseal(keyring, row, "another-id")).toThrow();
    const altered = Buffer.from(row.ciphertext);
    altered[0] = (altered[0] ?? 0) ^ 1;
    expect(() => unseal(keyring, { ...row, ciphertext: altered }, id)).toThrow();
    await deleteStoredFile(t.db, id);
    expect(await readStoredFile(t.db, keyring, id)).toBeNull();
  });

  it("rotates: an old key still decrypts, re-encryption moves the row to the new key", async () => {
    const old = key("old");
    const before = parseDocumentKeys(old);
    const id = await putStoredFile(t.db, before, { bytes: Buffer.from("pièce"), mediaType: "text/plain" });
    const after = parseDocumentKeys(`${key("new")},${old}`);
    expect((await readStoredFile(t.db, after, id))?.bytes.toString()).toBe("pièce");
    expect(await reencryptStoredFile(t.db, after, id)).toBe(true);
    expect(await reencryptStoredFile(t.db, after, id)).toBe(false);
    const onlyNew = { current: after.current, keys: new Map([[after.current.id, after.current.key]]) };
    expect((await readStoredFile(t.db, onlyNew, id))?.bytes.toString()).toBe("pièce");
    expect(() => unseal(before, seal(onlyNew, Buffer.from("x"), "i"), "i")).toThrow(/not configured/);
  });
});
