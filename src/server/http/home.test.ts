import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HomeNews } from "../../common/home/home.schema";
import { auditEvent, convocation, homeMarker, orientation, partner, person, site, visit } from "../db/schema";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let karim: string;
let meaux: string;
beforeAll(async () => {
  t = await startTestApp();
  const [found] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karim = found!.id;
  const [place] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  meaux = place!.id;
});
afterAll(() => t.close());

const get = async (url: string, email?: string) =>
  t.app.inject({ method: "GET", url, headers: email ? await t.sessionFor(email) : {} });
const post = async (url: string, payload: object, email?: string) =>
  t.app.inject({ method: "POST", url, payload, headers: email ? await t.sessionFor(email) : {} });

/** A convocation of Karim at Meaux, at `startsAt`, and (optionally) the counselor's visit to it. */
async function aConvocation(startsAt: string, status: "planned" | "honoured" = "planned", siteId = meaux) {
  const [row] = await t.handle.db
    .insert(convocation)
    .values({
      structureId: t.demoStructureId,
      siteId,
      personId: karim,
      startsAt: new Date(startsAt),
      endsAt: new Date(new Date(startsAt).getTime() + 30 * 60_000),
      seat: 2,
      status,
      notifySms: false,
      notifyEmail: false,
      bookedBy: await t.userId(demo.cpip),
    })
    .returning();
  return row!;
}

describe("GET /api/home/news and POST /api/home/seen", () => {
  it("401 anonymous, 403 for the steering or a partner; 400 on a bad instant writes no marker", async () => {
    expect((await get("/api/home/news")).statusCode).toBe(401);
    expect((await get("/api/home/news", demo.steering)).statusCode).toBe(403);
    expect((await get("/api/home/news", demo.partner)).statusCode).toBe(403);
    expect((await post("/api/home/seen", { upTo: "2026-06-01T08:00:00Z" })).statusCode).toBe(401);
    expect((await post("/api/home/seen", { upTo: "hier" }, demo.cpip)).statusCode).toBe(400);
    expect((await post("/api/home/seen", { upTo: "hier" }, demo.counselor)).statusCode).toBe(400);
    expect((await post("/api/home/seen", { upTo: "2026-06-01T08:00:00Z" }, demo.steering)).statusCode).toBe(
      403,
    );
    expect(await t.handle.db.select().from(homeMarker)).toEqual([]);
  });

  it("shows the visit and the counselor's suggestion once, to the referent only; seen, the visit goes and the suggestion stays until a booking", async () => {
    const honoured = await aConvocation("2026-06-01T07:30:00Z", "honoured");
    await t.handle.db.insert(visit).values({
      structureId: t.demoStructureId,
      personId: karim,
      convocationId: honoured.id,
      siteId: meaux,
      counselorUserId: await t.userId(demo.counselor),
      startedAt: honoured.startsAt,
      durationMinutes: 30,
      autonomy: "guided",
      suggestNextInDays: 14,
      suggestion: "Finir le dossier CAF",
      createdAt: new Date("2026-06-01T08:10:00Z"),
    });
    const news = async (email: string): Promise<HomeNews> => (await get("/api/home/news", email)).json();
    const first = await news(demo.cpip);
    const block = first.people.filter((p) => p.personId === karim);
    expect(block).toHaveLength(1);
    expect(
      block[0]!.events.filter(
        (e) => e.kind === "visit" && e.appointmentAt === honoured.startsAt.toISOString(),
      ),
    ).toHaveLength(1);
    expect(block[0]!.reconvoke).toMatchObject({
      inDays: 14,
      suggestedFor: "2026-06-15",
      suggestion: "Finir le dossier CAF",
    });
    // Suggested in 5 days, Saturday 6 June: the day offered is Monday 8, when a permanence can take place.
    await t.handle.db.update(visit).set({ suggestNextInDays: 5 }).where(eq(visit.personId, karim));
    const weekend = (await news(demo.cpip)).people.find((p) => p.personId === karim);
    expect(weekend?.reconvoke).toMatchObject({ inDays: 5, suggestedFor: "2026-06-08" });
    await t.handle.db.update(visit).set({ suggestNextInDays: 14 }).where(eq(visit.personId, karim));
    // Another CPIP of the service reads Karim's file, but Karim is not theirs: no news of him.
    expect((await news(demo.cpip2)).people.map((p) => p.personId)).not.toContain(karim);

    const seen = await post("/api/home/seen", { upTo: first.asOf }, demo.cpip);
    expect(seen.statusCode).toBe(200);
    const after = (await news(demo.cpip)).people.find((p) => p.personId === karim);
    expect(after?.events).toEqual([]);
    expect(after?.reconvoke?.inDays).toBe(14);

    // Booked since: no suggestion left.
    await aConvocation("2026-06-16T07:00:00Z");
    expect((await news(demo.cpip)).people.find((p) => p.personId === karim)).toBeUndefined();
  });
});

