import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judicialFieldNames } from "../../common/people/people.schema";
import type { Dashboard } from "../../common/reporting/reporting.schema";
import {
  auditEvent,
  convocation,
  notification,
  orientation,
  partner,
  person,
  service,
  site,
  visit,
} from "../db/schema";
import { aConvocation, anAgent, aPerson, aStructure } from "../testing/builders";
import { TEST_TODAY } from "../testing/constants";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

/** Reorientations to the association's mediation are answered by its mediators (ADR 0020). */
let t: TestApp;
let karimId: string;
let julienId: string;
let cafId: string;
beforeAll(async () => {
  t = await startTestApp();
  const people = await t.handle.db.select().from(person);
  karimId = people.find((p) => p.firstName === "Karim")!.id;
  julienId = people.find((p) => p.firstName === "Julien")!.id;
  await convokedOnce(t, karimId, julienId);
  const [caf] = await t.handle.db.select().from(partner).where(eq(partner.code, "caf"));
  cafId = caf!.id;
});
afterAll(() => t.close());

const headers = (email: string) => t.sessionFor(email);
const post = async (url: string, email: string, payload: object = {}) =>
  t.app.inject({ method: "POST", url, headers: await headers(email), payload });
const get = async (url: string, email: string) =>
  t.app.inject({ method: "GET", url, headers: await headers(email) });
const inboxOf = async (email: string) => (await get("/api/orientations/inbox", email)).json().orientations;
const keysOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(keysOf)
    : value && typeof value === "object"
      ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)])
      : [];

async function consentToAssociation(personId: string) {
  const agreed = await post(`/api/people/${personId}/consents`, demo.cpip, {
    shareNotes: false,
    shareDemarcheDetails: false,
    recipients: ["spip", "association"],
    partnerIds: [cafId],
    domains: ["budget"],
    purpose: "Dossier de surendettement avec la médiation",
  });
  expect(agreed.statusCode, agreed.body).toBe(200);
}

