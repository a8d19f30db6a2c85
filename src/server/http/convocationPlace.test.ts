import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convocation, notification, person, service, site } from "../db/schema";
import { seedDemoDetention } from "../db/seed/demoDetention";
import { aPerson } from "../testing/builders";
import { createCollectiveAction } from "../testing/collectiveActions";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Where a person may be convoked (ADR 0028, addendum "place"): a detainee only inside their own
 * establishment, anyone else never inside a prison or a SAS — in the slot search, the booking, the
 * report and the convocation to a collective action. The test clock reads Monday 1 June 2026, 11:00
 * in Paris; the prison's permanence is on Thursdays 9:00–12:00 (one counselor: one seat a slot).
 */
let t: TestApp;
let people: Record<string, string>; // last name → id
let sites: Record<string, string>; // name → id
let free: string; // a person in milieu ouvert, referred by demo.cpip
const PRISON = "Centre pénitentiaire de Meaux-Chauconin";
const SAS = "SAS de Meaux";
const MEAUX_TUESDAY_9 = "2026-06-02T07:00:00.000Z";
const thursday = (day: number, hour = 9) =>
  `2026-06-${String(day).padStart(2, "0")}T${String(hour - 2).padStart(2, "0")}:00:00.000Z`;

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoDetention(t.handle.db, new Date("2026-06-01T09:00:00Z"));
  people = Object.fromEntries((await t.handle.db.select().from(person)).map((p) => [p.lastName, p.id]));
  sites = Object.fromEntries((await t.handle.db.select().from(site)).map((s) => [s.name, s.id]));
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  free = (
    await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: await t.userId(demo.cpip),
      referentServiceId: spip!.id,
      identity: { phone: "+33611223344" },
    })
  ).id;
});
afterAll(() => t.close());

const as = (email: string) => t.sessionFor(email);
const convocationsOf = (personId: string) =>
  t.handle.db.select().from(convocation).where(eq(convocation.personId, personId));
const slotsFor = async (personId: string, email: string = demo.cpip) =>
  t.app.inject({
    method: "GET",
    url: `/api/structures/${t.demoStructureId}/slots?personId=${personId}&from=2026-06-01&days=14`,
    headers: await as(email),
  });
const book = async (personId: string, siteId: string, startsAt: string, email: string = demo.cpip) =>
  t.app.inject({
    method: "POST",
    url: "/api/convocations",
    headers: await as(email),
    payload: {
      personId,
      siteId,
      startsAt,
      needDomains: ["acces-aux-droits"],
      notifySms: true,
      notifyEmail: false,
    },
  });

