import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DUPLICATE_MESSAGE } from "../../common/fields";
import { auditEvent, consent, directoryContact, directoryEntry, partner, person } from "../db/schema";
import { anAgent, aStructure } from "../testing/builders";
import { expectSafeRetries } from "../testing/retriedCreations";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

// The partners' directory (ADR 0030): who reads, who edits, the search, the French field errors.
let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  base = `/api/structures/${t.demoStructureId}/directory`;
});
afterAll(() => t.close());

const call = async (method: "GET" | "POST" | "PUT", url: string, email?: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: email ? await t.sessionFor(email) : {},
  });
const names = (body: { entries: { name: string }[] }) => body.entries.map((e) => e.name);
const entryCount = async () => (await t.handle.db.select().from(directoryEntry)).length;

describe("directory access", () => {
  it("401 without a session, 403 for steering, mediation and administrators, 403 in another structure", async () => {
    expect((await call("GET", base)).statusCode).toBe(401);
    for (const email of [demo.steering, demo.mediator, demo.admin]) {
      expect((await call("GET", base, email)).statusCode).toBe(403);
    }
    const other = await aStructure(t.handle.db);
    const stranger = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager", "probation_officer", "counselor"],
    });
    expect((await call("GET", base, stranger.email)).statusCode).toBe(403);
    const [caf] = await t.handle.db
      .select()
      .from(directoryEntry)
      .where(eq(directoryEntry.name, "CAF de Seine-et-Marne"));
    expect((await call("GET", `/api/directory/${caf!.id}`, stranger.email)).statusCode).toBe(404);
  });

  it("CPIP and counselors read everything; a partner referent only its own organisation's entries and contacts", async () => {
    const all = (await call("GET", base, demo.cpip)).json();
    expect(all.entries.length).toBe(15);
    expect(all.permissions.edit).toBe(false);
    expect((await call("GET", base, demo.counselor)).json().entries.length).toBe(15);
    const partnerView = await call("GET", base, demo.partner);
    expect(partnerView.statusCode).toBe(200);
    // The demo partner referent is the CAF's: the CPAM's contacts never reach it.
    expect(names(partnerView.json())).toEqual(["CAF de Seine-et-Marne"]);
    expect(partnerView.body).not.toContain("Nadia Ferreira");
    const [cpam] = await t.handle.db
      .select()
      .from(directoryEntry)
      .where(eq(directoryEntry.name, "CPAM de Seine-et-Marne"));
    expect((await call("GET", `/api/directory/${cpam!.id}`, demo.partner)).statusCode).toBe(404);
    expect((await call("GET", `/api/directory/${cpam!.id}`, demo.counselor)).json().contacts).toHaveLength(2);
  });

  it("counselors and CPIP cannot edit (403), the partner referent cannot either (404 on another's entry)", async () => {
    const [cpam] = await t.handle.db
      .select()
      .from(directoryEntry)
      .where(eq(directoryEntry.name, "CPAM de Seine-et-Marne"));
    const body = { name: "Nouveau nom", kind: "other" };
    expect((await call("POST", base, demo.counselor, body)).statusCode).toBe(403);
    expect((await call("PUT", `/api/directory/${cpam!.id}`, demo.cpip, body)).statusCode).toBe(403);
    expect((await call("PUT", `/api/directory/${cpam!.id}`, demo.partner, body)).statusCode).toBe(404);
    const contact = { name: "Intrus", email: "intrus@exemple.invalid" };
    expect(
      (await call("POST", `/api/directory/${cpam!.id}/contacts`, demo.counselor, contact)).statusCode,
    ).toBe(403);
  });
});

