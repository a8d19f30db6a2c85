import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convocation, notification, person, service, site } from "../db/schema";
import { seedDemoDetention } from "../db/seed/demoDetention";
import { establishmentOf } from "../domains/detention/queries";
import { recipients } from "../domains/notifications/outbox";
import { aPerson } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * One rule decides, for a convocation's day, whether the person is held (ADR 0028, addendum
 * "messages"): the place rule (`establishmentOf`, the booking's 409), the outbox (`recipients`:
 * SMS/e-mail sent or not) and the convocations' `messages` flag agree, whatever the detention.
 * The test clock reads Monday 1 June 2026, 11:00 in Paris; the convocation is on Tuesday 9 June.
 */
let t: TestApp;
let sites: Record<string, string>;
let spipId: string;
const PRISON = "Centre pénitentiaire de Meaux-Chauconin";
const SAS = "SAS de Meaux";
const DAY = "2026-06-09";
const AT_9 = "2026-06-09T07:00:00.000Z";
const AT_10 = "2026-06-09T08:00:00.000Z";

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoDetention(t.handle.db, new Date("2026-06-01T09:00:00Z"));
  sites = Object.fromEntries((await t.handle.db.select().from(site)).map((s) => [s.name, s.id]));
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  spipId = spip!.id;
});
afterAll(() => t.close());

let n = 0;
async function aContactable(): Promise<string> {
  n += 1;
  const { id } = await aPerson(t.handle.db, {
    structureId: t.demoStructureId,
    referentUserId: await t.userId(demo.cpip),
    referentServiceId: spipId,
    identity: { phone: `+336112200${String(n).padStart(2, "0")}` },
  });
  await t.handle.db
    .update(person)
    .set({ email: `msg${n}@exemple.invalid` })
    .where(eq(person.id, id));
  return id;
}

const book = async (personId: string, startsAt: string) =>
  t.app.inject({
    method: "POST",
    url: "/api/convocations",
    headers: await t.sessionFor(demo.cpip),
    payload: {
      personId,
      siteId: sites.Meaux,
      startsAt,
      needDomains: ["acces-aux-droits"],
      notifySms: true,
      notifyEmail: true,
      // 9:00 then 10:00 the same morning: the second is confirmed (the place rule is tested here).
      confirmSameHalfDay: true,
    },
  });

const setDetention = async (personId: string, detention: Record<string, unknown>) => {
  const response = await t.app.inject({
    method: "PUT",
    url: `/api/people/${personId}`,
    headers: await t.sessionFor(demo.cpip),
    payload: { detention: { prisonNumber: "77-26-0100", ...detention } },
  });
  expect(response.statusCode, response.body).toBe(200);
};

const messagesFlag = async (
  convocationId: string,
): Promise<{ messages: boolean; silentBecause: string | null }> => {
  const list = await t.app.inject({
    method: "GET",
    url: `/api/convocations?personId=${(await t.handle.db.select().from(convocation).where(eq(convocation.id, convocationId)))[0]!.personId}`,
    headers: await t.sessionFor(demo.cpip),
  });
  expect(list.statusCode, list.body).toBe(200);
  const { messages, silentBecause } = list
    .json()
    .convocations.find((c: { id: string }) => c.id === convocationId);
  return { messages, silentBecause };
};

const pendingOf = (convocationId: string) =>
  t.handle.db
    .select()
    .from(notification)
    .where(and(eq(notification.convocationId, convocationId), eq(notification.status, "pending")));

type Case = { name: string; detention: Record<string, unknown>; held: string | null };
const cases = (): Case[] => [
  { name: "held, no expected release", detention: { siteId: sites[PRISON] }, held: sites[PRISON]! },
  {
    name: "expected release before the day",
    detention: { siteId: sites[PRISON], expectedReleaseDate: "2026-06-05" },
    held: null,
  },
  {
    name: "expected release on the day",
    detention: { siteId: sites[PRISON], expectedReleaseDate: DAY },
    held: null,
  },
  {
    name: "expected release after the day",
    detention: { siteId: sites[PRISON], expectedReleaseDate: "2026-06-10" },
    held: sites[PRISON]!,
  },
  {
    name: "recorded release before the day (later than expected)",
    detention: { siteId: sites[PRISON], expectedReleaseDate: "2026-06-20", releasedOn: "2026-05-30" },
    held: null,
  },
  // A recorded release is today at the latest (a later one is refused, detentionRelease.test.ts).
  {
    name: "recorded release today (expected after the day)",
    detention: { siteId: sites[PRISON], expectedReleaseDate: "2026-06-20", releasedOn: "2026-06-01" },
    held: null,
  },
  {
    name: "transferred to the SAS, expected out after the day",
    detention: { siteId: sites[SAS], expectedReleaseDate: "2026-07-01" },
    held: sites[SAS]!,
  },
];

