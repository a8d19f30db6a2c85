import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UNDO_REASON } from "../../common/agenda/agenda.schema";
import { rowsOf } from "../db/createDb";
import { auditEvent, convocation, notification, person, site } from "../db/schema";
import { statConvocation } from "../db/schema.stats";
import { anAgent, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let karim: string;
let meaux: string;
let cpipId: string;
beforeAll(async () => {
  t = await startTestApp();
  const [found] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karim = found!.id;
  const [place] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  meaux = place!.id;
  cpipId = await t.userId(demo.cpip);
});
afterAll(() => t.close());
// The test clock: Monday 1 June 2026, 11:00 in Paris.
beforeEach(() => t.clock.set(new Date("2026-06-01T09:00:00Z")));

let hour = 5;
/** A planned convocation this morning at Meaux (already started), each on its own slot. */
async function aConvocation(overrides: Partial<typeof convocation.$inferInsert> = {}): Promise<string> {
  hour += 0.25;
  const startsAt = new Date(Date.UTC(2026, 5, 1, 0, hour * 60));
  const [row] = await t.handle.db
    .insert(convocation)
    .values({
      structureId: t.demoStructureId,
      siteId: meaux,
      personId: karim,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 30 * 60_000),
      seat: 1,
      notifySms: true,
      notifyEmail: false,
      bookedBy: cpipId,
      ...overrides,
    })
    .returning();
  return row!.id;
}

const post = async (email: string | null, url: string, payload: object) =>
  t.app.inject({ method: "POST", url, headers: email ? await t.sessionFor(email) : {}, payload });
const setStatus = (email: string, id: string, status: string) =>
  post(email, `/api/convocations/${id}/status`, { status });
const correct = (email: string | null, id: string, payload: object) =>
  post(email, `/api/convocations/${id}/status-correction`, payload);
const statusOf = async (id: string) =>
  (await t.handle.db.select().from(convocation).where(eq(convocation.id, id)))[0]!;
const journalOf = (id: string) =>
  t.handle.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.targetId, id), eq(auditEvent.action, "convocation.status_corrected")));

