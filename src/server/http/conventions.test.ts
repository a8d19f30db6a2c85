import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvent,
  convention,
  conventionAlert,
  conventionParty,
  directoryEntry,
  notification,
  storedFile,
} from "../db/schema";
import { anAgent, aStructure } from "../testing/builders";
import { aPng, type FormPart, formOfParts } from "../testing/documentFiles";
import { multipartFile } from "../testing/importFiles";
import { expectSafeRetries } from "../testing/retriedCreations";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

// The register of conventions (ADR 0030): dates refused in French with nothing written, statuses,
// renewal, end, the signed PDF (a PDF only, encrypted, downloads journaled).
let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  base = `/api/structures/${t.demoStructureId}/conventions`;
});
afterAll(() => t.close());

const call = async (method: "GET" | "POST" | "PUT", url: string, email?: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: email ? await t.sessionFor(email) : {},
  });
const count = async () => (await t.handle.db.select().from(convention)).length;
const partyCount = async () => (await t.handle.db.select().from(conventionParty)).length;
const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
);

const aConvention = {
  title: "Convention CPAM de Seine-et-Marne – accès aux droits santé",
  level: "departmental",
  scope: "milieu_ouvert",
  themes: ["sante"],
  status: "signed",
  signedOn: "2026-05-20",
  startsOn: "2026-06-01",
  endsOn: "2026-07-31",
  parties: [{ label: "SPIP de Seine-et-Marne" }],
};

describe("conventions: access", () => {
  it("401, 403 for steering and partners, read-only for CPIP and counselors", async () => {
    expect((await call("GET", base)).statusCode).toBe(401);
    expect((await call("GET", base, demo.steering)).statusCode).toBe(403);
    expect((await call("GET", base, demo.partner)).statusCode).toBe(403);
    const read = await call("GET", base, demo.counselor);
    expect(read.statusCode).toBe(200);
    expect(read.json().permissions).toEqual({ edit: false, downloadSignedFile: false });
    expect((await call("POST", base, demo.counselor, aConvention)).statusCode).toBe(403);
    expect((await call("POST", base, demo.cpip, aConvention)).statusCode).toBe(403);
  });

  it("the demo register: statuses computed from the end date and the 90-day delay", async () => {
    const list = (await call("GET", base, demo.manager)).json();
    expect(list.alertDays).toBe(90);
    const statuses = Object.fromEntries(
      list.conventions.map((c: { title: string; status: string }) => [c.title.slice(0, 30), c.status]),
    );
    expect(statuses).toEqual({
      "Convention de labellisation Fr": "to_renew",
      "Convention-cadre régionale pou": "signed",
      "Convention d'accès aux droits ": "signed",
      "Convention d'accompagnement de": "draft",
      "Contrat local de sécurité et d": "signed",
      "Convention attributive de subv": "signed",
      "Convention régionale pour la r": "draft",
    });
    const toRenew = (await call("GET", `${base}?status=to_renew`, demo.manager)).json().conventions;
    expect(toRenew).toHaveLength(1);
    expect(toRenew[0].daysLeft).toBe(60);
    const regional = (await call("GET", `${base}?level=regional&theme=emploi`, demo.manager)).json()
      .conventions;
    expect(regional.map((c: { level: string }) => c.level)).toEqual(["regional", "regional"]);
  });
});

