import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, openingRule, site } from "../db/schema";
import { anAgent, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

// Changing a weekly permanence from a date on: the old rule ends the day before, a new one starts.
let t: TestApp;
let meaux: string;
let ruleId: string;
let pool: string[];
beforeAll(async () => {
  t = await startTestApp();
  meaux = (await t.handle.db.select().from(site).where(eq(site.name, "Meaux")))[0]!.id;
  const rules = (
    await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/openings`,
      headers: await t.sessionFor(demo.manager),
    })
  ).json().rules as {
    id: string;
    siteName: string;
    weekday: number;
    startTime: string;
    counselors: { id: string }[];
  }[];
  const tuesday = rules.find((r) => r.siteName === "Meaux" && r.weekday === 2 && r.startTime === "09:00")!;
  ruleId = tuesday.id;
  pool = tuesday.counselors.map((c) => c.id);
});
afterAll(() => t.close());

const change = async (body: object, email?: string, id = ruleId, structureId = t.demoStructureId) =>
  t.app.inject({
    method: "POST",
    url: `/api/structures/${structureId}/opening-rules/${id}/change`,
    payload: body,
    headers: email ? await t.sessionFor(email) : {},
  });
const from10 = (effectiveFrom: string) => ({
  effectiveFrom,
  weekday: 2,
  startTime: "10:00",
  endTime: "12:00",
  slotMinutes: 30,
  bufferMinutes: 0,
  validTo: null,
  counselorIds: pool,
});
const slotsOn = async (day: string) =>
  (
    await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/slots?from=${day}&days=1&siteId=${meaux}`,
      headers: await t.sessionFor(demo.cpip),
    })
  ).json().slots as { startsAt: string; capacity: number }[];
const ruleRows = async () => t.handle.db.select().from(openingRule).where(eq(openingRule.siteId, meaux));

describe("POST /api/structures/:structureId/opening-rules/:ruleId/change", () => {
  it("401 anonymous, 403 another role or structure, 404 another structure's rule, 400 writes nothing", async () => {
    const before = await ruleRows();
    expect((await change(from10("2026-06-23"))).statusCode).toBe(401);
    expect((await change(from10("2026-06-23"), demo.cpip)).statusCode).toBe(403);
    const other = await aStructure(t.handle.db);
    const otherManager = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager"],
    });
    expect((await change(from10("2026-06-23"), otherManager.email)).statusCode).toBe(403);
    const elsewhere = await change(from10("2026-06-23"), otherManager.email, ruleId, other.structure.id);
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().code).toBe("convocation.ruleNotFound");
    const bad = await change(
      { ...from10("2026-02-30"), startTime: "12:00", endTime: "10:00", counselorIds: [], extra: 1 },
      demo.manager,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(["body.effectiveFrom", "body.counselorIds"]),
    );
    const past = await change(from10("2026-05-26"), demo.manager);
    expect(past.statusCode).toBe(409);
    expect(past.json().code).toBe("convocation.ruleChangeInPast");
    expect(await ruleRows()).toEqual(before);
  });

  it("409 lists the planned convocations the new hours would leave out, and changes nothing", async () => {
    const [nine] = await slotsOn("2026-06-16");
    const cpip = await t.sessionFor(demo.cpip);
    const karim = (
      await t.app.inject({ method: "GET", url: "/api/people?search=Benali", headers: cpip })
    ).json().people[0].id;
    const booked = await t.app.inject({
      method: "POST",
      url: "/api/convocations",
      headers: cpip,
      payload: {
        personId: karim,
        siteId: meaux,
        startsAt: nine!.startsAt,
        needDomains: ["acces-aux-droits"],
        notifySms: false,
        notifyEmail: false,
      },
    });
    expect(booked.statusCode, booked.body).toBe(200);
    const before = await ruleRows();
    const refused = await change(from10("2026-06-16"), demo.manager);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("convocation.ruleChangeStrandsBookings");
    expect(refused.json().message).toContain("mardi 16\u00a0juin\u00a02026 à 9\u00a0h\u00a000");
    expect(await ruleRows()).toEqual(before);
    // Same hours, one counselor fewer: the booking (seat 0) still has room.
    const fewer = await change(
      { ...from10("2026-06-16"), startTime: "09:00", slotMinutes: 30, counselorIds: pool.slice(0, 1) },
      demo.manager,
    );
    expect(fewer.statusCode, fewer.body).toBe(200);
  });

  it("from a later date: past days keep their slots, later days have the new ones; journaled", async () => {
    const rules = (await ruleRows()).filter((r) => r.weekday === 2 && r.validTo === null);
    const current = rules.sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0]!;
    const beforeSlots = await slotsOn("2026-06-16");
    const changed = await change(from10("2026-06-30"), demo.manager, current.id);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await slotsOn("2026-06-16")).toEqual(beforeSlots);
    // The morning (the afternoon permanence of Meaux is another rule, untouched).
    const morning = (await slotsOn("2026-06-30")).filter((s) => s.startsAt < "2026-06-30T11:00");
    expect(morning.map((s) => s.startsAt)).toEqual([
      "2026-06-30T08:00:00.000Z",
      "2026-06-30T08:30:00.000Z",
      "2026-06-30T09:00:00.000Z",
      "2026-06-30T09:30:00.000Z",
    ]);
    const [ended] = await t.handle.db.select().from(openingRule).where(eq(openingRule.id, current.id));
    expect(ended!.validTo).toBe("2026-06-29");
    const journal = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, current.id));
    expect(journal).toContainEqual(
      expect.objectContaining({
        action: "opening_rule.changed",
        outcome: "success",
        structureId: t.demoStructureId,
      }),
    );
    // Sent again (a retry after a lost answer): answered as the first, nothing more written.
    const rows = await ruleRows();
    const again = await change(from10("2026-06-30"), demo.manager, current.id);
    expect(again.statusCode, again.body).toBe(200);
    expect(await ruleRows()).toEqual(rows);
    expect(
      await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, current.id)),
    ).toHaveLength(journal.length);
    // Another change of the ended rule from that day is not the same: refused.
    const other = await change({ ...from10("2026-06-30"), startTime: "09:30" }, demo.manager, current.id);
    expect(other.json().code).toBe("convocation.ruleChangeInPast");
    // Shorter than one appointment: 400 under « Fin ».
    const short = await change({ ...from10("2026-07-07"), endTime: "10:20" }, demo.manager);
    expect(short.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.endTime"]);
  });
});
