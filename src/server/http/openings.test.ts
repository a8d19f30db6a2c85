import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, counselorAbsence, site, siteClosure } from "../db/schema";
import { anAgent, aStructure } from "../testing/builders";
import { expectSafeRetries } from "../testing/retriedCreations";
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
    // Shorter than one appointment: no slot would fit (400 under « Fin »).
    const tooShort = await post("/opening-rules", { ...rule, endTime: "09:50" });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.endTime"]);
    // From a day gone by (weekly or once): the past days' opening hours would change. Nothing written.
    const openingsBefore = await openings();
    const before = openingsBefore.rules.length;
    const yesterday = await post("/opening-rules", { ...rule, validFrom: "2026-05-31" });
    expect(yesterday.statusCode).toBe(409);
    expect(yesterday.json()).toMatchObject({
      code: "convocation.ruleStartsInPast",
      issues: [{ path: "body.validFrom" }],
    });
    const once = {
      ...rule,
      weekday: null,
      onDate: "2026-05-29",
      validFrom: "2026-05-29",
      validTo: "2026-05-29",
    };
    expect((await post("/opening-rules", once)).json().issues).toEqual([
      expect.objectContaining({ path: "body.onDate" }),
    ]);
    expect((await openings()).rules).toHaveLength(before);
    const notCounselor = await post("/opening-rules", { ...rule, counselorIds: [await t.userId(demo.cpip)] });
    expect(notCounselor.json().code).toBe("convocation.notACounselor");
    // Each refusal of a choice the form offers is said under its field, nothing written.
    const underField = { message: expect.any(String) };
    expect(notCounselor.json().issues).toEqual([{ path: "body.counselorIds", ...underField }]);
    const unknownSite = "00000000-0000-4000-8000-000000000000";
    const elsewhere = await post("/opening-rules", { ...rule, siteId: unknownSite });
    expect(elsewhere.json()).toMatchObject({ code: "convocation.siteNotInStructure" });
    expect(elsewhere.json().issues).toEqual([{ path: "body.siteId", ...underField }]);
    const period = { startsAt: "2026-06-08T07:00:00.000Z", endsAt: "2026-06-08T16:00:00.000Z" };
    const closed = await post("/closures", { ...period, siteId: unknownSite });
    expect(closed.statusCode).toBe(400);
    expect(closed.json().issues).toEqual([{ path: "body.siteId", ...underField }]);
    const absent = await post("/absences", { ...period, userId: await t.userId(demo.cpip) });
    expect(absent.statusCode).toBe(400);
    expect(absent.json().issues).toEqual([{ path: "body.userId", ...underField }]);
    const after = await openings();
    expect(after.rules).toHaveLength(before);
    expect([after.closures, after.absences]).toEqual([openingsBefore.closures, openingsBefore.absences]);
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

