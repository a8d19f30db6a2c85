import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DUPLICATE_MESSAGE } from "../../common/fields";
import { auditEvent, convocation, demarcheType, notification, person, referent, site } from "../db/schema";
import { aConvocation, aStructure } from "../testing/builders";
import { pdfText } from "../testing/pdfText";
import { demo, PUBLIC_URL, startTestApp, type TestApp } from "../testing/testApp";
import { buildApp } from "./app";

let t: TestApp;
let people: Record<string, string>; // first name → id
let sites: Record<string, string>; // name → id
beforeAll(async () => {
  t = await startTestApp();
  people = Object.fromEntries((await t.handle.db.select().from(person)).map((p) => [p.firstName, p.id]));
  sites = Object.fromEntries((await t.handle.db.select().from(site)).map((s) => [s.name, s.id]));
});
afterAll(() => t.close());

const as = (email?: string) => (email ? t.sessionFor(email) : Promise.resolve({}));
const slotsUrl = () => `/api/structures/${t.demoStructureId}/slots`;
// The test clock: Monday 1 June 2026, 11:00 in Paris. Meaux opens on Tuesdays 9:00–12:30 (Inès + Nicolas).
const MEAUX_TUESDAY_9 = "2026-06-02T07:00:00.000Z";

const book = async (email: string, overrides: Record<string, unknown> = {}) =>
  t.app.inject({
    method: "POST",
    url: "/api/convocations",
    headers: await as(email),
    payload: {
      personId: people.Karim,
      siteId: sites.Meaux,
      startsAt: MEAUX_TUESDAY_9,
      needDomains: ["acces-aux-droits"],
      notifySms: true,
      notifyEmail: false,
      ...overrides,
    },
  });

describe("GET /api/structures/:structureId/slots", () => {
  it("401 anonymous, 403 steering, 400 on a bad window", async () => {
    expect((await t.app.inject({ method: "GET", url: slotsUrl() })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: "GET", url: slotsUrl(), headers: await as(demo.steering) })).statusCode,
    ).toBe(403);
    const bad = await t.app.inject({
      method: "GET",
      url: `${slotsUrl()}?days=400`,
      headers: await as(demo.cpip),
    });
    expect(bad.statusCode).toBe(400);
  });

  it("lists the next free slots of the three sites and the weekly opening (24 h 30)", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: `${slotsUrl()}?days=7`,
      headers: await as(demo.cpip),
    });
    expect(response.statusCode).toBe(200);
    const { slots, weeklyOpeningMinutes } = response.json();
    expect(weeklyOpeningMinutes).toBe(24 * 60 + 30);
    expect(new Set(slots.map((s: { siteName: string }) => s.siteName))).toEqual(
      new Set(["Fontainebleau", "Meaux", "La Rochette"]),
    );
    // Monday's morning slots are within the 2 h lead time: the first is Fontainebleau at 13:30 Paris.
    expect(slots[0]).toMatchObject({ startsAt: "2026-06-01T11:30:00.000Z", siteName: "Fontainebleau" });
    const meaux9 = slots.find((s: { startsAt: string; siteName: string }) => s.startsAt === MEAUX_TUESDAY_9);
    expect(meaux9).toMatchObject({ siteName: "Meaux", capacity: 2, free: 2 });
  });

  it("one site: its slots only; a site unknown or of another structure is a 404, not an empty list", async () => {
    const ofSite = async (siteId: string) =>
      t.app.inject({
        method: "GET",
        url: `${slotsUrl()}?days=7&siteId=${siteId}`,
        headers: await as(demo.cpip),
      });
    const meaux = await ofSite(sites.Meaux!);
    expect(meaux.statusCode).toBe(200);
    expect(new Set(meaux.json().slots.map((s: { siteName: string }) => s.siteName))).toEqual(
      new Set(["Meaux"]),
    );
    const { structure: elsewhere } = await aStructure(t.handle.db);
    const [foreign] = await t.handle.db
      .insert(site)
      .values({ structureId: elsewhere.id, name: "Verdun", kind: "france_services", address: "Verdun" })
      .returning();
    for (const siteId of [foreign!.id, "00000000-0000-4000-8000-000000000000"]) {
      const unknown = await ofSite(siteId);
      expect(unknown.statusCode, unknown.body).toBe(404);
      expect(unknown.json().code).toBe("structure.siteNotFound");
    }
  });
});

