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

  it("leaves any other failure as it is (a failed migration keeps its own message)", () => {
    const other = new Error("relation missing");
    expect(unreachable(other, "postgres://u@h/p", "DATABASE_URL")).toBe(other);
  });
});
