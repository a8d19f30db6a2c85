import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocumentKeys, putStoredFile, readStoredFile } from "../../core/fileStore";
import { storedFile } from "../../db/schema";
import { openTestDb } from "../../testing/testDb";
import { rotateStoredFiles } from "./rotate";

const keyA = randomBytes(32).toString("base64");
const keyB = randomBytes(32).toString("base64");
let handle: Awaited<ReturnType<typeof openTestDb>>;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(() => handle.close());

describe("key rotation (npm run documents:rotate)", () => {
  it("re-encrypts every file under the new key, with progress; the old key is then no longer needed", async () => {
    const old = parseDocumentKeys(`a:${keyA}`);
    const files = Array.from({ length: 120 }, (_, i) => Buffer.from(`fichier ${i} ${"x".repeat(i)}`));
    const ids: string[] = [];
    for (const bytes of files)
      ids.push(await putStoredFile(handle.db, old, { bytes, mediaType: "application/pdf" }));
    const rotated = parseDocumentKeys(`b:${keyB},a:${keyA}`);
    const seen: number[] = [];
    const result = await rotateStoredFiles(handle.db, rotated, (p) => seen.push(p.done));
    const before = (await handle.db.select().from(storedFile)).length;
    expect(result.total).toBe(before);
    expect(result.done).toBe(before);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toBe(before);
    const rows = await handle.db.select({ keyId: storedFile.keyId }).from(storedFile);
    expect(new Set(rows.map((r) => r.keyId))).toEqual(new Set(["b"]));
    const onlyNew = parseDocumentKeys(`b:${keyB}`);
    for (const [i, id] of ids.entries())
      expect((await readStoredFile(handle.db, onlyNew, id))!.bytes.equals(files[i]!)).toBe(true);
    // Without the new key nothing decrypts any more: the key really changed.
    await expect(readStoredFile(handle.db, old, ids[0]!)).rejects.toThrow(/not configured/);
    // Run again: nothing to do.
    expect(await rotateStoredFiles(handle.db, rotated)).toEqual({ total: 0, done: 0 });
  });
});