describe("POST /api/convocations", () => {
  it("401 anonymous; 400 lists every issue, including the explicit notification choice", async () => {
    expect((await t.app.inject({ method: "POST", url: "/api/convocations", payload: {} })).statusCode).toBe(
      401,
    );
    const response = await book(demo.cpip, {
      needDomains: [],
      notifySms: undefined,
      notifyEmail: undefined,
      startsAt: "demain",
    });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.needDomains", "body.notifyEmail", "body.notifySms", "body.startsAt"]);
  });

  it("a motive or a démarche chosen twice is a 400 in French, and nothing is booked", async () => {
    const before = await t.handle.db.select({ id: convocation.id }).from(convocation);
    const response = await book(demo.cpip, {
      needDomains: ["sante", "sante"],
      demarcheTypeIds: [people.Karim, people.Karim],
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().issues).toEqual([
      { path: "body.needDomains", message: DUPLICATE_MESSAGE },
      { path: "body.demarcheTypeIds", message: DUPLICATE_MESSAGE },
    ]);
    expect(await t.handle.db.select({ id: convocation.id }).from(convocation)).toHaveLength(before.length);
  });

  it("403 for a CPIP who only reads the person (same service, not referent), 404 outside scope", async () => {
    expect((await book(demo.cpip2)).statusCode).toBe(403);
    expect((await book(demo.steering)).statusCode).toBe(403);
    expect((await book(demo.cpip, { personId: "00000000-0000-4000-8000-000000000000" })).statusCode).toBe(
      404,
    );
  });

  it("409 for a past, too close, closed or nonexistent slot, and nothing written", async () => {
    for (const startsAt of [
      "2026-05-26T07:00:00.000Z",
      "2026-06-01T09:30:00.000Z",
      "2026-06-02T07:10:00.000Z",
      "2026-06-03T07:00:00.000Z",
    ]) {
      const response = await book(demo.cpip, { startsAt });
      expect(response.statusCode, startsAt).toBe(409);
      expect(response.json().code).toBe("convocation.slotUnavailable");
    }
    const list = await t.app.inject({
      method: "GET",
      url: "/api/convocations",
      headers: await as(demo.cpip),
    });
    expect(list.json().convocations).toEqual([]);
  });

  it("books up to the number of counselors present, then 409 slotTaken", async () => {
    const first = await book(demo.cpip, { personId: people.Karim });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      status: "planned",
      siteName: "Meaux",
      personName: "BENALI Karim",
      notifySms: true,
    });
    expect((await book(demo.cpip, { personId: people.Julien })).statusCode).toBe(200);
    const third = await book(demo.cpip, { personId: people.Sandrine });
    expect(third.statusCode).toBe(409);
    expect(third.json().code).toBe("convocation.slotTaken");
    const slots = (
      await t.app.inject({ method: "GET", url: `${slotsUrl()}?days=3`, headers: await as(demo.cpip) })
    ).json().slots;
    expect(
      slots.some(
        (s: { startsAt: string; siteName: string }) =>
          s.startsAt === MEAUX_TUESDAY_9 && s.siteName === "Meaux",
      ),
    ).toBe(false);
  });

  it("the same booking sent again (an answer lost): the convocation written comes back, no second seat nor message", async () => {
    const slot = "2026-06-09T09:00:00.000Z"; // Meaux, Tuesday 9 June 11:00
    const first = await book(demo.cpip, { personId: people.Karim, startsAt: slot });
    expect(first.statusCode, first.body).toBe(200);
    const again = await book(demo.cpip, { personId: people.Karim, startsAt: slot });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    // Other choices (no SMS this time) are not the same booking: the person is already convoked.
    const changed = await book(demo.cpip, { personId: people.Karim, startsAt: slot, notifySms: false });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().code).toBe("convocation.alreadyBooked");
    const rows = await t.handle.db
      .select()
      .from(convocation)
      .where(and(eq(convocation.personId, people.Karim!), eq(convocation.startsAt, new Date(slot))));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.notifySms).toBe(true);
    const queued = await t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.convocationId, rows[0]!.id));
    expect(queued.filter((n) => n.kind === "summon")).toHaveLength(1);
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, rows[0]!.id), eq(auditEvent.action, "convocation.booked")));
    expect(journal).toHaveLength(1);
  });

  it("never double-books: many parallel bookings of one slot, exactly its capacity succeed", async () => {
    const slot = "2026-06-02T08:00:00.000Z"; // Meaux 10:00, capacity 2
    const mine = ["Karim", "Julien", "Sandrine", "Mehdi", "Laurent", "Aurélie", "Océane"];
    const headers = await as(demo.cpip);
    const responses = await Promise.all(
      mine.map((name) =>
        t.app.inject({
          method: "POST",
          url: "/api/convocations",
          headers,
          payload: {
            personId: people[name],
            siteId: sites.Meaux,
            startsAt: slot,
            needDomains: ["emploi"],
            notifySms: false,
            notifyEmail: false,
          },
        }),
      ),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 200, 409, 409, 409, 409, 409]);
  });
});

