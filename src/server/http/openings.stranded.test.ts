import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, convocation, counselorAbsence, openingRule, site, siteClosure } from "../db/schema";
import { bookedConvocation, demo, startTestApp, type TestApp } from "../testing/testApp";

// ADR 0016 (addendum): stopping a permanence, closing a site or declaring an absence is refused while
// planned convocations would lose their slot; each is listed with the person, the time and the CPIP.
let t: TestApp;
let meaux: string;
let people: { id: string; name: string }[];
let ruleId: string;
beforeAll(async () => {
  t = await startTestApp();
  meaux = (await t.handle.db.select().from(site).where(eq(site.name, "Meaux")))[0]!.id;
  const cpip = await t.sessionFor(demo.cpip);
  people = (
    (await t.app.inject({ method: "GET", url: "/api/people?mine=true", headers: cpip })).json().people as {
      id: string;
      firstName: string;
      lastName: string;
    }[]
  )
    .slice(0, 2)
    .map((p) => ({ id: p.id, name: `${p.firstName} ${p.lastName}` }));
  const rules = (
    await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/openings`,
      headers: await t.sessionFor(demo.manager),
    })
  ).json().rules as { id: string; siteName: string; weekday: number; startTime: string }[];
  ruleId = rules.find((r) => r.siteName === "Meaux" && r.weekday === 2 && r.startTime === "09:00")!.id;
});
afterAll(() => t.close());

const post = async (path: string, payload: object) =>
  t.app.inject({
    method: "POST",
    url: `/api/structures/${t.demoStructureId}${path}`,
    payload,
    headers: await t.sessionFor(demo.manager),
  });
const book = (personId: string, startsAt: string) =>
  bookedConvocation(t, { personId, siteId: meaux, startsAt });

describe("changes of the openings that would strand planned convocations", () => {
  it("refuses them (409, each listed), writes nothing, and accepts them once the convocations moved", async () => {
    // Tuesday 23 June 2026, Meaux 9:00: two people on the two seats of the slot.
    const nine = "2026-06-23T07:00:00.000Z";
    const first = await book(people[0]!.id, nine);
    const second = await book(people[1]!.id, nine);
    const rulesBefore = await t.handle.db.select().from(openingRule);

    // Before the click, the page asks what each change would strand: the same list, nothing written,
    // the read journaled (it names people).
    const preview = async (query: string) =>
      t.app.inject({
        method: "GET",
        url: `/api/structures/${t.demoStructureId}/openings/stranded?${query}`,
        headers: await t.sessionFor(demo.manager),
      });
    const stopPreview = await preview(`ruleId=${ruleId}&lastDay=2026-06-22`);
    expect(stopPreview.statusCode, stopPreview.body).toBe(200);
    expect(
      stopPreview
        .json()
        .convocations.map((c: { personId: string }) => c.personId)
        .sort(),
    ).toEqual([people[0]!.id, people[1]!.id].sort());
    expect(stopPreview.json().convocations[0]).toMatchObject({ siteName: "Meaux", startsAt: nine });
    const period = "startsAt=2026-06-23T06:00:00.000Z&endsAt=2026-06-23T08:00:00.000Z";
    expect((await preview(`siteId=${meaux}&${period}`)).json().convocations).toHaveLength(2);
    const counselorId = await t.userId(demo.counselor);
    expect((await preview(`userId=${counselorId}&${period}`)).json().convocations).toHaveLength(1);
    expect((await preview(`ruleId=${ruleId}&lastDay=2026-06-30`)).json().convocations).toEqual([]);
    expect(await t.handle.db.select().from(openingRule)).toEqual(rulesBefore);
    expect(await t.handle.db.select().from(siteClosure)).toEqual([]);
    const journaled = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "person.data_read"));
    expect(journaled.some((row) => row.targetId.includes(people[0]!.id))).toBe(true);
    // Malformed or mixed questions: a 400 in French, never a 500.
    for (const bad of [
      "",
      `ruleId=${ruleId}`,
      `siteId=${meaux}&userId=${counselorId}&${period}`,
      "lastDay=x",
    ]) {
      const answer = await preview(bad);
      expect(answer.statusCode, bad).toBe(400);
    }

    const readsBefore = new Set(
      (await t.handle.db.select().from(auditEvent).where(eq(auditEvent.action, "person.data_read"))).map(
        (row) => row.id,
      ),
    );
    const stop = await post(`/opening-rules/${ruleId}/end`, { lastDay: "2026-06-22" });
    expect(stop.statusCode).toBe(409);
    // The refusal names both people: journaled as a read of their files, though nothing was written.
    const refusalReads = (
      await t.handle.db.select().from(auditEvent).where(eq(auditEvent.action, "person.data_read"))
    ).filter((row) => !readsBefore.has(row.id));
    expect(refusalReads).toHaveLength(1);
    for (const p of people) expect(refusalReads[0]!.targetId).toContain(p.id);
    expect(stop.json().code).toBe("convocation.ruleEndStrandsBookings");
    expect(stop.json().message).toMatch(/^2 convocations prévues tombent dans l'arrêt de la permanence/);
    expect(stop.json().message).toContain(people[0]!.name);
    expect(stop.json().message).toContain("mardi 23\u00a0juin\u00a02026 à 9\u00a0h\u00a000");
    expect(stop.json().message).toContain("CPIP ");
    expect(stop.json().message).toContain("Reprogrammez-les d'abord");
    expect(stop.json().issues).toHaveLength(2);
    expect(await t.handle.db.select().from(openingRule)).toEqual(rulesBefore);

    const closure = await post("/closures", {
      siteId: meaux,
      startsAt: "2026-06-23T06:00:00.000Z",
      endsAt: "2026-06-23T16:00:00.000Z",
      reason: "Travaux",
    });
    expect(closure.statusCode).toBe(409);
    expect(closure.json().code).toBe("convocation.closureStrandsBookings");
    expect(closure.json().issues).toHaveLength(2);
    expect(await t.handle.db.select().from(siteClosure)).toEqual([]);

    // One counselor absent: one seat left, the second convocation loses its place.
    const absence = await post("/absences", {
      userId: await t.userId(demo.counselor),
      startsAt: "2026-06-23T06:00:00.000Z",
      endsAt: "2026-06-23T08:00:00.000Z",
    });
    expect(absence.statusCode).toBe(409);
    expect(absence.json().code).toBe("convocation.absenceStrandsBookings");
    expect(absence.json().message).toMatch(/^Une convocation prévue tombe dans l'absence/);
    expect(await t.handle.db.select().from(counselorAbsence)).toEqual([]);

    // A stop before the slot's day, a closure or absence elsewhere in time: nothing stranded.
    expect((await post(`/opening-rules/${ruleId}/end`, { lastDay: "2026-06-30" })).statusCode).toBe(200);
    expect(
      (
        await post("/closures", {
          siteId: meaux,
          startsAt: "2026-06-23T08:00:00.000Z",
          endsAt: "2026-06-23T16:00:00.000Z",
        })
      ).statusCode,
    ).toBe(200);

    // Once the convocations are cancelled, the stop goes through.
    for (const id of [first, second]) {
      const cancelled = await t.app.inject({
        method: "POST",
        url: `/api/convocations/${id}/status`,
        headers: await t.sessionFor(demo.cpip),
        payload: { status: "cancelled" },
      });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
    }
    expect((await post(`/opening-rules/${ruleId}/end`, { lastDay: "2026-06-22" })).statusCode).toBe(200);
    const [ended] = await t.handle.db.select().from(openingRule).where(eq(openingRule.id, ruleId));
    expect(ended!.validTo).toBe("2026-06-22");
    expect(
      (await t.handle.db.select().from(convocation).where(eq(convocation.id, first))).map((c) => c.status),
    ).toEqual(["cancelled"]);
  });

  it("a period ending before it starts by a fraction of a second, or a stop dated in the past: refused, nothing written", async () => {
    const closuresBefore = await t.handle.db.select().from(siteClosure);
    const absencesBefore = await t.handle.db.select().from(counselorAbsence);
    const rulesBefore = await t.handle.db.select().from(openingRule);
    // "…10:00:00.5Z" sorts before "…10:00:00Z" as text but comes after it in time.
    const reversed = { startsAt: "2026-07-07T10:00:00.5Z", endsAt: "2026-07-07T10:00:00Z" };
    const closure = await post("/closures", { siteId: meaux, ...reversed, reason: "" });
    expect(closure.statusCode, closure.body).toBe(400);
    expect(closure.json().issues).toEqual([{ path: "body.endsAt", message: "La fin doit suivre le début." }]);
    const absence = await post("/absences", { userId: await t.userId(demo.counselor), ...reversed });
    expect(absence.statusCode, absence.body).toBe(400);
    const previewed = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/openings/stranded?siteId=${meaux}&startsAt=${reversed.startsAt}&endsAt=${reversed.endsAt}`,
      headers: await t.sessionFor(demo.manager),
    });
    expect(previewed.statusCode).toBe(400);
    // Today is 1 June 2026: the last day may be 31 May (the permanence stops today), not before.
    const past = await post(`/opening-rules/${ruleId}/end`, { lastDay: "2026-05-30" });
    expect(past.statusCode, past.body).toBe(409);
    expect(past.json().code).toBe("convocation.ruleEndInPast");
    expect(await t.handle.db.select().from(siteClosure)).toEqual(closuresBefore);
    expect(await t.handle.db.select().from(counselorAbsence)).toEqual(absencesBefore);
    expect(await t.handle.db.select().from(openingRule)).toEqual(rulesBefore);
  });
});
