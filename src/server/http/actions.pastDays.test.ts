import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collectiveAction, site } from "../db/schema";
import { TEST_TODAY } from "../testing/constants";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * A collective action « Prévue » is not on a day gone by, and one that already took place is
 * recorded « Tenue » (ADR 0031 addendum): the day is Paris's, by the server's clock, and the field
 * error comes with the body's other problems. The test clock reads Monday 1 June 2026, 11:00 in Paris.
 */
let t: TestApp;
let meaux: string;
const TEST_NOW = new Date(`${TEST_TODAY}T09:00:00Z`);

beforeAll(async () => {
  t = await startTestApp();
  const [found] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  meaux = found!.id;
});
afterEach(() => t.clock.set(TEST_NOW));
afterAll(() => t.close());

const call = async (method: "GET" | "POST" | "PUT", url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: await t.sessionFor(demo.manager),
    ...(payload ? { payload } : {}),
  });
const create = (body: object) =>
  call("POST", `/api/structures/${t.demoStructureId}/collective-actions`, body);
const count = async () => (await t.handle.db.select().from(collectiveAction)).length;
const atelier = (over: Record<string, unknown> = {}) => ({
  kind: "atelier",
  title: "Atelier démarches en ligne",
  day: "2026-06-23",
  startTime: "14:00",
  endTime: "16:00",
  siteId: meaux,
  capacity: 8,
  ...over,
});
const PAST_PLANNED =
  "Date déjà passée : une action « Prévue » a lieu à partir d'aujourd'hui (01/06/2026). Pour une action qui a déjà eu lieu, choisissez le statut « Tenue ».";
const HELD_NOT_YET =
  "Une action « Tenue » a déjà eu lieu : sa date et son heure de début sont passées. Pour une action à venir, choisissez « Prévue ».";

describe("creating an action dated in the past", () => {
  it("« Prévue » the day before is a French 400 under the date, with the other problems, nothing written", async () => {
    const before = await count();
    const past = await create(atelier({ day: "2026-05-31" }));
    expect(past.statusCode).toBe(400);
    expect(past.json().issues).toEqual([{ path: "body.day", message: PAST_PLANNED }]);
    const explicit = await create(atelier({ day: "2026-05-31", status: "planned" }));
    expect(explicit.json().issues).toEqual([{ path: "body.day", message: PAST_PLANNED }]);
    // In one answer with the schema's other problems (an empty title, an end before the start).
    const withOthers = await create(atelier({ day: "2026-05-31", title: "", endTime: "13:00" }));
    expect(withOthers.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.title",
      "body.endTime",
      "body.day",
    ]);
    expect(await count()).toBe(before);
  });

  it("today is not past: « Prévue » today is kept, even at an hour already gone", async () => {
    const created = await create(atelier({ day: TEST_TODAY, startTime: "08:00", endTime: "09:00" }));
    expect(created.statusCode, created.body).toBe(200);
    const [row] = await t.handle.db
      .select()
      .from(collectiveAction)
      .where(eq(collectiveAction.id, created.json().id));
    expect(row?.status).toBe("planned");
  });

  it("the boundary is midnight in Paris, not in UTC", async () => {
    // 31 May, 23:30 in Paris (21:30 UTC): the 31st is today, « Prévue » is taken.
    t.clock.set(new Date("2026-05-31T21:30:00Z"));
    const lastMinutes = await create(atelier({ day: "2026-05-31", startTime: "23:40", endTime: "23:55" }));
    expect(lastMinutes.statusCode, lastMinutes.body).toBe(200);
    // 1 June, 00:30 in Paris (still 31 May in UTC): the 31st has gone by.
    t.clock.set(new Date("2026-05-31T22:30:00Z"));
    const dayAfter = await create(atelier({ day: "2026-05-31" }));
    expect(dayAfter.statusCode).toBe(400);
    expect(dayAfter.json().issues).toEqual([{ path: "body.day", message: PAST_PLANNED }]);
  });

  it("« Tenue » records an action that took place; not one to come, nor one starting later today", async () => {
    const held = await create(atelier({ day: "2026-05-28", status: "held" }));
    expect(held.statusCode, held.body).toBe(200);
    const detail = await call("GET", `/api/collective-actions/${held.json().id}`);
    expect(detail.json()).toMatchObject({ status: "held", day: "2026-05-28" });
    const heldThisMorning = await create(atelier({ day: TEST_TODAY, startTime: "09:00", status: "held" }));
    expect(heldThisMorning.statusCode, heldThisMorning.body).toBe(200);

    const before = await count();
    const tomorrow = await create(atelier({ day: "2026-06-02", status: "held" }));
    expect(tomorrow.statusCode).toBe(400);
    expect(tomorrow.json().issues).toEqual([{ path: "body.status", message: HELD_NOT_YET }]);
    // Today at 14:00, while it is 11:00: not held yet (the use case reads the time).
    const thisAfternoon = await create(atelier({ day: TEST_TODAY, startTime: "14:00", status: "held" }));
    expect(thisAfternoon.statusCode).toBe(400);
    expect(thisAfternoon.json().issues).toEqual([{ path: "body.status", message: HELD_NOT_YET }]);
    const cancelled = await create(atelier({ status: "cancelled" }));
    expect(cancelled.json().issues).toEqual([
      { path: "body.status", message: "Choisissez le statut : prévue ou tenue." },
    ]);
    expect(await count()).toBe(before);
  });
});