describe("conventions: bad input", () => {
  it("an end before the start, a signed one without signing date, an impossible date: French errors, nothing written", async () => {
    const before = [await count(), await partyCount()];
    const bad = await call("POST", base, demo.manager, {
      ...aConvention,
      signedOn: "",
      startsOn: "2026-09-01",
      endsOn: "2026-08-31",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([
      { path: "body.endsOn", message: "La date de fin doit être postérieure ou égale à la date de début." },
      { path: "body.signedOn", message: "Saisissez la date de signature d'une convention signée." },
    ]);
    const impossible = await call("POST", base, demo.manager, { ...aConvention, endsOn: "2026-02-30" });
    expect(impossible.json().issues).toEqual([
      { path: "body.endsOn", message: "Date invalide : une date réelle au format AAAA-MM-JJ est attendue." },
    ]);
    const noParty = await call("POST", base, demo.manager, { ...aConvention, parties: [{ label: "" }] });
    expect(noParty.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.parties.0.label"]);
    // Signed by nobody: the register and the partners' newsletter would show « Parties — ».
    const signedByNobody = await call("POST", base, demo.manager, { ...aConvention, parties: [] });
    expect(signedByNobody.json().issues).toEqual([
      {
        path: "body.parties",
        message:
          "Indiquez au moins une partie signataire d'une convention signée (ou laissez-la en brouillon).",
      },
    ]);
    const strangerReferent = await call("POST", base, demo.manager, {
      ...aConvention,
      referentUserId: "00000000-0000-4000-8000-000000000000",
    });
    expect(strangerReferent.json().code).toBe("convention.unknownReferent");
    expect(strangerReferent.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.referentUserId",
    ]);
    expect([await count(), await partyCount()]).toEqual(before);
  });
});

describe("conventions: days that record what happened are not in the future", () => {
  it("a signing, renewal or ending day after today (Paris, the server's clock) is a French 400 under its field, nothing written", async () => {
    const before = [await count(), await partyCount()];
    const signedLater = await call("POST", base, demo.manager, { ...aConvention, signedOn: "2026-06-02" });
    expect(signedLater.statusCode).toBe(400);
    expect(signedLater.json().issues).toEqual([
      { path: "body.signedOn", message: expect.stringContaining("Date de signature dans le futur") },
    ]);
    expect([await count(), await partyCount()]).toEqual(before);

    const created = await call("POST", base, demo.manager, { ...aConvention, signedOn: "2026-06-01" });
    expect(created.statusCode, created.body).toBe(200);
    const c = created.json().convention;
    const edited = await call("PUT", `/api/conventions/${c.id}`, demo.manager, {
      ...aConvention,
      signedOn: "2027-01-01",
    });
    expect(edited.json().issues?.map((i: { path: string }) => i.path)).toEqual(["body.signedOn"]);
    const renewedLater = await call("POST", `/api/conventions/${c.id}/renew`, demo.manager, {
      endsOn: "2029-07-31",
      renewedOn: "2026-06-02",
    });
    expect(renewedLater.statusCode).toBe(400);
    expect(renewedLater.json().issues).toEqual([
      {
        path: "body.renewedOn",
        message: "Date du renouvellement dans le futur : saisissez une date jusqu'à aujourd'hui.",
      },
    ]);
    const endedLater = await call("POST", `/api/conventions/${c.id}/end`, demo.manager, {
      endedOn: "2026-09-30",
    });
    expect(endedLater.statusCode).toBe(400);
    expect(endedLater.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.endedOn"]);
    const [stored] = await t.handle.db.select().from(convention).where(eq(convention.id, c.id));
    expect(stored).toMatchObject({
      signedOn: "2026-06-01",
      endsOn: "2026-07-31",
      renewedOn: null,
      status: "signed",
      endedOn: null,
    });
  });
});

describe("conventions: a signing day in the future is told with the other problems, in one answer", () => {
  it("an end before the start, no party and a signing day after today: three field errors at once, nothing written", async () => {
    const before = [await count(), await partyCount()];
    const bad = await call("POST", base, demo.manager, {
      ...aConvention,
      signedOn: "2026-06-02",
      startsOn: "2026-09-01",
      endsOn: "2026-08-31",
      parties: [],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([
      { path: "body.endsOn", message: "La date de fin doit être postérieure ou égale à la date de début." },
      {
        path: "body.parties",
        message:
          "Indiquez au moins une partie signataire d'une convention signée (ou laissez-la en brouillon).",
      },
      {
        path: "body.signedOn",
        message:
          "Date de signature dans le futur : une convention signée l'a été au plus tard aujourd'hui. Laissez-la en brouillon jusqu'à sa signature.",
      },
    ]);
    expect([await count(), await partyCount()]).toEqual(before);
    // Today by the server's clock (Paris), not the machine's: a day after the fake clock's is refused.
    const created = await call("POST", base, demo.manager, { ...aConvention, signedOn: "2026-06-01" });
    expect(created.statusCode, created.body).toBe(200);
    const c = created.json().convention;
    const edited = await call("PUT", `/api/conventions/${c.id}`, demo.manager, {
      ...aConvention,
      title: "",
      signedOn: "2026-06-02",
    });
    expect(edited.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.title",
      "body.signedOn",
    ]);
    const renewed = await call("POST", `/api/conventions/${c.id}/renew`, demo.manager, {
      endsOn: "",
      renewedOn: "2026-06-02",
    });
    expect(renewed.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.endsOn",
      "body.renewedOn",
    ]);
    const [stored] = await t.handle.db.select().from(convention).where(eq(convention.id, c.id));
    expect(stored).toMatchObject({ title: aConvention.title, signedOn: "2026-06-01", renewedOn: null });
  });
});

describe("conventions: local partners (ADR 0039)", () => {
  it("the contrat local de sécurité names the mairie and the préfecture with their kinds", async () => {
    const list = (await call("GET", base, demo.cpip)).json();
    const cls = list.conventions.find((c: { title: string }) =>
      c.title.startsWith("Contrat local de sécurité"),
    );
    expect(cls.parties).toEqual([
      expect.objectContaining({ label: "Mairie de Meaux", kind: "local_authority" }),
      expect.objectContaining({ label: "Préfecture de Seine-et-Marne", kind: "state_service" }),
      { directoryEntryId: null, label: "SPIP de Seine-et-Marne", kind: null },
    ]);
  });
});

describe("conventions: recording, renewing, ending", () => {
  it("the direction records one with a party of the directory, renews it, ends it; each step journaled", async () => {
    const [cpam] = await t.handle.db
      .select()
      .from(directoryEntry)
      .where(eq(directoryEntry.name, "CPAM de Seine-et-Marne"));
    const created = await call("POST", base, demo.manager, {
      ...aConvention,
      parties: [...aConvention.parties, { directoryEntryId: cpam!.id, label: "" }],
      referentUserId: await t.userId(demo.manager),
    });
    expect(created.statusCode, created.body).toBe(200);
    const c = created.json().convention;
    expect(c).toMatchObject({
      status: "to_renew",
      daysLeft: 60,
      referent: { name: "Hélène Bernard" },
      parties: [
        { directoryEntryId: cpam!.id, label: "CPAM de Seine-et-Marne", kind: "national_operator" },
        { directoryEntryId: null, label: "SPIP de Seine-et-Marne", kind: null },
      ],
    });
    const notLater = await call("POST", `/api/conventions/${c.id}/renew`, demo.manager, {
      endsOn: "2026-07-01",
      renewedOn: "2026-06-01",
    });
    expect(notLater.json().code).toBe("convention.renewalNotLater");
    const renewed = await call("POST", `/api/conventions/${c.id}/renew`, demo.manager, {
      endsOn: "2029-07-31",
      renewedOn: "2026-06-01",
    });
    expect(renewed.json().convention).toMatchObject({
      status: "signed",
      endsOn: "2029-07-31",
      renewedOn: "2026-06-01",
    });
    const ended = await call("POST", `/api/conventions/${c.id}/end`, demo.manager, { endedOn: "2026-06-01" });
    expect(ended.json().convention).toMatchObject({ status: "ended", endedOn: "2026-06-01" });
    const again = await call("PUT", `/api/conventions/${c.id}`, demo.manager, aConvention);
    expect(again.statusCode).toBe(409);
    const journal = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, c.id));
    expect(journal.map((j) => j.action)).toEqual([
      "convention.created",
      "convention.renewed",
      "convention.ended",
    ]);
  });

  it("a draft cannot be renewed; the alert delay is bounded (15–365 days)", async () => {
    const draft = await call("POST", base, demo.manager, { ...aConvention, status: "draft", signedOn: "" });
    const id = draft.json().convention.id;
    const renew = await call("POST", `/api/conventions/${id}/renew`, demo.manager, {
      endsOn: "2030-01-01",
      renewedOn: "2026-06-01",
    });
    expect(renew.json().code).toBe("convention.notSigned");
    const tooShort = await call("PUT", `${base}/settings`, demo.manager, { alertDays: 10 });
    expect(tooShort.json().issues).toEqual([
      { path: "body.alertDays", message: "Saisissez 15 jours au moins." },
    ]);
    expect((await call("PUT", `${base}/settings`, demo.manager, { alertDays: 45 })).json()).toEqual({
      alertDays: 45,
    });
    const alerts = (await call("GET", `${base}/alerts`, demo.manager)).json();
    expect(alerts.alertDays).toBe(45);
    // Saved again unchanged: the same answer, one journal row for the one change.
    const changes = () =>
      t.handle.db.select().from(auditEvent).where(eq(auditEvent.action, "convention.settings_changed"));
    const journaled = (await changes()).length;
    expect((await call("PUT", `${base}/settings`, demo.manager, { alertDays: 45 })).json()).toEqual({
      alertDays: 45,
    });
    expect(await changes()).toHaveLength(journaled);
    await call("PUT", `${base}/settings`, demo.manager, { alertDays: 90 });
  });
});

describe("conventions: the signed PDF", () => {
  const upload = async (id: string, name: string, content: Buffer, email: string = demo.manager) => {
    const file = multipartFile(name, content, "application/pdf");
    return t.app.inject({
      method: "POST",
      url: `/api/conventions/${id}/signed-file`,
      payload: file.payload,
      headers: { ...file.headers, ...(await t.sessionFor(email)) },
    });
  };

  it("refuses a file that is not a PDF whatever its name; stores a PDF encrypted; downloads are journaled", async () => {
    const id = (await call("POST", base, demo.manager, aConvention)).json().convention.id;
    const files = (await t.handle.db.select().from(storedFile)).length;
    const fake = await upload(id, "convention.pdf", Buffer.from("PK\u0003\u0004 un tableur renommé"));
    expect(fake.statusCode).toBe(415);
    expect(fake.json().code).toBe("convention.notPdf");
    const photo = await upload(id, "convention.pdf", await aPng());
    expect(photo.json().code).toBe("convention.notPdf");
    expect(photo.json().message).toBe(
      "Le contenu de ce fichier est une image PNG, pas un PDF : numérisez ou enregistrez la convention signée au format PDF.",
    );
    expect(photo.json().issues).toEqual([{ path: "body.file", message: photo.json().message }]);
    expect((await t.handle.db.select().from(storedFile)).length).toBe(files);
    // An empty file (0 bytes) is said to be empty under its field, as a document's is: not « pas un PDF ».
    const empty = await upload(id, "convention.pdf", Buffer.alloc(0));
    expect(empty.statusCode, empty.body).toBe(400);
    expect(empty.json().code).toBe("convention.noFile");
    expect(empty.json().message).toBe(
      "Ce fichier est vide (0 octet). Choisissez le fichier PDF de la convention signée.",
    );
    expect(empty.json().issues).toEqual([{ path: "body.file", message: empty.json().message }]);
    expect((await t.handle.db.select().from(storedFile)).length).toBe(files);
    expect((await upload(id, "convention.pdf", PDF, demo.counselor)).statusCode).toBe(403);
    const ok = await upload(id, "Convention signée CPAM.pdf", PDF);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ name: "Convention-signee-CPAM.pdf", size: PDF.length });
    const [stored] = await t.handle.db.select().from(storedFile).orderBy(storedFile.createdAt);
    expect(Buffer.from(stored!.ciphertext).includes(Buffer.from("%PDF"))).toBe(false);
    expect((await call("GET", `/api/conventions/${id}/signed-file`, demo.counselor)).statusCode).toBe(403);
    const download = await call("GET", `/api/conventions/${id}/signed-file`, demo.manager);
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("application/pdf");
    // Saved, never run in the application's origin (as every download).
    expect(download.headers["content-disposition"]).toMatch(/^attachment; filename=/);
    expect(download.headers["content-security-policy"]).toBe("default-src 'none'; sandbox");
    expect(download.rawPayload.equals(PDF)).toBe(true);
    const journal = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, id));
    expect(journal.map((j) => j.action)).toContain("convention.file_downloaded");
    const replaced = await upload(id, "v2.pdf", PDF);
    expect(replaced.statusCode).toBe(200);
    expect((await t.handle.db.select().from(storedFile)).length).toBe(files + 1);
  });
});

