import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../common/reporting/reporting.schema";
import { auditEvent, convocation, demarche, demarcheType, person, site, visit } from "../db/schema";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
const period = "from=2026-01&to=2026-06";

beforeAll(async () => {
  t = await startTestApp();
  const people = await t.handle.db.select().from(person).limit(8);
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  const counselorId = await t.userId(demo.counselor);
  // March 2026 at Meaux: 3 honoured convocations (with their visits) and 5 missed ones.
  for (const [k, p] of people.entries()) {
    const startsAt = new Date(Date.UTC(2026, 2, 3 + k, 9));
    const [c] = await t.handle.db
      .insert(convocation)
      .values({
        structureId: t.demoStructureId,
        siteId: meaux!.id,
        personId: p.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 45 * 60_000),
        seat: 1,
        status: k < 3 ? "honoured" : "missed",
        notifySms: false,
        notifyEmail: false,
        bookedBy: await t.userId(demo.cpip),
      })
      .returning();
    if (k < 3) {
      const [type] = await t.handle.db.select().from(demarcheType).limit(1);
      await t.handle.db.insert(demarche).values({
        structureId: t.demoStructureId,
        personId: p.id,
        demarcheTypeId: type!.id,
        siteId: meaux!.id,
        helpLevel: "guided",
        status: k === 0 ? "granted" : "in_progress",
        createdBy: counselorId,
        createdAt: startsAt,
      });
      await t.handle.db.insert(visit).values({
        structureId: t.demoStructureId,
        personId: p.id,
        convocationId: c!.id,
        siteId: meaux!.id,
        counselorUserId: counselorId,
        startedAt: startsAt,
        durationMinutes: 40,
        autonomy: "guided",
      });
    }
  }
});
afterAll(() => t.close());

const get = async (email: string | null, url: string) =>
  t.app.inject({ method: "GET", url, headers: email ? await t.sessionFor(email) : {} });
const dashboardOf = async (email: string, query = period): Promise<Dashboard> => {
  const response = await get(email, `/api/reporting/dashboard?${query}`);
  expect(response.statusCode).toBe(200);
  return response.json();
};
const figure = (d: Dashboard, id: string) => d.figures.find((f) => f.id === id)?.value;
const cell = (d: Dashboard, table: string, row: string) =>
  d.tables.find((x) => x.id === table)?.rows.find((r) => r.label === row)?.values[0];

