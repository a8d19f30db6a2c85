import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const send = async (method: "POST" | "PUT", url: string, payload: object, email?: string) =>
  t.app.inject({ method, url, payload, headers: email ? await t.sessionFor(email) : {} });

describe("catalogue editing", () => {
  it("401, 403 for anyone but an administrator, 400 listing every issue", async () => {
    const partner = {
      code: "mission-locale-meaux",
      name: "Mission locale de Meaux",
      kind: "local_correspondent",
    };
    expect((await send("POST", "/api/catalogue/partners", partner)).statusCode).toBe(401);
    expect((await send("POST", "/api/catalogue/partners", partner, demo.manager)).statusCode).toBe(403);
    const bad = await send(
      "POST",
      "/api/catalogue/partners",
      { code: "Pas Bon", name: "", kind: "x" },
      demo.admin,
    );
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.code",
      "body.name",
      "body.kind",
    ]);
  });

  it("an administrator adds a local partner and its démarche with the usual documents, then edits it", async () => {
    const added = await send(
      "POST",
      "/api/catalogue/partners",
      { code: "mission-locale-meaux", name: "Mission locale de Meaux", kind: "local_correspondent" },
      demo.admin,
    );
    expect(added.statusCode, added.body).toBe(200);
    const again = await send(
      "POST",
      "/api/catalogue/partners",
      { code: "mission-locale-meaux", name: "Doublon", kind: "local_correspondent" },
      demo.admin,
    );
    expect(again.json().code).toBe("catalogue.codeTaken");
    const ml = added.json().partners.find((p: { code: string }) => p.code === "mission-locale-meaux");
    const withType = await send(
      "POST",
      "/api/catalogue/demarche-types",
      {
        partnerId: ml.id,
        label: "Inscription CEJ",
        category: "travail-formation",
        documents: ["Pièce d'identité", "CV"],
      },
      demo.admin,
    );
    const type = withType.json().partners.find((p: { id: string }) => p.id === ml.id).demarcheTypes[0];
    expect(type).toMatchObject({ label: "Inscription CEJ", documents: ["Pièce d'identité", "CV"] });
    const edited = await send(
      "PUT",
      `/api/catalogue/demarche-types/${type.id}`,
      {
        label: "Contrat d'engagement jeune (CEJ)",
        category: "travail-formation",
        documents: ["Pièce d'identité"],
      },
      demo.admin,
    );
    expect(edited.json().partners.find((p: { id: string }) => p.id === ml.id).demarcheTypes[0]).toMatchObject(
      {
        label: "Contrat d'engagement jeune (CEJ)",
        documents: ["Pièce d'identité"],
      },
    );
    const missing = await send(
      "PUT",
      "/api/catalogue/demarche-types/00000000-0000-4000-8000-000000000000",
      { label: "Rien du tout", category: "loisirs" },
      demo.admin,
    );
    expect(missing.json().code).toBe("catalogue.demarcheTypeNotFound");
  });
});