describe("GET /api/home/news, the counselor's", () => {
  it("lists the answers to the orientations she sent about people she follows, journals the read, and forgets them once seen", async () => {
    const counselorId = await t.userId(demo.counselor);
    const cpipId = await t.userId(demo.cpip);
    await aConvocation("2026-05-20T08:00:00Z", "honoured");
    // A person of the structure never convoked there: not hers to follow, whoever wrote the orientation.
    const [unconvoked] = await t.handle.db
      .select({ id: person.id })
      .from(person)
      .where(
        and(
          eq(person.structureId, t.demoStructureId),
          isNull(person.closedAt),
          isNull(person.mergedIntoId),
          sql`not exists (select 1 from convocation c where c.person_id = ${person.id})`,
        ),
      )
      .limit(1);
    const [caf] = await t.handle.db.select().from(partner).where(eq(partner.code, "caf"));
    // Answered after the referent last marked the news seen (the test above), this morning.
    const answered = new Date("2026-06-01T10:00:00Z");
    t.clock.set(new Date("2026-06-01T11:00:00Z"));
    const base = { structureId: t.demoStructureId, personId: karim, reason: "RSA", answeredAt: answered };
    await t.handle.db.insert(orientation).values([
      // Hers: accepted by the CAF, refused by the mediation, completed.
      {
        ...base,
        target: "partner_back_office",
        partnerId: caf!.id,
        status: "accepted",
        createdBy: counselorId,
      },
      {
        ...base,
        target: "mediation",
        status: "refused",
        refusalReason: "Hors de notre champ",
        createdBy: counselorId,
      },
      // Still waiting for an answer: nothing new.
      {
        ...base,
        target: "partner_back_office",
        partnerId: caf!.id,
        status: "sent",
        answeredAt: null,
        createdBy: counselorId,
      },
      // The CPIP's own orientation, about the same person: the CPIP's news, not hers.
      {
        ...base,
        target: "partner_back_office",
        partnerId: caf!.id,
        status: "completed",
        outcome: "Droits ouverts",
        completedAt: answered,
        createdBy: cpipId,
      },
      // Hers, about a person she does not follow.
      { ...base, personId: unconvoked!.id, target: "mediation", status: "accepted", createdBy: counselorId },
    ]);

    const response = await get("/api/home/news", demo.counselor);
    expect(response.statusCode).toBe(200);
    const news = response.json() as HomeNews;
    expect(news.people.map((p) => p.personId)).toEqual([karim]);
    const events = news.people[0]!.events.map((e) => [e.kind, e.place, e.detail]);
    expect(events).toHaveLength(2);
    expect(events).toContainEqual(["orientation_accepted", caf!.name, ""]);
    expect(events).toContainEqual([
      "orientation_refused",
      "Médiation de l'association",
      "Hors de notre champ",
    ]);
    // Never the CPIP's people's other news, nor a suggestion to convoke.
    expect(news.people[0]!.reconvoke).toBeNull();
    // The read is journaled, naming the person.
    const journal = await t.handle.db
      .select({ targetId: auditEvent.targetId })
      .from(auditEvent)
      .where(eq(auditEvent.actorUserId, counselorId));
    expect(journal.map((j) => j.targetId)).toContain(karim);
    // The referent reads the CPIP's answer and hers (about the person they refer).
    const ofCpip = ((await get("/api/home/news", demo.cpip)).json() as HomeNews).people.find(
      (p) => p.personId === karim,
    );
    expect(ofCpip?.events.filter((e) => e.kind.startsWith("orientation_")).length).toBe(3);

    expect((await post("/api/home/seen", { upTo: news.asOf }, demo.counselor)).statusCode).toBe(200);
    expect(((await get("/api/home/news", demo.counselor)).json() as HomeNews).people).toEqual([]);
    t.clock.set(new Date("2026-06-01T09:00:00Z"));
  });
});

