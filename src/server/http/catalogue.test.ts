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
