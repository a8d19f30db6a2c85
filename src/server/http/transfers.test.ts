import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TimelineEvent } from "../../common/people/people.schema";
import { documentKeyring, putStoredFile } from "../core/fileStore";
import {
  auditEvent,
  convocation,
  demarche,
  document,
  measure,
  needAssessment,
  note,
  notification,
  person,
  personChange,
  service,
  site,
  transfer,
  user,
  visit,
} from "../db/schema";
import { transferLegalBasis } from "../domains/documents/transmission";
import { anAgent, aStructure } from "../testing/builders";
import { aContactablePerson } from "../testing/personFiles";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let b: { structureId: string; manager: string; cpip: { id: string; email: string }; steering: string };

beforeAll(async () => {
  t = await startTestApp();
  const created = await aStructure(t.handle.db, "France services SPIP 91 (transferts)");
  const manager = await anAgent(t.handle.db, {
    structureId: created.structure.id,
    roles: ["service_manager"],
    serviceId: created.spipServiceId,
  });
  const cpip = await anAgent(t.handle.db, {
    structureId: created.structure.id,
    roles: ["probation_officer"],
    serviceId: created.spipServiceId,
  });
  const steering = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["steering"] });
  b = {
    structureId: created.structure.id,
    manager: manager.email,
    cpip: { id: cpip.id, email: cpip.email },
    steering: steering.email,
  };
});
afterAll(() => t.close());

const call = async (method: "GET" | "POST", url: string, email?: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: email ? await t.sessionFor(email) : {},
    ...(payload ? { payload } : {}),
  });

/** A person of the demo structure with a need, an open démarche and a shared note. */
async function aFollowedPerson(phone: string): Promise<string> {
  const id = await aContactablePerson(t, phone, `${phone.slice(-4)}@exemple.invalid`);
  const cpip = await t.userId(demo.cpip);
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  await t.handle.db.insert(needAssessment).values({
    structureId: t.demoStructureId,
    personId: id,
    domain: "sante",
    hasNeed: true,
    assessedAt: new Date("2026-04-02T09:00:00Z"),
  });
  await t.handle.db.insert(demarche).values({
    structureId: t.demoStructureId,
    personId: id,
    helpLevel: "guided",
    status: "in_progress",
    createdBy: cpip,
    createdAt: new Date("2026-04-02T09:00:00Z"),
  });
  await t.handle.db.insert(note).values({
    structureId: t.demoStructureId,
    personId: id,
    authorUserId: cpip,
    authorServiceId: spip!.id,
    visibility: "shared",
    body: "Souhaite un logement près de sa famille à Évry.",
  });
  return id;
}

const propose = (personId: string, email: string | undefined, body: Record<string, unknown>) =>
  call("POST", `/api/people/${personId}/transfers`, email, body);

const withConsent = () => ({
  toStructureId: b.structureId,
  reason: "Déménagement dans l'Essonne chez sa sœur.",
  consent: "given",
  consentReference: "Accord écrit du 28/05/2026",
});

async function transferIdOf(personId: string): Promise<string> {
  const [row] = await t.handle.db.select().from(transfer).where(eq(transfer.personId, personId));
  return row!.id;
}