describe("POST /api/home/seen, the marker", () => {
  it("is never set in the future, and never goes back", async () => {
    const future = await post("/api/home/seen", { upTo: "2099-01-01T00:00:00.000Z" }, demo.cpip2);
    expect(future.statusCode).toBe(200);
    const { seenUpTo } = future.json() as { seenUpTo: string };
    expect(new Date(seenUpTo).getTime()).toBeLessThan(new Date("2099-01-01T00:00:00.000Z").getTime());
    const earlier = await post("/api/home/seen", { upTo: "2020-01-01T00:00:00.000Z" }, demo.cpip2);
    expect(earlier.statusCode).toBe(200);
    expect(earlier.json()).toEqual({ seenUpTo });
    const markers = await t.handle.db
      .select()
      .from(homeMarker)
      .where(eq(homeMarker.userId, await t.userId(demo.cpip2)));
    expect(markers.map((m) => m.seenUpTo.toISOString())).toEqual([seenUpTo]);
  });

  it("goes back to the instant asked when the marking is undone, and says so in the journal", async () => {
    const before = "2026-05-01T08:00:00.000Z";
    // Marked (the marker, set by the test above, is already later than `before`)…
    const marked = await post("/api/home/seen", { upTo: before }, demo.cpip2);
    expect(new Date(marked.json().seenUpTo).getTime()).toBeGreaterThan(new Date(before).getTime());
    // … then undone: back to the `since` the page showed.
    const undone = await post("/api/home/seen", { upTo: before, undo: true }, demo.cpip2);
    expect(undone.statusCode).toBe(200);
    expect(undone.json()).toEqual({ seenUpTo: before });
    const [marker] = await t.handle.db
      .select()
      .from(homeMarker)
      .where(eq(homeMarker.userId, await t.userId(demo.cpip2)));
    expect(marker?.seenUpTo.toISOString()).toBe(before);
    const journaled = await t.handle.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(eq(auditEvent.actorUserId, await t.userId(demo.cpip2)));
    expect(journaled.map((e) => e.action)).toContain("home.news_seen_undone");
    // Only `true` undoes: anything else is malformed, and changes nothing.
    expect((await post("/api/home/seen", { upTo: before, undo: false }, demo.cpip2)).statusCode).toBe(400);
    expect((await post("/api/home/seen", { upTo: before, undo: "oui" }, demo.cpip2)).statusCode).toBe(400);
  });
});

describe("GET /api/home/permanence", () => {
  it("401 anonymous, 403 for a CPIP only; the counselor's day in time order, with the arrival", async () => {
    expect((await get("/api/home/permanence")).statusCode).toBe(401);
    expect((await get("/api/home/permanence", demo.cpip)).statusCode).toBe(403);
    expect((await get("/api/home/permanence", demo.steering)).statusCode).toBe(403);
    // The counselor's sites today (from the opening rules), or every site when none.
    const before = (await get("/api/home/permanence", demo.counselor)).json();
    const siteId: string = before.sites[0]?.id ?? meaux;
    const later = await aConvocation("2026-06-01T12:00:00Z", "planned", siteId);
    const earlier = await aConvocation("2026-06-01T11:00:00Z", "planned", siteId);
    await aConvocation("2026-06-02T08:00:00Z", "planned", siteId);
    await t.handle.db
      .update(convocation)
      .set({ arrivedAt: new Date("2026-06-01T10:50:00Z") })
      .where(and(eq(convocation.id, earlier.id)));
    const response = await get("/api/home/permanence", demo.counselor);
    expect(response.statusCode).toBe(200);
    const day = response.json();
    expect(day.day).toBe("2026-06-01");
    const ids = day.convocations.map((c: { id: string }) => c.id);
    expect(ids.indexOf(earlier.id)).toBeLessThan(ids.indexOf(later.id));
    const times = day.convocations.map((c: { startsAt: string }) => c.startsAt);
    expect(times).toEqual([...times].sort());
    expect(day.convocations.find((c: { id: string }) => c.id === earlier.id)).toMatchObject({
      arrivedAt: "2026-06-01T10:50:00.000Z",
      permissions: { arrive: true },
    });
    expect(day.convocations.every((c: { startsAt: string }) => c.startsAt.startsWith("2026-06-01"))).toBe(
      true,
    );
  });
});