describe("directory search", () => {
  it("finds without accents or case, by name, contact, area, kind and service", async () => {
    const search = async (query: string) => names((await call("GET", `${base}?${query}`, demo.cpip)).json());
    expect(await search("q=pimm%27s")).toEqual(["PIMM'S Médiation 77"]);
    expect(await search("q=MEDIATION")).toEqual(["PIMM'S Médiation 77"]);
    expect(await search("q=ferreira")).toEqual(["CPAM de Seine-et-Marne"]);
    expect(await search("q=fontainebleau")).toEqual(["CPAM – accueil de Fontainebleau"]);
    expect(await search("q=Val%20de%20S%C3%A8ine")).toEqual(["Mission locale de Melun Val de Seine"]);
    expect(await search("kind=iae_employer")).toEqual([
      "Brie Intérim Insertion",
      "GEIQ BTP Seine-et-Marne",
      "Les Jardins de la Brie",
    ]);
    expect(await search("service=logement-hebergement&area=melun")).toEqual([
      "Mission locale de Melun Val de Seine",
    ]);
    expect(await search("kind=iae_employer&iaeKind=ACI")).toEqual(["Les Jardins de la Brie"]);
    expect(await search("q=introuvable")).toEqual([]);
  });

  it("filters the local partners by their kinds (ADR 0039): collectivité, préfecture, Cap emploi, Point justice", async () => {
    const search = async (query: string) => names((await call("GET", `${base}?${query}`, demo.cpip)).json());
    expect(await search("kind=local_authority")).toEqual(["Mairie de Meaux"]);
    expect(await search("kind=state_service")).toEqual(["Préfecture de Seine-et-Marne"]);
    expect(await search("kind=cap_emploi")).toEqual(["Cap emploi 77"]);
    expect(await search("kind=point_justice&service=acces-aux-droits")).toEqual(["Point justice de Meaux"]);
    const created = await call("POST", base, demo.manager, {
      name: "Conseil départemental de Seine-et-Marne",
      kind: "local_authority",
      area: "Seine-et-Marne (77)",
    });
    expect(created.statusCode).toBe(200);
    expect(created.json().kind).toBe("local_authority");
    expect(await search("kind=local_authority")).toEqual([
      "Conseil départemental de Seine-et-Marne",
      "Mairie de Meaux",
    ]);
  });

  it("refuses an unknown kind or service with a 400", async () => {
    const bad = await call("GET", `${base}?kind=prefecture&service=cuisine`, demo.cpip);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(["query.kind", "query.service"]);
  });
});

