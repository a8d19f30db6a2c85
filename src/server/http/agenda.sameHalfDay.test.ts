import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withPlainSpaces } from "../../common/dateFormat";
import { auditEvent, convocation, notification, person, site } from "../db/schema";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

// ADR 0003, addendum « same half-day »: a second convocation in the same half-day is booked only once the agent confirms.
let t: TestApp;
let people: Record<string, string>; // first name → id
let sites: Record<string, string>; // name → id
beforeAll(async () => {
  t = await startTestApp();
  people = Object.fromEntries((await t.handle.db.select().from(person)).map((p) => [p.firstName, p.id]));
  sites = Object.fromEntries((await t.handle.db.select().from(site)).map((s) => [s.name, s.id]));
});
afterAll(() => t.close());

// The test clock: Monday 1 June 2026, 11:00 in Paris. Fontainebleau opens on Mondays 9:00–12:30 and
// 13:30–17:00 (45-minute slots, one counselor).
// 60-minute steps, one counselor: each slot has one seat, so each test takes its own Monday.
const monday = (day: string, hhmm: "09:00" | "10:00" | "13:30"): string =>
  new Date(`2026-06-${day}T${hhmm}:00+02:00`).toISOString();

const post = async (url: string, payload: object) =>
  t.app.inject({ method: "POST", url, payload, headers: await t.sessionFor(demo.cpip) });
const book = (personId: string, startsAt: string, extra: object = {}) =>
  post("/api/convocations", {
    personId,
    siteId: sites.Fontainebleau,
    startsAt,
    needDomains: ["acces-aux-droits"],
    notifySms: true,
    notifyEmail: false,
    ...extra,
  });

/** What a booking leaves behind for a person: convocations, queued messages, journal rows. */
async function traces(personId: string) {
  const rows = await t.handle.db
    .select({ id: convocation.id })
    .from(convocation)
    .where(eq(convocation.personId, personId));
  const ids = rows.map((r) => r.id);
  const messages = await t.handle.db
    .select({ id: notification.id })
    .from(notification)
    .where(eq(notification.personId, personId));
  const booked = ids.length
    ? await t.handle.db
        .select({ id: auditEvent.id })
        .from(auditEvent)
        .where(and(inArray(auditEvent.targetId, ids), eq(auditEvent.action, "convocation.booked")))
    : [];
  return { convocations: ids.length, messages: messages.length, booked: booked.length };
}

/** The journal's rows naming the person's file itself (reads). */
const readsOf = async (personId: string): Promise<number> =>
  (
    await t.handle.db
      .select({ id: auditEvent.id })
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, personId), eq(auditEvent.targetType, "person")))
  ).length;

describe("POST /api/convocations: the same half-day", () => {
  it("without confirmation: 409 sameHalfDay naming the other convocation, nothing booked, sent nor journaled", async () => {
    const karim = people.Karim!;
    expect((await book(karim, monday("08", "09:00"))).statusCode).toBe(200);
    const before = await traces(karim);
    const readsBefore = await readsOf(karim);
    const second = await book(karim, monday("08", "10:00"));
    expect(second.statusCode, second.body).toBe(409);
    expect(second.json().code).toBe("convocation.sameHalfDay");
    expect(withPlainSpaces(second.json().message)).toContain(
      "déjà convoquée ce matin-là : le lundi 8 juin 2026 à 9 h 00 à Fontainebleau.",
    );
    expect(await traces(karim)).toEqual(before);
    // The refusal names the person's convocation: journaled as a read of their file.
    expect(await readsOf(karim)).toBe(readsBefore + 1);

    const confirmed = await book(karim, monday("08", "10:00"), { confirmSameHalfDay: true });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const after = await traces(karim);
    expect(after.convocations).toBe(before.convocations + 1);
    expect(after.messages).toBeGreaterThan(before.messages);
  });

  it("the afternoon of the same day is another half-day; a cancelled convocation does not clash", async () => {
    const julien = people.Julien!;
    const morning = await book(julien, monday("15", "09:00"));
    expect(morning.statusCode).toBe(200);
    expect((await book(julien, monday("15", "13:30"))).statusCode).toBe(200);
    const cancelled = await post(`/api/convocations/${morning.json().id}/status`, { status: "cancelled" });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await book(julien, monday("15", "10:00"))).statusCode).toBe(200);
  });

  it("confirmSameHalfDay must be a boolean: 400 on the field, nothing booked", async () => {
    const sandrine = people.Sandrine!;
    const before = await traces(sandrine);
    const bad = await book(sandrine, monday("15", "09:00"), { confirmSameHalfDay: "oui" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.confirmSameHalfDay"]);
    expect(await traces(sandrine)).toEqual(before);
  });
});

describe("POST /api/convocations/:id/reschedule: the same half-day", () => {
  it("moved next to another convocation that half-day: 409 and nothing moved; confirmed, moved", async () => {
    const mehdi = people.Mehdi!;
    expect((await book(mehdi, monday("22", "09:00"))).statusCode).toBe(200);
    const afternoon = await book(mehdi, monday("22", "13:30"));
    expect(afternoon.statusCode).toBe(200);
    const url = `/api/convocations/${afternoon.json().id}/reschedule`;
    const target = {
      siteId: sites.Fontainebleau,
      startsAt: monday("22", "10:00"),
      notifySms: true,
      notifyEmail: false,
    };
    const before = await traces(mehdi);
    const refused = await post(url, target);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe("convocation.sameHalfDay");
    expect(await traces(mehdi)).toEqual(before);
    const [still] = await t.handle.db
      .select()
      .from(convocation)
      .where(eq(convocation.id, afternoon.json().id));
    expect(still!.status).toBe("planned");

    const moved = await post(url, { ...target, confirmSameHalfDay: true });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({
      startsAt: monday("22", "10:00"),
      rescheduledFromId: afternoon.json().id,
    });
  });

  it("a move within its own half-day does not clash with itself", async () => {
    const laurent = people.Laurent!;
    const first = await book(laurent, monday("29", "09:00"));
    expect(first.statusCode, first.body).toBe(200);
    const moved = await post(`/api/convocations/${first.json().id}/reschedule`, {
      siteId: sites.Fontainebleau,
      startsAt: monday("29", "10:00"),
      notifySms: true,
      notifyEmail: false,
    });
    expect(moved.statusCode, moved.body).toBe(200);
  });
});
