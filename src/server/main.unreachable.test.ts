import { describe, expect, it } from "vitest";
import { DatabaseUnreachableError, unreachable } from "./main";

describe("a PostgreSQL that cannot be reached at start", () => {
  it("is said in French, naming the setting and hiding the password", () => {
    const said = unreachable(
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5599"), { code: "ECONNREFUSED" }),
      "postgres://passerelle:s3cret@db.interne:5599/passerelle",
      "DATABASE_URL",
    );
    expect(said).toBeInstanceOf(DatabaseUnreachableError);
    expect((said as Error).message).toBe(
      "Passerelle ne peut pas joindre sa base de données (DATABASE_URL = postgres://passerelle:****@db.interne:5599/passerelle) : connexion refusée (PostgreSQL est-il démarré ?).",
    );
  });

  it("reads the attempts a pool gathers (IPv4 and IPv6), and the server's own codes", () => {
    const both = new AggregateError([
      Object.assign(new Error("v6"), { code: "ECONNREFUSED" }),
      Object.assign(new Error("v4"), { code: "ECONNREFUSED" }),
    ]);
    expect(unreachable(both, "postgres://u@localhost/p", "DATABASE_URL")).toBeInstanceOf(
      DatabaseUnreachableError,
    );
    const missing = unreachable(
      Object.assign(new Error("x"), { code: "3D000" }),
      "postgres://u@h/p",
      "MIGRATION_DATABASE_URL",
    );
    expect((missing as Error).message).toContain(
      "MIGRATION_DATABASE_URL = postgres://u@h/p) : la base de données n'existe pas.",
    );
  });

  it("says which setting to give when the role may not run the migrations (42501, wrapped by the query builder)", () => {
    const denied = Object.assign(new Error('Failed query: CREATE SCHEMA IF NOT EXISTS "drizzle"'), {
      cause: Object.assign(new Error("permission denied for database passerelle"), { code: "42501" }),
    });
    const said = unreachable(denied, "postgres://passerelle_app:pw@h/p", "DATABASE_URL");
    expect(said).toBeInstanceOf(DatabaseUnreachableError);
    expect((said as Error).message).toBe(
      "Passerelle ne peut pas préparer sa base de données (DATABASE_URL = postgres://passerelle_app:****@h/p) : ce rôle n'a pas le droit de créer ou de modifier les tables : indiquez le rôle propriétaire dans MIGRATION_DATABASE_URL (DATABASE_URL garde le rôle de l'application).",
    );
    expect((unreachable(denied, "postgres://u@h/p", "MIGRATION_DATABASE_URL") as Error).message).toContain(
      "MIGRATION_DATABASE_URL doit désigner le rôle propriétaire de la base",
    );
  });

  it("names the role of DATABASE_URL that PostgreSQL does not know (42704 while granting)", () => {
    const grant = Object.assign(
      new Error('Failed query: REVOKE CREATE ON SCHEMA public FROM "passerelle_ap"'),
      {
        cause: Object.assign(new Error('role "passerelle_ap" does not exist'), { code: "42704" }),
      },
    );
    const said = unreachable(grant, "postgres://owner:pw@h/p", "MIGRATION_DATABASE_URL");
    expect(said).toBeInstanceOf(DatabaseUnreachableError);
    expect((said as Error).message).toBe(
      "Passerelle ne peut pas préparer sa base de données (MIGRATION_DATABASE_URL = postgres://owner:****@h/p) : le rôle « passerelle_ap » de DATABASE_URL n'existe pas dans PostgreSQL : créez-le (CREATE ROLE passerelle_ap LOGIN PASSWORD '…' ; README, « PostgreSQL roles ») ou corrigez DATABASE_URL.",
    );
  });

  it("says a database refusing connections (55000 at connection) or a connection limit reached (53300)", () => {
    const closed = Object.assign(new Error('database "passerelle" is not currently accepting connections'), {
      code: "55000",
    });
    expect((unreachable(closed, "postgres://u@h/p", "DATABASE_URL") as Error).message).toBe(
      "Passerelle ne peut pas joindre sa base de données (DATABASE_URL = postgres://u@h/p) : la base de données n'accepte pas de connexions (ALLOW_CONNECTIONS désactivé).",
    );
    const full = Object.assign(new Error('too many connections for role "passerelle_app"'), {
      code: "53300",
    });
    expect((unreachable(full, "postgres://u@h/p", "DATABASE_URL") as Error).message).toContain(
      ": trop de connexions ouvertes (limite du serveur ou du rôle atteinte).",
    );
    // A statement failing with the same code in a migration keeps its own message.
    const sequence = Object.assign(new Error('currval of sequence "s" is not yet defined in this session'), {
      code: "55000",
    });
    expect(unreachable(sequence, "postgres://u@h/p", "DATABASE_URL")).toBe(sequence);
  });

  it("leaves any other failure as it is (a failed migration keeps its own message)", () => {
    const other = new Error("relation missing");
    expect(unreachable(other, "postgres://u@h/p", "DATABASE_URL")).toBe(other);
  });
});
