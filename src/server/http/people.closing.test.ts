import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillPath } from "../../common/contract";
import { allRoutes } from "../../common/routes";
import {
  consent,
  convocation,
  demarche,
  demarcheType,
  directoryContact,
  notification,
  orientation,
  partner,
  person,
  personChange,
  site,
} from "../db/schema";
import { aContactablePerson, bookThroughApi, messagesOf } from "../testing/personFiles";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";
import { sampleOf } from "../testing/zodSample";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A contactable person convoked once, so that the structure's counselors see the file (DESIGN §2). */
async function convokedFile(phone: string, email: string): Promise<string> {
  const id = await aContactablePerson(t, phone, email);
  await convokedOnce(t, id);
  return id;
}

const post = async (url: string, body: object, email?: string) =>
  t.app.inject({ method: "POST", url, headers: email ? await t.sessionFor(email) : {}, payload: body });
const close = (id: string, body: object, email?: string) => post(`/api/people/${id}/close`, body, email);
const endOfMeasure = { reason: "end_of_measure", closedOn: "2026-06-01" };

/** A démarche and two orientations (a draft, an accepted one) on the person's file. */
async function openWork(personId: string) {
  const db = t.handle.db;
  const by = await t.userId(demo.cpip);
  const [type] = await db.select().from(demarcheType).limit(1);
  const [caf] = await db.select().from(partner).where(eq(partner.code, "caf"));
  const owned = { structureId: t.demoStructureId, personId };
  const [started] = await db
    .insert(demarche)
    .values({ ...owned, demarcheTypeId: type!.id, helpLevel: "guided", status: "in_progress", createdBy: by })
    .returning();
  const base = {
    ...owned,
    target: "partner_back_office" as const,
    partnerId: caf!.id,
    reason: "RSA",
    createdBy: by,
  };
  const [draft] = await db
    .insert(orientation)
    .values({ ...base, status: "draft" })
    .returning();
  const [accepted] = await db
    .insert(orientation)
    .values({ ...base, status: "accepted" })
    .returning();
  return { demarcheId: started!.id, draftId: draft!.id, acceptedId: accepted!.id };
}