describe("directory editing", () => {
  it("refuses an invalid SIRET, e-mail and phone field by field in French, and writes nothing", async () => {
    const before = await entryCount();
    const bad = await call("POST", base, demo.manager, {
      name: "Régie de quartier",
      kind: "iae_employer",
      iaeKind: "EI",
      siret: "812 345 678 00014",
      email: "pas-une-adresse",
      phone: "12",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([
      {
        path: "body.siret",
        message:
          "Saisissez un SIRET valide : 14 chiffres (numéro SIREN puis NIC), par exemple 123 456 789 00012.",
      },
      { path: "body.phone", message: expect.stringContaining("numéro de téléphone valide") },
      {
        path: "body.email",
        message: "Saisissez une adresse électronique valide, par exemple nom@exemple.fr.",
      },
    ]);
    const noSiret = await call("POST", base, demo.manager, {
      name: "Régie",
      kind: "iae_employer",
      iaeKind: "EI",
    });
    expect(noSiret.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.siret"]);
    const noOperator = await call("POST", base, demo.manager, { name: "CNAV", kind: "national_operator" });
    expect(noOperator.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.partnerId"]);
    const badContact = await call("POST", `${base}`, demo.manager, { name: "X", kind: "other" });
    expect(badContact.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.name"]);
    expect(await entryCount()).toBe(before);
  });

  it("takes a website only as an http(s) address (never javascript:), or none", async () => {
    const before = await entryCount();
    for (const website of [
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "www.mairie-meaux.fr",
      "ftp://mairie-meaux.fr",
      "https://",
    ]) {
      const refused = await call("POST", base, demo.manager, {
        name: "Mairie de Meaux",
        kind: "other",
        website,
      });
      expect(refused.statusCode, website).toBe(400);
      expect(refused.json().issues).toEqual([
        {
          path: "body.website",
          message:
            "Saisissez l'adresse complète du site, commençant par https:// ou http:// (par exemple https://www.exemple.fr).",
        },
      ]);
    }
    expect(await entryCount()).toBe(before);
    for (const website of ["", "  ", "https://www.meaux.fr/solidarites", "http://mission-locale.example"])
      expect(
        (await call("POST", base, demo.manager, { name: `Mairie ${website.length}`, kind: "other", website }))
          .statusCode,
        website,
      ).toBe(200);
    expect(
      (await call("POST", base, demo.manager, { name: "Mairie sans site", kind: "other" })).statusCode,
    ).toBe(200);
  });

  it("the direction adds an IAE employer with a spaced SIRET and a contact, journaled; the phone is stored in E.164", async () => {
    const employer = {
      name: "Régie de quartier de Melun",
      kind: "iae_employer",
      iaeKind: "EI",
      siret: "812 345 678 00021",
      inPrison: false,
      area: "Melun",
      services: ["emploi"],
      phone: "01 64 00 00 00",
    };
    // A service chosen twice is refused, not silently merged.
    const twice = await call("POST", base, demo.manager, { ...employer, services: ["emploi", "emploi"] });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().issues).toEqual([{ path: "body.services", message: DUPLICATE_MESSAGE }]);
    const created = await call("POST", base, demo.manager, employer);
    expect(created.statusCode, created.body).toBe(200);
    const entry = created.json();
    expect(entry).toMatchObject({
      siret: "81234567800021",
      services: ["emploi"],
      phone: "+33164000000",
      contacts: [],
    });
    const contact = await call("POST", `/api/directory/${entry.id}/contacts`, demo.manager, {
      name: "Éric Noël",
      function: "Encadrant",
      email: "eric.noel@exemple.invalid",
      phone: "06 12 34 56 78",
      newsletterSubscribed: true,
    });
    expect(contact.statusCode, contact.body).toBe(200);
    expect(contact.json()).toMatchObject({ phone: "+33612345678", newsletterSubscribed: true });
    const badContact = await call("PUT", `/api/directory/contacts/${contact.json().id}`, demo.manager, {
      name: "Éric Noël",
      email: "",
      newsletterSubscribed: true,
    });
    expect(badContact.json().issues).toEqual([
      {
        path: "body.email",
        message: "Saisissez l'adresse électronique du contact pour l'abonner à la lettre d'information.",
      },
    ]);
    const journal = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, entry.id));
    expect(journal.map((j) => j.action)).toEqual(["directory.entry_created"]);
    const [stored] = await t.handle.db
      .select()
      .from(directoryContact)
      .where(eq(directoryContact.id, contact.json().id));
    expect(stored!.name).toBe("Éric Noël");
  });
});

describe("orientation with a contact of the directory", () => {
  it("a CPIP picks the CAF's correspondent; a contact of another organisation is refused", async () => {
    const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
    const [caf] = await t.handle.db.select().from(partner).where(eq(partner.code, "caf"));
    const [cafEntry] = await t.handle.db
      .select()
      .from(directoryEntry)
      .where(eq(directoryEntry.name, "CAF de Seine-et-Marne"));
    const [marc] = await t.handle.db
      .select()
      .from(directoryContact)
      .where(and(eq(directoryContact.entryId, cafEntry!.id), eq(directoryContact.name, "Marc Dubois")));
    const [nadia] = await t.handle.db
      .select()
      .from(directoryContact)
      .where(eq(directoryContact.name, "Nadia Ferreira"));
    await t.handle.db.insert(consent).values({
      structureId: t.demoStructureId,
      personId: karim!.id,
      shareDemarcheDetails: true,
      shareNotes: false,
      recipients: ["spip"],
      partnerIds: [caf!.id],
      purpose: "Rétablir les droits CAF",
      collectedBy: await t.userId(demo.cpip),
      collectedAt: t.clock.now(),
    });
    const url = `/api/people/${karim!.id}/orientations`;
    const orientation = {
      target: "partner_back_office",
      partnerId: caf!.id,
      reason: "Dossier RSA bloqué depuis trois mois",
    };
    const wrong = await call("POST", url, demo.cpip, { ...orientation, directoryContactId: nadia!.id });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe("directory.contactNotForTarget");
    const made = await call("POST", url, demo.cpip, { ...orientation, directoryContactId: marc!.id });
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json().contactName).toBe("Marc Dubois, Correspondant back-office");
    // The partner sees that it was addressed to its organisation, not the structure's choice of contact.
    const inbox = await call("GET", "/api/orientations/inbox", demo.partner);
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain("Dossier RSA bloqué");
    expect(inbox.body).not.toContain("Marc Dubois");
  });
});

describe("a creation in the directory sent again with the id its form chose (an answer lost, ADR 0036)", () => {
  const otherManagers = async () => {
    const here = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["service_manager"] });
    const other = await aStructure(t.handle.db);
    const there = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["service_manager"] });
    return { here, there, otherStructureId: other.structure.id };
  };

  it("POST /api/structures/:structureId/directory: one entry, its own 400 and 409, twice at once", async () => {
    const { here, there, otherStructureId } = await otherManagers();
    await expectSafeRetries(t, {
      url: base,
      email: demo.manager,
      // Each id its own name: two organisations never read alike (the name index).
      body: (id) => ({
        id,
        name: `Épicerie solidaire de Melun ${id.slice(0, 8)}`,
        kind: "association",
        phone: "01 64 11 22 33",
      }),
      changed: (body) => [
        { ...body, name: "Épicerie solidaire du Mée" },
        { ...body, phone: "01 64 11 22 34" },
        { ...body, services: ["emploi"] },
      ],
      code: "directory.retriedWithOtherValues",
      table: directoryEntry,
      action: "directory.entry_created",
      otherAgent: here.email,
      otherScope: { url: `/api/structures/${otherStructureId}/directory`, email: there.email },
    });
  });

  it("POST /api/directory/:entryId/contacts: one contact, its own 400 and 409, twice at once", async () => {
    const { here } = await otherManagers();
    const entryFor = async (name: string) =>
      (await call("POST", base, demo.manager, { name, kind: "association" })).json().id as string;
    const entryId = await entryFor("Association Relais Emploi");
    const otherEntryId = await entryFor("Association Toit pour tous");
    await expectSafeRetries(t, {
      url: `/api/directory/${entryId}/contacts`,
      email: demo.manager,
      body: (id) => ({
        id,
        name: "Lucie Martin",
        function: "Chargée d'insertion",
        email: "lucie@exemple.invalid",
      }),
      changed: (body) => [
        { ...body, function: "Directrice" },
        { ...body, email: "l.martin@exemple.invalid" },
        { ...body, newsletterSubscribed: true },
      ],
      code: "directory.retriedWithOtherValues",
      table: directoryContact,
      action: "directory.contact_added",
      otherAgent: here.email,
      otherScope: { url: `/api/directory/${otherEntryId}/contacts`, email: demo.manager },
    });
  });
});

