import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, demarche, demarcheType, user } from "../db/schema";
import { anAgent, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

// The journal a person can read: names instead of ids, a filter by person, and a CSV export that is
// itself journaled.
let t: TestApp;
let karim: string;
beforeAll(async () => {
  t = await startTestApp();
  const cpip = await t.sessionFor(demo.cpip);
  karim = (await t.app.inject({ method: "GET", url: "/api/people?search=Benali", headers: cpip })).json()
    .people[0].id;
  await t.app.inject({ method: "GET", url: `/api/people/${karim}`, headers: cpip });
});
afterAll(() => t.close());

const get = async (url: string, query: Record<string, string>, email?: string) =>
  t.app.inject({ method: "GET", url, query, headers: email ? await t.sessionFor(email) : {} });
const exportRows = async () =>
  t.handle.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.action, "audit.exported"), eq(auditEvent.structureId, t.demoStructureId)));

describe("GET /api/audit, readable", () => {
  it("names the person a row is about (not an id) and the agent who acted", async () => {
    const reads = (
      await get("/api/audit", { structureId: t.demoStructureId, action: "person.read" }, demo.manager)
    ).json();
    expect(reads.events[0]).toMatchObject({
      targetId: karim,
      subjectName: "BENALI Karim",
      actorName: "Camille Martin",
    });
  });

  it("renders older rows that quoted ids: a démarche by its type, an id with no name left out", async () => {
    const [type] = await t.handle.db.select().from(demarcheType).where(eq(demarcheType.code, "caf-rsa"));
    const [quoted] = await t.handle.db
      .insert(demarche)
      .values({
        structureId: t.demoStructureId,
        personId: karim,
        demarcheTypeId: type!.id,
        helpLevel: "guided",
        status: "todo",
        createdBy: await t.userId(demo.counselor),
      })
      .returning({ id: demarche.id });
    await t.handle.db.insert(auditEvent).values({
      at: t.clock.now(),
      actorUserId: await t.userId(demo.cpip),
      structureId: t.demoStructureId,
      requestId: "older-row",
      outcome: "success",
      ip: "127.0.0.1",
      action: "transfer.cancelled",
      targetType: "person",
      targetId: karim,
      reason: `plan de sortie : caf-rsa (démarche ${quoted!.id}) ; transfert 99999999-9999-4999-8999-999999999999`,
    });
    const rows = (
      await get("/api/audit", { structureId: t.demoStructureId, action: "transfer.cancelled" }, demo.manager)
    ).json();
    expect(rows.events[0].reason).toBe(`plan de sortie : ${type!.label} ; transfert`);
  });

  it("filters by person, and journals that lookup", async () => {
    const before = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, karim));
    const page = await get("/api/audit", { structureId: t.demoStructureId, personId: karim }, demo.manager);
    expect(page.statusCode).toBe(200);
    const events = page.json().events as { subjectName: string | null }[];
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.subjectName?.includes("BENALI Karim"))).toBe(true);
    const after = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, karim));
    expect(after.length).toBe(before.length + 1);
  });

  it("400 on a period whose end precedes its start, or an unknown filter", async () => {
    const reversed = await get(
      "/api/audit",
      { structureId: t.demoStructureId, from: "2026-06-02", to: "2026-06-01" },
      demo.manager,
    );
    expect(reversed.statusCode).toBe(400);
    const unknown = await get("/api/audit", { structureId: t.demoStructureId, secret: "1" }, demo.manager);
    expect(unknown.statusCode).toBe(400);
  });
});