describe("slots follow the same rule, day by day", () => {
  it("held today, expected out on 5 June: the prison before, the outside sites from that day", async () => {
    const id = await aContactable();
    await setDetention(id, { siteId: sites[PRISON], expectedReleaseDate: "2026-06-05" });
    const response = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/slots?personId=${id}&from=2026-06-01&days=14`,
      headers: await t.sessionFor(demo.cpip),
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.forPerson).toMatchObject({ establishment: { name: PRISON }, releaseDay: "2026-06-05" });
    expect(body.forPerson.siteIds).toEqual(expect.arrayContaining([sites[PRISON], sites.Meaux]));
    const slots = body.slots as { siteId: string; startsAt: string }[];
    expect(slots.some((s) => s.siteId === sites[PRISON])).toBe(true);
    expect(slots.some((s) => s.siteId === sites.Meaux)).toBe(true);
    for (const s of slots) {
      if (s.siteId === sites[PRISON]) expect(s.startsAt < "2026-06-04T22:00:00.000Z").toBe(true);
      else expect(s.startsAt >= "2026-06-04T22:00:00.000Z").toBe(true);
    }
  });
});

describe("the place rule, the outbox and the 'messages' flag agree", () => {
  for (const index of [0, 1, 2, 3, 4, 5, 6]) {
    it(`case ${index + 1}`, async () => {
      const c = cases()[index]!;
      const id = await aContactable();
      // Booked while free: SMS and e-mail chosen, both queued.
      const booked = await book(id, AT_9);
      expect(booked.statusCode, booked.body).toBe(200);
      const convocationId = booked.json().id as string;
      expect((await pendingOf(convocationId)).length).toBeGreaterThan(0);
      if (c.name.startsWith("transferred")) {
        // First in the prison, then moved to the SAS by a correction of the file.
        await setDetention(id, { siteId: sites[PRISON], expectedReleaseDate: "2026-06-05" });
      }
      await setDetention(id, c.detention);
      const heldThen = c.held !== null;

      // 1. The place rule.
      expect(await establishmentOf(t.handle.db, id, DAY), c.name).toBe(c.held);
      const again = await book(id, AT_10);
      expect(again.statusCode, `${c.name}: ${again.body}`).toBe(heldThen ? 409 : 200);
      if (heldThen) expect(again.json().code).toBe("detention.placeOutsideEstablishment");

      // 2. The outbox: channels for the convocation, and what is still to leave.
      const [row] = await t.handle.db.select().from(convocation).where(eq(convocation.id, convocationId));
      const channels = (await recipients(t.handle.db, row!)).map((r) => r.channel).sort();
      expect(channels, c.name).toEqual(heldThen ? [] : ["email", "sms"]);
      const pending = await pendingOf(convocationId);
      expect(pending.length > 0, c.name).toBe(!heldThen);

      // 3. The flag the lists and dialogs show.
      // The dialogs say why not: held on the day, though SMS and e-mail were chosen.
      expect(await messagesFlag(convocationId), c.name).toEqual(
        heldThen ? { messages: false, silentBecause: "detained" } : { messages: true, silentBecause: null },
      );

      if (!heldThen) {
        // A new booking in that state: the flag says what is queued, nothing before the release.
        expect(again.json().messages).toBe(true);
        const queued = await pendingOf(again.json().id);
        expect(queued.map((m) => m.channel).sort()).toEqual(expect.arrayContaining(["email", "sms"]));
        const [who] = await t.handle.db.select().from(person).where(eq(person.id, id));
        const out = who!.releasedOn ?? who!.expectedReleaseDate!;
        const heldToday = out > "2026-06-01";
        for (const m of [...queued, ...pending]) {
          if (heldToday) expect(m.notBefore.getTime()).toBeGreaterThanOrEqual(Date.parse(`${out}T07:00:00Z`));
        }
        // Never two messages of a convocation at once on a channel.
        for (const list of [queued, pending]) {
          const keys = list.map((m) => `${m.channel}|${m.notBefore.toISOString()}`);
          expect(new Set(keys).size, c.name).toBe(keys.length);
        }
      }
      // The seats go back for the next case.
      await t.handle.db.update(convocation).set({ status: "cancelled" }).where(eq(convocation.personId, id));
    });
  }

  it("held on the day: booked inside the establishment, nothing queued and the flag says so", async () => {
    const id = await aContactable();
    await setDetention(id, { siteId: sites[PRISON], expectedReleaseDate: "2026-06-10" });
    const inside = await t.app.inject({
      method: "POST",
      url: "/api/convocations",
      headers: await t.sessionFor(demo.cpip),
      payload: {
        personId: id,
        siteId: sites[PRISON],
        startsAt: "2026-06-04T07:00:00.000Z",
        needDomains: ["acces-aux-droits"],
        notifySms: true,
        notifyEmail: true,
      },
    });
    expect(inside.statusCode, inside.body).toBe(200);
    expect(inside.json()).toMatchObject({
      notifySms: false,
      notifyEmail: false,
      messages: false,
      silentBecause: "detained",
    });
    expect(await t.handle.db.select().from(notification).where(eq(notification.personId, id))).toEqual([]);
  });

  it("free, no SMS nor e-mail chosen: no message either, and the flag says it is the choice", async () => {
    const id = await aContactable();
    const booked = await t.app.inject({
      method: "POST",
      url: "/api/convocations",
      headers: await t.sessionFor(demo.cpip),
      payload: {
        personId: id,
        siteId: sites.Meaux,
        startsAt: AT_9,
        needDomains: ["acces-aux-droits"],
        notifySms: false,
        notifyEmail: false,
      },
    });
    expect(booked.statusCode, booked.body).toBe(200);
    expect(booked.json()).toMatchObject({ messages: false, silentBecause: "noChannel" });
    expect(await messagesFlag(booked.json().id)).toEqual({ messages: false, silentBecause: "noChannel" });
  });
});