describe("what the CPIP asks at booking", () => {
  it("the counselor reads the démarches to prepare and the CPIP's comment on the convocation", async () => {
    const [apl] = await t.handle.db.select().from(demarcheType).where(eq(demarcheType.code, "caf-apl"));
    const booked = await book(demo.cpip, {
      personId: people.Julien,
      startsAt: "2026-07-07T07:00:00.000Z",
      demarcheTypeIds: [apl!.id],
      comment: "Apporter le bail ; la personne lit peu le français.",
    });
    expect(booked.statusCode, booked.body).toBe(200);
    const listed = await t.app.inject({
      method: "GET",
      url: `/api/convocations?personId=${people.Julien}`,
      headers: await as(demo.counselor),
    });
    expect(listed.statusCode, listed.body).toBe(200);
    const seen = listed.json().convocations.find((c: { id: string }) => c.id === booked.json().id);
    expect(seen).toMatchObject({
      demarchesToPrepare: ["Aide personnalisée au logement (APL)"],
      comment: "Apporter le bail ; la personne lit peu le français.",
      bookedByName: "Camille Martin",
    });
  });
});

describe("POST /api/convocations/:convocationId/reschedule", () => {
  it("cancels the old convocation and books a linked one atomically; a full target slot changes nothing", async () => {
    const original = await book(demo.cpip, {
      personId: people.Océane,
      siteId: sites.Fontainebleau,
      startsAt: "2026-06-08T07:00:00.000Z",
    });
    expect(original.statusCode).toBe(200);
    const id = original.json().id;
    const move = async (payload: object, email: string = demo.cpip) =>
      t.app.inject({
        method: "POST",
        url: `/api/convocations/${id}/reschedule`,
        payload,
        headers: await as(email),
      });
    expect(
      (await t.app.inject({ method: "POST", url: `/api/convocations/${id}/reschedule`, payload: {} }))
        .statusCode,
    ).toBe(401);
    const bad = await move({ siteId: sites.Fontainebleau, startsAt: "2026-06-08T08:00:00.000Z" });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.notifyEmail", "body.notifySms"]);
    const target = {
      siteId: sites.Fontainebleau,
      startsAt: "2026-06-08T08:00:00.000Z",
      notifySms: false,
      notifyEmail: true,
    };
    expect((await move(target, demo.counselor)).statusCode).toBe(403);
    // Fill the target slot (one counselor on Mondays): the move fails and the original stays planned.
    expect(
      (
        await book(demo.cpip, {
          personId: people.Laurent,
          siteId: sites.Fontainebleau,
          startsAt: target.startsAt,
        })
      ).statusCode,
    ).toBe(200);
    expect((await move(target)).json().code).toBe("convocation.slotTaken");
    const mine = async () =>
      (
        await t.app.inject({
          method: "GET",
          url: `/api/convocations?personId=${people.Océane}`,
          headers: await as(demo.cpip),
        })
      ).json().convocations as {
        id: string;
        status: string;
        rescheduledFromId: string | null;
        replacement: { id: string; startsAt: string } | null;
        startsAt: string;
      }[];
    expect((await mine()).find((c) => c.id === id)?.status).toBe("planned");
    const moved = await move({ ...target, startsAt: "2026-06-08T09:00:00.000Z" });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      status: "planned",
      rescheduledFromId: id,
      notifyEmail: true,
      needDomains: ["acces-aux-droits"],
    });
    const after = await mine();
    expect(after.find((c) => c.id === id)?.status).toBe("cancelled");
    // The old one says where it went ("Reportée au…"), in the person's list and the day's agenda.
    expect(after.find((c) => c.id === id)?.replacement).toEqual({
      id: moved.json().id,
      startsAt: "2026-06-08T09:00:00.000Z",
    });
    expect(after.find((c) => c.id === moved.json().id)?.replacement).toBeNull();
    const day = (
      await t.app.inject({
        method: "GET",
        url: `/api/convocations?siteId=${sites.Fontainebleau}&from=2026-06-08&to=2026-06-08`,
        headers: await as(demo.counselor),
      })
    ).json().convocations as { id: string; replacement: { id: string } | null }[];
    expect(day.find((c) => c.id === id)?.replacement?.id).toBe(moved.json().id);
    expect((await move(target)).json().code).toBe("convocation.invalidTransition");
  });
});