describe("POST /api/convocations/:convocationId/status-correction", () => {
  it("401 anonymous, 403 steering, 404 for another structure's agent; nothing written", async () => {
    const id = await aConvocation();
    expect((await setStatus(demo.counselor, id, "missed")).statusCode).toBe(200);
    const body = { status: "honoured", reason: "Erreur de saisie" };
    expect((await correct(null, id, body)).statusCode).toBe(401);
    expect((await correct(demo.steering, id, body)).statusCode).toBe(403);
    const other = await aStructure(t.handle.db);
    const outsider = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["counselor", "service_manager", "probation_officer"],
      serviceId: other.spipServiceId,
    });
    expect((await correct(outsider.email, id, body)).statusCode).toBe(404);
    expect((await statusOf(id)).status).toBe("missed");
    expect(await journalOf(id)).toEqual([]);
  });

  it("400 without a reason (or a too short, too long one, or a service cancellation): nothing written", async () => {
    const id = await aConvocation();
    expect((await setStatus(demo.counselor, id, "missed")).statusCode).toBe(200);
    for (const body of [
      { status: "honoured" },
      { status: "honoured", reason: "  a " },
      { status: "honoured", reason: "x".repeat(301) },
      { status: "cancelled", reason: "Erreur de saisie" },
      { status: "honoured", reason: "Erreur de saisie", extra: true },
    ]) {
      const response = await correct(demo.counselor, id, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().code).toBe("request.invalid");
    }
    expect((await statusOf(id)).status).toBe("missed");
    expect(await journalOf(id)).toEqual([]);
  });

  it("409 after 7 days, and for a planned or a service-cancelled convocation", async () => {
    const id = await aConvocation();
    expect((await setStatus(demo.counselor, id, "missed")).statusCode).toBe(200);
    t.clock.set(new Date("2026-06-08T09:01:00Z"));
    const late = await correct(demo.counselor, id, { status: "honoured", reason: "Erreur de saisie" });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe("convocation.correctionTooLate");
    expect((await statusOf(id)).status).toBe("missed");
    // A correction does not reopen the window: corrected on day 6, not again on day 8.
    t.clock.set(new Date("2026-06-01T09:00:00Z"));
    const chained = await aConvocation();
    expect((await setStatus(demo.counselor, chained, "missed")).statusCode).toBe(200);
    t.clock.set(new Date("2026-06-07T09:00:00Z"));
    expect((await correct(demo.counselor, chained, { status: "excused", reason: "Erreur" })).statusCode).toBe(
      200,
    );
    t.clock.set(new Date("2026-06-09T09:00:00Z"));
    const again = await correct(demo.counselor, chained, { status: "missed", reason: "Erreur encore" });
    expect(again.json().code).toBe("convocation.correctionTooLate");
    t.clock.set(new Date("2026-06-01T09:00:00Z"));
    const planned = await aConvocation();
    expect((await correct(demo.counselor, planned, { status: "missed", reason: "Erreur" })).json().code).toBe(
      "convocation.invalidTransition",
    );
    const cancelled = await aConvocation();
    expect((await setStatus(demo.cpip, cancelled, "cancelled")).statusCode).toBe(200);
    expect((await correct(demo.cpip, cancelled, { status: "planned", reason: "Erreur" })).json().code).toBe(
      "convocation.invalidTransition",
    );
  });

  it("the counselor corrects missed → honoured: journaled with before/after and reason, in the history and the rollups", async () => {
    const id = await aConvocation();
    const figures = async () => {
      const rows = await t.handle.db
        .select({ status: statConvocation.status, n: statConvocation.n })
        .from(statConvocation)
        .where(and(eq(statConvocation.siteId, meaux), eq(statConvocation.month, "2026-06-01")));
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    };
    expect((await setStatus(demo.counselor, id, "missed")).statusCode).toBe(200);
    const before = await figures();
    const corrected = await correct(demo.counselor, id, {
      status: "honoured",
      reason: "La personne était bien là",
    });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({ status: "honoured", permissions: { recordVisit: true } });
    const after = await figures();
    expect(after.missed).toBe((before.missed ?? 0) - 1);
    expect(after.honoured).toBe((before.honoured ?? 0) + 1);
    const [row] = await journalOf(id);
    expect(row?.reason).toBe("Absence non excusée → Honorée : La personne était bien là");
    const timeline = await t.app.inject({
      method: "GET",
      url: `/api/people/${karim}/timeline`,
      headers: await t.sessionFor(demo.cpip),
    });
    expect(
      timeline
        .json()
        .events.some(
          (e: { title: string; detail: string }) =>
            e.title === "Statut du rendez-vous corrigé" && e.detail.endsWith("La personne était bien là"),
        ),
    ).toBe(true);
    // A direct recount agrees with the rollup.
    const [recount] = await rowsOf<{ n: string }>(
      t.handle.db,
      sql`select count(*) as n from convocation where site_id = ${meaux} and status = 'honoured' and starts_at >= '2026-05-31T22:00:00Z' and starts_at < '2026-06-30T22:00:00Z'`,
    );
    expect(Number(recount?.n)).toBe(after.honoured);
  });

  it("undo right after the click: back to planned (to fill in), the withdrawn reminder comes back, no message sent", async () => {
    t.clock.set(new Date("2026-05-30T09:00:00Z"));
    const id = await aConvocation({
      startsAt: new Date("2026-06-04T08:00:00Z"),
      endsAt: new Date("2026-06-04T08:30:00Z"),
    });
    await t.handle.db.insert(notification).values({
      structureId: t.demoStructureId,
      convocationId: id,
      personId: karim,
      kind: "reminder",
      channel: "sms",
      recipient: "+33600000000",
      notBefore: new Date("2026-06-02T08:00:00Z"),
    });
    expect((await setStatus(demo.cpip, id, "excused")).statusCode).toBe(200);
    const undo = await correct(demo.cpip, id, { status: "planned", reason: UNDO_REASON });
    expect(undo.statusCode).toBe(200);
    expect(undo.json()).toMatchObject({ status: "planned", permissions: { setStatus: true } });
    const messages = await t.handle.db.select().from(notification).where(eq(notification.convocationId, id));
    expect(messages.map((m) => [m.kind, m.status])).toEqual([["reminder", "pending"]]);
  });

  it("409 personTold when the person was sent the cancellation; a pending one is withdrawn instead", async () => {
    const id = await aConvocation();
    await t.handle.db.insert(notification).values({
      structureId: t.demoStructureId,
      convocationId: id,
      personId: karim,
      kind: "summon",
      channel: "sms",
      recipient: "+33600000000",
      notBefore: new Date("2026-05-20T08:00:00Z"),
      status: "sent",
    });
    expect((await setStatus(demo.cpip, id, "excused")).statusCode).toBe(200);
    const queued = await t.handle.db
      .select()
      .from(notification)
      .where(and(eq(notification.convocationId, id), eq(notification.kind, "cancellation")));
    expect(queued.map((m) => m.status)).toEqual(["pending"]);
    // Corrected before the worker sent it: the cancellation never leaves.
    expect((await correct(demo.cpip, id, { status: "honoured", reason: "Elle est venue" })).statusCode).toBe(
      200,
    );
    const withdrawn = await t.handle.db
      .select()
      .from(notification)
      .where(and(eq(notification.convocationId, id), eq(notification.kind, "cancellation")));
    expect(withdrawn.map((m) => m.status)).toEqual(["skipped"]);
    // Set again by mistake, and this time the message left: no correction any more.
    const other = await aConvocation();
    await t.handle.db.insert(notification).values({
      structureId: t.demoStructureId,
      convocationId: other,
      personId: karim,
      kind: "cancellation",
      channel: "sms",
      recipient: "+33600000000",
      notBefore: new Date("2026-06-01T08:00:00Z"),
      status: "sent",
    });
    await t.handle.db
      .update(convocation)
      .set({ status: "excused", statusChangedAt: t.clock.now() })
      .where(eq(convocation.id, other));
    const told = await correct(demo.cpip, other, { status: "planned", reason: "Erreur" });
    expect(told.statusCode).toBe(409);
    expect(told.json().code).toBe("convocation.personTold");
  });
});