describe("the mediation inbox", () => {
  let toMediation: string;
  let toCaf: string;

  it("401 anonymous, 403 for roles that receive nothing, 400 on a malformed answer (nothing written)", async () => {
    await consentToAssociation(karimId);
    const sent = await post(`/api/people/${karimId}/orientations`, demo.counselor, {
      target: "mediation",
      reason: "Plusieurs dettes, dossier de surendettement à monter",
    });
    expect(sent.statusCode, sent.body).toBe(200);
    toMediation = sent.json().id;
    toCaf = (
      await post(`/api/people/${karimId}/orientations`, demo.counselor, {
        target: "partner_back_office",
        partnerId: cafId,
        reason: "Prime d'activité à recalculer",
      })
    ).json().id;
    // The mediators are told by e-mail, naming nobody.
    const notices = await t.handle.db
      .select()
      .from(notification)
      .where(and(eq(notification.kind, "orientation_sent"), eq(notification.recipient, demo.mediator)));
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).not.toContain("Benali");

    expect((await t.app.inject({ method: "GET", url: "/api/orientations/inbox" })).statusCode).toBe(401);
    for (const email of [demo.counselor, demo.cpip, demo.steering, demo.manager, demo.admin])
      expect((await get("/api/orientations/inbox", email)).statusCode, email).toBe(403);
    expect(
      (await post(`/api/orientations/${toMediation}/answer`, demo.counselor, { decision: "accept" }))
        .statusCode,
    ).toBe(403);
    const bad = await post(`/api/orientations/${toMediation}/answer`, demo.mediator, { decision: "refuse" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.reason"]);
    expect(
      (await post(`/api/orientations/${toMediation}/answer`, demo.mediator, { decision: "maybe" }))
        .statusCode,
    ).toBe(400);
    expect(
      (await post(`/api/orientations/not-a-uuid/answer`, demo.mediator, { decision: "accept" })).statusCode,
    ).toBe(400);
    expect(
      (await post(`/api/orientations/${toMediation}/complete`, demo.mediator, { outcome: "" })).statusCode,
    ).toBe(400);
    const [untouched] = await t.handle.db.select().from(orientation).where(eq(orientation.id, toMediation));
    expect(untouched!.status).toBe("sent");
  });

  it("a mediator sees the mediation reorientations of their structure only, with what the person consented to share", async () => {
    const items = await inboxOf(demo.mediator);
    expect(items.map((o: { id: string }) => o.id)).toEqual([toMediation]);
    expect(items[0]).toMatchObject({
      target: "mediation",
      status: "sent",
      person: { firstName: "Karim", lastName: "Benali" },
      sharedNeeds: ["budget"],
      demarcheLabel: null,
    });
    for (const field of [...judicialFieldNames, "notes", "birthPlace", "address"])
      expect(keysOf(items)).not.toContain(field);
    // The CAF's referent does not see it; the mediator cannot answer the CAF's.
    expect((await inboxOf(demo.partner)).map((o: { id: string }) => o.id)).not.toContain(toMediation);
    expect(
      (await post(`/api/orientations/${toCaf}/answer`, demo.mediator, { decision: "accept" })).statusCode,
    ).toBe(404);
    // A mediator of another structure sees nothing of this one.
    const other = await aStructure(t.handle.db);
    const elsewhere = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["mediator"] });
    expect(await inboxOf(elsewhere.email)).toEqual([]);
    expect(
      (await post(`/api/orientations/${toMediation}/answer`, elsewhere.email, { decision: "accept" }))
        .statusCode,
    ).toBe(404);
    // Reading the inbox is journaled, naming the person shown.
    const [read] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.action, "orientation.inbox_read"),
          eq(auditEvent.actorUserId, await t.userId(demo.mediator)),
        ),
      );
    expect(read!.targetId.split(",")).toContain(karimId);
  });

  it("without the person's consent to share with the association: no identity, and no taking the file on", async () => {
    const sent = await post(`/api/people/${julienId}/orientations`, demo.counselor, {
      target: "mediation",
      reason: "Litige avec un bailleur, à reprendre",
    });
    const item = (await inboxOf(demo.mediator)).find((o: { id: string }) => o.id === sent.json().id);
    expect(item.person).toBeNull();
    expect(JSON.stringify(item)).not.toContain("Roux");
    const refused = await post(`/api/orientations/${sent.json().id}/answer`, demo.mediator, {
      decision: "accept",
    });
    expect(refused.json().code).toBe("orientation.consentRequired");
    // Never a dead end: the mediation answers it anonymously, saying it needs the consent.
    const answered = await post(`/api/orientations/${sent.json().id}/answer`, demo.mediator, {
      decision: "refuse",
      reason: "Consentement au partage avec l'association nécessaire",
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().status).toBe("refused");
  });

  it("accepted then completed, or refused with a reason shown to the person: journaled, in the referent's news and the dashboard", async () => {
    t.clock.advance(50 * 3_600_000);
    const accepted = await post(`/api/orientations/${toMediation}/answer`, demo.mediator, {
      decision: "accept",
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe("accepted");
    const done = await post(`/api/orientations/${toMediation}/complete`, demo.mediator, {
      outcome: "Plan d'apurement signé avec le bailleur",
    });
    expect(done.json()).toMatchObject({
      status: "completed",
      outcome: "Plan d'apurement signé avec le bailleur",
    });
    const actions = (
      await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, toMediation))
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["orientation.sent", "orientation.accepted", "orientation.completed"]),
    );

    // The referent CPIP reads it in the person's list and in the home's news.
    const mine = (await get(`/api/people/${karimId}/orientations`, demo.cpip)).json().orientations;
    expect(mine.find((o: { id: string }) => o.id === toMediation)).toMatchObject({
      status: "completed",
      outcome: "Plan d'apurement signé avec le bailleur",
      responseHours: 50,
    });
    const news = await get("/api/home/news", demo.cpip);
    expect(news.statusCode, news.body).toBe(200);
    expect(JSON.stringify(news.json())).toContain("Médiation de l'association");

    // Another, refused, with the reason the person may be told.
    await consentToAssociation(julienId).catch(() => undefined);
    const second = await post(`/api/people/${karimId}/orientations`, demo.counselor, {
      target: "mediation",
      reason: "Demande de logement social à compléter",
    });
    const refused = await post(`/api/orientations/${second.json().id}/answer`, demo.mediator, {
      decision: "refuse",
      reason: "Relève du service logement de la mairie",
      showReasonToPerson: true,
    });
    expect(refused.json()).toMatchObject({ status: "refused" });
    const listed = (await get(`/api/people/${karimId}/orientations`, demo.cpip)).json().orientations;
    expect(listed.find((o: { id: string }) => o.id === second.json().id)).toMatchObject({
      status: "refused",
      refusalReason: "Relève du service logement de la mairie",
      refusalReasonForPerson: true,
    });
    // The file's history names the mediator who answered, never "La personne".
    const history = (await get(`/api/people/${karimId}/timeline`, demo.cpip)).json().events;
    expect(history).toContainEqual(
      expect.objectContaining({
        title: "Réponse de la médiation de l'association : refusée",
        detail: "Relève du service logement de la mairie",
        actorName: "Yasmine Haddad — Médiation de l'association",
      }),
    );
    // The closed cards of the inbox keep the answer: when, and the reason of a refusal.
    const closed = await inboxOf(demo.mediator);
    expect(closed.find((o: { id: string }) => o.id === second.json().id)).toMatchObject({
      refusalReason: "Relève du service logement de la mairie",
      answeredAt: t.clock.now().toISOString(),
      refusalReasonForPerson: true,
    });
    expect(closed.find((o: { id: string }) => o.id === toMediation)).toMatchObject({
      refusalReason: "",
      answeredAt: expect.any(String),
    });

    // The dashboard's destination table: the mediation's answers and delay, like a partner's.
    const dashboard: Dashboard = (
      await get("/api/reporting/dashboard?from=2026-01&to=2026-06", demo.manager)
    ).json();
    const table = dashboard.tables.find((x) => x.id === "orientationsByDestination")!;
    const row = table.rows.find((r) => r.label.startsWith("Médiation"));
    expect(row, JSON.stringify(table.rows.map((r) => r.label))).toBeDefined();
    expect(row!.values[0]).toBeGreaterThanOrEqual(3);
    expect(row!.values.slice(1).some((v) => v !== null && v > 0)).toBe(true);
  });
  it("a reorientation without a démarche is counted at the site of the person's latest visit (ADR 0018)", async () => {
    // Julien came once, to a past convocation at the structure's first site.
    const [where] = await t.handle.db
      .select()
      .from(site)
      .where(eq(site.structureId, t.demoStructureId))
      .limit(1);
    const startsAt = new Date(t.clock.now().getTime() - 3 * 86_400_000);
    const [came] = await t.handle.db
      .insert(convocation)
      .values({
        structureId: t.demoStructureId,
        siteId: where!.id,
        personId: julienId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 45 * 60_000),
        seat: 1,
        status: "honoured",
        notifySms: false,
        notifyEmail: false,
        bookedBy: await t.userId(demo.cpip),
      })
      .returning();
    await t.handle.db.insert(visit).values({
      structureId: t.demoStructureId,
      personId: julienId,
      convocationId: came!.id,
      siteId: where!.id,
      counselorUserId: await t.userId(demo.counselor),
      startedAt: startsAt,
      durationMinutes: 30,
      autonomy: "guided",
    });
    const sent = await post(`/api/people/${julienId}/orientations`, demo.cpip, {
      target: "mediation",
      reason: "Litige avec un fournisseur d'énergie à reprendre",
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const [stored] = await t.handle.db
      .select({ siteId: orientation.siteId })
      .from(orientation)
      .where(eq(orientation.id, sent.json().id));
    expect(stored?.siteId).toBe(where!.id);
  });
  it("a reorientation right after a visit recorded before its appointment time is counted at that visit's site", async () => {
    // A person new to the structure comes early for an appointment later today: the counselor notes
    // the arrival, sees the person at once, records the visit and reorients to the mediation.
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
    const newcomer = await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: await t.userId(demo.cpip),
      referentServiceId: spip!.id,
    });
    const later = await aConvocation(t.handle.db, {
      personId: newcomer.id,
      structureId: t.demoStructureId,
      bookedBy: await t.userId(demo.cpip),
      siteId: meaux!.id,
      startsAt: new Date(t.clock.now().getTime() + 2 * 3_600_000),
      status: "planned",
    });
    const steps = [
      [`/api/convocations/${later.id}/arrival`, { arrived: true }],
      [`/api/convocations/${later.id}/status`, { status: "honoured" }],
      [`/api/convocations/${later.id}/visit`, { durationMinutes: 30, autonomy: "guided" }],
    ] as const;
    for (const [url, body] of steps) {
      const done = await post(url, demo.counselor, body);
      expect(done.statusCode, `${url}: ${done.body}`).toBe(200);
    }
    const month = TEST_TODAY.slice(0, 7);
    const orientationsAt = async (siteId: string) => {
      const read = await get(
        `/api/reporting/dashboard?from=${month}&to=${month}&siteId=${siteId}`,
        demo.manager,
      );
      const dashboard: Dashboard = read.json();
      return dashboard.figures.find((f) => f.id === "orientations")?.value;
    };
    const before = await orientationsAt(meaux!.id);
    const sent = await post(`/api/people/${newcomer.id}/orientations`, demo.counselor, {
      target: "mediation",
      reason: "Plusieurs dettes, dossier de surendettement à monter",
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(await orientationsAt(meaux!.id)).toBe((before ?? 0) + 1);
  });
});