describe("proposing a transfer", () => {
  it("401, 403 (counselor), 404 (another structure), 400: unknown or same structure, consent not stated", async () => {
    const id = await aFollowedPerson("+33612400001");
    expect((await propose(id, undefined, withConsent())).statusCode).toBe(401);
    // Never convoked, the file is not the counselor's (404); convoked, it is, but not theirs to move (403).
    expect((await propose(id, demo.counselor, withConsent())).statusCode).toBe(404);
    await convokedOnce(t, id);
    expect((await propose(id, demo.counselor, withConsent())).statusCode).toBe(403);
    expect((await propose(id, b.cpip.email, withConsent())).statusCode).toBe(404);
    const unknown = await propose(id, demo.cpip, {
      ...withConsent(),
      toStructureId: "00000000-0000-4000-8000-000000000000",
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe("handover.unknownStructure");
    expect(unknown.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.toStructureId"]);
    const same = await propose(id, demo.cpip, { ...withConsent(), toStructureId: t.demoStructureId });
    expect(same.json().code).toBe("transfer.sameStructure");
    const { consent: _c, ...noConsent } = withConsent();
    const missing = await propose(id, demo.cpip, noConsent);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues).toEqual([
      expect.objectContaining({ path: "body.consent", message: expect.stringContaining("consent") }),
    ]);
    // A reason left out gets the field's own message, as an empty one does — never « Renseignez ce champ. ».
    const { reason: _r, ...noReason } = withConsent();
    for (const body of [noReason, { ...withConsent(), reason: "" }])
      expect((await propose(id, demo.cpip, body)).json().issues).toEqual([
        {
          path: "body.reason",
          message: "Indiquez le motif du transfert (déménagement, changement de juridiction…).",
        },
      ]);
    const noReference = await propose(id, demo.cpip, { ...withConsent(), consentReference: "" });
    expect(noReference.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.consentReference"]);
    expect(await t.handle.db.select().from(transfer).where(eq(transfer.personId, id))).toEqual([]);
  });
});

describe("answering a transfer", () => {
  it("the receiving direction's inbox shows the minimum; 403 for a CPIP, 404 for another direction", async () => {
    const id = await aFollowedPerson("+33612400002");
    expect((await propose(id, demo.cpip, withConsent())).statusCode).toBe(200);
    const again = await propose(id, demo.cpip, withConsent());
    expect(again.json().code).toBe("transfer.alreadyProposed");
    expect((await call("GET", "/api/transfers/inbox")).statusCode).toBe(401);
    expect((await call("GET", "/api/transfers/inbox", b.cpip.email)).statusCode).toBe(403);
    const inbox = await call("GET", "/api/transfers/inbox", b.manager);
    expect(inbox.statusCode).toBe(200);
    const item = inbox.json().items.find((i: { personId: string }) => i.personId === id);
    expect(Object.keys(item).sort()).toEqual(
      [
        "birthDate",
        "consentGiven",
        "firstName",
        "fromStructureName",
        "id",
        "lastName",
        "measureEnd",
        "measureType",
        "personId",
        "proposedAt",
        "proposedByName",
        "reason",
        "toStructureId",
        "toStructureName",
      ].sort(),
    );
    expect(inbox.body).not.toContain("Infraction de test");
    expect(inbox.body).not.toContain("+33612400002");
    // The receiving direction's journal names the person of the proposal, as its inbox does.
    const concerns = async () =>
      (await call("GET", `/api/audit?structureId=${b.structureId}&targetId=${id}`, b.manager))
        .json()
        .events.map((e: { action: string; subjectName: string | null }) => [e.action, e.subjectName]);
    const named = `${item.lastName.toUpperCase()} ${item.firstName}`;
    expect(await concerns()).toEqual(
      expect.arrayContaining([
        ["transfer.proposed", named],
        ["transfer.inbox_read", named],
      ]),
    );
    // The sending direction does not answer its own proposal.
    const transferId = await transferIdOf(id);
    expect(
      (await call("POST", `/api/transfers/${transferId}/accept`, demo.manager, { referentUserId: b.cpip.id }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call("POST", `/api/transfers/${transferId}/accept`, b.cpip.email, { referentUserId: b.cpip.id }))
        .statusCode,
    ).toBe(403);
    expect((await call("POST", `/api/transfers/${transferId}/accept`, b.manager, {})).statusCode).toBe(400);
    const wrong = await call("POST", `/api/transfers/${transferId}/accept`, b.manager, {
      referentUserId: await t.userId(demo.cpip),
    });
    expect(wrong.json().code).toBe("handover.unknownReferent");
    expect(wrong.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.referentUserId"]);
  });

  it("accepted with consent: needs, open démarches and shared notes continue; the sender's past figures do not change", async () => {
    const id = await aFollowedPerson("+33612400003");
    // Past activity in the sending structure: a convocation honoured in March, its visit.
    const [meaux] = await t.handle.db
      .select()
      .from(site)
      .where(eq(site.structureId, t.demoStructureId))
      .limit(1);
    const [held] = await t.handle.db
      .insert(convocation)
      .values({
        structureId: t.demoStructureId,
        siteId: meaux!.id,
        personId: id,
        startsAt: new Date("2026-03-10T09:00:00Z"),
        endsAt: new Date("2026-03-10T09:45:00Z"),
        seat: 1,
        status: "honoured",
        notifySms: false,
        notifyEmail: false,
        bookedBy: await t.userId(demo.cpip),
      })
      .returning();
    await t.handle.db.insert(visit).values({
      structureId: t.demoStructureId,
      personId: id,
      convocationId: held!.id,
      siteId: meaux!.id,
      counselorUserId: await t.userId(demo.counselor),
      startedAt: new Date("2026-03-10T09:05:00Z"),
      durationMinutes: 40,
      autonomy: "guided",
    });
    const dashboard = async () => {
      const response = await call(
        "GET",
        `/api/reporting/dashboard?from=2026-01&to=2026-05&structureId=${t.demoStructureId}`,
        demo.manager,
      );
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const before = await dashboard();
    // The person's March visit is in the sender's figures (nothing else is, in the test template).
    expect(before.figures.some((f: { value: unknown }) => typeof f.value === "number" && f.value > 0)).toBe(
      true,
    );
    expect((await propose(id, demo.cpip, withConsent())).statusCode).toBe(200);
    const accepted = await call("POST", `/api/transfers/${await transferIdOf(id)}/accept`, b.manager, {
      referentUserId: b.cpip.id,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const newId = accepted.json().personId as string;
    // The acceptance's own rows, none naming nobody (no empty `person.data_read` from the mount).
    const acceptRows = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.requestId, String(accepted.headers["x-request-id"])));
    expect(acceptRows.map((row) => row.action)).toContain("transfer.accepted");
    expect(acceptRows.filter((row) => row.action === "person.data_read")).toEqual([]);
    expect(await dashboard()).toEqual(before);
    expect((await call("GET", `/api/people/${newId}`, b.cpip.email)).statusCode).toBe(200);
    const notes = await call("GET", `/api/people/${newId}/notes`, b.cpip.email);
    expect(notes.statusCode).toBe(200);
    const moved = await t.handle.db.select().from(demarche).where(eq(demarche.personId, newId));
    expect(moved.map((d) => d.status)).toContain("in_progress");
    expect(
      (await t.handle.db.select().from(needAssessment).where(eq(needAssessment.personId, newId))).length,
    ).toBeGreaterThan(0);
    const [old] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(old!.closedReason).toBe("transfer");
    const again = await call("POST", `/api/transfers/${await transferIdOf(id)}/refuse`, b.manager, {
      reason: "Trop tard",
    });
    expect(again.json().code).toBe("transfer.answered");
  });

  it("accepted without consent: only identity and measure reach the receiving SPIP", async () => {
    const id = await aFollowedPerson("+33612400004");
    const refused = await propose(id, demo.manager, {
      toStructureId: b.structureId,
      reason: "Changement de juridiction.",
      consent: "refused",
    });
    expect(refused.statusCode, refused.body).toBe(200);
    const accepted = await call("POST", `/api/transfers/${await transferIdOf(id)}/accept`, b.manager, {
      referentUserId: b.cpip.id,
    });
    const newId = accepted.json().personId as string;
    const file = await call("GET", `/api/people/${newId}`, b.manager);
    expect(file.statusCode).toBe(200);
    expect(await t.handle.db.select().from(needAssessment).where(eq(needAssessment.personId, newId))).toEqual(
      [],
    );
    expect(await t.handle.db.select().from(demarche).where(eq(demarche.personId, newId))).toEqual([]);
    expect(await t.handle.db.select().from(note).where(eq(note.personId, newId))).toEqual([]);
    const measures = await t.handle.db.select().from(measure).where(eq(measure.personId, newId));
    expect(measures.map((m) => m.offence)).toEqual(["Infraction de test"]);
    // The sender's file keeps everything, closed and read-only.
    expect((await t.handle.db.select().from(demarche).where(eq(demarche.personId, id))).length).toBe(1);
    // The new file's history opens with its reception, by the direction that accepted it; the
    // sender's file (written by a builder: no journal row) with its creation instant, by nobody.
    const [manager] = await t.handle.db
      .select({ name: user.displayName })
      .from(user)
      .where(eq(user.email, b.manager));
    const openings = async (personId: string, email: string) =>
      (
        (await call("GET", `/api/people/${personId}/timeline`, email)).json().events as TimelineEvent[]
      ).filter((e) => e.title === "Dossier créé");
    expect(await openings(newId, b.manager)).toEqual([
      {
        at: expect.any(String),
        kind: "person",
        title: "Dossier créé",
        detail: expect.stringMatching(
          /^Transfert : dossier reçu de France services SPIP 77 – PIMM'S Médiation 77, référent .+$/,
        ),
        actorName: manager!.name,
      },
    ]);
    const [sent] = await t.handle.db.select({ at: person.createdAt }).from(person).where(eq(person.id, id));
    expect(await openings(id, demo.manager)).toEqual([
      { at: sent!.at.toISOString(), kind: "person", title: "Dossier créé", detail: "", actorName: null },
    ]);
  });

  it("the CPIP chosen reads the files passed to them, read-only and minimal; the direction reads all", async () => {
    const other = await anAgent(t.handle.db, { structureId: b.structureId, roles: ["probation_officer"] });
    const counselor = await anAgent(t.handle.db, { structureId: b.structureId, roles: ["counselor"] });
    expect((await call("GET", "/api/transfers/received")).statusCode).toBe(401);
    expect((await call("GET", "/api/transfers/received", counselor.email)).statusCode).toBe(403);
    const mine = (await call("GET", "/api/transfers/received", b.cpip.email)).json();
    expect(mine.scope).toBe("mine");
    // The two transfers accepted above (with and without consent), both to b's CPIP.
    expect(mine.items).toHaveLength(2);
    for (const item of mine.items) {
      expect(Object.keys(item).sort()).toEqual(
        [
          "at",
          "birthDate",
          "consentGiven",
          "firstName",
          "fromStructureName",
          "id",
          "kind",
          "lastName",
          "personId",
          "referentName",
        ].sort(),
      );
      const [file] = await t.handle.db.select().from(person).where(eq(person.id, item.personId));
      expect(file!.structureId).toBe(b.structureId);
    }
    expect(mine.items.map((i: { consentGiven: boolean }) => i.consentGiven).sort()).toEqual([false, true]);
    const read = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "transfer.received_read"));
    expect(read.map((r) => r.targetId).sort()).toEqual(
      mine.items.map((i: { personId: string }) => i.personId).sort(),
    );
    expect((await call("GET", "/api/transfers/received", other.email)).json()).toEqual({
      items: [],
      scope: "mine",
    });
    const direction = (await call("GET", "/api/transfers/received", b.manager)).json();
    expect(direction.scope).toBe("structure");
    expect(direction.items).toHaveLength(2);
    // The sending structure received nothing.
    expect((await call("GET", "/api/transfers/received", demo.manager)).json().items).toEqual([]);
  });

  it("refused with a reason (400 without); the sender sees it in its history; counts per role", async () => {
    const id = await aFollowedPerson("+33612400005");
    await propose(id, demo.cpip, withConsent());
    const transferId = await transferIdOf(id);
    for (const body of [{ reason: "" }, {}])
      expect(
        (await call("POST", `/api/transfers/${transferId}/refuse`, b.manager, body)).json().issues,
      ).toEqual([{ path: "body.reason", message: "Indiquez le motif du refus." }]);
    const refused = await call("POST", `/api/transfers/${transferId}/refuse`, b.manager, {
      reason: "La personne n'est pas domiciliée dans notre ressort.",
    });
    expect(refused.statusCode).toBe(200);
    // The same refusal again (its answer lost): the same answer, nothing journaled twice; another
    // reason is another answer to a transfer already answered.
    const again = await call("POST", `/api/transfers/${transferId}/refuse`, b.manager, {
      reason: "La personne n'est pas domiciliée dans notre ressort.",
    });
    expect(again.statusCode, again.body).toBe(200);
    const refusals = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "transfer.refused"));
    expect(refusals.filter((row) => row.targetId === id)).toHaveLength(2);
    const other = await call("POST", `/api/transfers/${transferId}/refuse`, b.manager, {
      reason: "Autre motif",
    });
    expect(other.json().code).toBe("transfer.answered");
    const [open] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(open!.closedAt).toBeNull();
    const mine = await call("GET", `/api/people/${id}/transfers`, demo.cpip);
    expect(mine.json().transfers[0]).toMatchObject({
      status: "refused",
      refusalReason: expect.stringContaining("ressort"),
    });

    const figures = async (email: string, structureId: string) => {
      const answer = await call(
        "GET",
        `/api/transfers/figures?structureId=${structureId}&from=2026-06&to=2026-06`,
        email,
      );
      if (answer.statusCode !== 200) return { status: answer.statusCode };
      const body = answer.json() as { protected: boolean; figures: { key: string; value: number | null }[] };
      return {
        protected: body.protected,
        ...Object.fromEntries(body.figures.map((f) => [f.key, f.value])),
      } as Record<string, unknown>;
    };
    expect(await figures(demo.cpip, t.demoStructureId)).toEqual({ status: 403 });
    expect(await figures(demo.manager, b.structureId)).toEqual({ status: 404 });
    expect(await figures(demo.manager, t.demoStructureId)).toMatchObject({
      protected: false,
      outProposed: 4,
      outAccepted: 2,
      outRefused: 1,
      inProposed: 0,
    });
    const incoming = await figures(b.manager, b.structureId);
    expect(incoming).toMatchObject({ inProposed: 4, inAccepted: 2, inRefused: 1, outProposed: 0 });
    const steering = await figures(b.steering, t.demoStructureId);
    expect(steering.protected).toBe(true);
    expect(steering.outRefused).toBeNull();
    expect(steering.inProposed).toBe(0);
  });
});

describe("the two CPIP of an accepted transfer are told", () => {
  it("the sending referent and the new referent: one e-mail each and the home's news, once even when the accept is sent again", async () => {
    const id = await aFollowedPerson("+33612400031");
    expect((await propose(id, demo.cpip, withConsent())).statusCode).toBe(200);
    const url = `/api/transfers/${await transferIdOf(id)}/accept`;
    const accepted = await call("POST", url, b.manager, { referentUserId: b.cpip.id });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const newId = accepted.json().personId as string;
    // Sent again (a lost answer): the same answer, nothing written or sent twice.
    const again = await call("POST", url, b.manager, { referentUserId: b.cpip.id });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().personId).toBe(newId);
    const otherAnswer = await call("POST", url, b.manager, { referentUserId: await t.userId(demo.cpip) });
    expect(otherAnswer.json().code).toBe("transfer.answered");
    const sender = await t.userId(demo.cpip);
    const notices = await t.handle.db
      .select()
      .from(notification)
      .where(
        sql`${notification.kind} = 'agent_alert' and ${notification.recipientUserId} in (${sender}, ${b.cpip.id}) and (${notification.subject} like 'Transfert accepté%' or ${notification.subject} like 'Dossier reçu%')`,
      );
    const [old] = await t.handle.db.select().from(person).where(eq(person.id, id));
    const [created] = await t.handle.db.select().from(person).where(eq(person.id, newId));
    const toSender = notices.filter(
      (n) => n.recipientUserId === sender && n.body.includes(`/personnes/${id}`),
    );
    const toReceiver = notices.filter((n) => n.recipientUserId === b.cpip.id);
    expect(toSender).toHaveLength(1);
    expect(toSender[0]!.subject).toBe(
      `Transfert accepté : dossier n° ${old!.fileNumber} confié à France services SPIP 91 (transferts)`,
    );
    expect(toReceiver.filter((n) => n.body.includes(`/personnes/${newId}`))).toHaveLength(1);
    expect(toReceiver.find((n) => n.body.includes(`/personnes/${newId}`))!.subject).toBe(
      `Dossier reçu : le dossier n° ${created!.fileNumber} vous est confié`,
    );
    // By file number, as the other alerts: never the person's name in an e-mail.
    for (const n of [...toSender, ...toReceiver]) expect(n.body).not.toContain(old!.lastName);
    // The home's « Du nouveau » of each of them says it, once.
    const newsOf = async (email: string, personId: string) =>
      (await call("GET", "/api/home/news", email))
        .json()
        .people.find((p: { personId: string }) => p.personId === personId)?.events as
        | { kind: string; place: string; byName: string | null }[]
        | undefined;
    const sent = (await newsOf(demo.cpip, id))?.filter((e) => e.kind === "transfer_sent");
    expect(sent).toEqual([
      expect.objectContaining({ place: "France services SPIP 91 (transferts)", byName: expect.any(String) }),
    ]);
    const received = (await newsOf(b.cpip.email, newId))?.filter((e) => e.kind === "transfer_received");
    expect(received).toHaveLength(1);
    expect(received![0]!.place).not.toBe("");
    expect(received![0]!.place).not.toBe("France services SPIP 91 (transferts)");
    // Nobody else's news: the direction is no news reader, another CPIP sees nothing of it.
    expect(await newsOf(demo.cpip2, id)).toBeUndefined();
  });
});

describe("documents follow a transferred file under their legal basis", () => {
  async function withDocuments(phone: string): Promise<string> {
    const id = await aFollowedPerson(phone);
    const cpip = await t.userId(demo.cpip);
    for (const [kind, title] of [
      ["judgment_extract", "Extrait de jugement"],
      ["proof", "Justificatif de domicile"],
    ] as const) {
      const fileId = await putStoredFile(t.handle.db, documentKeyring({}), {
        bytes: Buffer.from("%PDF-1.4 spécimen"),
        mediaType: "application/pdf",
      });
      await t.handle.db.insert(document).values({
        structureId: t.demoStructureId,
        personId: id,
        kind,
        title,
        fileName: `${title}.pdf`,
        mediaType: "application/pdf",
        size: 17,
        uploadedBy: cpip,
        uploadedAt: new Date("2026-04-03T09:00:00Z"),
        storedFileId: fileId,
      });
    }
    return id;
  }
  const received = async (personName: string) => {
    const answer = await call("GET", `/api/structures/${b.structureId}/received-documents`, b.manager);
    expect(answer.statusCode).toBe(200);
    return (answer.json().documents as { title: string; legalBasis: string; personName: string }[])
      .filter((d) => d.personName === personName)
      .map((d) => [d.title, d.legalBasis])
      .sort();
  };
  const nameOf = async (id: string) => {
    const [p] = await t.handle.db.select().from(person).where(eq(person.id, id));
    return `${p!.firstName} ${p!.lastName.toUpperCase()}`;
  };

  it("with consent every document, without only the judicial ones; each share names its legal basis", async () => {
    const consenting = await withDocuments("+33612400011");
    const refusing = await withDocuments("+33612400012");
    expect((await propose(consenting, demo.manager, withConsent())).statusCode).toBe(200);
    const refusal = {
      toStructureId: b.structureId,
      reason: "Changement de juridiction.",
      consent: "refused",
    };
    expect((await propose(refusing, demo.manager, refusal)).statusCode).toBe(200);
    for (const id of [consenting, refusing]) {
      const accepted = await call("POST", `/api/transfers/${await transferIdOf(id)}/accept`, b.manager, {
        referentUserId: b.cpip.id,
      });
      expect(accepted.statusCode, accepted.body).toBe(200);
    }
    expect(await received(await nameOf(consenting))).toEqual([
      ["Extrait de jugement", transferLegalBasis.judicial],
      ["Justificatif de domicile", transferLegalBasis.consent],
    ]);
    expect(await received(await nameOf(refusing))).toEqual([
      ["Extrait de jugement", transferLegalBasis.judicial],
    ]);
  });
});

describe("the journal of transfers", () => {
  it("names the structures and never an id, on both sides and in the file's history", async () => {
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    const rows = await t.handle.db
      .select({ action: auditEvent.action, reason: auditEvent.reason })
      .from(auditEvent)
      .where(
        sql`${auditEvent.action} like 'transfer.%' or ${auditEvent.action} in ('person.closed', 'person.transfer')`,
      );
    const written = rows.filter((r) => r.reason !== "" && !r.reason.startsWith("GET "));
    expect(written.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        "transfer.proposed",
        "transfer.accepted",
        "transfer.refused",
        "transfer.transmitted",
      ]),
    );
    expect(written.filter((r) => uuid.test(r.reason))).toEqual([]);
    const demoName = "France services SPIP 77 – PIMM'S Médiation 77";
    const proposed = written.filter((r) => r.action === "transfer.proposed").map((r) => r.reason);
    expect(proposed).toContain(
      `transfert de ${demoName} vers France services SPIP 91 (transferts), avec consentement`,
    );
    expect(written.find((r) => r.action === "transfer.transmitted")?.reason).toMatch(
      new RegExp(`^transfert : dossier reçu de ${demoName}, référent .+$`),
    );
    const history = await t.handle.db.select({ reason: personChange.reason }).from(personChange);
    expect(history.filter((h) => uuid.test(h.reason))).toEqual([]);
  });
});