describe("editing an action « Prévue »", () => {
  it("moving it to a day gone by is refused under the date; one whose day has passed keeps it", async () => {
    const created = await create(atelier());
    const id = created.json().id;
    const moved = await call("PUT", `/api/collective-actions/${id}`, atelier({ day: "2026-05-29" }));
    expect(moved.statusCode).toBe(400);
    expect(moved.json().issues).toEqual([
      {
        path: "body.day",
        message: "Date déjà passée : une action « Prévue » ne se déplace pas avant aujourd'hui (01/06/2026).",
      },
    ]);
    const [row] = await t.handle.db.select().from(collectiveAction).where(eq(collectiveAction.id, id));
    expect(row?.startsAt.toISOString()).toBe("2026-06-23T12:00:00.000Z");
    const today = await call("PUT", `/api/collective-actions/${id}`, atelier({ day: TEST_TODAY }));
    expect(today.statusCode, today.body).toBe(200);

    // Two days later its day has passed: its title and times are still corrected (its outcomes are
    // to be recorded), its day is not moved further back.
    t.clock.set(new Date("2026-06-03T09:00:00Z"));
    const retitled = await call(
      "PUT",
      `/api/collective-actions/${id}`,
      atelier({ day: TEST_TODAY, startTime: "14:30", title: "Atelier démarches en ligne (CAF)" }),
    );
    expect(retitled.statusCode, retitled.body).toBe(200);
    const back = await call("PUT", `/api/collective-actions/${id}`, atelier({ day: "2026-05-30" }));
    expect(back.json().issues?.map((i: { path: string }) => i.path)).toEqual(["body.day"]);
  });
});

describe("editing an action « Tenue »", () => {
  it("moving it to a day to come is refused under the date; today or another past day is kept", async () => {
    const created = await create(atelier({ day: "2026-05-28", status: "held" }));
    const id = created.json().id;
    const coming = await call("PUT", `/api/collective-actions/${id}`, atelier({ day: "2026-06-02" }));
    expect(coming.statusCode).toBe(400);
    expect(coming.json().issues).toEqual([
      {
        path: "body.day",
        message:
          "Date à venir : une action « Tenue » a déjà eu lieu, sa date ne va pas après aujourd'hui (01/06/2026).",
      },
    ]);
    const [row] = await t.handle.db.select().from(collectiveAction).where(eq(collectiveAction.id, id));
    expect(row?.startsAt.toISOString()).toBe("2026-05-28T12:00:00.000Z");
    const earlier = await call("PUT", `/api/collective-actions/${id}`, atelier({ day: "2026-05-27" }));
    expect(earlier.statusCode, earlier.body).toBe(200);
    const today = await call(
      "PUT",
      `/api/collective-actions/${id}`,
      atelier({ day: TEST_TODAY, startTime: "08:00" }),
    );
    expect(today.statusCode, today.body).toBe(200);
  });
});

describe("a creation « Prévue » sent again after midnight (its answer lost)", () => {
  it("answers the action created before midnight; a new one for that day is still refused", async () => {
    // 31 May, 23:59 in Paris (21:59 UTC): an action « Prévue » that evening, until 23:59.
    t.clock.set(new Date("2026-05-31T21:59:00Z"));
    const withoutId = atelier({ day: "2026-05-31", startTime: "23:30", endTime: "23:59" });
    const body = { id: crypto.randomUUID(), ...withoutId };
    const first = await create(body);
    expect(first.statusCode, first.body).toBe(200);
    const before = await count();
    // The answer was lost; « Enregistrer » clicked again at 00:01 on 1 June in Paris (still 31 May
    // in UTC): the action already written is the answer, nothing written (ADR 0036).
    t.clock.set(new Date("2026-05-31T22:01:00Z"));
    const again = await create(body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await count()).toBe(before);
    // Other values under that id: the retry's 409, not the day's 400.
    const changed = await create({ ...body, title: "Autre titre" });
    expect(changed.statusCode, changed.body).toBe(409);
    // Another id, or none, for that day: a new action « Prévue » on a day gone by, refused as before.
    const fresh = await create({ ...body, id: crypto.randomUUID() });
    expect(fresh.statusCode).toBe(400);
    expect(fresh.json().issues).toEqual([{ path: "body.day", message: PAST_PLANNED }]);
    const noId = await create(withoutId);
    expect(noId.json().issues).toEqual([{ path: "body.day", message: PAST_PLANNED }]);
    expect(await count()).toBe(before);
  });
});
