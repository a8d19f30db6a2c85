import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judicialFieldNames } from "../../common/people/people.schema";
import {
  auditEvent,
  demarche,
  demarcheType,
  membership,
  notification,
  orientation,
  partner,
  person,
} from "../db/schema";
import { anAgent } from "../testing/builders";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let karimId: string;
let partners: Record<string, string>; // code → id
beforeAll(async () => {
  t = await startTestApp();
  const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karimId = karim!.id;
  await convokedOnce(t, karimId);
  partners = Object.fromEntries((await t.handle.db.select().from(partner)).map((p) => [p.code, p.id]));
});
afterAll(() => t.close());

const as = (email: string) => t.sessionFor(email);
const post = async (url: string, email: string, payload: object = {}) =>
  t.app.inject({ method: "POST", url, headers: await as(email), payload });
const get = async (url: string, email: string) =>
  t.app.inject({ method: "GET", url, headers: await as(email) });
const orient = (body: object, email: string = demo.counselor) =>
  post(`/api/people/${karimId}/orientations`, email, body);

async function aDemarche(code: string): Promise<string> {
  const [type] = await t.handle.db.select().from(demarcheType).where(eq(demarcheType.code, code));
  const [created] = await t.handle.db
    .insert(demarche)
    .values({
      structureId: t.demoStructureId,
      personId: karimId,
      demarcheTypeId: type!.id,
      helpLevel: "guided",
      status: "in_progress",
      createdBy: await t.userId(demo.counselor),
    })
    .returning();
  return created!.id;
}

const keysOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(keysOf)
    : value && typeof value === "object"
      ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)])
      : [];

