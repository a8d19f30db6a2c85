import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "./core/config";
import { type RunningServer, startServer } from "./main";
import { type ServerDatabase, serverDatabase } from "./testing/spawnedServer";

/** A production environment, complete but for the database (a copy of the demo template). */
const production = {
  NODE_ENV: "production",
  PUBLIC_URL: "https://passerelle.example.fr",
  SMTP_URL: "smtp://127.0.0.1:9",
  DOCUMENT_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
  PORT: "0",
  LOG_LEVEL: "silent",
  OUTBOX_POLL_SECONDS: "0",
  JOBS_POLL_SECONDS: "0",
};

describe("a production server on a database holding the demo accounts", () => {
  let database: ServerDatabase | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await database?.drop();
  });

  it("refuses to start, naming the accounts and the way out, and frees the database", async () => {
    database = await serverDatabase();
    const refused = startServer({ ...production, ...database.env, DEMO_DATA: "auto" });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(
      /Refus de démarrer avec NODE_ENV=production : la base contient les comptes de démonstration \(admin@demo\.passerelle\.fr, .*DEMO_DATA=yes/,
    );
    // Closed on the way out: the data directory (PGlite) or the pool (PostgreSQL) is free again.
    const db = await database.open();
    await db.close();
  });

  it("starts when DEMO_DATA=yes says it is a demonstration instance", async () => {
    database = await serverDatabase();
    server = await startServer({ ...production, ...database.env, DEMO_DATA: "yes" });
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toEqual({ status: "ready" });
  });
});