describe("the same change sent again after a lost answer (ADR 0036)", () => {
  const post = async (url: string, payload: object) =>
    t.app.inject({ method: "POST", url, headers: await as(demo.cpip), payload });
  /** What a retry must not add: rows, messages, journal rows. */
  const traces = async (ids: string[]) => ({
    convocations: (
      await t.handle.db.select().from(convocation).where(eq(convocation.personId, people.Karim!))
    ).length,
    messages: (await t.handle.db.select().from(notification)).filter(
      (n) => n.convocationId !== null && ids.includes(n.convocationId),
    ).length,
    journal: (await t.handle.db.select().from(auditEvent)).filter((e) => ids.includes(e.targetId)).length,
  });

  it("a reschedule sent again answers the convocation that replaced it; another move stays refused", async () => {
    const original = await book(demo.cpip, { startsAt: "2026-06-23T07:00:00.000Z" });
    expect(original.statusCode, original.body).toBe(200);
    const id = original.json().id;
    const target = {
      siteId: sites.Meaux,
      startsAt: "2026-06-23T08:00:00.000Z",
      notifySms: true,
      notifyEmail: false,
    };
    const first = await post(`/api/convocations/${id}/reschedule`, target);
    expect(first.statusCode, first.body).toBe(200);
    const replacement = first.json();
    expect(replacement).toMatchObject({ status: "planned", rescheduledFromId: id });
    const before = await traces([id, replacement.id]);
    expect(before.messages).toBeGreaterThan(0);

    const again = await post(`/api/convocations/${id}/reschedule`, target);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(replacement);
    // Sent twice at once: one after the other, the same answer.
    const together = await Promise.all([
      post(`/api/convocations/${id}/reschedule`, target),
      post(`/api/convocations/${id}/reschedule`, target),
    ]);
    expect(together.map((r) => r.json().id)).toEqual([replacement.id, replacement.id]);
    expect(await traces([id, replacement.id])).toEqual(before);

    const elsewhere = await post(`/api/convocations/${id}/reschedule`, {
      ...target,
      startsAt: "2026-06-23T09:00:00.000Z",
    });
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().code).toBe("convocation.invalidTransition");
    // The replacement itself still moves normally.
    expect(replacement.permissions.reschedule).toBe(true);
    expect(await traces([id, replacement.id])).toEqual(before);
  });

  it("a reschedule to the convocation's own slot is a 409 sameSlot: nothing cancelled, booked, sent or journaled", async () => {
    const original = await book(demo.cpip, { startsAt: "2026-06-16T07:00:00.000Z", notifyEmail: true });
    expect(original.statusCode, original.body).toBe(200);
    const id = original.json().id;
    const before = await traces([id]);
    expect(before.messages).toBeGreaterThan(0);
    const same = await post(`/api/convocations/${id}/reschedule`, {
      siteId: sites.Meaux,
      startsAt: "2026-06-16T07:00:00.000Z",
      notifySms: true,
      notifyEmail: true,
    });
    expect(same.statusCode, same.body).toBe(409);
    expect(same.json()).toMatchObject({
      code: "convocation.sameSlot",
      message: "C'est déjà le créneau de ce rendez-vous : choisissez-en un autre.",
    });
    expect(await traces([id])).toEqual(before);
    const [still] = await t.handle.db.select().from(convocation).where(eq(convocation.id, id));
    expect(still).toMatchObject({ status: "planned", rescheduledFromId: null });
    // The same time at another site is a move.
    const fontainebleau = await post(`/api/convocations/${id}/reschedule`, {
      siteId: sites.Fontainebleau,
      startsAt: "2026-06-16T07:00:00.000Z",
      notifySms: true,
      notifyEmail: true,
    });
    expect([200, 409]).toContain(fontainebleau.statusCode);
    expect(fontainebleau.json().code).not.toBe("convocation.sameSlot");
  });

  it("a status sent again answers the convocation as it is; a different status stays refused", async () => {
    const booked = await book(demo.cpip, { startsAt: "2026-06-30T07:00:00.000Z" });
    expect(booked.statusCode, booked.body).toBe(200);
    const id = booked.json().id;
    const url = `/api/convocations/${id}/status`;
    const first = await post(url, { status: "excused" });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: "excused", permissions: { setStatus: false } });
    const before = await traces([id]);
    expect(before.messages).toBeGreaterThan(0); // the summons (withdrawn, or followed by the cancellation)

    const again = await post(url, { status: "excused" });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    const together = await Promise.all([post(url, { status: "excused" }), post(url, { status: "excused" })]);
    expect(together.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(await traces([id])).toEqual(before);

    const other = await post(url, { status: "cancelled" });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe("convocation.invalidTransition");
    expect(await traces([id])).toEqual(before);
  });

  it("two cancellations sent at once on a planned convocation: applied once (one journal row)", async () => {
    const booked = await book(demo.cpip, { startsAt: "2026-06-30T08:00:00.000Z" });
    const id = booked.json().id;
    const summoned = await traces([id]);
    const url = `/api/convocations/${id}/status`;
    const together = await Promise.all([
      post(url, { status: "cancelled" }),
      post(url, { status: "cancelled" }),
    ]);
    expect(together.map((r) => r.statusCode)).toEqual([200, 200]);
    const after = await traces([id]);
    expect(after.journal - summoned.journal).toBe(1);
    expect(after.messages - summoned.messages).toBeLessThanOrEqual(1);
  });
});