describe("the sending file after the transfer", () => {
  it("the sending file stays closed for good: not reopened, no note offered; a file closed by hand reopens", async () => {
    const id = await aFollowedPerson("+33612400009");
    expect((await propose(id, demo.cpip, withConsent())).statusCode).toBe(200);
    const accepted = await call("POST", `/api/transfers/${await transferIdOf(id)}/accept`, b.manager, {
      referentUserId: b.cpip.id,
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    for (const email of [demo.cpip, demo.manager]) {
      const file = await call("GET", `/api/people/${id}`, email);
      expect(file.json().permissions).toMatchObject({ edit: false, reopen: false });
      const notes = await call("GET", `/api/people/${id}/notes`, email);
      expect(notes.json().permissions).toEqual({ write: false });
      const reopened = await call("POST", `/api/people/${id}/reopen`, email, { reason: "Relecture" });
      expect(reopened.statusCode).toBe(409);
      expect(reopened.json()).toMatchObject({
        code: "person.passedOn",
        message: expect.stringContaining("transmis à une autre structure"),
      });
    }
    const [old] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(old!.closedAt).not.toBeNull();

    // Closed « transfert » by hand (a move to a structure outside Passerelle): reopened as before.
    const byHand = await aFollowedPerson("+33612400010");
    await t.handle.db
      .update(person)
      .set({ closedAt: new Date("2026-05-20T09:00:00Z"), closedOn: "2026-05-20", closedReason: "transfer" })
      .where(eq(person.id, byHand));
    expect((await call("GET", `/api/people/${byHand}`, demo.cpip)).json().permissions.reopen).toBe(true);
    const reopened = await call("POST", `/api/people/${byHand}/reopen`, demo.cpip, { reason: "Revenu" });
    expect(reopened.statusCode, reopened.body).toBe(200);
  });
});