describe("conventions: the signed PDF sent as a form read strictly", () => {
  it("a second file, a field sent twice or a field it does not take is a 400: nothing stored, nothing journaled", async () => {
    const id = (await call("POST", base, demo.manager, aConvention)).json().convention.id;
    const session = await t.sessionFor(demo.manager);
    const send = (parts: FormPart[]) => {
      const form = formOfParts(parts);
      return t.app.inject({
        method: "POST",
        url: `/api/conventions/${id}/signed-file`,
        payload: form.payload,
        headers: { ...form.headers, ...session },
      });
    };
    const written = async () => ({
      files: (await t.handle.db.select().from(storedFile)).length,
      journal: (await t.handle.db.select().from(auditEvent)).length,
    });
    const before = await written();
    const pdf = { name: "convention.pdf", bytes: PDF, type: "application/pdf" };
    const twoFiles = await send([
      { name: "file", file: pdf },
      { name: "file", file: { ...pdf, name: "autre.pdf" } },
    ]);
    expect(twoFiles.statusCode, twoFiles.body).toBe(400);
    expect(twoFiles.json().code).toBe("request.invalid");
    expect(twoFiles.json().issues).toEqual([
      { path: "body.file", message: "Un seul fichier par envoi : plusieurs fichiers ont été reçus." },
    ]);
    const twoNotes = await send([
      { name: "note", value: "signée" },
      { name: "note", value: "à signer" },
      { name: "file", file: pdf },
    ]);
    expect(twoNotes.statusCode, twoNotes.body).toBe(400);
    // The form takes no text field: sent twice, it is first a field it does not take (one message).
    expect(twoNotes.json().issues).toEqual([{ path: "body.note", message: 'Clé non reconnue : "note"' }]);
    // A field the form does not take is named, as in a JSON body: not dropped in silence.
    const stray = await send([
      { name: "note", value: "signée" },
      { name: "file", file: pdf },
    ]);
    expect(stray.statusCode, stray.body).toBe(400);
    expect(stray.json().issues).toEqual([{ path: "body.note", message: 'Clé non reconnue : "note"' }]);
    expect(await written()).toEqual(before);
    expect((await send([{ name: "file", file: pdf }])).statusCode).toBe(200);
  });
});