describe("slot search for a person", () => {
  it("a detainee is offered the permanences of their establishment only, and told which it is", async () => {
    const response = await slotsFor(people.Amrani!);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.forPerson).toEqual({
      siteIds: [sites[PRISON]],
      establishment: { id: sites[PRISON], name: PRISON },
      releaseDay: "2026-06-21",
    });
    expect(body.slots.length).toBeGreaterThan(0);
    expect(new Set(body.slots.map((s: { siteId: string }) => s.siteId))).toEqual(new Set([sites[PRISON]]));
  });

  it("a person placed in the SAS is offered the SAS only (no permanence there yet: no slot)", async () => {
    const response = await slotsFor(people.Belkacem!, demo.cpip2);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      slots: [],
      forPerson: { siteIds: [sites[SAS]], establishment: { name: SAS } },
    });
  });

  it("a person not detained is offered every site but the prison and the SAS", async () => {
    const response = await slotsFor(free);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.forPerson.establishment).toBeNull();
    expect(body.forPerson.siteIds).not.toContain(sites[PRISON]);
    expect(body.forPerson.siteIds).not.toContain(sites[SAS]);
    expect(body.forPerson.siteIds).toContain(sites.Meaux);
    const siteIds = new Set(body.slots.map((s: { siteId: string }) => s.siteId));
    expect(siteIds.has(sites[PRISON])).toBe(false);
    expect(siteIds.has(sites.Meaux)).toBe(true);
    // Without a person, the prison's slots are listed as before.
    const all = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/slots?from=2026-06-01&days=14`,
      headers: await as(demo.cpip),
    });
    expect(all.json().forPerson).toBeNull();
    expect(all.json().slots.some((s: { siteId: string }) => s.siteId === sites[PRISON])).toBe(true);
  });

  it("a person the agent does not see is a 404; a malformed id a 400", async () => {
    const other = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/slots?personId=00000000-0000-4000-8000-000000000000`,
      headers: await as(demo.cpip),
    });
    expect(other.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/slots?personId=nope`,
      headers: await as(demo.cpip),
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe("booking and rescheduling", () => {
  it("refuses a detainee outside their establishment with a French 409, writing nothing", async () => {
    const refused = await book(people.Morel!, sites.Meaux!, MEAUX_TUESDAY_9);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: "detention.placeOutsideEstablishment",
      message: expect.stringContaining("détenue au Centre pénitentiaire de Meaux-Chauconin"),
    });
    expect(await convocationsOf(people.Morel!)).toEqual([]);
  });

  it("refuses a person placed in the SAS at the prison", async () => {
    const refused = await book(people.Belkacem!, sites[PRISON]!, thursday(4), demo.cpip2);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("detention.placeOutsideEstablishment");
    expect(refused.json().message).toContain("détenue à la SAS de Meaux");
    expect(await convocationsOf(people.Belkacem!)).toEqual([]);
  });

  it("refuses a person not detained inside the prison, writing nothing", async () => {
    const refused = await book(free, sites[PRISON]!, thursday(4, 10));
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: "detention.placeInsideEstablishment",
      message: expect.stringContaining("Seules les personnes détenues au Centre pénitentiaire"),
    });
    expect(await convocationsOf(free)).toEqual([]);
  });

  it("books a detainee in their establishment and a free person outside", async () => {
    const inside = await book(people.Amrani!, sites[PRISON]!, thursday(4, 11));
    expect(inside.statusCode, inside.body).toBe(200);
    // Told through the establishment: no message promised on a cancellation.
    expect(inside.json()).toMatchObject({ siteName: PRISON, messages: false });
    const outside = await book(free, sites.Meaux!, MEAUX_TUESDAY_9);
    expect(outside.statusCode, outside.body).toBe(200);
    expect(outside.json()).toMatchObject({ notifySms: true, messages: true });
  });

  it("a person released by today is convoked outside, and no more inside the prison", async () => {
    await t.handle.db
      .update(person)
      .set({ releasedOn: "2026-05-29", phone: "+33611223355" })
      .where(eq(person.id, people.Caron!));
    const inside = await book(people.Caron!, sites[PRISON]!, thursday(11));
    expect(inside.statusCode).toBe(409);
    expect(inside.json().code).toBe("detention.placeInsideEstablishment");
    const outside = await book(people.Caron!, sites.Meaux!, MEAUX_TUESDAY_9);
    expect(outside.statusCode, outside.body).toBe(200);
    // Released, the person is reached like anyone else: the SMS summons is queued.
    expect(outside.json()).toMatchObject({ notifySms: true, messages: true });
    const queued = await t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.personId, people.Caron!));
    expect(queued.map((n) => n.channel)).toContain("sms");
    // A release still to come: held today.
    await t.handle.db.update(person).set({ releasedOn: "2026-06-10" }).where(eq(person.id, people.Caron!));
    expect((await slotsFor(people.Caron!)).json().forPerson.establishment).toMatchObject({ name: PRISON });
  });

  it("a report to a place that does not fit is refused and the convocation stays planned", async () => {
    const booked = await book(people.Amrani!, sites[PRISON]!, thursday(11, 10));
    expect(booked.statusCode, booked.body).toBe(200);
    const moved = await t.app.inject({
      method: "POST",
      url: `/api/convocations/${booked.json().id}/reschedule`,
      headers: await as(demo.cpip),
      payload: { siteId: sites.Meaux, startsAt: MEAUX_TUESDAY_9, notifySms: false, notifyEmail: false },
    });
    expect(moved.statusCode).toBe(409);
    expect(moved.json().code).toBe("detention.placeOutsideEstablishment");
    const rows = await convocationsOf(people.Amrani!);
    expect(rows.find((c) => c.id === booked.json().id)?.status).toBe("planned");
    expect(rows.some((c) => c.rescheduledFromId === booked.json().id)).toBe(false);
    const inside = await t.app.inject({
      method: "POST",
      url: `/api/convocations/${booked.json().id}/reschedule`,
      headers: await as(demo.cpip),
      payload: { siteId: sites[PRISON], startsAt: thursday(18), notifySms: false, notifyEmail: false },
    });
    expect(inside.statusCode, inside.body).toBe(200);
  });
});

describe("convocation to a collective action", () => {
  const createAction = (siteId: string, title: string): Promise<string> =>
    createCollectiveAction(t, {
      kind: "information_session",
      title,
      description: "",
      day: "2026-06-20",
      startTime: "09:30",
      endTime: "11:30",
      siteId,
      capacity: 10,
    });
  const convoke = async (actionId: string, personId: string) =>
    t.app.inject({
      method: "POST",
      url: `/api/collective-actions/${actionId}/convocations`,
      headers: await as(demo.cpip),
      payload: { personId, notifySms: true, notifyEmail: false },
    });

  it("a detainee only to an action held in their establishment; a free person never inside", async () => {
    const outside = await createAction(sites.Meaux!, "Forum emploi de Meaux");
    const inside = await createAction(sites[PRISON]!, "Information CAF au centre pénitentiaire");
    const before = (await convocationsOf(people.Morel!)).length;
    const detaineeOutside = await convoke(outside, people.Morel!);
    expect(detaineeOutside.statusCode).toBe(409);
    expect(detaineeOutside.json().code).toBe("detention.placeOutsideEstablishment");
    const freeInside = await convoke(inside, free);
    expect(freeInside.statusCode).toBe(409);
    expect(freeInside.json().code).toBe("detention.placeInsideEstablishment");
    expect(await convocationsOf(people.Morel!)).toHaveLength(before);
    expect((await convocationsOf(free)).some((c) => c.collectiveActionId === inside)).toBe(false);
    expect((await convoke(inside, people.Morel!)).statusCode).toBe(200);
    expect((await convoke(outside, free)).statusCode).toBe(200);
  });
});

describe("people list", () => {
  it("says where each person is held today, so the forms offer only the places that fit", async () => {
    const list = await t.app.inject({
      method: "GET",
      url: "/api/people?mine=true",
      headers: await as(demo.cpip),
    });
    expect(list.statusCode, list.body).toBe(200);
    const byId = new Map(
      (list.json().people as { id: string; heldIn: string | null }[]).map((p) => [p.id, p.heldIn]),
    );
    expect(byId.get(people.Amrani!)).toBe(sites[PRISON]);
    expect(byId.get(free)).toBeNull();
  });
});
