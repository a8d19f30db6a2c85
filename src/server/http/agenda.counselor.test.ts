import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConvocationList } from "../../common/agenda/agenda.schema";
import { convocation, counselorAbsence, service, site } from "../db/schema";
import { aConvocation, aPerson } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The counselor's agenda (ADR 0014 addendum of 2026-12-06, DESIGN §2 "agenda of their sites"): a
 * counselor lists the convocations of the sites where she holds a permanence that day, the same rule
 * as the statuses she sets (`agenda/policies.ts#holdsPermanence`), enforced in the query. Today is
 * Monday 1 June 2026. Inès (conseiller) is in the pools of the three sites; Nicolas (cpip2), a CPIP
 * and a counselor, in Meaux's only.
 */
let t: TestApp;
let sites: Record<string, string>;
let spipServiceId: string;
beforeAll(async () => {
  t = await startTestApp();
  const rows = await t.handle.db.select().from(site).where(eq(site.structureId, t.demoStructureId));
  sites = Object.fromEntries(rows.map((s) => [s.name, s.id]));
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  spipServiceId = spip!.id;
});
afterAll(() => t.close());

const list = async (email: string, query: string): Promise<ConvocationList> => {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/convocations?${query}`,
    headers: await t.sessionFor(email),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};
const idsOf = (answer: ConvocationList): string[] => answer.convocations.map((c) => c.id);

/** A file referred by `referentEmail`, convoked at `siteName` at `startsAt` (booked by the referent). */
async function convoked(referentEmail: string, siteName: string, startsAt: string, status = "planned") {
  const referentUserId = await t.userId(referentEmail);
  const person = await aPerson(t.handle.db, {
    structureId: t.demoStructureId,
    referentUserId,
    referentServiceId: spipServiceId,
  });
  const c = await aConvocation(t.handle.db, {
    personId: person.id,
    structureId: t.demoStructureId,
    bookedBy: referentUserId,
    siteId: sites[siteName]!,
    startsAt: new Date(startsAt),
    status: status as "planned",
  });
  return c.id;
}

describe("GET /api/convocations, a counselor's agenda", () => {
  const week = "from=2026-06-01&to=2026-06-14";

  it("Nicolas lists Meaux's convocations, not another site's (but the people he refers as a CPIP); Inès and the direction every site", async () => {
    // Camille's people, whom Nicolas reads read-only as a CPIP of the service, and his own.
    const meaux = await convoked(demo.cpip, "Meaux", "2026-06-02T07:00:00Z");
    const fontainebleau = await convoked(demo.cpip, "Fontainebleau", "2026-06-08T07:00:00Z");
    const rochette = await convoked(demo.cpip, "La Rochette", "2026-06-03T07:00:00Z");
    const hisOwn = await convoked(demo.cpip2, "Fontainebleau", "2026-06-08T08:00:00Z");

    const nicolas = await list(demo.cpip2, week);
    expect(idsOf(nicolas)).toEqual(expect.arrayContaining([meaux, hisOwn]));
    expect(idsOf(nicolas)).not.toContain(fontainebleau);
    expect(idsOf(nicolas)).not.toContain(rochette);
    // Every row he sees as a counselor only is one he acts on.
    const byId = new Map(nicolas.convocations.map((c) => [c.id, c]));
    expect(byId.get(meaux)?.permissions.setStatus).toBe(true);
    // The server's rule, not the page's: asking for another site gives only his own people there.
    const askedElsewhere = await list(demo.cpip2, `${week}&siteId=${sites.Fontainebleau}`);
    expect(idsOf(askedElsewhere)).toContain(hisOwn);
    expect(idsOf(askedElsewhere)).not.toContain(fontainebleau);
    expect(idsOf(await list(demo.cpip2, `${week}&siteId=${sites["La Rochette"]}`))).not.toContain(rochette);
    // His permanence days: Meaux every day of the period (the site, not the weekday).
    expect(nicolas.permanenceDays).toHaveLength(14);
    expect(nicolas.permanenceDays?.every((d) => d.sites.map((s) => s.name).join() === "Meaux")).toBe(true);

    const ines = await list(demo.counselor, week);
    expect(idsOf(ines)).toEqual(expect.arrayContaining([meaux, fontainebleau, rochette, hisOwn]));
    expect(ines.permanenceDays?.[0]?.sites.map((s) => s.name)).toEqual([
      "Fontainebleau",
      "La Rochette",
      "Meaux",
    ]);
    const direction = await list(demo.manager, week);
    expect(idsOf(direction)).toEqual(expect.arrayContaining([meaux, fontainebleau, rochette, hisOwn]));
    expect(direction.permanenceDays).toBeNull();
    // Camille's agenda: her people, not the ones of Nicolas she reads as a CPIP of the service.
    const camille = await list(demo.cpip, week);
    expect(camille.permanenceDays).toBeNull();
    expect(idsOf(camille)).toEqual(expect.arrayContaining([meaux, fontainebleau, rochette]));
    expect(idsOf(camille)).not.toContain(hisOwn);
    // One person's list is their file's, not the agenda: Nicolas reads it (read-only there).
    const [row] = await t.handle.db.select().from(convocation).where(eq(convocation.id, fontainebleau));
    const file = await list(demo.cpip2, `personId=${row!.personId}`);
    expect(file.permanenceDays).toBeNull();
    expect(file.convocations.map((c) => [c.id, c.permissions.setStatus])).toEqual([[fontainebleau, false]]);
  });

  it("the list to fill in follows the same rule", async () => {
    const rochette = await convoked(demo.cpip, "La Rochette", "2026-05-27T07:00:00Z");
    const meaux = await convoked(demo.cpip, "Meaux", "2026-05-26T07:00:00Z");
    const nicolas = await list(demo.cpip2, "toFillIn=true");
    expect(idsOf(nicolas)).toContain(meaux);
    expect(idsOf(nicolas)).not.toContain(rochette);
    expect(nicolas.permanenceDays).toBeNull();
    expect(idsOf(await list(demo.counselor, "toFillIn=true"))).toEqual(
      expect.arrayContaining([meaux, rochette]),
    );
  });

  it("an absence covering a convocation takes it out of the counselor's agenda and hands; a shorter one does not", async () => {
    const morning = await convoked(demo.cpip, "La Rochette", "2026-06-10T07:00:00Z");
    const afternoon = await convoked(demo.cpip, "La Rochette", "2026-06-10T12:00:00Z");
    const inesId = await t.userId(demo.counselor);
    // Absent on Wednesday 10 June morning (Paris), back at 13 h.
    await t.handle.db.insert(counselorAbsence).values({
      userId: inesId,
      startsAt: new Date("2026-06-09T22:00:00Z"),
      endsAt: new Date("2026-06-10T11:00:00Z"),
      reason: "Formation",
    });
    const ines = await list(demo.counselor, "from=2026-06-10&to=2026-06-11");
    expect(idsOf(ines)).toContain(afternoon);
    expect(idsOf(ines)).not.toContain(morning);
    // Not absent the whole day: she still holds her permanences on the 10th.
    expect(ines.permanenceDays?.[0]?.sites).toHaveLength(3);
    const status = async (id: string, email: string) =>
      t.app.inject({
        method: "POST",
        url: `/api/convocations/${id}/status`,
        headers: await t.sessionFor(email),
        payload: { status: "cancelled" },
      });
    expect((await status(morning, demo.counselor)).statusCode).toBe(403);
    expect((await status(morning, demo.manager)).statusCode).toBe(200);

    // Absent the whole of Thursday 11 June: no permanence that day, the page says so.
    await t.handle.db.insert(counselorAbsence).values({
      userId: inesId,
      startsAt: new Date("2026-06-10T22:00:00Z"),
      endsAt: new Date("2026-06-11T22:00:00Z"),
      reason: "Congé",
    });
    const thursday = await convoked(demo.cpip, "Meaux", "2026-06-11T07:00:00Z");
    const absent = await list(demo.counselor, "from=2026-06-11&to=2026-06-11");
    expect(absent.permanenceDays).toEqual([{ day: "2026-06-11", sites: [] }]);
    expect(idsOf(absent)).not.toContain(thursday);
    expect(idsOf(await list(demo.cpip2, "from=2026-06-11&to=2026-06-11"))).toContain(thursday);
  });
});
