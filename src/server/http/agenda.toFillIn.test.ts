import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConvocationView } from "../../common/agenda/agenda.schema";
import { collectiveAction, convocation, person, site, visit } from "../db/schema";
import { aConvocation } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let karim: string;
/** Fontainebleau, where Inès holds a permanence: her agenda lists its convocations (ADR 0014). */
let fontainebleau: string;
beforeAll(async () => {
  t = await startTestApp();
  const [held] = await t.handle.db.select().from(site).where(eq(site.name, "Fontainebleau"));
  fontainebleau = held!.id;
  const [found] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karim = found!.id;
});
afterAll(() => t.close());

const toFillIn = async (): Promise<ConvocationView[]> => {
  const response = await t.app.inject({
    method: "GET",
    url: "/api/convocations?toFillIn=true",
    headers: await t.sessionFor(demo.counselor),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().convocations;
};

/** A past convocation of Karim, honoured, the person noted arrived (or not). */
async function honoured(startsAt: string, arrived: boolean, collectiveActionId: string | null = null) {
  const row = await aConvocation(t.handle.db, {
    personId: karim,
    structureId: t.demoStructureId,
    bookedBy: await t.userId(demo.cpip),
    siteId: fontainebleau,
    startsAt: new Date(startsAt),
    status: "honoured",
  });
  await t.handle.db
    .update(convocation)
    .set({
      arrivedAt: arrived ? new Date(new Date(startsAt).getTime() - 5 * 60_000) : null,
      collectiveActionId,
    })
    .where(eq(convocation.id, row.id));
  return row;
}

describe("GET /api/convocations?toFillIn=true, the visits to record", () => {
  it("lists a past convocation honoured until its visit is recorded, the arrival noted or not; not a collective action's", async () => {
    const arrived = await honoured("2026-05-26T08:00:00Z", true);
    const notArrived = await honoured("2026-05-26T09:00:00Z", false);
    const [action] = await t.handle.db
      .insert(collectiveAction)
      .values({
        structureId: t.demoStructureId,
        kind: "forum_emploi",
        title: "Forum emploi",
        startsAt: new Date("2026-05-27T08:00:00Z"),
        endsAt: new Date("2026-05-27T11:00:00Z"),
        address: "Salle des fêtes",
      })
      .returning();
    const atAction = await honoured("2026-05-27T08:00:00Z", true, action!.id);

    const listed = await toFillIn();
    const ids = listed.map((c) => c.id);
    expect(ids).toContain(arrived.id);
    // Honoured without « Arrivé·e » noted (the status set straight away): its visit is missing just
    // as much, so it is to fill in too (review 2026-12-06; it used to be left out, never flagged).
    expect(ids).toContain(notArrived.id);
    expect(listed.find((c) => c.id === notArrived.id)).toMatchObject({
      toFillIn: true,
      hasVisit: false,
      permissions: { recordVisit: true },
    });
    expect(ids).not.toContain(atAction.id);
    expect(listed.find((c) => c.id === arrived.id)).toMatchObject({
      status: "honoured",
      toFillIn: true,
      hasVisit: false,
      permissions: { recordVisit: true },
    });

    await t.handle.db.insert(visit).values({
      structureId: t.demoStructureId,
      personId: karim,
      convocationId: arrived.id,
      siteId: arrived.siteId,
      counselorUserId: await t.userId(demo.counselor),
      startedAt: arrived.startsAt,
      durationMinutes: 30,
      autonomy: "guided",
    });
    expect((await toFillIn()).map((c) => c.id)).not.toContain(arrived.id);
  });
});