describe("orientations and escalations", () => {
  it("400 on incomplete input; a partner needs the person's consent naming it; nothing written otherwise", async () => {
    const bad = await orient({ target: "iae_employer", reason: "court", partnerId: null });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.iaeKind", "body.partnerId", "body.reason"]);
    const rsa = await aDemarche("caf-rsa");
    const refused = await orient({
      target: "partner_back_office",
      partnerId: partners.caf,
      demarcheId: rsa,
      reason: "Dossier RSA bloqué depuis trois mois",
    });
    expect(refused.json().code).toBe("orientation.consentRequired");
    expect(await t.handle.db.select().from(orientation).where(eq(orientation.personId, karimId))).toEqual([]);
    const [untouched] = await t.handle.db.select().from(demarche).where(eq(demarche.id, rsa));
    expect(untouched!.helpLevel).toBe("guided");
  });

  it("an escalation to the CAF: sent with a notice to its referents, answered by the CAF referent only, response time recorded", async () => {
    const agreed = await post(`/api/people/${karimId}/consents`, demo.cpip, {
      shareNotes: false,
      shareDemarcheDetails: true,
      recipients: ["spip", "association"],
      partnerIds: [partners.caf],
      domains: ["acces-aux-droits", "budget"],
      purpose: "Débloquer le RSA avec la CAF",
    });
    expect(agreed.statusCode).toBe(200);
    const [rsa] = await t.handle.db.select().from(demarche).where(eq(demarche.personId, karimId));
    const sent = await orient({
      target: "partner_back_office",
      partnerId: partners.caf,
      demarcheId: rsa!.id,
      reason: "Dossier RSA bloqué depuis trois mois",
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({
      status: "sent",
      partnerName: expect.stringContaining("CAF"),
      demarcheLabel: "Demande de RSA",
      expiresAt: new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString(),
    });
    const [escalated] = await t.handle.db.select().from(demarche).where(eq(demarche.id, rsa!.id));
    expect(escalated!.helpLevel).toBe("escalated");
    const notices = await t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.kind, "orientation_sent"));
    expect(notices.map((n) => n.recipient)).toEqual([demo.partner]);
    expect(notices[0]!.body).not.toContain("Benali");

    const inbox = await get("/api/orientations/inbox", demo.partner);
    expect(inbox.statusCode).toBe(200);
    const [item] = inbox.json().orientations;
    const [karimRow] = await t.handle.db.select().from(person).where(eq(person.id, karimId));
    expect(item).toMatchObject({
      // What the partner needs to find the file on its side: birth date and the structure's number.
      person: {
        firstName: "Karim",
        lastName: "Benali",
        phone: "+33612345678",
        birthDate: karimRow!.birthDate,
        fileNumber: karimRow!.fileNumber,
      },
      sharedNeeds: ["acces-aux-droits", "budget"],
      demarcheLabel: "Demande de RSA",
      reason: "Dossier RSA bloqué depuis trois mois",
    });
    for (const field of [...judicialFieldNames, "notes", "birthPlace", "address"])
      expect(keysOf(inbox.json())).not.toContain(field);
    expect((await get("/api/orientations/inbox", demo.counselor)).statusCode).toBe(403);

    // A referent of another partner sees nothing and cannot answer.
    const cpam = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["partner_referent"] });
    await t.handle.db
      .update(membership)
      .set({ partnerId: partners.cpam })
      .where(eq(membership.userId, cpam.id));
    expect((await get("/api/orientations/inbox", cpam.email)).json().orientations).toEqual([]);
    expect(
      (await post(`/api/orientations/${item.id}/answer`, cpam.email, { decision: "accept" })).statusCode,
    ).toBe(404);

    expect(
      (await post(`/api/orientations/${item.id}/answer`, demo.partner, { decision: "refuse" })).json().issues,
    ).toEqual([{ path: "body.reason", message: "Indiquez la raison du refus." }]);
    const short = await post(`/api/orientations/${item.id}/answer`, demo.partner, {
      decision: "refuse",
      reason: "non",
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().issues).toEqual([
      { path: "body.reason", message: "La raison du refus doit compter 5 caractères au moins." },
    ]);
    t.clock.advance(26 * 3_600_000);
    const answered = await post(`/api/orientations/${item.id}/answer`, demo.partner, {
      decision: "refuse",
      reason: "Pièces manquantes : avis d'imposition",
      showReasonToPerson: true,
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(
      (await post(`/api/orientations/${item.id}/answer`, demo.partner, { decision: "accept" })).json().code,
    ).toBe("orientation.invalidTransition");
    const mine = (await get(`/api/people/${karimId}/orientations`, demo.cpip)).json().orientations;
    expect(mine[0]).toMatchObject({
      status: "refused",
      refusalReason: "Pièces manquantes : avis d'imposition",
      refusalReasonForPerson: true,
      responseHours: 26,
    });
    const timeline = (await get(`/api/people/${karimId}/timeline`, demo.counselor)).json();
    const titles = timeline.events.map((e: { title: string }) => e.title);
    expect(titles).toContain("Consentement au partage d'informations recueilli");
    expect(titles).toContainEqual(expect.stringMatching(/^Orientation envoyée : CAF/));
    expect(titles).toContainEqual(expect.stringMatching(/^Réponse de CAF.* : refusée$/));
    // The answer is the partner's, named with its organisation: never "La personne".
    const answer = timeline.events.find((e: { title: string }) => /^Réponse de CAF/.test(e.title));
    expect(answer).toMatchObject({
      actorName: expect.stringMatching(/^Sophie Garnier — CAF/),
      detail: "Pièces manquantes : avis d'imposition",
    });
  });

  it("accepted then completed; an unanswered one expires after 30 days; a withdrawn consent hides the person", async () => {
    const first = await orient({
      target: "partner_back_office",
      partnerId: partners.caf,
      reason: "Prime d'activité à ouvrir",
    });
    const accepted = await post(`/api/orientations/${first.json().id}/answer`, demo.partner, {
      decision: "accept",
    });
    const done = await post(`/api/orientations/${first.json().id}/complete`, demo.partner, {
      outcome: "Droits ouverts",
    });
    expect(done.json()).toMatchObject({ status: "completed", outcome: "Droits ouverts" });
    // The card says when it ended, as it says when it was answered.
    expect(accepted.json().completedAt).toBeNull();
    expect(Date.parse(done.json().completedAt)).toBeGreaterThanOrEqual(Date.parse(done.json().answeredAt));
    // Each answer leaves its own row only: no empty `person.data_read` row from the mount (ADR 0010).
    const actionsOf = async (response: { headers: Record<string, unknown> }) =>
      (
        await t.handle.db
          .select({ action: auditEvent.action })
          .from(auditEvent)
          .where(eq(auditEvent.requestId, String(response.headers["x-request-id"])))
      ).map((row) => row.action);
    expect(await actionsOf(accepted)).toEqual(["orientation.accepted"]);
    expect(await actionsOf(done)).toEqual(["orientation.completed"]);
    // The history keeps the answer as given (accepted) and the outcome reported, both by the partner.
    const history = (await get(`/api/people/${karimId}/timeline`, demo.cpip)).json().events as {
      title: string;
      detail: string;
      actorName: string | null;
    }[];
    const ofFirst = history.filter(
      (e) => e.detail === "Droits ouverts" || /^Réponse de CAF.* : acceptée$/.test(e.title),
    );
    expect(ofFirst.map((e) => [e.title.replace(/CAF.*$/, "CAF"), e.detail])).toEqual([
      ["Résultat rapporté par CAF", "Droits ouverts"],
      ["Réponse de CAF", ""],
    ]);
    expect(ofFirst.every((e) => /^Sophie Garnier — CAF/.test(e.actorName ?? ""))).toBe(true);

    const late = await orient({
      target: "partner_back_office",
      partnerId: partners.caf,
      reason: "APL à recalculer",
    });
    t.clock.advance(31 * 86_400_000);
    // Reading the inbox or the person's list shows it expired and writes nothing.
    const shown = (await get("/api/orientations/inbox", demo.partner)).json().orientations;
    expect(shown.find((o: { id: string }) => o.id === late.json().id).status).toBe("expired");
    const listed = (await get(`/api/people/${karimId}/orientations`, demo.cpip)).json().orientations;
    expect(listed.find((o: { id: string }) => o.id === late.json().id)).toMatchObject({
      status: "expired",
      permissions: { cancel: false },
    });
    const [stillSent] = await t.handle.db
      .select()
      .from(orientation)
      .where(eq(orientation.id, late.json().id));
    expect(stillSent!.status).toBe("sent");
    // An answer after the expiry is refused as expired; the write expires it (journaled once).
    const tooLate = await post(`/api/orientations/${late.json().id}/answer`, demo.partner, {
      decision: "accept",
    });
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().code).toBe("orientation.expired");
    const [expired] = await t.handle.db.select().from(orientation).where(eq(orientation.id, late.json().id));
    expect(expired!.status).toBe("expired");
    expect(
      await t.handle.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, "orientation.expired"), eq(auditEvent.targetId, late.json().id))),
    ).toHaveLength(1);
    const afterExpiry = (await get(`/api/people/${karimId}/timeline`, demo.cpip)).json().events;
    expect(afterExpiry).toContainEqual(
      expect.objectContaining({
        title: expect.stringMatching(/^Orientation sans réponse après 30 jours : CAF/),
        actorName: "Passerelle (délai dépassé)",
      }),
    );

    const pending = await orient({
      target: "partner_back_office",
      partnerId: partners.caf,
      reason: "Affiliation à vérifier",
    });
    await get("/api/orientations/inbox", demo.partner);
    const [read] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "orientation.inbox_read"))
      .orderBy(desc(auditEvent.at))
      .limit(1);
    // The read names the people the inbox showed, so it appears in each one's journal.
    expect(read).toMatchObject({ targetType: "person" });
    expect(read!.targetId.split(",")).toContain(karimId);

    const { active } = (await get(`/api/people/${karimId}/consents`, demo.cpip)).json();
    await post(`/api/consents/${active.id}/revoke`, demo.cpip);
    const refused = await post(`/api/orientations/${pending.json().id}/answer`, demo.partner, {
      decision: "accept",
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("orientation.consentRequired");
    const inbox = (await get("/api/orientations/inbox", demo.partner)).json().orientations;
    // Withdrawn: no identity at all (the inbox files the items under "Clôturées").
    expect(inbox.length).toBeGreaterThan(0);
    expect(inbox.every((o: { person: unknown }) => o.person === null)).toBe(true);
    expect(JSON.stringify(inbox)).not.toContain("Benali");
  });

  it("a reorientation to the association's mediation hands the démarche over; a draft can be sent or cancelled", async () => {
    const css = await aDemarche("cpam-css");
    const draft = await orient({
      target: "mediation",
      demarcheId: css,
      reason: "Situation complexe, plusieurs dettes",
      send: false,
    });
    expect(draft.json()).toMatchObject({
      status: "draft",
      partnerName: null,
      needsConsent: false,
      permissions: { send: true, cancel: true },
    });
    const [handed] = await t.handle.db
      .select()
      .from(demarche)
      .where(and(eq(demarche.id, css)));
    expect(handed!.status).toBe("reoriented");
    const sent = await post(`/api/orientations/${draft.json().id}/send`, demo.counselor);
    expect(sent.json().status).toBe("sent");
    expect((await post(`/api/orientations/${draft.json().id}/send`, demo.counselor)).statusCode).toBe(409);
    expect((await post(`/api/orientations/${draft.json().id}/cancel`, demo.steering)).statusCode).toBe(403);
    expect((await post(`/api/orientations/${draft.json().id}/cancel`, demo.cpip)).json().status).toBe(
      "cancelled",
    );
  });

  it("sent again with the id the form chose (an answer lost), the same orientation comes back: one row, one notice", async () => {
    const id = "0b6c3d2e-1f4a-4b5c-9d6e-7f8091a2b3c4";
    const body = { id, target: "mediation", reason: "Situation complexe, dettes de loyer", send: true };
    const notices = async () => (await t.handle.db.select().from(notification)).length;
    const first = await orient(body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ id, status: "sent" });
    const afterFirst = await notices();
    const again = await orient(body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await notices()).toBe(afterFirst);
    expect(await t.handle.db.select().from(orientation).where(eq(orientation.id, id))).toHaveLength(1);
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, id), eq(auditEvent.action, "orientation.created")));
    expect(journal).toHaveLength(1);
    // Someone else's id is not theirs to reuse; a malformed id is refused; neither writes anything.
    expect((await orient(body, demo.cpip)).statusCode).toBe(400);
    expect((await orient({ ...body, id: "pas-un-uuid" })).statusCode).toBe(400);
    expect(await t.handle.db.select().from(orientation).where(eq(orientation.id, id))).toHaveLength(1);
  });

  it("sent again after a lost answer with a field changed, it is a 409 saying the first one was recorded, and nothing changes", async () => {
    const id = "5d2e3f40-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
    const body = {
      id,
      target: "partner_back_office",
      partnerId: partners.cpam,
      reason: "Affiliation à reprendre",
      send: false,
    };
    const first = await orient(body);
    expect(first.statusCode, first.body).toBe(200);
    const stored = async () => t.handle.db.select().from(orientation).where(eq(orientation.id, id));
    const before = await stored();
    // Re-aimed at another partner, another reason, or sent this time: none is what was recorded.
    for (const changed of [
      { ...body, partnerId: partners.caf },
      { ...body, reason: "Affiliation à reprendre, et la CSS" },
      { ...body, target: "mediation", partnerId: null },
      { ...body, send: true },
    ]) {
      const again = await orient(changed);
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json()).toMatchObject({
        code: "orientation.retriedWithOtherValues",
        message: expect.stringContaining("premier envoi avait bien été enregistré"),
      });
    }
    expect(await stored()).toEqual(before);
    // The same content again is still the orientation recorded.
    const same = await orient(body);
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toEqual(first.json());
  });

  it("a draft to a partner the consent does not name says so, cannot be sent until the consent names it", async () => {
    const draft = await orient({
      target: "partner_back_office",
      partnerId: partners.cpam,
      reason: "Affiliation à reprendre",
      send: false,
    });
    expect(draft.json()).toMatchObject({ status: "draft", needsConsent: true });
    const refused = await post(`/api/orientations/${draft.json().id}/send`, demo.counselor);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("orientation.consentRequired");
    const recorded = await post(`/api/people/${karimId}/consents`, demo.cpip, {
      domains: ["sante"],
      shareDemarcheDetails: true,
      shareNotes: false,
      partnerIds: [partners.cpam],
      purpose: "Affiliation à l'Assurance maladie",
    });
    expect(recorded.statusCode).toBe(200);
    const listed = (await get(`/api/people/${karimId}/orientations`, demo.counselor)).json();
    expect(listed.orientations.find((o: { id: string }) => o.id === draft.json().id)).toMatchObject({
      needsConsent: false,
    });
    expect((await post(`/api/orientations/${draft.json().id}/send`, demo.counselor)).json().status).toBe(
      "sent",
    );
  });
});