describe("GET /api/reporting/dashboard: bad input", () => {
  it("401 anonymous, 403 for roles without figures", async () => {
    expect((await get(null, `/api/reporting/dashboard?${period}`)).statusCode).toBe(401);
    expect((await get(demo.counselor, `/api/reporting/dashboard?${period}`)).statusCode).toBe(403);
  });

  it.each([
    ["end before start", "from=2026-06&to=2026-01", "query.to"],
    ["more than 5 years", "from=2020-01&to=2025-02", "query.to"],
    ["a malformed month", "from=2026-13&to=2026-12", "query.from"],
    ["an unknown filter", `${period}&commune=Meaux`, "query"],
    ["a malformed identifier", `${period}&siteId=meaux`, "query.siteId"],
  ])("400 for %s", async (_, query, path) => {
    const response = await get(demo.steering, `/api/reporting/dashboard?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it("404 for a site, partner or counselor that is not in the user's structures", async () => {
    for (const filter of ["siteId", "partnerId", "counselorId", "structureId"]) {
      const response = await get(
        demo.steering,
        `/api/reporting/dashboard?${period}&${filter}=00000000-0000-4000-8000-000000000000`,
      );
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("reporting.unknownFilter");
    }
  });
});

describe("small-count protection", () => {
  it("steering sees counts of 1 to 4 as hidden, the direction sees them exactly", async () => {
    const steering = await dashboardOf(demo.steering);
    const direction = await dashboardOf(demo.manager);
    expect(steering.protectedCounts).toBe(true);
    expect(steering.mayDrillDown).toBe(false);
    expect(direction.protectedCounts).toBe(false);
    expect(cell(steering, "convocations", "Honorée")).toBeNull();
    expect(cell(direction, "convocations", "Honorée")).toBe(3);
    expect(cell(steering, "convocations", "Absence non excusée")).toBe(5);
    expect(cell(steering, "convocations", "Prévue")).toBe(0);
    expect(figure(steering, "accompanied")).toBeNull();
    expect(figure(direction, "accompanied")).toBe(3);
    // A rate resting on 3 people would reveal them; 5 missed of 8 may be shown.
    expect(figure(steering, "visitMinutes")).toBeNull();
    expect(figure(direction, "visitMinutes")).toBe(40);
    expect(figure(steering, "noShowRate")).toBe(62.5);
    const shown = JSON.stringify(steering.tables.flatMap((x) => x.rows.flatMap((r) => r.values)));
    for (const small of [1, 2, 3, 4]) expect(JSON.parse(shown)).not.toContain(small);
    expect(steering.summary.join(" ")).toContain("< 5 personnes ont été accompagnées");
  });

  it("filters by site and month narrow the figures", async () => {
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    const [fontainebleau] = await t.handle.db.select().from(site).where(eq(site.name, "Fontainebleau"));
    const atMeaux = await dashboardOf(demo.manager, `${period}&siteId=${meaux!.id}`);
    const atFontainebleau = await dashboardOf(demo.manager, `${period}&siteId=${fontainebleau!.id}`);
    expect(cell(atMeaux, "convocations", "Honorée")).toBe(3);
    // Démarches and needs are read from the site's own rows (the rollups have no site).
    expect([figure(atMeaux, "demarches"), cell(atMeaux, "demarchesByStatus", "Accordée")]).toEqual([3, 1]);
    expect([figure(atFontainebleau, "demarches"), figure(atFontainebleau, "accompanied")]).toEqual([0, 0]);
    expect(
      cell(
        await dashboardOf(demo.manager, `${period}&siteId=${fontainebleau!.id}`),
        "convocations",
        "Honorée",
      ),
    ).toBe(0);
    expect(cell(await dashboardOf(demo.manager, "from=2026-04&to=2026-06"), "convocations", "Honorée")).toBe(
      0,
    );
    const trend = (await dashboardOf(demo.manager)).tables.find((x) => x.id === "trend")!;
    expect(trend.rows.map((r) => r.label)).toEqual([
      "janvier 2026",
      "février 2026",
      "mars 2026",
      "avril 2026",
      "mai 2026",
      "juin 2026",
    ]);
    expect(trend.rows[2]!.values[2]).toBe(3);
  });

  it("the counselor filter counts what that counselor recorded (convocations have no counselor)", async () => {
    const counselorId = await t.userId(demo.counselor);
    const other = await t.userId(demo.cpip2);
    const mine = await dashboardOf(demo.manager, `${period}&counselorId=${counselorId}`);
    const theirs = await dashboardOf(demo.manager, `${period}&counselorId=${other}`);
    expect([figure(mine, "visits"), figure(mine, "demarches"), figure(mine, "accompanied")]).toEqual([
      3, 3, 3,
    ]);
    // Rights granted among the démarches that reached their outcome in the period (ADR 0019): 1 of 1.
    expect(figure(mine, "grantedShare")).toBe(100);
    expect(cell(mine, "demarchesByStatus", "Accordée")).toBe(1);
    expect(cell(mine, "demarchesByHelpLevel", "Accompagnement (numérique)")).toBe(3);
    expect([figure(theirs, "visits"), figure(theirs, "demarches"), figure(theirs, "accompanied")]).toEqual([
      0, 0, 0,
    ]);
    expect(cell(theirs, "convocations", "Honorée")).toBe(3);
    // The same figures from the rollups, without the filter.
    const all = await dashboardOf(demo.manager);
    expect([figure(all, "visits"), figure(all, "demarches")]).toEqual([3, 3]);
    expect(cell(all, "demarchesByStatus", "Accordée")).toBe(1);
  });

  it("aggregate exports hide small counts whoever asks: CSV, XLSX, activity, PDF report", async () => {
    const csv = await get(demo.manager, `/api/reporting/export?${period}&format=csv&table=convocations`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body).toContain("Honorée;< 5");
    expect(csv.body).toContain("Absence non excusée;5");

    const xlsx = await get(demo.steering, `/api/reporting/export?${period}&format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toContain("Convocations par statut");
    const values = workbook.getWorksheet("Convocations par statut")!.getSheetValues().flat();
    expect(values).toContain("< 5");

    const activity = await get(demo.steering, `/api/reporting/activity?${period}&format=csv`);
    expect(activity.statusCode).toBe(200);
    expect(activity.body).toContain("Site;Mois;Partenaire;Niveau d'aide;Démarches");

    const report = await get(demo.steering, `/api/reporting/report?${period}`);
    expect(report.statusCode).toBe(200);
    expect(report.headers["content-type"]).toBe("application/pdf");
    expect(report.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");

    expect(
      (await get(demo.steering, `/api/reporting/export?${period}&format=csv&table=inconnu`)).json().code,
    ).toBe("reporting.unknownTable");
  });
});

describe("nominative lists", () => {
  it("steering asking for a list: 403 and nothing journaled", async () => {
    for (const url of [
      `/api/reporting/list?${period}&kind=people`,
      `/api/reporting/list/export?${period}&kind=people&format=csv`,
    ]) {
      const response = await get(demo.steering, url);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe("reporting.nominativeForbidden");
      expect(response.body).not.toMatch(/BENALI|Karim/);
    }
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "reporting.list"));
    expect(journal).toEqual([]);
  });

  it("the direction drills down and exports, journaled with the purge date written in the file", async () => {
    const list = await get(demo.manager, `/api/reporting/list?${period}&kind=people`);
    expect(list.statusCode).toBe(200);
    expect(list.json().total).toBe(3);
    expect(list.json().rows[0].cells).toHaveLength(6);

    const exported = await get(demo.manager, `/api/reporting/list/export?${period}&kind=people&format=csv`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers["x-total-rows"]).toBe("3");
    expect(exported.body).toContain("À supprimer au plus tard le 1er juillet 2026");
    const managerId = await t.userId(demo.manager);
    const [entry] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "reporting.nominativeExport"), eq(auditEvent.actorUserId, managerId)));
    expect(entry?.reason).toContain("3 lignes, à supprimer au plus tard le 1er juillet 2026");
  });
});