describe("POST /api/people/:personId/close", () => {
  it("401, 403 (counselor, CPIP of the service), 400 writes nothing", async () => {
    const id = await convokedFile("+33612000101", "e@exemple.invalid");
    expect((await close(id, endOfMeasure)).statusCode).toBe(401);
    for (const email of [demo.counselor, demo.cpip2, demo.steering]) {
      expect((await close(id, endOfMeasure, email)).statusCode, email).toBe(403);
    }
    for (const body of [
      { reason: "other", closedOn: "2026-06-01" },
      { reason: "end_of_measure", closedOn: "2026-07-01" },
      { reason: "moved", closedOn: "2026-06-01" },
      { ...endOfMeasure, extra: true },
      { ...endOfMeasure, demarches: [{ id: "8a4d3b0e-2f1c-4c7e-9a7b-1d2e3f4a5b6c", decision: "abandon" }] },
    ]) {
      expect((await close(id, body, demo.cpip)).statusCode, JSON.stringify(body)).toBe(400);
    }
    const [row] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(row!.closedAt).toBeNull();
  });

  it("a closing date before the follow-up began (a year mistyped) is a 400 on the field, nothing written", async () => {
    const id = await convokedFile("+33612000109", "j@exemple.invalid");
    const response = await close(id, { reason: "end_of_measure", closedOn: "1990-06-01" }, demo.cpip);
    expect(response.statusCode).toBe(400);
    expect(response.json().issues).toEqual([
      {
        path: "body.closedOn",
        message: expect.stringMatching(
          /^La date de clôture ne peut pas précéder le début du suivi \(1er.janvier.2026\) : vérifiez l'année\.$/,
        ),
      },
    ]);
    const [row] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(row!.closedAt).toBeNull();
  });

  it("cancels future convocations once, told on the channels used before; withdraws reminders; decisions applied", async () => {
    const id = await convokedFile("+33612000102", "f@exemple.invalid");
    const told = await bookThroughApi(t, id, 24 * 5);
    const untold = await bookThroughApi(t, id, 24 * 8, { sms: true, email: false });
    // The summon of the first one left by SMS only; nothing left yet for the second.
    await t.handle.db
      .update(notification)
      .set({ status: "sent", sentAt: t.clock.now() })
      .where(
        and(
          eq(notification.convocationId, told),
          eq(notification.kind, "summon"),
          eq(notification.channel, "sms"),
        ),
      );
    const work = await openWork(id);

    const preview = await t.app.inject({
      method: "GET",
      url: `/api/people/${id}/closing`,
      headers: await t.sessionFor(demo.cpip),
    });
    expect(preview.json().convocations).toHaveLength(2);
    expect(
      preview
        .json()
        .orientations.map((o: { cancellable: boolean }) => o.cancellable)
        .sort(),
    ).toEqual([false, true]);

    const response = await close(
      id,
      {
        ...endOfMeasure,
        demarches: [{ id: work.demarcheId, decision: "abandon" }],
        orientations: [
          { id: work.draftId, decision: "cancel" },
          { id: work.acceptedId, decision: "keep" },
        ],
      },
      demo.cpip,
    );
    expect(response.statusCode, response.body).toBe(200);
    const statuses = await t.handle.db
      .select({ status: convocation.status })
      .from(convocation)
      .where(inArray(convocation.id, [told, untold]));
    expect(statuses.map((s) => s.status)).toEqual(["cancelled", "cancelled"]);
    const messages = await messagesOf(t, id);
    expect(messages.filter((m) => m.includes("/pending/"))).toEqual([
      "cancellation/sms/pending/+33612000102",
    ]);
    expect(messages.filter((m) => m.startsWith("cancellation"))).toHaveLength(1);
    const [d] = await t.handle.db.select().from(demarche).where(eq(demarche.id, work.demarcheId));
    expect(d!.status).toBe("abandoned");
    const kept = await t.handle.db.select().from(orientation).where(eq(orientation.personId, id));
    expect(kept.map((o) => o.status).sort()).toEqual(["accepted", "cancelled"]);

    // Closing again: 409, and still one cancellation message.
    const again = await close(id, endOfMeasure, demo.manager);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("person.closed");
    expect((await messagesOf(t, id)).filter((m) => m.startsWith("cancellation"))).toHaveLength(1);

    // Out of the active lists; the file says it is closed and allows only reopening.
    const list = await t.app.inject({
      method: "GET",
      url: "/api/people",
      headers: await t.sessionFor(demo.cpip),
    });
    const file = await t.app.inject({
      method: "GET",
      url: `/api/people/${id}`,
      headers: await t.sessionFor(demo.cpip),
    });
    expect(file.json().closure).toMatchObject({ reason: "end_of_measure", closedOn: "2026-06-01" });
    expect(file.json().permissions).toEqual({
      edit: false,
      editContacts: false,
      changeReferent: false,
      close: false,
      reopen: true,
    });
    expect(list.statusCode).toBe(200);
    // The file's sections offer no write either.
    const headers = await t.sessionFor(demo.cpip);
    const read = async (url: string) => (await t.app.inject({ method: "GET", url, headers })).json();
    expect((await read(`/api/people/${id}/consents`)).permissions.record).toBe(false);
    expect((await read(`/api/people/${id}/orientations`)).permissions.create).toBe(false);
  });

  it("the preview says how each cancellation reaches the person: never by message while held that day", async () => {
    const id = await aContactablePerson(t, "+33612000109", "held@exemple.invalid");
    const held = await bookThroughApi(t, id, 24 * 2);
    const untold = await bookThroughApi(t, id, 24 * 9, { sms: false, email: false });
    const released = await bookThroughApi(t, id, 24 * 16);
    const day = async (convocationId: string) => {
      const [c] = await t.handle.db.select().from(convocation).where(eq(convocation.id, convocationId));
      return c!.startsAt.toISOString().slice(0, 10);
    };
    const [prison] = await t.handle.db
      .insert(site)
      .values({
        structureId: t.demoStructureId,
        name: "Centre pénitentiaire (clôture)",
        kind: "prison",
        address: "1 rue de la Maison d'arrêt, Meaux",
      })
      .returning();
    const preview = async () =>
      (
        await t.app.inject({
          method: "GET",
          url: `/api/people/${id}/closing`,
          headers: await t.sessionFor(demo.cpip),
        })
      ).json().convocations as { id: string; notice: string }[];
    const notices = async () => Object.fromEntries((await preview()).map((c) => [c.id, c.notice]));

    expect(await notices()).toEqual({ [held]: "message", [untold]: "agent", [released]: "message" });
    // Held now, released on the third convocation's day: the first two go through the establishment.
    await t.handle.db
      .update(person)
      .set({ detentionSiteId: prison!.id, releasedOn: await day(released) })
      .where(eq(person.id, id));
    expect(await notices()).toEqual({
      [held]: "establishment",
      [untold]: "establishment",
      [released]: "message",
    });
    // Released the very day of the second: it is reached like anyone, by nobody as nothing was chosen.
    await t.handle.db
      .update(person)
      .set({ releasedOn: await day(untold) })
      .where(eq(person.id, id));
    expect(await notices()).toEqual({ [held]: "establishment", [untold]: "agent", [released]: "message" });
  });

  it("reopen: 400 without a reason, then the file is writable again, with its history", async () => {
    const id = await convokedFile("+33612000103", "g@exemple.invalid");
    expect((await close(id, { reason: "deceased", closedOn: "2026-05-30" }, demo.cpip)).statusCode).toBe(200);
    const reopen = (body: object, email: string = demo.cpip) => post(`/api/people/${id}/reopen`, body, email);
    expect((await reopen({ reason: "" })).statusCode).toBe(400);
    expect((await reopen({ reason: "Erreur de dossier" }, demo.counselor)).statusCode).toBe(403);
    expect((await reopen({ reason: "Erreur de dossier" })).statusCode).toBe(200);
    expect((await reopen({ reason: "Encore" })).json().code).toBe("person.notClosed");
    const [row] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(row!.closedAt).toBeNull();
    const history = await t.handle.db.select().from(personChange).where(eq(personChange.personId, id));
    expect(history.map((h) => h.field)).toEqual(["closed", "reopened"]);
    expect(history[1]!.reason).toBe("Erreur de dossier");
    expect((await bookThroughApi(t, id, 24 * 5)).length).toBeGreaterThan(0);
  });
});

