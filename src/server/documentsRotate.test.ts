import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocumentKeys, putStoredFile, readStoredFile } from "./core/fileStore";
import { storedFile } from "./db/schema";
import { runRotateCommand } from "./documentsRotate";
import { type ServerDatabase, serverDatabase } from "./testing/spawnedServer";

/** The demo's files are under the development key (no DOCUMENT_KEYS when it was seeded). */
const devKey = `dev:${createHash("sha256").update("passerelle-development-document-key").digest("base64")}`;
const oldKey = `k2026:${randomBytes(32).toString("base64")}`;
const newKey = `k2027:${randomBytes(32).toString("base64")}`;

describe("npm run documents:rotate", () => {
  let database: ServerDatabase;
  let fileId = "";
  beforeAll(async () => {
    database = await serverDatabase();
    const db = await database.open();
    try {
      const bytes = Buffer.from("%PDF-1.4 pièce");
      fileId = await putStoredFile(db.db, parseDocumentKeys(oldKey), { bytes, mediaType: "application/pdf" });
    } finally {
      await db.close();
    }
  });
  afterAll(() => database?.drop());

  const run = async (env: NodeJS.ProcessEnv) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runRotateCommand(env, { log: (l) => out.push(l), error: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  it("refuses to run without DOCUMENT_KEYS, naming it, whatever NODE_ENV says (never towards the development key)", async () => {
    for (const NODE_ENV of ["production", undefined]) {
      const refused = await run({ ...database.env, NODE_ENV });
      expect(refused.code).toBe(1);
      expect(refused.out).toBe("");
      expect(refused.err).toMatch(
        /^Configuration invalide .*\n {2}- DOCUMENT_KEYS: obligatoire pour rechiffrer/,
      );
    }
  });

  it("runs with the server's production environment but for SMTP_URL and PUBLIC_URL, which it does not need", async () => {
    const keys = `${newKey},${oldKey},${devKey}`;
    const done = await run({ ...database.env, NODE_ENV: "production", DOCUMENT_KEYS: keys });
    expect(done.err).toBe("");
    expect(done.code).toBe(0);
    expect(done.out).toMatch(/Terminé : [1-9]\d* fichier\(s\) rechiffré\(s\) sous la clé k2027/);
    const db = await database.open();
    try {
      const rows = await db.db.select({ keyId: storedFile.keyId }).from(storedFile);
      expect(new Set(rows.map((r) => r.keyId))).toEqual(new Set(["k2027"]));
      const read = await readStoredFile(db.db, parseDocumentKeys(newKey), fileId);
      expect(read?.bytes.toString()).toBe("%PDF-1.4 pièce");
    } finally {
      await db.close();
    }
    const again = await run({ ...database.env, NODE_ENV: "production", DOCUMENT_KEYS: keys });
    expect(again.out).toContain("Terminé : 0 fichier(s)");
  });
});
