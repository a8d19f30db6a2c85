import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseUnreachableError } from "./db/unreachable";
import { type RunningServer, startServer } from "./main";
import { withDatabase } from "./testing/constants";
import { type ServerDatabase, serverDatabase } from "./testing/spawnedServer";

/**
 * The server's own URL is checked before listening: a right MIGRATION_DATABASE_URL beside a wrong
 * DATABASE_URL used to start a server that said it was ready and answered 503 to everything.
 */
describe("a server whose DATABASE_URL cannot be used", () => {
  let database: ServerDatabase | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await database?.drop();
  });

  it("stops before listening, naming DATABASE_URL and what is wrong, without the password", async () => {
    database = await serverDatabase("pg");
    const appUrl = new URL(database.env.DATABASE_URL ?? "");
    appUrl.password = "s3cret";
    const wrong = withDatabase(appUrl.href, "passerelle_no_such_database");
    const refused = startServer({ ...database.env, DATABASE_URL: wrong, PORT: "0", LOG_LEVEL: "silent" });
    await expect(refused).rejects.toThrow(DatabaseUnreachableError);
    await expect(refused).rejects.toThrow(
      /^Passerelle ne peut pas joindre sa base de données \(DATABASE_URL = postgres:\/\/[^:]+:\*\*\*\*@.*\/passerelle_no_such_database\) : la base de données n'existe pas\.$/,
    );
  });

  it("names a role that PostgreSQL does not know, instead of a stack trace", async () => {
    database = await serverDatabase("pg");
    const unknownRole = new URL(database.env.DATABASE_URL ?? "");
    unknownRole.username = "passerelle_no_such_role";
    const refused = startServer({
      ...database.env,
      DATABASE_URL: unknownRole.href,
      PORT: "0",
      LOG_LEVEL: "silent",
    });
    await expect(refused).rejects.toThrow(/le rôle « passerelle_no_such_role » de DATABASE_URL n'existe pas/);
  });

  it("says a database that refuses connections, or a role at its connection limit, instead of a stack trace", async () => {
    database = await serverDatabase("pg");
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };
    const owner = new URL(database.env.MIGRATION_DATABASE_URL ?? "");
    const name = owner.pathname.slice(1);
    await admin(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    const closed = startServer({ ...database.env, PORT: "0", LOG_LEVEL: "silent" });
    await expect(closed).rejects.toThrow(DatabaseUnreachableError);
    await expect(closed).rejects.toThrow(
      /^Passerelle ne peut pas joindre sa base de données \(MIGRATION_DATABASE_URL = .*\) : la base de données n'accepte pas de connexions \(ALLOW_CONNECTIONS désactivé\)\.$/,
    );
    await admin(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    const role = `passerelle_full_${process.pid}`;
    await admin(`DROP ROLE IF EXISTS ${role}`);
    await admin(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0`);
    try {
      const limited = new URL(database.env.DATABASE_URL ?? "");
      limited.username = role;
      const full = startServer({
        ...database.env,
        DATABASE_URL: limited.href,
        PORT: "0",
        LOG_LEVEL: "silent",
      });
      await expect(full).rejects.toThrow(
        /^Passerelle ne peut pas joindre sa base de données \(DATABASE_URL = .*\) : trop de connexions ouvertes \(limite du serveur ou du rôle atteinte\)\.$/,
      );
    } finally {
      // The migrations granted the role its rights in the database: it goes first.
      await database.drop();
      database = undefined;
      await admin(`DROP ROLE IF EXISTS ${role}`);
    }
  });
});