describe("GET /api/convocations/:convocationId/letter", () => {
  it("401 anonymous, 403 steering, 400 bad id; the referent gets a PDF and the printing is journaled", async () => {
    const booked = await book(demo.cpip, { personId: people.Aurélie, startsAt: "2026-06-02T12:30:00.000Z" });
    const url = `/api/convocations/${booked.json().id}/letter`;
    expect((await t.app.inject({ method: "GET", url })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url, headers: await as(demo.steering) })).statusCode).toBe(
      403,
    );
    expect(
      (await t.app.inject({ method: "GET", url: "/api/convocations/x/letter", headers: await as(demo.cpip) }))
        .statusCode,
    ).toBe(400);
    // A structure that typed its site's address as the SPIP's antenna (as the demo once did).
    await t.handle.db
      .update(site)
      .set({ address: sql`'Antenne SPIP, ' || ${site.address}` })
      .where(eq(site.name, "Meaux"));
    const letter = await t.app.inject({ method: "GET", url, headers: await as(demo.cpip) });
    expect(letter.statusCode).toBe(200);
    expect(letter.headers["content-type"]).toBe("application/pdf");
    expect(letter.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    expect(letter.rawPayload.length).toBeGreaterThan(1500);
    // Read by anyone at the person's home: it never names the probation service nor the measure,
    // not even through the site's address.
    const text = pdfText(letter.rawPayload);
    expect(text).toContain("rendez-vous");
    expect(text).toContain("5 rue du Palais de Justice, 77100 Meaux");
    await t.handle.db
      .update(site)
      .set({ address: sql`substr(${site.address}, 15)` })
      .where(eq(site.name, "Meaux"));
    expect(text).not.toMatch(/SPIP|probation|p.nitentiaire|mesure/i);
    const journal = await t.app.inject({
      method: "GET",
      url: `/api/audit?structureId=${t.demoStructureId}&action=convocation.letter_printed`,
      headers: await as(demo.manager),
    });
    expect(journal.json().events[0].targetId).toBe(booked.json().id);
  });
});