describe("the receiving organisation fits the target (ADR 0030, addendum)", () => {
  it("an IAE orientation to the CAF, or a back-office request to an IAE employer, is a 400 under the field; nothing written", async () => {
    const before = await t.handle.db.select().from(orientation).where(eq(orientation.personId, karimId));
    const toCaf = await orient({
      target: "iae_employer",
      iaeKind: "ACI",
      partnerId: partners.caf,
      reason: "Candidature sur le chantier d'insertion",
    });
    expect(toCaf.statusCode).toBe(400);
    expect(toCaf.json()).toMatchObject({
      code: "orientation.partnerNotForTarget",
      issues: [{ path: "body.partnerId", message: expect.stringContaining("employeur IAE") }],
    });
    const toIae = await orient({
      target: "partner_back_office",
      partnerId: partners["jardins-de-la-brie"],
      reason: "Dossier RSA bloqué depuis trois mois",
    });
    expect(toIae.statusCode).toBe(400);
    expect(toIae.json().code).toBe("orientation.partnerNotForTarget");
    const other = await orient({
      target: "other",
      partnerId: partners["jardins-de-la-brie"],
      reason: "Rencontre avec l'encadrant",
      send: false,
    });
    expect(other.json().code).toBe("orientation.partnerNotForTarget");
    expect(await t.handle.db.select().from(orientation).where(eq(orientation.personId, karimId))).toEqual(
      before,
    );
  });

  it("an organisation, a démarche or a contact the form no longer offers is a 400 under its field; nothing written", async () => {
    const before = await t.handle.db.select().from(orientation).where(eq(orientation.personId, karimId));
    const unknown = "00000000-0000-4000-8000-000000000000";
    const [someoneElse] = await t.handle.db
      .select({ id: person.id })
      .from(person)
      .where(and(eq(person.structureId, t.demoStructureId), eq(person.firstName, "Régine")));
    const [type] = await t.handle.db.select().from(demarcheType).where(eq(demarcheType.code, "caf-rsa"));
    const [theirs] = await t.handle.db
      .insert(demarche)
      .values({
        structureId: t.demoStructureId,
        personId: someoneElse!.id,
        demarcheTypeId: type!.id,
        helpLevel: "guided",
        status: "in_progress",
        createdBy: await t.userId(demo.counselor),
      })
      .returning();
    const reason = "Dossier RSA bloqué depuis trois mois";
    const cases = [
      [{ target: "partner_back_office", partnerId: unknown, reason }, "body.partnerId"],
      [{ target: "mediation", demarcheId: unknown, reason, send: false }, "body.demarcheId"],
      [{ target: "mediation", demarcheId: theirs!.id, reason, send: false }, "body.demarcheId"],
      [{ target: "mediation", directoryContactId: unknown, reason, send: false }, "body.directoryContactId"],
    ] as const;
    for (const [body, path] of cases) {
      const refused = await orient(body);
      expect(refused.statusCode, path).toBe(400);
      expect(refused.json().issues, path).toEqual([{ path, message: refused.json().message }]);
    }
    expect(await t.handle.db.select().from(orientation).where(eq(orientation.personId, karimId))).toEqual(
      before,
    );
  });

  it("an IAE orientation to the catalogue's IAE employer reaches its referent's inbox only", async () => {
    const agreed = await post(`/api/people/${karimId}/consents`, demo.cpip, {
      shareNotes: false,
      shareDemarcheDetails: true,
      recipients: ["spip"],
      partnerIds: [partners.caf, partners["jardins-de-la-brie"]],
      domains: ["emploi"],
      purpose: "Candidature en atelier et chantier d'insertion",
    });
    expect(agreed.statusCode, agreed.body).toBe(200);
    const sent = await orient({
      target: "iae_employer",
      iaeKind: "ACI",
      partnerId: partners["jardins-de-la-brie"],
      reason: "Candidature sur le chantier d'insertion en détention",
    });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ status: "sent", partnerName: "Les Jardins de la Brie (ACI)" });
    const notices = await t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.kind, "orientation_sent"));
    expect(notices.filter((n) => n.recipient === demo.iae)).toHaveLength(1);
    const inbox = (await get("/api/orientations/inbox", demo.iae)).json();
    expect(inbox.orientations.map((o: { reason: string }) => o.reason)).toEqual([
      "Candidature sur le chantier d'insertion en détention",
    ]);
    const caf = await get("/api/orientations/inbox", demo.partner);
    expect(caf.body).not.toContain("chantier d'insertion");
  });

  it("a draft kept from before the rule is not sent to an organisation that does not fit", async () => {
    const [draft] = await t.handle.db
      .insert(orientation)
      .values({
        structureId: t.demoStructureId,
        personId: karimId,
        target: "iae_employer",
        iaeKind: "EI",
        partnerId: partners.caf,
        reason: "Brouillon d'avant la règle",
        status: "draft",
        createdBy: await t.userId(demo.counselor),
        createdAt: t.clock.now(),
      })
      .returning();
    const refused = await post(`/api/orientations/${draft!.id}/send`, demo.counselor);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe("orientation.partnerNotForTarget");
    const [still] = await t.handle.db.select().from(orientation).where(eq(orientation.id, draft!.id));
    expect(still!.status).toBe("draft");
  });
});
