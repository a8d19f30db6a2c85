import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./dbErrors";

const pgError = (code: string, message = "error") => Object.assign(new Error(message), { code });
const drizzleWrapped = (cause: Error) => new Error("Failed query: select 1", { cause });

describe("a database that cannot answer (503) versus a request that is wrong", () => {
  it("recognises lost connections, restarts, timeouts and a full pool, wrapped by Drizzle or not", () => {
    for (const error of [
      pgError("57P01", "terminating connection due to administrator command"),
      pgError("57P03", "the database system is starting up"),
      pgError("08006"),
      pgError("53300", "too many connections"),
      pgError("57014", "canceling statement due to statement timeout"),
      pgError("55P03", "canceling statement due to lock timeout"),
      pgError("40001", "could not serialize access due to concurrent update"),
      pgError("40P01", "deadlock detected"),
      pgError("53100", "could not extend file: No space left on device"),
      pgError("53200", "out of memory"),
      pgError("58030", "could not read block"),
      pgError("58000", "system error"),
      pgError("ECONNREFUSED"),
      pgError("55000", 'database "passerelle" is not currently accepting connections'),
      new Error("Connection terminated unexpectedly"),
      new Error("timeout exceeded when trying to connect"),
      new Error("Client has encountered a connection error and is not queryable"),
    ]) {
      expect(isDatabaseUnavailable(error), error.message).toBe(true);
      expect(isDatabaseUnavailable(drizzleWrapped(error)), error.message).toBe(true);
    }
  });

  it("leaves constraint, permission, programming and internal errors to their own handling", () => {
    for (const error of [
      pgError("XX000", "internal error"),
      pgError("XX001", "invalid page in block"),
      pgError("53400", "configuration limit exceeded"),
      pgError("23514", 'new row violates check constraint "x"'),
      pgError("23505", "duplicate key value violates unique constraint"),
      pgError("42501", "permission denied for table audit_event"),
      pgError("42P01", 'relation "x" does not exist'),
      new Error("secret internal detail"),
    ]) {
      expect(isDatabaseUnavailable(drizzleWrapped(error))).toBe(false);
    }
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
