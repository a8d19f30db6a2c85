import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { site, visit } from "../db/schema";
import { aConvocation } from "../testing/builders";
import { aContactablePerson } from "../testing/personFiles";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * A person noted arrived early is received before the booked time (`attendanceTooEarly`): the
 * visit recorded then began before it, and the file's « Dernière visite » says so, not the booked
 * time.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const as = (method: "GET" | "POST", url: string, payload?: object) =>
  t.sessionFor(demo.counselor).then((headers) => t.app.inject({ method, url, headers, payload }));

describe("a visit recorded before its booked time", () => {
  it("began when the person was received, not at the booked time: the file's last visit says so", async () => {
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    const personId = await aContactablePerson(t, "+33614099001", "tot@exemple.invalid");
    await convokedOnce(t, personId);
    // Booked at 12 h (Paris), today; the person arrives at 11 h.
    const booked = await aConvocation(t.handle.db, {
      structureId: t.demoStructureId,
      siteId: meaux!.id,
      personId,
      startsAt: new Date("2026-06-01T10:00:00Z"),
      status: "planned",
      bookedBy: await t.userId(demo.cpip),
    });
    t.clock.set(new Date("2026-06-01T09:00:00Z"));
    const arrived = await as("POST", `/api/convocations/${booked.id}/arrival`, { arrived: true });
    expect(arrived.statusCode, arrived.body).toBe(200);
    const honoured = await as("POST", `/api/convocations/${booked.id}/status`, { status: "honoured" });
    expect(honoured.statusCode, honoured.body).toBe(200);
    // Seen for 20 minutes, recorded at 11 h 30: the visit began at 11 h 10.
    t.clock.set(new Date("2026-06-01T09:30:00Z"));
    const recorded = await as("POST", `/api/convocations/${booked.id}/visit`, {
      durationMinutes: 20,
      autonomy: "guided",
    });
    expect(recorded.statusCode, recorded.body).toBe(200);
    const [row] = await t.handle.db.select().from(visit).where(eq(visit.convocationId, booked.id));
    expect(row?.startedAt.toISOString()).toBe("2026-06-01T09:10:00.000Z");
    const file = await as("GET", `/api/people/${personId}`);
    expect(file.statusCode).toBe(200);
    expect(file.json().summary.lastVisitAt).toBe("2026-06-01T09:10:00.000Z");
    t.clock.set(new Date("2026-06-01T09:00:00Z"));
  });
});
