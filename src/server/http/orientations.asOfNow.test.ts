import { and, count, eq, gte, lt, lte, or, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orientationStatusLabels } from "../../common/orientations/orientations.schema";
import type { Dashboard } from "../../common/reporting/reporting.schema";
import { registerJobs, runDueJobs } from "../core/scheduler";
import { auditEvent, consent, orientation, partner, person } from "../db/schema";
import { scheduledJobs } from "../jobs";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Issue 12: "the same dashboard read before and after opening every file gives the same figures".
 * Orientations sent in April and May, some past their 30 days on June 1st (TEST_TODAY) and still
 * `sent` in the table, as between two runs of the expiry job.
 */
let t: TestApp;
let peopleIds: string[];
const period = "from=2026-01&to=2026-06";
const FROM = new Date("2026-01-01T00:00:00+01:00");
const UNTIL = new Date("2026-07-01T00:00:00+02:00");

beforeAll(async () => {
  t = await startTestApp();
  const db = t.handle.db;
  const people = await db.select().from(person).limit(6);
  peopleIds = people.map((p) => p.id);
  const [caf] = await db.select().from(partner).where(eq(partner.code, "caf"));
  const counselorId = await t.userId(demo.counselor);
  for (const [i, p] of people.entries()) {
    await db.insert(consent).values({
      structureId: t.demoStructureId,
      personId: p.id,
      shareDemarcheDetails: true,
      shareNotes: false,
      recipients: ["spip", "association"],
      partnerIds: [caf!.id],
      domains: ["acces-aux-droits"],
      purpose: "Accès aux droits",
      collectedBy: counselorId,
      collectedAt: new Date("2026-03-01T09:00:00Z"),
    });
    // Per person: one overdue to the CAF, one overdue to mediation, one still within its 30 days.
    for (const [j, sent] of ["2026-04-0", "2026-04-2", "2026-05-2"].entries()) {
      const sentAt = new Date(`${sent}${(i % 8) + 1}T10:00:00Z`);
      await db.insert(orientation).values({
        structureId: t.demoStructureId,
        personId: p.id,
        target: j === 1 ? "mediation" : "partner_back_office",
        partnerId: j === 1 ? null : caf!.id,
        reason: "Dossier à reprendre",
        status: "sent",
        createdBy: counselorId,
        createdAt: sentAt,
        sentAt,
        expiresAt: new Date(sentAt.getTime() + 30 * 86_400_000),
      });
    }
  }
});
afterAll(() => t.close());

const get = async (email: string, url: string) => {
  const response = await t.app.inject({ method: "GET", url, headers: await t.sessionFor(email) });
  expect(response.statusCode, response.body).toBe(200);
  return response;
};
const dashboard = async (email: string): Promise<Dashboard> =>
  (await get(email, `/api/reporting/dashboard?${period}`)).json();
const csv = async (email: string): Promise<string> =>
  (await get(email, `/api/reporting/export?${period}&format=csv`)).body;
/** Everything a committee reads: figures, tables, the written summary, and the CSV export. */
const readAll = async () => ({
  direction: await dashboard(demo.manager),
  steering: await dashboard(demo.steering),
  csv: await csv(demo.manager),
});
const statusCount = (d: Dashboard, status: "sent" | "expired") =>
  d.tables
    .find((x) => x.id === "orientationsByStatus")
    ?.rows.find((r) => r.label === orientationStatusLabels[status])?.values[0] ?? 0;

async function storedOverdue(): Promise<number> {
  const [row] = await t.handle.db
    .select({ n: count() })
    .from(orientation)
    .where(and(eq(orientation.status, "sent"), lte(orientation.expiresAt, t.clock.now())));
  return row!.n;
}

describe("orientation figures as of now", () => {
  it("the same figures before and after opening every file and inbox, and after the expiry job", async () => {
    const db = t.handle.db;
    // What "expired as of now" is, straight from the rows.
    const [truth] = await db
      .select({ n: count() })
      .from(orientation)
      .where(
        and(
          eq(orientation.structureId, t.demoStructureId),
          gte(orientation.createdAt, FROM),
          lt(orientation.createdAt, UNTIL),
          or(
            eq(orientation.status, "expired"),
            and(eq(orientation.status, "sent"), lte(orientation.expiresAt, t.clock.now())),
          ),
        ),
      );
    expect(await storedOverdue()).toBeGreaterThanOrEqual(12);

    const before = await readAll();
    expect(statusCount(before.direction, "expired")).toBe(truth!.n);

    // Every person's orientation list (their referent, the direction), and the partner's inbox.
    const everyone = await db.select({ id: person.id }).from(person);
    for (const p of everyone) {
      await t.app.inject({
        method: "GET",
        url: `/api/people/${p.id}/orientations`,
        headers: await t.sessionFor(demo.manager),
      });
    }
    for (const id of peopleIds) await get(demo.cpip, `/api/people/${id}/orientations`);
    await get(demo.partner, "/api/orientations/inbox");
    await get(demo.partner, "/api/orientations/inbox");

    // Reads wrote nothing: the overdue rows are still `sent`, nothing journaled as expired.
    expect(await storedOverdue()).toBeGreaterThanOrEqual(12);
    const [expiries] = await db
      .select({ n: count() })
      .from(auditEvent)
      .where(eq(auditEvent.action, "orientation.expired"));
    expect(expiries!.n).toBe(0);
    expect(await readAll()).toEqual(before);

    // The job expires them; the figures do not move.
    const overdue = await storedOverdue();
    await registerJobs(db, scheduledJobs, t.clock.now());
    await runDueJobs({ db, clock: t.clock, log: () => {} }, scheduledJobs);
    expect(await storedOverdue()).toBe(0);
    const [journaled] = await db
      .select({ n: count() })
      .from(auditEvent)
      .where(eq(auditEvent.action, "orientation.expired"));
    expect(journaled!.n).toBe(overdue);
    expect(await readAll()).toEqual(before);
  });

  it("a day later, the orientations that passed their 30 days count as expired, job or not", async () => {
    const before = await dashboard(demo.manager);
    // The May ones expire in June: 10 days later, every one of them is overdue.
    t.clock.advance(30 * 86_400_000);
    const [dueSince] = await t.handle.db
      .select({ n: count() })
      .from(orientation)
      .where(
        and(
          eq(orientation.structureId, t.demoStructureId),
          eq(orientation.status, "sent"),
          lte(orientation.expiresAt, t.clock.now()),
          sql`${orientation.createdAt} < ${UNTIL.toISOString()}::timestamptz`,
        ),
      );
    expect(dueSince!.n).toBeGreaterThanOrEqual(6);
    const later = await dashboard(demo.manager);
    expect(statusCount(later, "expired")).toBe(statusCount(before, "expired") + dueSince!.n);
    expect(statusCount(later, "sent")).toBe(statusCount(before, "sent") - dueSince!.n);
    await runDueJobs({ db: t.handle.db, clock: t.clock, log: () => {} }, scheduledJobs);
    expect(await dashboard(demo.manager)).toEqual(later);
  });
});
