import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demarche, demarcheEvent, demarcheType, needAssessment, site, visit } from "../db/schema";
import { aConvocation } from "../testing/builders";
import { aContactablePerson } from "../testing/personFiles";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * A visit recorded late (review, 2026-12-06): the visit of Monday 30 November, recorded on Tuesday
 * 1 December, dated its démarches, their history, their outcome and the needs at the recording, so
 * « Démarches engagées » counted them in December. What the visit started, changed or assessed now
 * carries the visit's instant (its Paris day, its month).
 */
let t: TestApp;
let meauxId: string;
let types: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  meauxId = meaux!.id;
  types = Object.fromEntries((await t.handle.db.select().from(demarcheType)).map((d) => [d.code, d.id]));
});
afterAll(() => t.close());

const as = async (email: string, method: "GET" | "POST", url: string, payload?: object) =>
  t.app.inject({ method, url, headers: await t.sessionFor(email), payload });

const demarchesOf = async (month: string): Promise<number> => {
  const response = await as(
    demo.manager,
    "GET",
    `/api/reporting/dashboard?from=${month}&to=${month}&structureId=${t.demoStructureId}`,
  );
  expect(response.statusCode, response.body).toBe(200);
  const figure = response.json().figures.find((f: { id: string }) => f.id === "demarches");
  return figure.value ?? 0;
};

describe("a visit recorded the day after it took place", () => {
  it("dates the démarches it starts or closes and the needs it assesses at the visit: November's figures", async () => {
    const personId = await aContactablePerson(t, "+33614098001", "tard@exemple.invalid");
    await convokedOnce(t, personId);
    // Monday 30 November 2026, 10:00 in Paris (09:00 UTC), honoured.
    const startsAt = new Date("2026-11-30T09:00:00Z");
    const honoured = await aConvocation(t.handle.db, {
      structureId: t.demoStructureId,
      siteId: meauxId,
      personId,
      startsAt,
      status: "honoured",
      bookedBy: await t.userId(demo.cpip),
    });
    // A démarche started between visits on 20 November, closed at the visit.
    t.clock.set(new Date("2026-11-20T10:00:00Z"));
    const earlier = await as(demo.counselor, "POST", `/api/people/${personId}/demarches`, {
      demarcheTypeId: types["caf-rsa"],
      helpLevel: "information",
      status: "in_progress",
    });
    expect(earlier.statusCode, earlier.body).toBe(200);
    const earlierId: string = earlier.json().id;

    const before = { november: await demarchesOf("2026-11"), december: await demarchesOf("2026-12") };
    // Recorded on Tuesday 1 December at 09:00 in Paris.
    t.clock.set(new Date("2026-12-01T08:00:00Z"));
    const recorded = await as(demo.counselor, "POST", `/api/convocations/${honoured.id}/visit`, {
      durationMinutes: 30,
      autonomy: "guided",
      created: [{ demarcheTypeId: types["cpam-css"], helpLevel: "guided", status: "granted" }],
      updated: [{ id: earlierId, status: "granted" }],
      needs: [{ domain: "acces-aux-droits", hasNeed: true, priority: "high", situation: "" }],
    });
    expect(recorded.statusCode, recorded.body).toBe(200);

    const [seen] = await t.handle.db.select().from(visit).where(eq(visit.convocationId, honoured.id));
    expect(seen!.startedAt.toISOString()).toBe(startsAt.toISOString());
    const started = (await t.handle.db.select().from(demarche).where(eq(demarche.personId, personId))).find(
      (d) => d.id !== earlierId,
    )!;
    expect(started.createdAt.toISOString()).toBe(startsAt.toISOString());
    expect(started.outcomeAt?.toISOString()).toBe(startsAt.toISOString());
    const [closed] = await t.handle.db.select().from(demarche).where(eq(demarche.id, earlierId));
    expect(closed!.createdAt.toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(closed!.outcomeAt?.toISOString()).toBe(startsAt.toISOString());
    const events = await t.handle.db.select().from(demarcheEvent).where(eq(demarcheEvent.visitId, seen!.id));
    expect(events.map((e) => e.at.toISOString())).toEqual([startsAt.toISOString(), startsAt.toISOString()]);
    const [need] = await t.handle.db
      .select()
      .from(needAssessment)
      .where(eq(needAssessment.visitId, seen!.id));
    expect(need!.assessedAt.toISOString()).toBe(startsAt.toISOString());

    // The steering figures: the démarche started at the visit is November's, not December's.
    expect(await demarchesOf("2026-11")).toBe(before.november + 1);
    expect(await demarchesOf("2026-12")).toBe(before.december);
  });

  it("a visit recorded the same day keeps its démarches at the visit's instant too (not before the démarche began)", async () => {
    const personId = await aContactablePerson(t, "+33614098002", "meme@exemple.invalid");
    await convokedOnce(t, personId);
    // Thursday 3 December 2026, 14:00 in Paris; a démarche started between visits at 15:00 the
    // same day, then updated at the visit recorded at 17:00: its history stays after its start.
    const startsAt = new Date("2026-12-03T13:00:00Z");
    const honoured = await aConvocation(t.handle.db, {
      structureId: t.demoStructureId,
      siteId: meauxId,
      personId,
      startsAt,
      status: "honoured",
      bookedBy: await t.userId(demo.cpip),
    });
    t.clock.set(new Date("2026-12-03T14:00:00Z"));
    const between = await as(demo.counselor, "POST", `/api/people/${personId}/demarches`, {
      demarcheTypeId: types["caf-rsa"],
      helpLevel: "information",
      status: "in_progress",
    });
    expect(between.statusCode, between.body).toBe(200);
    t.clock.set(new Date("2026-12-03T16:00:00Z"));
    const recorded = await as(demo.counselor, "POST", `/api/convocations/${honoured.id}/visit`, {
      durationMinutes: 30,
      autonomy: "guided",
      updated: [{ id: between.json().id, status: "granted" }],
    });
    expect(recorded.statusCode, recorded.body).toBe(200);
    const [closed] = await t.handle.db.select().from(demarche).where(eq(demarche.id, between.json().id));
    expect(closed!.outcomeAt?.toISOString()).toBe("2026-12-03T14:00:00.000Z");
  });
});