describe("two app instances", () => {
  it("give the last place of a slot to exactly one of many concurrent bookers", async () => {
    // Meaux, Friday 5 June 2026 at 9:00: Nicolas alone, one place. Two apps, each with its own pool
    // on PostgreSQL (the same in-process connection on PGlite), and the direction books everyone.
    const second = await t.handle.openSecondPool();
    const other = await buildApp({ deps: { ...t.deps, db: second.db }, publicUrl: PUBLIC_URL });
    const headers = await as(demo.manager);
    const everyone = Object.values(people);
    const responses = await Promise.all(
      everyone.map((personId, i) =>
        (i % 2 === 0 ? t.app : other).inject({
          method: "POST",
          url: "/api/convocations",
          headers,
          payload: {
            personId,
            siteId: sites.Meaux,
            startsAt: "2026-06-05T07:00:00.000Z",
            needDomains: ["numerique"],
            notifySms: false,
            notifyEmail: false,
          },
        }),
      ),
    );
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.statusCode === 409)).toHaveLength(everyone.length - 1);
    await other.close();
    await second.close();
  });
});

describe("convocation statuses", () => {
  it("the counselor marks a visit honoured once it started; the past planned one is to fill in", async () => {
    // The parallel bookings above may have convoked him at 10:00 that morning: a second one, confirmed.
    const booked = await book(demo.cpip, {
      personId: people.Mehdi,
      startsAt: "2026-06-02T09:00:00.000Z",
      confirmSameHalfDay: true,
    });
    expect(booked.statusCode).toBe(200);
    const id = booked.json().id;
    const setStatus = async (email: string, status: string) =>
      t.app.inject({
        method: "POST",
        url: `/api/convocations/${id}/status`,
        headers: await as(email),
        payload: { status },
      });
    expect((await setStatus(demo.counselor, "honoured")).json().code).toBe("convocation.tooEarly");
    expect((await setStatus(demo.counselor, "planned")).statusCode).toBe(400);
    expect((await setStatus(demo.steering, "honoured")).statusCode).toBe(403);
    t.clock.set(new Date("2026-06-02T10:00:00Z"));
    const toFill = await t.app.inject({
      method: "GET",
      url: "/api/convocations?toFillIn=true",
      headers: await as(demo.counselor),
    });
    expect(toFill.json().convocations.map((c: { id: string }) => c.id)).toContain(id);
    const honoured = await setStatus(demo.counselor, "honoured");
    expect(honoured.statusCode).toBe(200);
    // Honoured without its visit recorded: still to fill in, now for the visit (ADR 0014 addendum).
    expect(honoured.json()).toMatchObject({
      status: "honoured",
      toFillIn: true,
      permissions: { setStatus: false },
    });
    expect((await setStatus(demo.counselor, "missed")).json().code).toBe("convocation.invalidTransition");
    t.clock.set(new Date("2026-06-01T09:00:00Z"));
  });

  it("a cancelled convocation: another status is a 409, the same one is answered as it is; a CPIP who only reads it gets a 403 saying so", async () => {
    const [ofColleague] = await t.handle.db
      .select({ id: referent.personId })
      .from(referent)
      .where(and(eq(referent.userId, await t.userId(demo.cpip2)), isNull(referent.endedAt)))
      .limit(1);
    // A past convocation cancelled by the service (the builder's), on a Monday at Fontainebleau: the
    // counselor holds that permanence.
    const cancelled = async (personId: string) =>
      (
        await aConvocation(t.handle.db, {
          personId,
          structureId: t.demoStructureId,
          bookedBy: await t.userId(demo.cpip),
          siteId: sites.Fontainebleau!,
        })
      ).id;
    const setStatus = async (id: string, email: string, status: string) =>
      t.app.inject({
        method: "POST",
        url: `/api/convocations/${id}/status`,
        headers: await as(email),
        payload: { status },
      });
    const own = await cancelled(people.Karim!);
    for (const email of [demo.cpip, demo.counselor, demo.manager]) {
      expect((await setStatus(own, email, "cancelled")).statusCode).toBe(200);
      const other = await setStatus(own, email, "excused");
      expect(other.statusCode, other.body).toBe(409);
      expect(other.json().code).toBe("convocation.invalidTransition");
    }
    const colleagues = await cancelled(ofColleague!.id);
    for (const status of ["cancelled", "excused"]) {
      const refused = await setStatus(colleagues, demo.cpip, status);
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().code).toBe("convocation.statusForbidden");
      expect(refused.json().message).toMatch(/^Vous pouvez consulter cette convocation mais pas la modifier/);
    }
  });

  it("a cancelled convocation frees its place", async () => {
    const slot = "2026-06-03T07:00:00.000Z"; // La Rochette, Wednesday 9:00, capacity 1
    const first = await book(demo.cpip, {
      personId: people.Océane,
      siteId: sites["La Rochette"],
      startsAt: slot,
    });
    expect(first.statusCode).toBe(200);
    expect(
      (await book(demo.cpip, { personId: people.Laurent, siteId: sites["La Rochette"], startsAt: slot }))
        .statusCode,
    ).toBe(409);
    const cancel = await t.app.inject({
      method: "POST",
      url: `/api/convocations/${first.json().id}/status`,
      headers: await as(demo.cpip),
      payload: { status: "excused" },
    });
    expect(cancel.statusCode).toBe(200);
    expect(
      (await book(demo.cpip, { personId: people.Laurent, siteId: sites["La Rochette"], startsAt: slot }))
        .statusCode,
    ).toBe(200);
  });
});

