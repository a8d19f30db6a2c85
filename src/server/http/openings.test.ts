import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { site } from "../db/schema";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let sites: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  sites = Object.fromEntries((await t.handle.db.select().from(site)).map((s) => [s.name, s.id]));
});
afterAll(() => t.close());

const post = async (path: string, payload: object, email: string = demo.manager) =>
  t.app.inject({
    method: "POST",
    url: `/api/structures/${t.demoStructureId}${path}`,
    payload,
    headers: await t.sessionFor(email),
  });
const openings = async () =>
  (
    await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/openings`,
      headers: await t.sessionFor(demo.manager),
    })
  ).json();
const slotsOn = async (day: string, siteName: string) =>
  (
    await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/slots?from=${day}&days=1&siteId=${sites[siteName]}`,
      headers: await t.sessionFor(demo.cpip),
    })
  ).json().slots as { startsAt: string; capacity: number }[];

describe("opening rules", () => {
  it("lists the demo permanences: 24 h 30 a week, Meaux with two counselors at once", async () => {
    const body = await openings();
    expect(body.weeklyOpeningMinutes).toBe(1470);
    const meauxTuesday = body.rules.find(
      (r: { siteName: string; weekday: number; startTime: string }) =>
        r.siteName === "Meaux" && r.weekday === 2 && r.startTime === "09:00",
    );
    expect(meauxTuesday.counselors.map((c: { name: string }) => c.name).sort()).toEqual([
      "Inès Moreau",
      "Nicolas Petit",
    ]);
  });

  it("400 lists every issue of a bad rule; a CPIP may not add one; a non-counselor cannot be in the pool", async () => {
    const bad = await post("/opening-rules", {
      siteId: sites.Meaux,
      weekday: 2,
      onDate: "2026-06-10",
      startTime: "14:00",
      endTime: "09:00",
      slotMinutes: 5,
      bufferMinutes: 0,
      validFrom: "2026-06-01",
      validTo: null,
      counselorIds: [],
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.counselorIds", "body.endTime", "body.slotMinutes", "body.weekday"]);
    const rule = {
      siteId: sites.Fontainebleau,
      weekday: 4,
      onDate: null,
      startTime: "09:00",
      endTime: "11:00",
      slotMinutes: 60,
      bufferMinutes: 0,
      validFrom: "2026-06-01",
      validTo: null,
      counselorIds: [await t.userId(demo.counselor)],
    };
    expect((await post("/opening-rules", rule, demo.cpip)).statusCode).toBe(403);
    const notCounselor = await post("/opening-rules", { ...rule, counselorIds: [await t.userId(demo.cpip)] });
    expect(notCounselor.json().code).toBe("convocation.notACounselor");
  });

  it("a new rule opens slots; ending it from a date removes the later ones only", async () => {
    const ines = await t.userId(demo.counselor);
    expect(await slotsOn("2026-06-04", "Fontainebleau")).toEqual([]);
    const added = await post("/opening-rules", {
      siteId: sites.Fontainebleau,
      weekday: 4,
      onDate: null,
      startTime: "09:00",
      endTime: "11:00",
      slotMinutes: 60,
      bufferMinutes: 0,
      validFrom: "2026-06-01",
      validTo: null,
      counselorIds: [ines],
    });
    expect(added.statusCode).toBe(200);
    expect((await slotsOn("2026-06-04", "Fontainebleau")).map((s) => s.startsAt)).toEqual([
      "2026-06-04T07:00:00.000Z",
      "2026-06-04T08:00:00.000Z",
    ]);
    const thursday = (await openings()).rules.find(
      (r: { siteName: string; weekday: number }) => r.siteName === "Fontainebleau" && r.weekday === 4,
    );
    expect((await post(`/opening-rules/${thursday.id}/end`, { lastDay: "2026-06-04" })).statusCode).toBe(200);
    expect(await slotsOn("2026-06-04", "Fontainebleau")).toHaveLength(2);
    expect(await slotsOn("2026-06-11", "Fontainebleau")).toEqual([]);
  });

  it("a closure removes slots and an absence lowers the capacity", async () => {
    expect((await slotsOn("2026-06-09", "Meaux")).map((s) => s.capacity)).toEqual([2, 2, 2, 2, 2, 2]);
    const closed = await post("/closures", {
      siteId: sites.Meaux,
      startsAt: "2026-06-09T11:00:00.000Z",
      endsAt: "2026-06-09T16:00:00.000Z",
      reason: "Travaux",
    });
    expect(closed.statusCode).toBe(200);
    const absent = await post("/absences", {
      userId: await t.userId(demo.counselor),
      startsAt: "2026-06-09T06:00:00.000Z",
      endsAt: "2026-06-09T08:00:00.000Z",
    });
    expect(absent.statusCode).toBe(200);
    expect((await slotsOn("2026-06-09", "Meaux")).map((s) => s.capacity)).toEqual([1, 2, 2]);
    const body = await openings();
    expect(body.closures[0]).toMatchObject({ label: "Meaux", reason: "Travaux" });
    expect(body.absences[0]).toMatchObject({ label: "Inès Moreau" });
    const reversed = await post("/closures", {
      siteId: sites.Meaux,
      startsAt: "2026-06-09T16:00:00.000Z",
      endsAt: "2026-06-09T11:00:00.000Z",
    });
    expect(reversed.statusCode).toBe(400);
  });
});

describe("a permanence drawn over another of the same counselor", () => {
  it("409 convocation.ruleOverlaps (sent twice, or over a weekly one), nothing written; next to it or with another counselor: added", async () => {
    const ines = await t.userId(demo.counselor);
    const rulesAt = async () =>
      (await openings()).rules.filter((r: { siteName: string }) => r.siteName === "La Rochette").length;
    const before = await rulesAt();
    const lunch = {
      siteId: sites["La Rochette"],
      weekday: 3,
      onDate: null,
      startTime: "12:30",
      endTime: "13:30",
      slotMinutes: 30,
      bufferMinutes: 0,
      validFrom: "2026-06-01",
      validTo: null,
      counselorIds: [ines],
    };
    // Between the demo's Wednesday mornings and afternoons at La Rochette: next to them, added.
    expect((await post("/opening-rules", lunch)).statusCode).toBe(200);
    // The same rule again (a retry after a lost answer): the slot would count Inès twice.
    const again = await post("/opening-rules", lunch);
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().code).toBe("convocation.ruleOverlaps");
    // A one-off opening on a Wednesday morning she already holds there.
    const oneOff = await post("/opening-rules", {
      ...lunch,
      weekday: null,
      onDate: "2026-06-10",
      startTime: "10:00",
      endTime: "11:00",
      validFrom: "2026-06-10",
    });
    expect(oneOff.statusCode).toBe(409);
    expect(await rulesAt()).toBe(before + 1);
    expect(
      (await slotsOn("2026-06-10", "La Rochette")).find((s) => s.startsAt === "2026-06-10T10:30:00.000Z"),
    ).toMatchObject({ capacity: 1 });
    // The same hours with another counselor: a second seat.
    const other = await post("/opening-rules", { ...lunch, counselorIds: [await t.userId(demo.cpip2)] });
    expect(other.statusCode, other.body).toBe(200);
    expect(
      (await slotsOn("2026-06-10", "La Rochette")).find((s) => s.startsAt === "2026-06-10T10:30:00.000Z"),
    ).toMatchObject({ capacity: 2 });
  });
});
