import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofPlace } from "../../common/placeName";
import { auditEvent, site, structure } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { anAgent, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const list = async (query: Record<string, string>, email?: string) =>
  t.app.inject({ method: "GET", url: "/api/audit", query, headers: email ? await t.sessionFor(email) : {} });

describe("GET /api/audit", () => {
  it("401 anonymous, 403 for other roles and other structures, 400 on bad filters", async () => {
    expect((await list({ structureId: t.demoStructureId })).statusCode).toBe(401);
    expect((await list({ structureId: t.demoStructureId }, demo.cpip)).statusCode).toBe(403);
    const other = await aStructure(t.handle.db);
    const otherManager = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager"],
    });
    expect((await list({ structureId: t.demoStructureId }, otherManager.email)).statusCode).toBe(403);
    const bad = await list({ structureId: "x", from: "01/02/2026", page: "0" }, demo.manager);
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["query.from", "query.page", "query.structureId"]);
  });

  it("without a structure, says to choose one rather than « Identifiant invalide »", async () => {
    const missing = await list({}, demo.manager);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().issues).toEqual([
      expect.objectContaining({ path: "query.structureId", message: "Choisissez une structure." }),
    ]);
    const exported = await t.app.inject({
      method: "GET",
      url: "/api/audit/export",
      headers: await t.sessionFor(demo.manager),
    });
    expect(exported.statusCode).toBe(400);
    expect(exported.json().issues.map((i: { message: string }) => i.message)).toEqual([
      "Choisissez une structure.",
    ]);
  });

  it("lists the structure's file reads and its agents' logins, filtered by action and Paris day", async () => {
    const karim = (
      await t.app.inject({
        method: "GET",
        url: "/api/people?search=Benali",
        headers: await t.sessionFor(demo.cpip),
      })
    ).json().people[0].id;
    await t.app.inject({
      method: "GET",
      url: `/api/people/${karim}`,
      headers: await t.sessionFor(demo.cpip),
    });
    await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: demo.counselor, password: DEMO_PASSWORD },
    });
    const reads = (
      await list({ structureId: t.demoStructureId, action: "person.read" }, demo.manager)
    ).json();
    expect(reads.events.length).toBeGreaterThan(0);
    expect(reads.events.every((e: { action: string }) => e.action === "person.read")).toBe(true);
    expect(reads.events[0]).toMatchObject({
      targetId: karim,
      actorName: "Camille Martin",
      outcome: "success",
    });
    const logins = (
      await list({ structureId: t.demoStructureId, action: "auth.login" }, demo.manager)
    ).json();
    expect(logins.events.some((e: { actorName: string }) => e.actorName === "Inès Moreau")).toBe(true);
    // The test clock is 2026-06-01 09:00 UTC = 11:00 in Paris.
    const sameDay = (
      await list({ structureId: t.demoStructureId, from: "2026-06-01", to: "2026-06-01" }, demo.manager)
    ).json();
    expect(sameDay.events.length).toBeGreaterThan(0);
    const nextDay = (await list({ structureId: t.demoStructureId, from: "2026-06-02" }, demo.manager)).json();
    expect(nextDay.events).toEqual([]);
  });

  it("does not show another structure's events", async () => {
    const other = await aStructure(t.handle.db);
    const outsider = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["counselor"] });
    await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: outsider.email, password: DEMO_PASSWORD },
    });
    const events = (await list({ structureId: t.demoStructureId, action: "auth.login" }, demo.manager)).json()
      .events;
    expect(events.some((e: { actorUserId: string }) => e.actorUserId === outsider.id)).toBe(false);
  });
});

describe("a read of the journal is labelled by its filters", () => {
  it("filtered by an action or an agent: a consultation naming them, not « filtré sur une personne »", async () => {
    const detailOf = async (query: Record<string, string>) => {
      const response = await list({ structureId: t.demoStructureId, ...query }, demo.manager);
      expect(response.statusCode, response.body).toBe(200);
      const rows = await t.handle.db
        .select()
        .from(auditEvent)
        .where(eq(auditEvent.requestId, String(response.headers["x-request-id"])));
      expect(rows).toHaveLength(1);
      return rows[0]!;
    };
    const byAction = await detailOf({ action: "document.shared" });
    expect(byAction).toMatchObject({ action: "person.data_read", targetId: "" });
    expect(byAction.reason).toBe("Consultation du journal des accès (action : Partage d'un document)");
    const cpip = await t.userId(demo.cpip);
    const byAgent = await detailOf({ actorUserId: cpip, outcome: "denied" });
    expect(byAgent.reason).toMatch(
      /^Consultation du journal des accès \(agent : [^,]+, résultat : Refusé\)$/,
    );
    expect(byAgent.reason).not.toContain(cpip);
  });
});