describe("GET /api/convocations: a bounded window", () => {
  it("without from and to, from today on 93 days; 400 beyond 93 days; a person's and those to fill in whole", async () => {
    const { convocation } = await import("../db/schema");
    const cpipId = await t.userId(demo.cpip);
    const at = (iso: string) => ({
      structureId: t.demoStructureId,
      personId: people.Mehdi as string,
      siteId: sites.Meaux as string,
      startsAt: new Date(iso),
      endsAt: new Date(new Date(iso).getTime() + 45 * 60_000),
      seat: 1,
      notifySms: false,
      notifyEmail: false,
      bookedBy: cpipId,
    });
    const rows = await t.handle.db
      .insert(convocation)
      .values([at("2024-03-05T09:00:00Z"), at("2028-03-07T09:00:00Z"), at("2026-08-04T08:00:00Z")])
      .returning();
    const [old, far, soon] = rows.map((row) => row.id);
    const list = async (query: string) =>
      t.app.inject({ method: "GET", url: `/api/convocations${query}`, headers: await as(demo.cpip) });
    const ids = async (query: string) => {
      const response = await list(query);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().convocations.map((c: { id: string }) => c.id);
    };
    const byDefault = await ids("");
    expect(byDefault).toContain(soon);
    expect(byDefault).not.toContain(old);
    expect(byDefault).not.toContain(far);
    expect(await ids("?from=2028-03-01")).toEqual([far]);
    expect(await ids("?to=2024-03-31")).toEqual([old]);
    expect(await ids(`?personId=${people.Mehdi}`)).toEqual(expect.arrayContaining([old, far, soon]));
    expect(await ids("?toFillIn=true")).toContain(old);
    expect(await ids("?from=2026-06-01&to=2026-09-01")).toContain(soon);
    const tooLong = await list("?from=2026-06-01&to=2026-09-02");
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().issues).toEqual([
      { path: "query.to", message: "Choisissez une période de 93 jours au plus." },
    ]);
    const reversed = await list("?from=2026-06-10&to=2026-06-01");
    expect(reversed.json().issues).toEqual([
      { path: "query.to", message: "La fin de la période précède son début." },
    ]);
  });
});
