import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { person, referent } from "../db/schema";
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

  it("fields the form does not have (an id, isAdmin, in the measure too) are a 400 naming them, nothing written", async () => {
    const count = async () => (await t.handle.db.select({ id: person.id }).from(person)).length;
    const before = await count();
    const response = await create({
      ...newPerson({ id: "00000000-0000-4000-8000-000000000001", isAdmin: true }),
      measure: { ...newPerson().measure, judge: "X" },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().issues).toEqual([
      { path: "body", message: 'Clés non reconnues : "id", "isAdmin"' },
      { path: "body.measure", message: 'Clé non reconnue : "judge"' },
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
    expect(unknown.json().code).toBe("consent.unknownPartner");
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