describe("the journal's detail, in French", () => {
  it("renders rows of the older formats (routes, codes, ids, ISO dates) without rewriting them, and new rows are written in words", async () => {
    const [structureRow] = await t.handle.db
      .select({ name: structure.name })
      .from(structure)
      .where(eq(structure.id, t.demoStructureId));
    const [meaux] = await t.handle.db.select({ id: site.id }).from(site).where(eq(site.name, "Meaux"));
    const managerId = await t.userId(demo.manager);
    const at = new Date("2026-06-01T07:00:00Z");
    const legacy = {
      "notification.log_read": `filtre : structure ${t.demoStructureId}, statut failed, canal tous ; 3 messages`,
      "person.data_read": `GET /api/convocations ; ?from=2026-11-30&to=2026-12-06&siteId=${meaux!.id}`,
      "auth.login": "stage:enrolment_required",
      "detention.movements_read": "mouvements du 2026-12-02 à Meaux",
      "collective_action.figures_read": "2026-01 – 2026-12 (exacts)",
      "demarche.updated": "in_progress",
    } as const;
    const inserted = await t.handle.db
      .insert(auditEvent)
      .values(
        Object.entries(legacy).map(([action, reason]) => ({
          at,
          action,
          actorUserId: managerId,
          structureId: t.demoStructureId,
          targetType: "structure",
          targetId: t.demoStructureId,
          reason,
          requestId: "legacy-details",
          outcome: "success" as const,
          ip: "127.0.0.1",
        })),
      )
      .returning({ id: auditEvent.id });
    const page = await list(
      { structureId: t.demoStructureId, from: "2026-06-01", to: "2026-06-01" },
      demo.manager,
    );
    expect(page.statusCode).toBe(200);
    const shown = Object.fromEntries(
      (page.json().events as { id: number; action: string; reason: string }[])
        .filter((e) => inserted.some((row) => row.id === e.id))
        .map((e) => [e.action, e.reason.replaceAll("\u00a0", " ")]),
    );
    expect(shown).toEqual({
      "notification.log_read": `Messages ${ofPlace(structureRow!.name)} : statut « Échec », tous les canaux ; 3 messages`,
      "person.data_read":
        "Liste des convocations du lundi 30 novembre au dimanche 6 décembre 2026 (lieu : Meaux)",
      "auth.login": "double authentification à configurer avant d'accéder au service",
      "detention.movements_read": "mouvements du 2 décembre 2026 à Meaux",
      "collective_action.figures_read": "de janvier 2026 à décembre 2026 (chiffres exacts)",
      "demarche.updated": "nouveau statut : En cours",
    });
    // The stored rows are as they were written (the journal is append-only).
    const stored = await t.handle.db
      .select({ reason: auditEvent.reason })
      .from(auditEvent)
      .where(eq(auditEvent.requestId, "legacy-details"));
    expect(stored.map((row) => row.reason).sort()).toEqual(Object.values(legacy).sort());

    // A new read of the messages' log is written in words, names and French labels.
    const read = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/notifications?status=failed`,
      headers: await t.sessionFor(demo.manager),
    });
    expect(read.statusCode, read.body).toBe(200);
    const [written] = await t.handle.db
      .select({ reason: auditEvent.reason })
      .from(auditEvent)
      .where(eq(auditEvent.requestId, read.headers["x-request-id"] as string));
    expect(written!.reason).toMatch(
      new RegExp(
        `^Messages ${ofPlace(structureRow!.name)} : statut « Échec », tous les canaux ; \\d+ messages?`,
      ),
    );
    expect(written!.reason).not.toContain(t.demoStructureId);
  });
});