describe("a convention sent again with the id its form chose (an answer lost, ADR 0036)", () => {
  it("one convention and journal row, the same answer; someone else's id a 400; other values a 409; twice at once", async () => {
    const here = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["service_manager"] });
    const other = await aStructure(t.handle.db);
    const there = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["service_manager"] });
    await expectSafeRetries(t, {
      url: base,
      email: demo.manager,
      body: (id) => ({ id, ...aConvention, title: "Convention CAF – accès aux droits" }),
      changed: (body) => [
        { ...body, title: "Convention CAF – numérique" },
        { ...body, endsOn: "2026-08-31" },
        { ...body, status: "draft", signedOn: "" },
        { ...body, themes: ["sante", "logement-hebergement"] },
        { ...body, parties: [{ label: "Caisse d'allocations familiales" }] },
      ],
      code: "convention.retriedWithOtherValues",
      table: convention,
      action: "convention.created",
      otherAgent: here.email,
      otherScope: { url: `/api/structures/${other.structure.id}/conventions`, email: there.email },
      idOf: (answer) => (answer.convention as { id: string }).id,
    });
  });

  it("its parties in any order are the same; the alert of its near end is sent once", async () => {
    const [cpam] = await t.handle.db
      .select()
      .from(directoryEntry)
      .where(eq(directoryEntry.name, "CPAM de Seine-et-Marne"));
    const id = crypto.randomUUID();
    const parties = [
      { directoryEntryId: cpam!.id, label: "" },
      { directoryEntryId: null, label: "SPIP de Seine-et-Marne" },
    ];
    const body = { id, ...aConvention, title: "Convention CPAM – santé des sortants", parties };
    const alerts = async () =>
      [
        (await t.handle.db.select().from(conventionAlert).where(eq(conventionAlert.conventionId, id))).length,
        (await t.handle.db.select().from(notification)).length,
      ] as const;
    const first = await call("POST", base, demo.manager, body);
    expect(first.statusCode, first.body).toBe(200);
    const sent = await alerts();
    expect(sent[0]).toBe(1);
    const again = await call("POST", base, demo.manager, { ...body, parties: [...parties].reverse() });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(await alerts()).toEqual(sent);
    expect(
      await t.handle.db.select().from(conventionParty).where(eq(conventionParty.conventionId, id)),
    ).toHaveLength(2);
  });
});