describe("POST /api/convocations/:convocationId/arrival", () => {
  it("401, 404 outside, 400 bad body; the counselor notes the arrival today, a correction clears it", async () => {
    const id = await aConvocation();
    const url = `/api/convocations/${id}/arrival`;
    expect((await post(null, url, { arrived: true })).statusCode).toBe(401);
    expect((await post(demo.steering, url, { arrived: true })).statusCode).toBe(403);
    expect((await post(demo.counselor, url, { arrived: "oui" })).statusCode).toBe(400);
    expect((await statusOf(id)).arrivedAt).toBeNull();
    const arrived = await post(demo.counselor, url, { arrived: true });
    expect(arrived.statusCode).toBe(200);
    expect(arrived.json().arrivedAt).toBe("2026-06-01T09:00:00.000Z");
    expect((await setStatus(demo.counselor, id, "honoured")).statusCode).toBe(200);
    expect((await correct(demo.counselor, id, { status: "planned", reason: UNDO_REASON })).statusCode).toBe(
      200,
    );
    expect((await statusOf(id)).arrivedAt).toBeNull();
    t.clock.set(new Date("2026-06-02T09:00:00Z"));
    expect((await post(demo.counselor, url, { arrived: true })).json().code).toBe(
      "convocation.invalidTransition",
    );
  });
});

describe("a person noted arrived before the hour", () => {
  it("is honoured at once (the visit can be opened); missed still waits, and a future day without arrival is refused", async () => {
    // 11:00 in Paris: this afternoon at 15:00, and tomorrow at 9:00.
    const later = await aConvocation({
      startsAt: new Date("2026-06-01T13:00:00Z"),
      endsAt: new Date("2026-06-01T13:30:00Z"),
    });
    expect((await setStatus(demo.counselor, later, "honoured")).json().code).toBe("convocation.tooEarly");
    expect(
      (await post(demo.counselor, `/api/convocations/${later}/arrival`, { arrived: true })).statusCode,
    ).toBe(200);
    expect((await setStatus(demo.counselor, later, "missed")).json().code).toBe("convocation.tooEarly");
    const honoured = await setStatus(demo.counselor, later, "honoured");
    expect(honoured.statusCode).toBe(200);
    expect(honoured.json()).toMatchObject({ status: "honoured", permissions: { recordVisit: true } });
    const tomorrow = await aConvocation({
      startsAt: new Date("2026-06-02T07:00:00Z"),
      endsAt: new Date("2026-06-02T07:30:00Z"),
    });
    expect((await setStatus(demo.counselor, tomorrow, "honoured")).json().code).toBe("convocation.tooEarly");
    expect((await statusOf(tomorrow)).status).toBe("planned");
  });

  it("cannot be « annulée par la personne » (409, nothing changed) until the arrival is taken back", async () => {
    const id = await aConvocation();
    const url = `/api/convocations/${id}/arrival`;
    expect((await post(demo.counselor, url, { arrived: true })).statusCode).toBe(200);
    const refused = await setStatus(demo.counselor, id, "excused");
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("convocation.arrivedNotExcused");
    expect((await statusOf(id)).status).toBe("planned");
    expect((await post(demo.counselor, url, { arrived: false })).statusCode).toBe(200);
    expect((await setStatus(demo.counselor, id, "excused")).statusCode).toBe(200);
  });
});

describe("GET /api/convocations/:convocationId/letter of a cancelled or replaced convocation", () => {
  it("409 letterCancelled, nothing printed", async () => {
    const id = await aConvocation();
    expect((await setStatus(demo.cpip, id, "cancelled")).statusCode).toBe(200);
    const letter = await t.app.inject({
      method: "GET",
      url: `/api/convocations/${id}/letter`,
      headers: await t.sessionFor(demo.cpip),
    });
    expect(letter.statusCode).toBe(409);
    expect(letter.json().code).toBe("convocation.letterCancelled");
    const printed = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, id), eq(auditEvent.action, "convocation.letter_printed")));
    expect(printed).toEqual([]);
  });
});