describe("renaming a partner of the catalogue", () => {
  it("401, 403 but for an administrator, 400 with the field's message, 404 unknown, 409 a name taken; renamed and journaled", async () => {
    const catalogue = (
      await t.app.inject({ method: "GET", url: "/api/catalogue", headers: await t.sessionFor(demo.admin) })
    ).json();
    const [first, second] = catalogue.partners as { id: string; name: string }[];
    const rename = (id: string, name: unknown, email?: string) =>
      send("PUT", `/api/catalogue/partners/${id}`, { name }, email);
    expect((await rename(first!.id, "Nouveau nom")).statusCode).toBe(401);
    expect((await rename(first!.id, "Nouveau nom", demo.manager)).statusCode).toBe(403);
    const empty = await rename(first!.id, " ", demo.admin);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().issues).toEqual([
      expect.objectContaining({ path: "body.name", message: "Saisissez le nom (2 caractères au moins)." }),
    ]);
    expect((await send("PUT", "/api/catalogue/partners/x", { name: "Nom" }, demo.admin)).statusCode).toBe(
      400,
    );
    const unknown = await rename("00000000-0000-4000-8000-000000000000", "Nom correct", demo.admin);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe("catalogue.partnerNotFound");
    // Another partner's name, whatever the case and the spaces: refused, said under the field.
    const taken = await rename(first!.id, `  ${second!.name.toUpperCase()} `, demo.admin);
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({
      code: "catalogue.partnerNameTaken",
      message: `Le catalogue a déjà un partenaire nommé « ${second!.name} » : choisissez un autre nom.`,
    });
    const typo = "Caise d'allocations familiales";
    const renamed = await rename(first!.id, `  ${typo} `, demo.admin);
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().partners.find((p: { id: string }) => p.id === first!.id).name).toBe(typo);
    // Its own name again, another case: no conflict with itself.
    expect((await rename(first!.id, typo.toUpperCase(), demo.admin)).statusCode).toBe(200);
    expect((await rename(first!.id, first!.name, demo.admin)).statusCode).toBe(200);
    const journal = await t.handle.db.query.auditEvent.findMany({
      where: (e, { eq }) => eq(e.action, "catalogue.partner_renamed"),
    });
    expect(journal.map((e) => e.targetId)).toEqual([first!.id, first!.id, first!.id]);
  });
});

describe("partner names read alike (case and runs of spaces aside)", () => {
  const partnerRows = () => t.handle.db.query.partner.findMany();

  it("adding a name another partner has, case and spaces aside: 409 under the name, nothing written", async () => {
    const base = { code: "caf-nord", name: "CAF du  Nord", kind: "local_correspondent" };
    expect((await send("POST", "/api/catalogue/partners", base, demo.admin)).statusCode).toBe(200);
    const before = await partnerRows();
    const journalBefore = await t.handle.db.query.auditEvent.findMany({
      where: (e, { eq }) => eq(e.action, "catalogue.partner_added"),
    });
    const twin = await send(
      "POST",
      "/api/catalogue/partners",
      { code: "caf-nord-bis", name: "  caf DU nord ", kind: "association" },
      demo.admin,
    );
    expect(twin.statusCode).toBe(409);
    expect(twin.json()).toMatchObject({
      code: "catalogue.partnerNameTaken",
      message: "Le catalogue a déjà un partenaire nommé « CAF du  Nord » : choisissez un autre nom.",
    });
    expect(await partnerRows()).toEqual(before);
    const journalAfter = await t.handle.db.query.auditEvent.findMany({
      where: (e, { eq }) => eq(e.action, "catalogue.partner_added"),
    });
    expect(journalAfter).toHaveLength(journalBefore.length);
    // A code taken stays told as such.
    const code = await send(
      "POST",
      "/api/catalogue/partners",
      { code: "caf-nord", name: "Autre nom", kind: "association" },
      demo.admin,
    );
    expect(code.json().code).toBe("catalogue.codeTaken");
  });

  it("renaming to another partner's name, case and spaces aside: 409, the name unchanged", async () => {
    const rows = await partnerRows();
    const [first, second] = rows;
    const taken = await send(
      "PUT",
      `/api/catalogue/partners/${first!.id}`,
      { name: second!.name.toLowerCase().replace(/ /g, "   ") },
      demo.admin,
    );
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe("catalogue.partnerNameTaken");
    expect(taken.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.name"]);
    expect(taken.json().message).toContain(`« ${second!.name} »`);
    expect((await partnerRows()).find((p) => p.id === first!.id)?.name).toBe(first!.name);
  });

  it("two administrators adding the same name at once: one wins, the other gets 409", async () => {
    const add = (code: string, name: string) =>
      send("POST", "/api/catalogue/partners", { code, name, kind: "association" }, demo.admin);
    const answers = await Promise.all([
      add("assoc-simultanee-a", "Association simultanée"),
      add("assoc-simultanee-b", "ASSOCIATION  simultanée"),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe("catalogue.partnerNameTaken");
    const written = (await partnerRows()).filter((p) => p.code.startsWith("assoc-simultanee-"));
    expect(written).toHaveLength(1);
  });
});