describe("two organisations of a structure never read alike (case and runs of spaces aside)", () => {
  const entriesNamed = (pattern: RegExp) =>
    t.handle.db
      .select()
      .from(directoryEntry)
      .then((rows) => rows.filter((r) => pattern.test(r.name)));

  it("creating or renaming to another entry's name: 409 under « Nom », nothing written; another structure may", async () => {
    const before = await entryCount();
    const twin = await call("POST", base, demo.manager, {
      name: "  caf de   SEINE-ET-MARNE ",
      kind: "other",
    });
    expect(twin.statusCode).toBe(409);
    const message =
      "L'annuaire a déjà une organisation nommée « CAF de Seine-et-Marne » : choisissez un autre nom, ou complétez la fiche existante.";
    expect(twin.json()).toMatchObject({
      code: "directory.nameTaken",
      message,
      issues: [{ path: "body.name", message }],
    });
    expect(await entryCount()).toBe(before);

    const [cpam] = await entriesNamed(/^CPAM de Seine-et-Marne$/);
    // The entry as its form sends it, under another name.
    const named = (name: string) => ({
      name,
      kind: cpam!.kind,
      partnerId: cpam!.partnerId,
      area: cpam!.area,
      services: cpam!.services,
      address: cpam!.address,
      phone: cpam!.phone,
      email: cpam!.email,
      website: cpam!.website,
      notes: cpam!.notes,
    });
    const renamed = await call(
      "PUT",
      `/api/directory/${cpam!.id}`,
      demo.manager,
      named("CAF DE SEINE-ET-MARNE"),
    );
    expect(renamed.statusCode, renamed.body).toBe(409);
    expect(renamed.json()).toMatchObject({ code: "directory.nameTaken", message });
    const [unchanged] = await t.handle.db
      .select()
      .from(directoryEntry)
      .where(eq(directoryEntry.id, cpam!.id));
    expect(unchanged).toEqual(cpam);
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, cpam!.id), eq(auditEvent.action, "directory.entry_changed")));
    expect(journal).toHaveLength(0);
    // Its own name in another case is no conflict with itself.
    const own = await call(
      "PUT",
      `/api/directory/${cpam!.id}`,
      demo.manager,
      named("CPAM  de seine-et-marne"),
    );
    expect(own.statusCode, own.body).toBe(200);

    // Another structure's directory is its own.
    const other = await aStructure(t.handle.db);
    const manager = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager"],
    });
    const elsewhere = await call("POST", `/api/structures/${other.structure.id}/directory`, manager.email, {
      name: "CAF de Seine-et-Marne",
      kind: "other",
    });
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
  });

  it("an archived entry's name: 409 saying to restore it", async () => {
    const created = await call("POST", base, demo.manager, {
      name: "Atelier vélo solidaire",
      kind: "association",
    });
    expect(created.statusCode, created.body).toBe(200);
    const archived = await call("PUT", `/api/directory/${created.json().id}/archive`, demo.manager, {
      archived: true,
    });
    expect(archived.statusCode, archived.body).toBe(200);
    const again = await call("POST", base, demo.manager, {
      name: "atelier VÉLO solidaire",
      kind: "association",
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe(
      "L'annuaire a déjà une organisation nommée « Atelier vélo solidaire », archivée : restaurez-la plutôt que d'en créer une autre, ou choisissez un autre nom.",
    );
  });

  it("two directions adding the same name at once: one wins, the other gets 409", async () => {
    const answers = await Promise.all([
      call("POST", base, demo.manager, { name: "Ressourcerie de Meaux", kind: "association" }),
      call("POST", base, demo.manager, { name: "RESSOURCERIE  de Meaux", kind: "association" }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe("directory.nameTaken");
    expect(await entriesNamed(/^ressourcerie\s+de meaux$/i)).toHaveLength(1);
  });
});
