import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { expect } from "vitest";
import { auditEvent } from "../db/schema";
import { atEveryStatement } from "./interleavings";
import type { TestApp } from "./testApp";

/** A creation under the id its form chose (ADR 0036), and the ways a retry of it may go. */
export interface ChosenIdCreation {
  url: string;
  /** The agent who creates. */
  email: string;
  /** The form's body under an id. */
  body: (id: string) => Record<string, unknown>;
  /** The same body with other values, each a 409 `code` when sent again. */
  changed: (body: Record<string, unknown>) => Record<string, unknown>[];
  code: string;
  table: PgTable & { id: PgColumn };
  /** The creation's journal row (its target is the record). */
  action: string;
  /** Another agent of the same scope, whose retry of the id is a 400. */
  otherAgent: string;
  /** The same id sent in another scope (another structure, entry, site…): a 400 too. */
  otherScope: { url: string; email: string };
  /** Where the answer gives the record's id (by default, its `id`). */
  idOf?: (answer: { id?: string } & Record<string, unknown>) => unknown;
}

const inject = async (t: TestApp, url: string, email: string, payload: object) =>
  t.app.inject({ method: "POST", url, payload, headers: await t.sessionFor(email) });

/**
 * Sent again, the creation answers the record already written (one row, one journal row, the same
 * answer); someone else's id, or one of another scope, is a 400 under body.id that writes nothing;
 * other values are the 409; two identical requests at once both answer 200 with one row.
 */
export async function expectSafeRetries(t: TestApp, c: ChosenIdCreation): Promise<void> {
  const rowsOf = (id: string) => t.handle.db.select().from(c.table).where(eq(c.table.id, id));
  const allRows = async () => (await t.handle.db.select({ id: c.table.id }).from(c.table)).length;
  const journalOf = async (id: string) =>
    (
      await t.handle.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, c.action), eq(auditEvent.targetId, id)))
    ).length;

  // The same content again: the record already written.
  const id = randomUUID();
  const body = c.body(id);
  const first = await inject(t, c.url, c.email, body);
  expect(first.statusCode, first.body).toBe(200);
  expect((c.idOf ?? ((answer) => answer.id))(first.json())).toBe(id);
  const stored = await rowsOf(id);
  expect(stored).toHaveLength(1);
  expect(await journalOf(id)).toBe(1);
  const again = await inject(t, c.url, c.email, body);
  expect(again.statusCode, again.body).toBe(200);
  expect(again.json()).toEqual(first.json());
  expect(await rowsOf(id)).toEqual(stored);
  expect(await journalOf(id)).toBe(1);

  // Someone else's id, in this scope or another: refused, nothing written.
  const total = await allRows();
  for (const [url, email] of [
    [c.url, c.otherAgent],
    [c.otherScope.url, c.otherScope.email],
  ] as const) {
    const refused = await inject(t, url, email, body);
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().issues).toEqual([
      { path: "body.id", message: "Cet identifiant est déjà utilisé." },
    ]);
  }
  expect(await allRows()).toBe(total);
  expect(await rowsOf(id)).toEqual(stored);
  expect(await journalOf(id)).toBe(1);

  // Other values: the 409, nothing written.
  const variants = c.changed(body);
  expect(variants.length).toBeGreaterThan(0);
  for (const changed of variants) {
    const retried = await inject(t, c.url, c.email, changed);
    expect(retried.statusCode, `${JSON.stringify(changed)}: ${retried.body}`).toBe(409);
    expect(retried.json().code).toBe(c.code);
  }
  expect(await allRows()).toBe(total);
  expect(await rowsOf(id)).toEqual(stored);
  expect(await journalOf(id)).toBe(1);

  // A malformed id: refused, nothing written.
  const malformed = await inject(t, c.url, c.email, c.body("pas-un-identifiant"));
  expect(malformed.statusCode, malformed.body).toBe(400);
  expect(malformed.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.id"]);
  expect(await allRows()).toBe(total);

  // Twice at once (on PostgreSQL, two transactions; PGlite runs them in turn): both 200, one row.
  const twin = randomUUID();
  const [a, b] = await Promise.all([t.sessionFor(c.email), t.sessionFor(c.email)]);
  const answers = await Promise.all(
    [a, b].map((headers) => t.app.inject({ method: "POST", url: c.url, payload: c.body(twin), headers })),
  );
  expect(
    answers.map((r) => r.statusCode),
    answers.map((r) => r.body).join("\n"),
  ).toEqual([200, 200]);
  expect(answers[1]!.json()).toEqual(answers[0]!.json());
  expect(await rowsOf(twin)).toHaveLength(1);
  expect(await journalOf(twin)).toBe(1);

  // The second one committing between any two statements of the first (on PostgreSQL): the same.
  await atEveryStatement(t, async () => {
    const id = randomUUID();
    const [first, second] = await twoSessions(t, c, c.body(id), c.body(id));
    return {
      first,
      second,
      check: async (answers) => {
        expect(
          answers.map((r) => r.statusCode),
          answers.map((r) => r.body).join("\n"),
        ).toEqual([200, 200]);
        expect(answers[1].json()).toEqual(answers[0].json());
        expect(await rowsOf(id)).toHaveLength(1);
        expect(await journalOf(id)).toBe(1);
      },
    };
  });

  // Other values at once, wherever the second commits: one is recorded, the other a 409 writing nothing.
  await atEveryStatement(t, async () => {
    const id = randomUUID();
    const body = c.body(id);
    const [first, second] = await twoSessions(t, c, body, c.changed(body)[0]!);
    return {
      first,
      second,
      check: async (answers) => {
        const codes = answers.map((r) => (r.statusCode === 409 ? r.json().code : r.statusCode));
        expect(codes.sort(), answers.map((r) => r.body).join("\n")).toEqual([200, c.code].sort());
        expect(await rowsOf(id)).toHaveLength(1);
        expect(await journalOf(id)).toBe(1);
      },
    };
  });
}

/** Two requests of the same agent, each on its own session (two tabs, two connections). */
async function twoSessions(t: TestApp, c: ChosenIdCreation, one: object, other: object) {
  const [a, b] = await Promise.all([t.sessionFor(c.email), t.sessionFor(c.email)]);
  return [
    () => t.app.inject({ method: "POST", url: c.url, payload: one, headers: a }),
    () => t.app.inject({ method: "POST", url: c.url, payload: other, headers: b }),
  ] as const;
}
