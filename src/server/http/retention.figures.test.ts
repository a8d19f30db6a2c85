import { and, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../common/reporting/reporting.schema";
import { registerJobs, runDueJobs } from "../core/scheduler";
import { rowsOf } from "../db/createDb";
import {
  auditEvent,
  convocation,
  handoverMeeting,
  note,
  person,
  service,
  transfer,
  user,
} from "../db/schema";
import { seedDemoActivity } from "../db/seed/demoActivity";
import { retentionPurge } from "../domains/retention/job";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Issue 13: "the dashboard's figures for past periods are identical before and after a purge".
 * The demo activity (six months before June 2026, plus the aged files of two years before), then
 * the clock moves to 2041: every file is past its delays. Read everything a committee reads, run
 * the purge twice (archive, then erase 7 months later), read again at the same instant: identical.
 */
let t: TestApp;
const MARKER = "Zorglubretention";
// Past every file's delays: the longest generated measure (suivi socio-judiciaire, 10 years) plus retention.
const AGED = new Date("2041-01-15T09:00:00Z");
const jobs = [retentionPurge];

beforeAll(async () => {
  t = await startTestApp();
  const owner = await t.handle.openOwnerPool();
  await seedDemoActivity(owner.db, t.clock.now());
  await owner.close();
  // A name typed in free texts, to be found nowhere after the erasure.
  const db = t.handle.db;
  const [someone] = await db.select().from(person).where(eq(person.structureId, t.demoStructureId)).limit(1);
  await db.update(person).set({ lastName: MARKER }).where(eq(person.id, someone!.id));
  const [cpip] = await db.select({ id: user.id }).from(user).where(eq(user.email, demo.cpip));
  const [spip] = await db.select({ id: service.id }).from(service).where(eq(service.kind, "spip")).limit(1);
  await db.insert(note).values({
    structureId: t.demoStructureId,
    personId: someone!.id,
    authorUserId: cpip!.id,
    authorServiceId: spip!.id,
    visibility: "service",
    body: `Monsieur ${MARKER} a rappelé.`,
    createdAt: new Date("2026-05-02T09:00:00Z"),
  });
  await db
    .update(convocation)
    .set({ comment: `Prévenir ${MARKER} la veille` })
    .where(eq(convocation.personId, someone!.id));
  // A handover meeting's minutes and a transfer's reason (ADR 0029) speak of the person too.
  await db.insert(handoverMeeting).values({
    structureId: t.demoStructureId,
    personId: someone!.id,
    targetStructureId: t.demoStructureId,
    startsAt: new Date("2026-05-04T08:00:00Z"),
    durationMinutes: 60,
    releaseDate: "2026-05-20",
    status: "cancelled",
    minutes: `${MARKER} était présent.`,
    decisions: `Hébergement chez ${MARKER} père.`,
    icsUid: `retention-${someone!.id}@passerelle`,
    createdBy: cpip!.id,
  });
  await db.insert(transfer).values({
    personId: someone!.id,
    fromStructureId: t.demoStructureId,
    toStructureId: t.demoStructureId,
    proposedBy: cpip!.id,
    proposedAt: new Date("2026-05-05T08:00:00Z"),
    reason: `${MARKER} déménage.`,
    consentGiven: false,
    status: "cancelled",
  });
  await db.insert(auditEvent).values({
    action: "person.corrected",
    targetType: "person",
    targetId: someone!.id,
    structureId: t.demoStructureId,
    outcome: "success",
    reason: `nom corrigé en ${MARKER}`,
    at: new Date("2030-12-20T09:00:00Z"),
  });
}, 180_000);
afterAll(() => t.close());

const get = async (email: string, url: string) => {
  const response = await t.app.inject({ method: "GET", url, headers: await t.sessionFor(email) });
  expect(response.statusCode, response.body).toBe(200);
  return response;
};
const periods = ["from=2024-03&to=2025-06", "from=2026-01&to=2026-05"];
async function readAll(): Promise<unknown[]> {
  const read: unknown[] = [];
  for (const period of periods) {
    read.push((await get(demo.manager, `/api/reporting/dashboard?${period}`)).json() as Dashboard);
    read.push((await get(demo.steering, `/api/reporting/dashboard?${period}`)).json() as Dashboard);
    read.push((await get(demo.manager, `/api/reporting/export?${period}&format=csv`)).body);
  }
  return read;
}

/** Every text-like column of every table holding `needle` (the whole database, by SQL). */
async function tablesHolding(needle: string): Promise<string[]> {
  const columns = await rowsOf<{ table_name: string; column_name: string }>(
    t.handle.db,
    sql`select table_name, column_name from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'jsonb', 'ARRAY', 'character varying')`,
  );
  const found: string[] = [];
  for (const c of columns) {
    const [hit] = await rowsOf<{ n: number }>(
      t.handle.db,
      sql.raw(
        `select count(*)::int as n from "${c.table_name}" where "${c.column_name}"::text ilike '%${needle}%'`,
      ),
    );
    if ((hit?.n ?? 0) > 0) found.push(`${c.table_name}.${c.column_name}`);
  }
  return found;
}

describe("retention purge and the steering figures", () => {
  it("archives, then erases, and the past figures (direction, steering, CSV) do not move", async () => {
    const db = t.handle.db;
    t.clock.set(AGED);
    const before = await readAll();
    // Both periods have figures: the aged files' months and the demo's six months.
    for (const read of [before[0], before[3]] as Dashboard[]) {
      expect(read.figures.some((f) => typeof f.value === "number" && f.value > 0)).toBe(true);
    }
    const [files] = await db.select({ n: count() }).from(person).where(isNull(person.mergedIntoId));
    expect(await tablesHolding(MARKER)).not.toEqual([]);

    // Registered two days earlier: its first night has passed.
    await registerJobs(db, jobs, new Date(AGED.getTime() - 2 * 86_400_000));
    await runDueJobs({ db, clock: t.clock, log: () => {} }, jobs);
    const [archived] = await db.select({ n: count() }).from(person).where(isNotNull(person.archivedAt));
    expect(archived!.n).toBe(files!.n);

    t.clock.set(new Date(AGED.getTime() + 200 * 86_400_000));
    await runDueJobs({ db, clock: t.clock, log: () => {} }, jobs);
    const [erased] = await db.select({ n: count() }).from(person).where(isNotNull(person.erasedAt));
    expect(erased!.n).toBe(files!.n);

    t.clock.set(AGED);
    expect(await readAll()).toEqual(before);
    expect(await tablesHolding(MARKER)).toEqual([]);
    const [named] = await db
      .select({ n: count() })
      .from(person)
      .where(
        and(
          isNotNull(person.erasedAt),
          sql`(${person.firstName} <> '' or ${person.lastName} <> '' or ${person.phone} <> '' or ${person.email} <> '' or ${person.address} <> '')`,
        ),
      );
    expect(named!.n).toBe(0);
  }, 60_000); // Twelve reads (dashboards and every sheet of the tables export) around two purges.

  it("an erased person is gone from every list, search and read (404)", async () => {
    const [erased] = await t.handle.db
      .select({ id: person.id })
      .from(person)
      .where(isNotNull(person.erasedAt))
      .limit(1);
    const list = await get(demo.manager, "/api/people?fileState=all&page=1");
    expect(list.json().people).toEqual([]);
    const search = await get(demo.manager, `/api/people?fileState=all&page=1&search=${MARKER}`);
    expect(search.json().people).toEqual([]);
    for (const url of [`/api/people/${erased!.id}`, `/api/people/${erased!.id}/data-export/json`]) {
      const response = await t.app.inject({ method: "GET", url, headers: await t.sessionFor(demo.manager) });
      expect(response.statusCode).toBe(404);
    }
  });

  it("each run journaled in counts, never a name", async () => {
    const runs = await t.handle.db
      .select({ reason: auditEvent.reason })
      .from(auditEvent)
      .where(eq(auditEvent.action, "retention.run"));
    expect(runs.length).toBeGreaterThanOrEqual(4);
    for (const run of runs) expect(run.reason).toMatch(/^\d+ dossiers? archivés?, \d+ dossiers? effacés?/);
  });
});
