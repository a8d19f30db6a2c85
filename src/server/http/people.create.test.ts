import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, consent, measure, person, referent } from "../db/schema";
import { NOT_YOUR_STRUCTURE_MESSAGE } from "../domains/people/use-cases/CreatePerson";
import { aStructure } from "../testing/builders";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const newPerson = (overrides: Record<string, unknown> = {}) => ({
  structureId: t.demoStructureId,
  firstName: "Sami",
  lastName: "Nouveau",
  birthDate: "1994-02-03",
  phone: "07 12 34 56 78",
  status: "sortant_detention",
  measure: {
    type: "liberation_conditionnelle",
    startDate: "2026-05-01",
    endDate: "2027-05-01",
    offence: "Vol",
  },
  ...overrides,
});
const create = async (payload: object, email: string = demo.cpip) =>
  t.app.inject({ method: "POST", url: "/api/people", payload, headers: await t.sessionFor(email) });

describe("POST /api/people", () => {
  it("401 anonymous, 403 for a counselor, 400 lists every issue (bad phone included) and writes nothing", async () => {
    expect(
      (await t.app.inject({ method: "POST", url: "/api/people", payload: newPerson() })).statusCode,
    ).toBe(401);
    expect((await create(newPerson(), demo.counselor)).json().code).toBe("person.notAReferent");
    const bad = await create(
      newPerson({
        firstName: "",
        birthDate: "03/02/1994",
        measure: { type: "sursis_probatoire", startDate: "2026-05-01", endDate: "2026-01-01" },
      }),
    );
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.birthDate", "body.firstName", "body.measure.endDate"]);
    // The JSON API takes ISO dates: its message names AAAA-MM-JJ, not the import's jj/mm/aaaa.
    expect(bad.json().issues.find((i: { path: string }) => i.path === "body.birthDate").message).toBe(
      "Date de naissance invalide : une date réelle au format AAAA-MM-JJ est attendue (par exemple 1988-03-14).",
    );
    for (const measure of [undefined, null]) {
      const withoutMeasure = await create(newPerson({ measure }));
      expect(withoutMeasure.statusCode).toBe(400);
      expect(withoutMeasure.json().issues).toEqual([
        {
          path: "body.measure",
          message: "Indiquez la mesure : son type, sa date de début et sa date de fin.",
        },
      ]);
    }
    const nonsense = await create(
      newPerson({ lastName: "12345 !!!", birthDate: "2031-01-01", email: "pas-un-courriel", phone: "12" }),
    );
    expect(nonsense.statusCode).toBe(400);
    expect(nonsense.json().issues).toEqual([
      { path: "body.lastName", message: expect.stringMatching(/^Lettres seulement/) },
      { path: "body.birthDate", message: "La date de naissance est dans le futur : vérifiez l'année." },
      { path: "body.phone", message: expect.stringMatching(/^Saisissez un numéro de téléphone valide/) },
      { path: "body.email", message: expect.stringMatching(/^Saisissez une adresse électronique valide/) },
    ]);
    const list = await t.app.inject({
      method: "GET",
      url: "/api/people?search=Nouveau",
      headers: await t.sessionFor(demo.cpip),
    });
    expect(list.json().people).toEqual([]);
  });

  it("a structure unknown or not the agent's is a 400 under structureId, not a refusal of their role", async () => {
    const count = async () => (await t.handle.db.select({ id: person.id }).from(person)).length;
    const before = await count();
    const other = await aStructure(t.handle.db);
    for (const structureId of ["00000000-0000-4000-8000-000000000077", other.structure.id]) {
      const response = await create(newPerson({ structureId }));
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().issues).toEqual([
        { path: "body.structureId", message: NOT_YOUR_STRUCTURE_MESSAGE },
      ]);
      const duplicates = await t.app.inject({
        method: "GET",
        url: `/api/people/duplicates?structureId=${structureId}&lastName=Nouveau&firstName=Sami&birthDate=1994-02-03`,
        headers: await t.sessionFor(demo.cpip),
      });
      expect(duplicates.statusCode, duplicates.body).toBe(400);
      expect(duplicates.json().issues).toEqual([
        { path: "query.structureId", message: NOT_YOUR_STRUCTURE_MESSAGE },
      ]);
    }
    // A member of the structure without the CPIP role: their role is refused, as before.
    expect((await create(newPerson(), demo.counselor)).json().code).toBe("person.notAReferent");
    expect(await count()).toBe(before);
  });

  it("fields the form does not have (isAdmin, in the measure too) are a 400 naming them, nothing written", async () => {
    const count = async () => (await t.handle.db.select({ id: person.id }).from(person)).length;
    const before = await count();
    const response = await create({
      ...newPerson({ isAdmin: true }),
      measure: { ...newPerson().measure, judge: "X" },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().issues).toEqual([
      { path: "body.isAdmin", message: 'Clé non reconnue : "isAdmin"' },
      { path: "body.measure.judge", message: 'Clé non reconnue : "judge"' },
    ]);
    expect(await count()).toBe(before);
  });

  it("creates the person with the CPIP as referent and a normalized phone", async () => {
    const created = await create(newPerson());
    expect(created.statusCode).toBe(200);
    const file = (
      await t.app.inject({
        method: "GET",
        url: `/api/people/${created.json().id}`,
        headers: await t.sessionFor(demo.cpip),
      })
    ).json();
    expect(file).toMatchObject({
      view: "full",
      phone: "+33712345678",
      referent: { displayName: "Camille Martin" },
      permissions: { edit: true },
    });
    // Its history begins with its creation, by whom and when.
    const timeline = await t.app.inject({
      method: "GET",
      url: `/api/people/${created.json().id}/timeline`,
      headers: await t.sessionFor(demo.cpip),
    });
    expect(timeline.json().events).toEqual([
      {
        at: t.clock.now().toISOString(),
        kind: "person",
        title: "Dossier créé",
        detail: "",
        actorName: "Camille Martin",
      },
    ]);
  });

  it("creates a person under contrôle judiciaire; a counselor sees its type and end date only", async () => {
    const created = await create(
      newPerson({
        firstName: "Lina",
        lastName: "Judiciaire",
        phone: "07 98 76 54 31",
        status: "milieu_ouvert",
        measure: {
          type: "controle_judiciaire",
          startDate: "2026-05-01",
          endDate: "2026-11-01",
          offence: "Vol",
        },
      }),
    );
    expect(created.statusCode, created.body).toBe(200);
    const read = async (email: string) =>
      (
        await t.app.inject({
          method: "GET",
          url: `/api/people/${created.json().id}`,
          headers: await t.sessionFor(email),
        })
      ).json();
    expect((await read(demo.cpip)).measures).toEqual([
      expect.objectContaining({ type: "controle_judiciaire", endDate: "2026-11-01", offence: "Vol" }),
    ]);
    await convokedOnce(t, created.json().id);
    const restricted = await read(demo.counselor);
    expect(restricted.view).toBe("restricted");
    expect(restricted.measures).toEqual([{ type: "controle_judiciaire", endDate: "2026-11-01" }]);
  });

  it("keeps the domiciliation, the preferred language, whether the person reads French, and the referents' history", async () => {
    const created = await create(
      newPerson({
        firstName: "Ana",
        lastName: "Domicilia",
        phone: "",
        domiciliation: "CCAS de Meaux",
        preferredLanguage: "portugais",
        readsFrench: "with_help",
      }),
    );
    expect(created.statusCode, created.body).toBe(200);
    expect(
      (await create(newPerson({ firstName: "Ana", lastName: "Autre", readsFrench: "peut-être" }))).statusCode,
    ).toBe(400);
    const id = created.json().id;
    const [firstReferent] = await t.handle.db.select().from(referent).where(eq(referent.personId, id));
    await t.handle.db
      .update(referent)
      .set({ endedAt: new Date("2026-06-01T08:00:00Z") })
      .where(eq(referent.id, firstReferent!.id));
    await t.handle.db.insert(referent).values({
      personId: id,
      userId: await t.userId(demo.cpip2),
      serviceId: firstReferent!.serviceId,
      startedAt: new Date("2026-06-01T08:00:00Z"),
    });
    await convokedOnce(t, id);
    const file = await t.app.inject({
      method: "GET",
      url: `/api/people/${id}`,
      headers: await t.sessionFor(demo.counselor),
    });
    expect(file.json()).toMatchObject({
      domiciliation: "CCAS de Meaux",
      preferredLanguage: "portugais",
      readsFrench: "with_help",
      referent: { displayName: "Nicolas Petit" },
      referentHistory: [{ displayName: "Camille Martin", until: "2026-06-01T08:00:00.000Z" }],
    });
  });

  it("records the person's consent with the person, in the same transaction", async () => {
    const consent = {
      shareNotes: true,
      shareDemarcheDetails: false,
      recipients: ["association"],
      purpose: "Accompagnement vers l'emploi",
    };
    const refused = await create(
      newPerson({
        firstName: "Léa",
        lastName: "Consent",
        phone: "",
        consent: { ...consent, recipients: [] },
      }),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.consent.recipients"]);
    const unknown = await create(
      newPerson({
        firstName: "Léa",
        lastName: "Consent",
        phone: "",
        consent: { ...consent, partnerIds: ["00000000-0000-4000-8000-000000000000"] },
      }),
    );
    expect(unknown.json()).toMatchObject({
      code: "consent.unknownPartner",
      issues: [{ path: "body.consent.partnerIds", message: unknown.json().message }],
    });
    const list = await t.app.inject({
      method: "GET",
      url: "/api/people?search=Consent",
      headers: await t.sessionFor(demo.cpip),
    });
    expect(list.json().people).toEqual([]);

    const created = await create(newPerson({ firstName: "Léa", lastName: "Consent", phone: "", consent }));
    expect(created.statusCode, created.body).toBe(200);
    await convokedOnce(t, created.json().id);
    const consents = await t.app.inject({
      method: "GET",
      url: `/api/people/${created.json().id}/consents`,
      headers: await t.sessionFor(demo.counselor),
    });
    expect(consents.json().active).toMatchObject({
      recipients: ["association"],
      shareNotes: true,
      purpose: "Accompagnement vers l'emploi",
      collectedByName: "Camille Martin",
    });
  });

  it("warns about duplicates (same name and birth date, or same phone) until the agent confirms", async () => {
    const sameIdentity = await create(
      newPerson({ firstName: "karim", lastName: "BENALI", birthDate: "1988-03-14", phone: "" }),
    );
    expect(sameIdentity.statusCode).toBe(409);
    expect(sameIdentity.json().code).toBe("person.possibleDuplicate");
    const query = new URLSearchParams({
      structureId: t.demoStructureId,
      lastName: "Benali",
      firstName: "Karim",
      birthDate: "1988-03-14",
    });
    const dup = await t.app.inject({
      method: "GET",
      url: `/api/people/duplicates?${query}`,
      headers: await t.sessionFor(demo.cpip),
    });
    expect(dup.json()).toMatchObject({
      visible: [{ name: "BENALI Karim", reason: "identity" }],
      hiddenCount: 0,
    });
    const samePhone = await create(newPerson({ firstName: "Autre", phone: "07 12 34 56 78" }));
    expect(samePhone.json().code).toBe("person.possibleDuplicate");
    const confirmed = await create(
      newPerson({ firstName: "Autre", phone: "07 12 34 56 78", confirmNotDuplicate: true }),
    );
    expect(confirmed.statusCode).toBe(200);
    const timeline = await t.app.inject({
      method: "GET",
      url: `/api/people/${confirmed.json().id}/timeline`,
      headers: await t.sessionFor(demo.cpip),
    });
    expect(timeline.json().events).toMatchObject([
      { title: "Dossier créé", detail: "Doublon écarté par l'agent", actorName: "Camille Martin" },
    ]);
  });
});

describe("POST /api/people sent again with the id the form chose (an answer lost, ADR 0036)", () => {
  const rowsOf = async (id: string) => ({
    people: (await t.handle.db.select().from(person).where(eq(person.id, id))).length,
    measures: (await t.handle.db.select().from(measure).where(eq(measure.personId, id))).length,
    referents: (await t.handle.db.select().from(referent).where(eq(referent.personId, id))).length,
    consents: (await t.handle.db.select().from(consent).where(eq(consent.personId, id))).length,
    journal: (
      await t.handle.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.targetId, id), eq(auditEvent.targetType, "person")))
    )
      // The answer sent again is journaled as a read (mount.ts), not as a second creation.
      .map((row) => row.action)
      .filter((action) => action !== "person.data_read"),
  });
  const purpose = "Accompagnement vers l'emploi";
  const withConsent = { shareNotes: true, shareDemarcheDetails: false, recipients: ["association"], purpose };

  it("the same content: the file already created comes back, one file, measure, consent and journal row", async () => {
    const id = randomUUID();
    const body = newPerson({ id, firstName: "Inès", lastName: "Renvoi", phone: "", consent: withConsent });
    const first = await create(body);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ id });
    const written = await rowsOf(id);
    expect(written).toEqual({
      people: 1,
      measures: 1,
      referents: 1,
      consents: 1,
      journal: ["person.created", "consent.recorded"],
    });
    // Not a possible duplicate of itself, with or without the duplicate step's confirmation.
    for (const payload of [body, { ...body, confirmNotDuplicate: true }]) {
      const again = await create(payload);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toEqual(first.json());
    }
    expect(await rowsOf(id)).toEqual(written);
  });

  it("another agent's id, or a file's of another structure, is a 400 under body.id that writes nothing", async () => {
    const id = randomUUID();
    const body = newPerson({ id, firstName: "Jules", lastName: "Autrui", phone: "" });
    expect((await create(body)).statusCode).toBe(200);
    const written = await rowsOf(id);
    const otherAgent = await create(body, demo.cpip2);
    expect(otherAgent.statusCode, otherAgent.body).toBe(400);
    expect(otherAgent.json().issues).toEqual([
      { path: "body.id", message: "Cet identifiant est déjà utilisé." },
    ]);
    expect(await rowsOf(id)).toEqual(written);

    const other = await aStructure(t.handle.db);
    const [elsewhere] = await t.handle.db
      .insert(person)
      .values({
        structureId: other.structure.id,
        firstName: "Jules",
        lastName: "Ailleurs",
        birthDate: "1990-01-01",
        status: "milieu_ouvert",
      })
      .returning();
    // Journaled as created by this very agent: only the structure tells it apart.
    await t.handle.db.insert(auditEvent).values({
      action: "person.created",
      targetType: "person",
      targetId: elsewhere!.id,
      actorUserId: await t.userId(demo.cpip),
      outcome: "success",
    });
    const before = await rowsOf(elsewhere!.id);
    const otherStructure = await create(
      newPerson({ id: elsewhere!.id, firstName: "Jules", lastName: "Ailleurs", birthDate: "1990-01-01" }),
    );
    expect(otherStructure.statusCode, otherStructure.body).toBe(400);
    expect(otherStructure.json().issues).toEqual([
      { path: "body.id", message: "Cet identifiant est déjà utilisé." },
    ]);
    expect(await rowsOf(elsewhere!.id)).toEqual(before);
    const list = await t.app.inject({
      method: "GET",
      url: "/api/people?search=Ailleurs",
      headers: await t.sessionFor(demo.cpip),
    });
    expect(list.json().people).toEqual([]);
  });

  it("changed content is a 409 saying the first submission was recorded; nothing is written", async () => {
    const id = randomUUID();
    const body = newPerson({ id, firstName: "Noé", lastName: "Change", phone: "", consent: withConsent });
    expect((await create(body)).statusCode).toBe(200);
    const stored = async () => ({
      rows: await rowsOf(id),
      person: await t.handle.db.select().from(person).where(eq(person.id, id)),
      measure: await t.handle.db.select().from(measure).where(eq(measure.personId, id)),
    });
    const before = await stored();
    for (const changed of [
      { ...body, lastName: "Changé" },
      { ...body, birthDate: "1994-02-04" },
      { ...body, phone: "06 11 22 33 44" },
      { ...body, status: "milieu_ouvert" },
      { ...body, measure: { ...body.measure, endDate: "2027-06-01" } },
      { ...body, consent: null },
      { ...body, consent: { ...withConsent, shareNotes: false } },
    ]) {
      const again = await create(changed);
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json()).toMatchObject({
        code: "person.retriedWithOtherValues",
        message: expect.stringContaining("le dossier de la personne existe déjà"),
      });
    }
    expect(await stored()).toEqual(before);
    // Without a consent the first time, one sent again is a change too.
    const bare = randomUUID();
    const plain = newPerson({ id: bare, firstName: "Noé", lastName: "Sans", phone: "" });
    expect((await create(plain)).statusCode).toBe(200);
    expect((await create({ ...plain, consent: withConsent })).json().code).toBe(
      "person.retriedWithOtherValues",
    );
    expect((await rowsOf(bare)).consents).toBe(0);
    // A malformed id: refused, no file written.
    const files = (await t.handle.db.select().from(person)).length;
    const malformed = await create({ ...body, id: "pas-un-uuid", lastName: "Malformé" });
    expect(malformed.statusCode, malformed.body).toBe(400);
    expect(malformed.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.id"]);
    expect(await t.handle.db.select().from(person)).toHaveLength(files);
  });

  it("sent twice at once: both 200 with the same file, one file and one journal row", async () => {
    for (let round = 0; round < 3; round += 1) {
      const id = randomUUID();
      const body = newPerson({
        id,
        firstName: "Léon",
        lastName: `Double${"x".repeat(round + 1)}`,
        phone: "",
      });
      const [a, b] = await Promise.all([t.sessionFor(demo.cpip), t.sessionFor(demo.cpip)]);
      const answers = await Promise.all(
        [a, b].map((headers) => t.app.inject({ method: "POST", url: "/api/people", payload: body, headers })),
      );
      expect(
        answers.map((r) => r.statusCode),
        answers.map((r) => r.body).join("\n"),
      ).toEqual([200, 200]);
      expect(answers[1]!.json()).toEqual(answers[0]!.json());
      expect(await rowsOf(id)).toMatchObject({
        people: 1,
        measures: 1,
        referents: 1,
        journal: ["person.created"],
      });
    }
  });
});