/**
 * Routes that write on a person's file; partners' answers stay possible on a closed file ("keep"),
 * and the direction restores an archived file whether closed or not (ADR 0024).
 */
const PERSON_PARAMS = /:(personId|convocationId|demarcheId|consentId|orientationId)\b/;
const ALLOWED_ON_CLOSED = [
  "orientations.answer",
  "orientations.complete",
  "people.reopen",
  "retention.restore",
];

describe("a closed file is read-only: every write route on a person answers 409 person.closed", () => {
  const writes = Object.entries(allRoutes).filter(
    ([key, route]) =>
      route.method !== "GET" &&
      !ALLOWED_ON_CLOSED.includes(key) &&
      (PERSON_PARAMS.test(route.path) || key === "agenda.book"),
  );

  it("covers the routes that write on a file", () => {
    expect(writes.map(([key]) => key).sort()).toEqual(
      [
        "accompaniment.addDemarche",
        "accompaniment.recordVisit",
        "accompaniment.updateDemarche",
        "agenda.arrival",
        "agenda.book",
        "agenda.correctStatus",
        "agenda.reschedule",
        "agenda.setStatus",
        "consent.addNote",
        "consent.record",
        "consent.revoke",
        "detention.startPlanItem",
        "handover.propose",
        "handover.schedule",
        "documents.upload",
        "orientations.cancel",
        "orientations.create",
        "orientations.send",
        "people.changeReferent",
        "people.close",
        "people.edit",
        "people.merge",
      ].sort(),
    );
  });

  let ids: Record<string, string>;
  beforeAll(async () => {
    const db = t.handle.db;
    const id = await convokedFile("+33612000104", "h@exemple.invalid");
    const convocationId = await bookThroughApi(t, id, 24 * 5);
    const work = await openWork(id);
    const [agreed] = await db
      .insert(consent)
      .values({
        structureId: t.demoStructureId,
        personId: id,
        shareDemarcheDetails: true,
        shareNotes: true,
        recipients: ["spip"],
        purpose: "Test",
        collectedBy: await t.userId(demo.cpip),
        collectedAt: t.clock.now(),
      })
      .returning();
    const [type] = await db.select().from(demarcheType).limit(1);
    const [caf] = await db.select().from(partner).where(eq(partner.code, "caf"));
    const other = await convokedFile("+33612000105", "i@exemple.invalid");
    ids = {
      personId: id,
      convocationId,
      demarcheId: work.demarcheId,
      orientationId: work.draftId,
      consentId: agreed!.id,
      demarcheTypeId: type!.id,
      partnerId: caf!.id,
      // A contact of the directory (the orientation's optional addressee).
      directoryContactId: (await db.select().from(directoryContact).limit(1))[0]!.id,
      duplicateId: other,
      userId: await t.userId(demo.cpip2),
      structureId: t.demoStructureId,
      siteId: (await db.select().from(site).limit(1))[0]!.id,
    };
    expect((await close(id, endOfMeasure, demo.cpip)).statusCode).toBe(200);
  });

  const bodies: Record<string, object> = {
    "consent.record": {
      shareDemarcheDetails: true,
      shareNotes: false,
      recipients: ["spip"],
      purpose: "Suivi",
    },
    "consent.addNote": { visibility: "service", body: "Une note" },
    "people.close": endOfMeasure,
    "handover.schedule": {
      startsAt: "2026-06-05T08:00:00Z",
      durationMinutes: 60,
      placeText: "Centre pénitentiaire",
      releaseDate: "2026-06-10",
      targetStructureId: "00000000-0000-4000-8000-000000000000",
    },
    "handover.propose": {
      toStructureId: "00000000-0000-4000-8000-000000000000",
      reason: "Déménagement",
      consent: "refused",
    },
  };
  for (const [key, route] of writes) {
    it(key, async () => {
      const params = sampleOf(route.params, ids) as Record<string, string>;
      const body = bodies[key] ?? sampleOf(route.body, ids);
      const response = await t.app.inject({
        method: route.method,
        url: fillPath(route.path, params),
        headers: await t.sessionFor(demo.manager),
        payload: body as object,
      });
      expect(response.statusCode, `${key}: ${response.body}`).toBe(409);
      expect(response.json().code).toBe("person.closed");
    });
  }
});
