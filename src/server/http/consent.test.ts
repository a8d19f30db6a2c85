import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, consent, note, person, service } from "../db/schema";
import { readableNotesOf } from "../domains/consent/queries";
import { anAgent, aPerson, aStructure } from "../testing/builders";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let karimId: string;
let services: { spip: string; association: string };
beforeAll(async () => {
  t = await startTestApp();
  const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karimId = karim!.id;
  await convokedOnce(t, karimId);
  const rows = await t.handle.db.select().from(service).where(eq(service.structureId, t.demoStructureId));
  services = {
    spip: rows.find((s) => s.kind === "spip")!.id,
    association: rows.find((s) => s.kind === "association")!.id,
  };
});
afterAll(() => t.close());

const as = (email: string) => t.sessionFor(email);
const call = async (method: "GET" | "POST", url: string, email: string, payload?: object) =>
  t.app.inject({ method, url, headers: await as(email), ...(payload ? { payload } : {}) });
const notesSeenBy = async (email: string) =>
  ((await call("GET", `/api/people/${karimId}/notes`, email)).json().notes as { body: string }[])
    .map((n) => n.body)
    .sort();
const agree = (email: string, body: object) => call("POST", `/api/people/${karimId}/consents`, email, body);

describe("consent", () => {
  it("401, 403 steering, 400 listing every issue, unknown partner refused; nothing written", async () => {
    expect(
      (await t.app.inject({ method: "POST", url: `/api/people/${karimId}/consents`, payload: {} }))
        .statusCode,
    ).toBe(401);
    const valid = { shareNotes: true, shareDemarcheDetails: false, recipients: ["spip"], purpose: "Suivi" };
    expect((await agree(demo.steering, valid)).statusCode).toBe(403);
    const bad = await agree(demo.cpip, { shareNotes: "oui", recipients: [], purpose: "x" });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.purpose", "body.recipients", "body.shareDemarcheDetails", "body.shareNotes"]);
    const noRecipient = await agree(demo.cpip, {
      shareNotes: true,
      shareDemarcheDetails: false,
      purpose: "Suivi",
    });
    expect(noRecipient.json().issues).toEqual([
      { path: "body.recipients", message: "Choisissez avec qui les informations sont partagées." },
    ]);
    const unknown = await agree(demo.cpip, {
      shareNotes: true,
      shareDemarcheDetails: false,
      purpose: "Suivi",
      partnerIds: ["00000000-0000-4000-8000-000000000000"],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      code: "consent.unknownPartner",
      issues: [{ path: "body.partnerIds", message: unknown.json().message }],
    });
    expect((await call("GET", `/api/people/${karimId}/consents`, demo.counselor)).json()).toMatchObject({
      active: null,
      history: [],
    });
  });

  it("notes stay in their service unless the person consents to share them with the other; revocation ends it", async () => {
    const write = (email: string, visibility: string, body: string) =>
      call("POST", `/api/people/${karimId}/notes`, email, { visibility, body });
    expect((await write(demo.cpip, "service", "SPIP privée")).statusCode).toBe(200);
    expect((await write(demo.cpip, "shared", "SPIP partageable")).statusCode).toBe(200);
    expect((await write(demo.counselor, "service", "Association privée")).statusCode).toBe(200);
    const shared = await write(demo.counselor, "shared", "Association partageable");
    expect(shared.json()).toMatchObject({
      authorName: "Inès Moreau",
      authorServiceName: "PIMM'S Médiation 77",
    });
    expect((await write(demo.counselor, "public", "x")).statusCode).toBe(400);

    expect(await notesSeenBy(demo.cpip)).toEqual(["SPIP partageable", "SPIP privée"]);
    expect(await notesSeenBy(demo.counselor)).toEqual(["Association partageable", "Association privée"]);
    // Nicolas is a CPIP of the same SPIP service: he reads the SPIP's notes.
    expect(await notesSeenBy(demo.cpip2)).toEqual(["SPIP partageable", "SPIP privée"]);

    const toSpip = await agree(demo.counselor, {
      shareNotes: true,
      shareDemarcheDetails: true,
      recipients: ["spip"],
      domains: ["sante"],
      purpose: "Que la CPIP suive les démarches de santé",
    });
    expect(toSpip.statusCode, toSpip.body).toBe(200);
    expect(toSpip.json().active).toMatchObject({ recipients: ["spip"], collectedByName: "Inès Moreau" });
    expect(await notesSeenBy(demo.cpip)).toEqual([
      "Association partageable",
      "SPIP partageable",
      "SPIP privée",
    ]);
    expect(await notesSeenBy(demo.counselor)).toEqual(["Association partageable", "Association privée"]);

    const both = await agree(demo.cpip, {
      shareNotes: true,
      shareDemarcheDetails: true,
      recipients: ["spip", "association"],
      purpose: "Accompagnement coordonné",
    });
    expect(both.json().history).toHaveLength(2);
    expect(both.json().history.filter((c: { revokedAt: string | null }) => c.revokedAt === null)).toEqual([
      both.json().active,
    ]);
    expect(await notesSeenBy(demo.counselor)).toEqual([
      "Association partageable",
      "Association privée",
      "SPIP partageable",
    ]);

    const revoked = await call("POST", `/api/consents/${both.json().active.id}/revoke`, demo.cpip);
    expect(revoked.json()).toMatchObject({ active: null });
    expect((await call("POST", `/api/consents/${both.json().active.id}/revoke`, demo.cpip)).json().code).toBe(
      "consent.alreadyRevoked",
    );
    expect(await notesSeenBy(demo.counselor)).toEqual(["Association partageable", "Association privée"]);
    expect(await notesSeenBy(demo.cpip)).toEqual(["SPIP partageable", "SPIP privée"]);

    const other = await aStructure(t.handle.db);
    const stranger = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["counselor"],
      serviceId: other.spipServiceId,
    });
    expect((await call("GET", `/api/people/${karimId}/notes`, stranger.email)).statusCode).toBe(404);
    const journal = await call(
      "GET",
      `/api/audit?structureId=${t.demoStructureId}&action=consent.revoked`,
      demo.manager,
    );
    expect(journal.json().events[0].targetId).toBe(karimId);
  });

  it("a CPIP reads the notes of another CPIP's person but writes none (read-only, doc/product.md)", async () => {
    const [thomas] = await t.handle.db.select().from(person).where(eq(person.firstName, "Thomas"));
    const url = `/api/people/${thomas!.id}/notes`;
    const countNotes = async () =>
      (await t.handle.db.select().from(note).where(eq(note.personId, thomas!.id))).length;
    const before = await countNotes();
    // Camille (cpip@) only reads Thomas, referred by Nicolas: no form, and the server refuses.
    const read = await call("GET", url, demo.cpip);
    expect(read.statusCode).toBe(200);
    expect(read.json().permissions).toEqual({ write: false });
    const refused = await call("POST", url, demo.cpip, { visibility: "service", body: "x" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe("access.forbidden");
    expect(await countNotes()).toBe(before);
    // His referent writes on it.
    expect((await call("GET", url, demo.cpip2)).json().permissions).toEqual({ write: true });
    const written = await call("POST", url, demo.cpip2, { visibility: "service", body: "Note du référent" });
    expect(written.statusCode, written.body).toBe(200);
    expect(await countNotes()).toBe(before + 1);
  });

  it("a reader sees a note exactly when it is their service's, or shared under an active consent naming them (property)", async () => {
    const kinds = ["spip", "association"] as const;
    const config = fc.record({
      notes: fc.array(fc.record({ author: fc.constantFrom(...kinds), shared: fc.boolean() }), {
        maxLength: 5,
      }),
      consent: fc.option(
        fc.record({
          shareNotes: fc.boolean(),
          recipients: fc.subarray([...kinds]),
          revoked: fc.boolean(),
        }),
      ),
    });
    const [someone] = await t.handle.db.select().from(person).where(eq(person.firstName, "Julien"));
    const authorId = await t.userId(demo.manager);
    await fc.assert(
      fc.asyncProperty(config, async ({ notes, consent: agreement }) => {
        await t.handle.db.delete(note).where(eq(note.personId, someone!.id));
        await t.handle.db.delete(consent).where(eq(consent.personId, someone!.id));
        const inserted = notes.map((n, i) => ({ ...n, body: `note ${i}` }));
        if (inserted.length > 0) {
          await t.handle.db.insert(note).values(
            inserted.map((n) => ({
              structureId: t.demoStructureId,
              personId: someone!.id,
              authorUserId: authorId,
              authorServiceId: services[n.author],
              visibility: n.shared ? ("shared" as const) : ("service" as const),
              body: n.body,
            })),
          );
        }
        if (agreement) {
          await t.handle.db.insert(consent).values({
            structureId: t.demoStructureId,
            personId: someone!.id,
            shareDemarcheDetails: false,
            shareNotes: agreement.shareNotes,
            recipients: agreement.recipients,
            purpose: "Propriété",
            collectedBy: authorId,
            collectedAt: new Date("2026-05-01T09:00:00Z"),
            revokedAt: agreement.revoked ? new Date("2026-05-02T09:00:00Z") : null,
          });
        }
        for (const reader of kinds) {
          const seen = (await readableNotesOf(t.handle.db, someone!.id, [services[reader]]))
            .map((n) => n.body)
            .sort();
          const expected = inserted
            .filter(
              (n) =>
                n.author === reader ||
                (n.shared &&
                  agreement !== null &&
                  !agreement.revoked &&
                  agreement.shareNotes &&
                  agreement.recipients.includes(reader)),
            )
            .map((n) => n.body)
            .sort();
          expect(seen).toEqual(expected);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe("POST /api/people/:personId/notes sent again with the id the form chose (an answer lost, ADR 0036)", () => {
  const url = () => `/api/people/${karimId}/notes`;
  const notesWritten = async () => ({
    notes: await t.handle.db.select().from(note).where(eq(note.personId, karimId)),
    journal: (
      await t.handle.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, "note.created"), eq(auditEvent.targetId, karimId)))
    ).length,
  });

  it("the same note: the one written comes back, one row and one journal row", async () => {
    const id = randomUUID();
    const body = { id, visibility: "service", body: "Appel de la CAF à rappeler" };
    const before = await notesWritten();
    const first = await call("POST", url(), demo.cpip, body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().id).toBe(id);
    const again = await call("POST", url(), demo.cpip, body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    const after = await notesWritten();
    expect(after.notes).toHaveLength(before.notes.length + 1);
    expect(after.journal).toBe(before.journal + 1);
  });

  it("another agent's id, or a note's on another person, is a 400 that writes nothing", async () => {
    const id = randomUUID();
    const body = { id, visibility: "service", body: "Note de Camille" };
    expect((await call("POST", url(), demo.cpip, body)).statusCode).toBe(200);
    const [thomas] = await t.handle.db.select().from(person).where(eq(person.firstName, "Thomas"));
    const before = await notesWritten();
    const thomasNotes = async () => t.handle.db.select().from(note).where(eq(note.personId, thomas!.id));
    const thomasBefore = await thomasNotes();
    const otherAgent = await call("POST", url(), demo.counselor, body);
    expect(otherAgent.statusCode, otherAgent.body).toBe(400);
    expect(otherAgent.json().issues).toEqual([
      { path: "body.id", message: "Cet identifiant est déjà utilisé." },
    ]);
    // Nicolas writes on Thomas, his own person, under the id of a note he wrote on Karim's file…
    const his = randomUUID();
    await t.handle.db.insert(note).values({
      id: his,
      structureId: t.demoStructureId,
      personId: karimId,
      authorUserId: await t.userId(demo.cpip2),
      authorServiceId: services.spip,
      visibility: "service",
      body: "Note de Nicolas",
    });
    const otherPerson = await call("POST", `/api/people/${thomas!.id}/notes`, demo.cpip2, {
      id: his,
      visibility: "service",
      body: "Note de Nicolas",
    });
    expect(otherPerson.statusCode, otherPerson.body).toBe(400);
    expect(otherPerson.json().issues).toEqual([
      { path: "body.id", message: "Cet identifiant est déjà utilisé." },
    ]);
    expect((await notesWritten()).notes).toHaveLength(before.notes.length + 1);
    expect((await notesWritten()).journal).toBe(before.journal);
    expect(await thomasNotes()).toEqual(thomasBefore);
  });

  it("another text or visibility is a 409 saying the first was recorded; nothing is written", async () => {
    const id = randomUUID();
    const body = { id, visibility: "service", body: "Dossier de surendettement" };
    expect((await call("POST", url(), demo.cpip, body)).statusCode).toBe(200);
    const before = await notesWritten();
    for (const changed of [
      { ...body, body: "Dossier de surendettement déposé" },
      { ...body, visibility: "shared" },
    ]) {
      const again = await call("POST", url(), demo.cpip, changed);
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json()).toMatchObject({ code: "note.retriedWithOtherValues" });
    }
    // A malformed id: refused, nothing written.
    const malformed = await call("POST", url(), demo.cpip, { ...body, id: "pas-un-uuid" });
    expect(malformed.statusCode, malformed.body).toBe(400);
    expect(malformed.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.id"]);
    expect(await notesWritten()).toEqual(before);
  });

  it("sent twice at once: both 200 with the same note, one row and one journal row", async () => {
    for (let round = 0; round < 3; round += 1) {
      const id = randomUUID();
      const body = { id, visibility: "service", body: `Note envoyée deux fois ${round}` };
      const before = await notesWritten();
      const [a, b] = await Promise.all([as(demo.cpip), as(demo.cpip)]);
      const answers = await Promise.all(
        [a, b].map((headers) => t.app.inject({ method: "POST", url: url(), headers, payload: body })),
      );
      expect(
        answers.map((r) => r.statusCode),
        answers.map((r) => r.body).join("\n"),
      ).toEqual([200, 200]);
      expect(answers[1]!.json()).toEqual(answers[0]!.json());
      const after = await notesWritten();
      expect(after.notes).toHaveLength(before.notes.length + 1);
      expect(after.journal).toBe(before.journal + 1);
    }
  });
});

describe("a consent sent again with the id its form chose (an answer lost, ADR 0036)", () => {
  it("one consent and journal row, the first not revoked; other choices a 409; another person's id a 400; twice at once", async () => {
    const other = await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: await t.userId(demo.cpip),
      referentServiceId: services.spip,
    });
    const choice = (id: string) => ({
      id,
      shareNotes: true,
      shareDemarcheDetails: true,
      recipients: ["spip", "association"],
      purpose: "Suivi coordonné",
    });
    const consentsOf = () => t.handle.db.select().from(consent).where(eq(consent.personId, karimId));
    const recorded = async () =>
      (
        await t.handle.db
          .select()
          .from(auditEvent)
          .where(and(eq(auditEvent.action, "consent.recorded"), eq(auditEvent.targetId, karimId)))
      ).length;
    const id = randomUUID();
    const [rowsBefore, journalBefore] = [(await consentsOf()).length, await recorded()];
    const first = await agree(demo.cpip, choice(id));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().active.id).toBe(id);
    const again = await agree(demo.cpip, choice(id));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await consentsOf()).toHaveLength(rowsBefore + 1);
    expect((await consentsOf()).find((c) => c.id === id)?.revokedAt).toBeNull();
    expect(await recorded()).toBe(journalBefore + 1);

    const changed = await agree(demo.cpip, { ...choice(id), shareNotes: false });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().code).toBe("consent.retriedWithOtherValues");
    const elsewhere = await call("POST", `/api/people/${other.id}/consents`, demo.cpip, choice(id));
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().issues).toEqual([
      { path: "body.id", message: "Cet identifiant est déjà utilisé." },
    ]);
    expect(await consentsOf()).toHaveLength(rowsBefore + 1);

    const twin = randomUUID();
    const both = await Promise.all([agree(demo.cpip, choice(twin)), agree(demo.cpip, choice(twin))]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(await consentsOf()).toHaveLength(rowsBefore + 2);
    expect((await consentsOf()).find((c) => c.id === twin)?.revokedAt).toBeNull();
    expect(await recorded()).toBe(journalBefore + 2);
  });
});
