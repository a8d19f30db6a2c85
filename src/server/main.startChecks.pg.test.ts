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
});