describe("GET /api/audit/export", () => {
  it("401 anonymous, 403 for another role or another structure's direction, 400 writes nothing", async () => {
    const query = { structureId: t.demoStructureId };
    expect((await get("/api/audit/export", query)).statusCode).toBe(401);
    expect((await get("/api/audit/export", query, demo.cpip)).statusCode).toBe(403);
    expect((await get("/api/audit/export", query, demo.admin)).statusCode).toBe(403);
    const other = await aStructure(t.handle.db);
    const otherManager = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager"],
    });
    expect((await get("/api/audit/export", query, otherManager.email)).statusCode).toBe(403);
    const bad = await get(
      "/api/audit/export",
      { structureId: t.demoStructureId, personId: "x" },
      demo.manager,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual(["query.personId"]);
    expect(await exportRows()).toEqual([]);
  });

  it("exports the filtered rows as French CSV, neutralises formulas, and journals the export", async () => {
    const response = await get(
      "/api/audit/export",
      { structureId: t.demoStructureId, personId: karim, from: "2026-06-01", to: "2026-06-01" },
      demo.manager,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/csv");
    expect(response.headers["content-disposition"]).toContain("passerelle-journal-2026-06-01.csv");
    const text = response.rawPayload.toString("utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const lines = text.slice(1).split("\r\n");
    expect(lines).toContain("Date (heure de Paris);Agent;Action;Objet;Concerne;Résultat;Détail;Adresse IP");
    expect(text).toContain("Consultation d'un dossier");
    expect(text).toContain("BENALI Karim");
    expect(text).not.toMatch(/;=/);
    const [exported] = await exportRows();
    expect(exported).toMatchObject({
      actorUserId: await t.userId(demo.manager),
      targetType: "person",
      targetId: karim,
      outcome: "success",
    });
    expect(exported!.reason).toContain("csv,");
    // One row for the export, none added by the mount.
    expect(await exportRows()).toHaveLength(1);
  });

  it("counts its lines in words that agree: 0 ligne, 1 ligne (outside review)", async () => {
    const response = await get(
      "/api/audit/export",
      { structureId: t.demoStructureId, from: "2020-01-01", to: "2020-01-02" },
      demo.manager,
    );
    expect(response.statusCode).toBe(200);
    const reasons = (await exportRows()).map((row) => row.reason);
    expect(reasons.some((reason) => reason.startsWith("csv, 0 ligne, "))).toBe(true);
    expect(reasons.join("\n")).not.toMatch(/\b[01] lignes\b/);
  });

  it("prints its filters as the page shows them: dates, names, labels, never a code or an id", async () => {
    const response = await get(
      "/api/audit/export",
      {
        structureId: t.demoStructureId,
        personId: karim,
        actorUserId: await t.userId(demo.cpip),
        action: "person.read",
        outcome: "success",
        from: "2026-06-01",
        to: "2026-06-01",
      },
      demo.manager,
    );
    expect(response.statusCode).toBe(200);
    const text = response.rawPayload.toString("utf8").replaceAll("\u00a0", " ");
    const filters =
      "du 1er juin 2026 au 1er juin 2026, personne : BENALI Karim, agent : Camille Martin, action : Consultation d'un dossier, résultat : Réussi";
    expect(text).toContain(`Filtres : ${filters}.`);
    const exported = (await exportRows()).find((r) => r.reason.includes("agent"));
    expect(exported!.reason.replaceAll("\u00a0", " ")).toContain(
      "du 1er juin 2026 au 1er juin 2026, personne concernée, agent : Camille Martin, action : Consultation d'un dossier, résultat : Réussi",
    );
    expect(exported!.reason).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|person\.read|success/);
  });
});

/**
 * Outside review (2026-12-06): another structure's direction typed the id of one of our agents — in
 * an export's agent filter, or in a request about an account refused and journaled in its own
 * journal — and read back that agent's name. A journal names the agents of its structure and those
 * who acted there, nobody else.
 */
describe("the journal never names an agent of another structure only", () => {
  it("neither in an export's agent filter, nor as the subject of a refused account change", async () => {
    const other = await aStructure(t.handle.db);
    const otherManager = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager"],
    });
    const cpipId = await t.userId(demo.cpip);
    const [cpipName] = await t.handle.db
      .select({ name: user.displayName })
      .from(user)
      .where(eq(user.id, cpipId));
    const refused = await t.app.inject({
      method: "POST",
      url: `/api/admin/users/${cpipId}/disable`,
      headers: await t.sessionFor(otherManager.email),
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
    const query = { structureId: other.structure.id };
    const listed = await get("/api/audit", query, otherManager.email);
    expect(listed.statusCode).toBe(200);
    const aboutCpip = listed.json().events.filter((e: { targetId: string }) => e.targetId === cpipId);
    expect(aboutCpip).not.toEqual([]);
    expect(listed.body).not.toContain(cpipName!.name);
    const exported = await get("/api/audit/export", { ...query, actorUserId: cpipId }, otherManager.email);
    expect(exported.statusCode).toBe(200);
    expect(exported.body).not.toContain(cpipName!.name);
    expect(exported.body).toContain("agent : non trouvé");
    // Nor later, in the rows that journaled those reads of the journal filtered by that agent.
    expect((await get("/api/audit", { ...query, actorUserId: cpipId }, otherManager.email)).statusCode).toBe(
      200,
    );
    const journal = await get("/api/audit/export", query, otherManager.email);
    expect(journal.body).not.toContain(cpipName!.name);
    expect((await get("/api/audit", query, otherManager.email)).body).not.toContain(cpipName!.name);
    // Our own direction still reads the names of its agents.
    const ours = await get(
      "/api/audit/export",
      { structureId: t.demoStructureId, actorUserId: cpipId },
      demo.manager,
    );
    expect(ours.body).toContain(`agent : ${cpipName!.name}`);
  });
});