describe("closures and absences: sent again, drawn over another, lifted", () => {
  const lift = async (path: string, email: string = demo.manager) =>
    t.app.inject({
      method: "DELETE",
      url: `/api/structures/${t.demoStructureId}${path}`,
      headers: await t.sessionFor(email),
    });
  const closuresOf = (siteName: string) =>
    t.handle.db.select().from(siteClosure).where(eq(siteClosure.siteId, sites[siteName]!));
  const journal = (action: string) =>
    t.handle.db.select().from(auditEvent).where(eq(auditEvent.action, action));

  it("the same closure sent twice is recorded once; another over it is 409 and writes nothing", async () => {
    const closure = {
      siteId: sites.Fontainebleau,
      startsAt: "2026-07-14T06:00:00.000Z",
      endsAt: "2026-07-15T18:00:00.000Z",
      reason: "Fête nationale",
    };
    const journaled = (await journal("site.closed")).length;
    expect((await post("/closures", closure)).statusCode).toBe(200);
    expect((await post("/closures", closure)).statusCode).toBe(200);
    expect(await closuresOf("Fontainebleau")).toHaveLength(1);
    expect(await journal("site.closed")).toHaveLength(journaled + 1);
    for (const other of [
      { ...closure, reason: "Autre motif" },
      { ...closure, startsAt: "2026-07-15T08:00:00.000Z", endsAt: "2026-07-20T08:00:00.000Z" },
      { ...closure, startsAt: "2026-07-10T08:00:00.000Z", endsAt: "2026-07-31T08:00:00.000Z" },
    ]) {
      const refused = await post("/closures", other);
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({
        code: "convocation.closureOverlaps",
        message: expect.stringMatching(
          /du mardi 14\sjuillet\s2026 à 8\sh\s00 au mercredi 15\sjuillet\s2026 à 20\sh\s00/,
        ),
      });
    }
    // Next to it (ending when it starts) is no overlap.
    const before = { ...closure, startsAt: "2026-07-13T06:00:00.000Z", endsAt: closure.startsAt };
    expect((await post("/closures", before)).statusCode).toBe(200);
    expect(await closuresOf("Fontainebleau")).toHaveLength(2);
  });

  it("an absence likewise, per counselor: the same twice once, over it 409, another counselor's free", async () => {
    const counselor = await t.userId(demo.counselor);
    const absence = {
      userId: counselor,
      startsAt: "2026-08-03T06:00:00.000Z",
      endsAt: "2026-08-07T18:00:00.000Z",
    };
    expect((await post("/absences", absence)).statusCode).toBe(200);
    expect((await post("/absences", absence)).statusCode).toBe(200);
    const over = await post("/absences", { ...absence, startsAt: "2026-08-05T06:00:00.000Z" });
    expect(over.json()).toMatchObject({ code: "convocation.absenceOverlaps" });
    const rows = await t.handle.db
      .select()
      .from(counselorAbsence)
      .where(eq(counselorAbsence.userId, counselor));
    expect(rows.filter((r) => r.startsAt.toISOString().startsWith("2026-08"))).toHaveLength(1);
  });

  it("400 for a period of over a year, 409 for one ended over a year ago; nothing written", async () => {
    const count = (await closuresOf("La Rochette")).length;
    const long = await post("/closures", {
      siteId: sites["La Rochette"],
      startsAt: "2026-07-01T06:00:00.000Z",
      endsAt: "2027-07-03T06:00:00.000Z",
    });
    expect(long.statusCode).toBe(400);
    expect(long.json().issues).toEqual([
      { path: "body.endsAt", message: expect.stringContaining("un an au plus") },
    ]);
    const old = await post("/closures", {
      siteId: sites["La Rochette"],
      startsAt: "1900-01-01T06:00:00.000Z",
      endsAt: "1900-01-02T06:00:00.000Z",
    });
    expect(old.json()).toMatchObject({ code: "convocation.periodTooOld" });
    // Starting over a year ago, though ended within the year: a mistyped year too, said under « Du ».
    const lastYear = await post("/closures", {
      siteId: sites["La Rochette"],
      startsAt: "2025-05-20T06:00:00.000Z",
      endsAt: "2025-07-01T06:00:00.000Z",
    });
    expect(lastYear.statusCode).toBe(409);
    expect(lastYear.json()).toMatchObject({
      code: "convocation.periodTooOld",
      message: "Cette période commence il y a plus d'un an : vérifiez l'année.",
    });
    expect(await closuresOf("La Rochette")).toHaveLength(count);
  });

  it("lifting: a closure to come is removed, a started one ends at today's midnight, a past one is 409 unless removed whole", async () => {
    const coming = {
      siteId: sites["La Rochette"],
      startsAt: "2026-06-17T06:00:00.000Z",
      endsAt: "2026-06-17T18:00:00.000Z",
      reason: "Formation",
    };
    const started = { ...coming, startsAt: "2026-05-25T06:00:00.000Z", endsAt: "2026-06-05T18:00:00.000Z" };
    const past = { ...coming, startsAt: "2026-05-11T06:00:00.000Z", endsAt: "2026-05-12T18:00:00.000Z" };
    const open = await slotsOn("2026-06-17", "La Rochette");
    expect(open).not.toEqual([]);
    // Today (the test's clock: 1 June 2026, 11 h in Paris) from 7 h to 9 h: over, its hours kept.
    const thisMorning = {
      ...coming,
      startsAt: "2026-06-01T05:00:00.000Z",
      endsAt: "2026-06-01T07:00:00.000Z",
    };
    for (const c of [coming, started, past]) expect((await post("/closures", c)).statusCode).toBe(200);
    const idOf = async (c: typeof coming) =>
      (
        await t.handle.db
          .select()
          .from(siteClosure)
          .where(and(eq(siteClosure.siteId, c.siteId!), eq(siteClosure.startsAt, new Date(c.startsAt))))
      )[0]!.id;
    const [comingId, startedId, pastId] = [await idOf(coming), await idOf(started), await idOf(past)];
    expect((await openings()).closures.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining([comingId, startedId]),
    );
    // Whether lifting removes or shortens it, by the server's clock (the page's button says which).
    const startedOf = new Map(
      (await openings()).closures.map((c: { id: string; started: boolean }) => [c.id, c.started]),
    );
    expect([startedOf.get(comingId), startedOf.get(startedId)]).toEqual([false, true]);
    expect((await lift(`/closures/${comingId}`, demo.cpip)).statusCode).toBe(403);
    expect((await lift(`/closures/${comingId}`)).statusCode).toBe(200);
    expect((await lift(`/closures/${startedId}`)).statusCode).toBe(200);
    // Sent again: the same answer, nothing more written.
    expect((await lift(`/closures/${startedId}`)).statusCode).toBe(200);
    expect((await lift(`/closures/${comingId}`)).json()).toMatchObject({
      code: "convocation.periodNotFound",
    });
    expect((await lift(`/closures/${pastId}`)).json()).toMatchObject({ code: "convocation.periodOver" });
    // After the lift above, which ended `started` at midnight.
    expect((await post("/closures", thisMorning)).statusCode).toBe(200);
    const morningId = await idOf(thisMorning);
    expect((await lift(`/closures/${morningId}`)).json()).toMatchObject({ code: "convocation.periodOver" });
    const left = await closuresOf("La Rochette");
    expect(left.find((c) => c.id === comingId)).toBeUndefined();
    // Midnight in Paris (summer time) on the test's today, 1 June 2026.
    expect(left.find((c) => c.id === startedId)?.endsAt.toISOString()).toBe("2026-05-31T22:00:00.000Z");
    expect(left.find((c) => c.id === pastId)?.endsAt.toISOString()).toBe(past.endsAt);
    expect((await openings()).closures.map((c: { id: string }) => c.id)).not.toContain(startedId);
    // The journal names the site and the period, and whether it was removed or shortened.
    expect((await journal("site.closure_lifted")).map((e) => e.reason).sort()).toEqual([
      expect.stringMatching(/^fermeture de La Rochette du 17\/06\/2026 .* retirée$/),
      expect.stringMatching(/^fermeture de La Rochette du 25\/05\/2026 .* levée à partir d'aujourd'hui$/),
    ]);
    // Slots of the lifted day come back.
    expect(await slotsOn("2026-06-17", "La Rochette")).toEqual(open);
    // Over, they are listed apart (ended within three months, latest first) and may be removed whole
    // (`past=true`): a closure recorded by mistake after the fact; the days gone by change then.
    const pastIds = (await openings()).pastClosures.map((c: { id: string }) => c.id);
    expect(pastIds.indexOf(morningId)).toBeLessThan(pastIds.indexOf(startedId));
    expect(pastIds).toEqual(expect.arrayContaining([morningId, startedId, pastId]));
    expect((await lift(`/closures/${pastId}?past=true`, demo.cpip)).statusCode).toBe(403);
    expect((await lift(`/closures/${pastId}?past=x`)).statusCode).toBe(400);
    expect((await lift(`/closures/${pastId}?past=true`)).statusCode).toBe(200);
    expect((await lift(`/closures/${pastId}?past=true`)).json()).toMatchObject({
      code: "convocation.periodNotFound",
    });
    expect((await openings()).pastClosures.map((c: { id: string }) => c.id)).not.toContain(pastId);
    expect((await journal("site.closure_lifted")).map((e) => e.reason)).toContainEqual(
      expect.stringMatching(/^fermeture de La Rochette du 11\/05\/2026 .* retirée \(passée\)$/),
    );
    // This morning's, over too, goes whole; the one lifted at midnight stays until asked.
    expect((await lift(`/closures/${morningId}?past=true`)).statusCode).toBe(200);
    const remaining = (await closuresOf("La Rochette")).map((c) => c.id);
    expect(remaining).toContain(startedId);
    expect(remaining).not.toContain(morningId);
  });

  it("an absence is lifted by the direction of a structure the counselor works in; elsewhere 404", async () => {
    const counselor = await t.userId(demo.counselor);
    const absence = {
      userId: counselor,
      startsAt: "2026-09-07T06:00:00.000Z",
      endsAt: "2026-09-08T18:00:00.000Z",
    };
    expect((await post("/absences", absence)).statusCode).toBe(200);
    const [row] = await t.handle.db
      .select()
      .from(counselorAbsence)
      .where(
        and(
          eq(counselorAbsence.userId, counselor),
          eq(counselorAbsence.startsAt, new Date(absence.startsAt)),
        ),
      );
    const elsewhere = await t.app.inject({
      method: "DELETE",
      url: `/api/structures/${crypto.randomUUID()}/absences/${row!.id}`,
      headers: await t.sessionFor(demo.manager),
    });
    expect([403, 404]).toContain(elsewhere.statusCode);
    expect((await lift(`/absences/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await lift(`/absences/${row!.id}`)).statusCode).toBe(200);
    expect(await t.handle.db.select().from(counselorAbsence).where(eq(counselorAbsence.id, row!.id))).toEqual(
      [],
    );
    expect((await journal("counselor.absence_lifted")).map((e) => e.reason)).toEqual([
      expect.stringMatching(/^absence de Inès Moreau du 07\/09\/2026 à 8\sh\s00 au 08\/09\/2026 .* retirée$/),
    ]);
    // A sick day recorded the morning after: listed with the past ones, removed whole if mistaken.
    const sick = {
      userId: counselor,
      startsAt: "2026-05-27T06:00:00.000Z",
      endsAt: "2026-05-27T16:00:00.000Z",
    };
    expect((await post("/absences", sick)).statusCode).toBe(200);
    const [recorded] = (await openings()).pastAbsences as { id: string; label: string; startsAt: string }[];
    expect(recorded).toMatchObject({ label: "Inès Moreau", startsAt: sick.startsAt });
    expect((await lift(`/absences/${recorded!.id}`)).json()).toMatchObject({
      code: "convocation.periodOver",
    });
    expect((await lift(`/absences/${recorded!.id}?past=true`)).statusCode).toBe(200);
    expect((await openings()).pastAbsences).toEqual([]);
    // Its recording was journaled naming the counselor and the period, as a closure names its site.
    expect((await journal("counselor.absent")).map((e) => e.reason)).toContainEqual(
      expect.stringMatching(
        /^absence de Inès Moreau du 07\/09\/2026 à 8\sh\s00 au 08\/09\/2026 à 20\sh\s00$/,
      ),
    );
    expect((await journal("site.closed")).map((e) => e.reason)).toContainEqual(
      expect.stringMatching(
        /^fermeture de La Rochette du 17\/06\/2026 à 8\sh\s00 au 17\/06\/2026 à 20\sh\s00$/,
      ),
    );
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

describe("a closure or an absence sent again with the id its form chose (an answer lost, ADR 0036)", () => {
  // Each id its own Sunday from November on (nothing planned then): a twin sent under a new id is
  // another period, not the same period found recorded under the first id.
  const sundays = new Map<string, string>();
  const sundayOf = (id: string) => {
    if (!sundays.has(id))
      sundays.set(id, new Date(Date.UTC(2026, 10, 1 + 7 * sundays.size)).toISOString().slice(0, 10));
    return sundays.get(id)!;
  };
  const period = (id: string) => ({
    id,
    startsAt: `${sundayOf(id)}T07:00:00.000Z`,
    endsAt: `${sundayOf(id)}T17:00:00.000Z`,
    reason: "Inventaire",
  });
  const changed = (body: Record<string, unknown>) => [
    { ...body, reason: "Autre motif" },
    { ...body, endsAt: String(body.endsAt).replace("T17", "T18") },
    { ...body, startsAt: String(body.startsAt).replace("T07", "T08") },
  ];

  it("a closure: one row and journal row, the same answer; someone else's id a 400; other values a 409; twice at once", async () => {
    const here = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["service_manager"] });
    const other = await aStructure(t.handle.db);
    const there = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["service_manager"] });
    await expectSafeRetries(t, {
      url: `/api/structures/${t.demoStructureId}/closures`,
      email: demo.manager,
      body: (id) => ({ ...period(id), siteId: sites.Meaux }),
      changed,
      code: "closure.retriedWithOtherValues",
      table: siteClosure,
      action: "site.closed",
      otherAgent: here.email,
      otherScope: { url: `/api/structures/${other.structure.id}/closures`, email: there.email },
    });
  });

  it("an absence likewise", async () => {
    const here = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["service_manager"] });
    const other = await aStructure(t.handle.db);
    const there = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["service_manager"] });
    const counselor = await t.userId(demo.counselor);
    await expectSafeRetries(t, {
      url: `/api/structures/${t.demoStructureId}/absences`,
      email: demo.manager,
      body: (id) => ({ ...period(id), userId: counselor }),
      changed,
      code: "absence.retriedWithOtherValues",
      table: counselorAbsence,
      action: "counselor.absent",
      otherAgent: here.email,
      otherScope: { url: `/api/structures/${other.structure.id}/absences`, email: there.email },
    });
  });

  it("the same period sent again under another id (or none) answers the one recorded", async () => {
    const body = { siteId: sites.Fontainebleau, ...period(crypto.randomUUID()) };
    const first = await post("/closures", body);
    expect(first.json()).toEqual({ ok: true, id: body.id });
    expect((await post("/closures", { ...body, id: crypto.randomUUID() })).json()).toEqual(first.json());
    const { id: _, ...withoutId } = body;
    expect((await post("/closures", withoutId)).json()).toEqual(first.json());
  });
});
