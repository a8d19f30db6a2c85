import { describe, expect, it } from "vitest";
import type { Db } from "../db/createDb";
import { violatedUniqueConstraint } from "./dbErrors";
import { inTransaction } from "./transaction";

const pgError = (code: string, constraint?: string) =>
  Object.assign(new Error(code), { code, ...(constraint ? { constraint } : {}) });
const drizzleWrapped = (cause: Error) => new Error("Failed query: insert …", { cause });

/** A database whose transactions fail with the given errors, in turn, then run the work. */
function failingThen(...failures: Error[]) {
  let attempts = 0;
  const db = {
    transaction: async <T>(work: (tx: Db) => Promise<T>) => {
      attempts += 1;
      const failure = failures.shift();
      if (failure) throw failure;
      return work(db as unknown as Db);
    },
  };
  return { db: db as unknown as Db, attempts: () => attempts };
}

describe("inTransaction: a write that lost a race to a concurrent one runs once more", () => {
  it("after a deadlock or a serialization failure (wrapped by Drizzle or not), once only", async () => {
    for (const code of ["40P01", "40001"]) {
      const once = failingThen(drizzleWrapped(pgError(code)));
      expect(await inTransaction(once.db, async () => "done")).toBe("done");
      expect(once.attempts()).toBe(2);
      const twice = failingThen(pgError(code), pgError(code));
      await expect(inTransaction(twice.db, async () => "done")).rejects.toMatchObject({ code });
      expect(twice.attempts()).toBe(2);
    }
  });

  it("after a unique violation only when asked; any other error is thrown at once", async () => {
    const asked = failingThen(drizzleWrapped(pgError("23505", "demarche_pkey")));
    expect(await inTransaction(asked.db, async () => "found", { retryUniqueViolation: true })).toBe("found");
    expect(asked.attempts()).toBe(2);
    const notAsked = failingThen(pgError("23505"));
    await expect(inTransaction(notAsked.db, async () => "x")).rejects.toMatchObject({ code: "23505" });
    expect(notAsked.attempts()).toBe(1);
    const other = failingThen(pgError("23503"));
    await expect(inTransaction(other.db, async () => "x", { retryUniqueViolation: true })).rejects.toThrow();
    expect(other.attempts()).toBe(1);
  });

  it("names the constraint a unique violation broke, through Drizzle's wrapping", () => {
    expect(violatedUniqueConstraint(drizzleWrapped(pgError("23505", "consent_one_active_uq")))).toBe(
      "consent_one_active_uq",
    );
    expect(violatedUniqueConstraint(pgError("23503", "consent_person_id_fk"))).toBeUndefined();
    expect(violatedUniqueConstraint(new Error("x"))).toBeUndefined();
  });
});
