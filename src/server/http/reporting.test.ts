import { and, eq, gte, inArray, lt } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convocationStatusLabels } from "../../common/agenda/agenda.schema";
import { MAX_PERTURBATION, PROTECTED_FIGURES_DISAGREE } from "../../common/reporting/protection";
import { type Dashboard, formatValue } from "../../common/reporting/reporting.schema";
import { auditEvent, convocation, demarche, demarcheType, person, site, visit } from "../db/schema";
import { recordKey } from "../domains/reporting/cellKey";
import { count, present } from "../domains/reporting/rules";
import { pdfText } from "../testing/pdfText";
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
    ["an unknown filter", `${period}&commune=Meaux`, "query.commune"],
    ["a malformed identifier", `${period}&siteId=meaux`, "query.siteId"],
  ])("400 for %s", async (_, query, path) => {
    const response = await get(demo.steering, `/api/reporting/dashboard?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  // Outside review: the activity export took any `table` and ignored it while the tables export refused
  // an unknown one only after computing the dashboard; both now refuse it at validation, naming the field.
  it.each([
    ["the tables export, an unknown table", "export", "&format=csv&table=nope", "query.table"],
    ["the activity export, an unknown table", "activity", "&format=csv&table=nope", "query.table"],
    [
      "the activity export, any table (it has none to choose)",
      "activity",
      "&format=csv&table=all",
      "query.table",
    ],
    ["the activity export, an unknown format", "activity", "&format=pdf", "query.format"],
  ])("400 naming the field for %s", async (_, route, query, path) => {
    const response = await get(demo.steering, `/api/reporting/${route}?${period}${query}`);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe("request.invalid");
    const issue = body.issues.find((i: { path: string }) => i.path === path);
    expect(issue?.message).toMatch(route === "activity" && path === "query.table" ? /"table"/ : /./);
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

/** Every count shown to steering next to the direction's exact one (same scope and period). */
/** Counts of agents, not of people: exact for every reader (ADR 0038), checked apart. */
const agentCounts = ["trainedCounselors"];

function countPairs(steering: Dashboard, direction: Dashboard): [number | null, number][] {
  const pairs: [number | null, number][] = [];
  steering.figures.forEach((f, i) => {
    if (f.kind === "count" && !agentCounts.includes(f.id))
      pairs.push([f.value, direction.figures[i]!.value!]);
  });
  for (const [t, table] of steering.tables.entries())
    for (const [r, row] of table.rows.entries())
      for (const [c, value] of row.values.entries())
        if (table.columns[c]?.kind === "count") pairs.push([value, direction.tables[t]!.rows[r]!.values[c]!]);
  return pairs;
}

describe("who reads decides: the direction exact, steering protected (ADR 0019)", () => {
  it("the dashboard: exact counts for the direction; perturbed ones for steering, never 1 to 4, within the maximum", async () => {
    const steering = await dashboardOf(demo.steering);
    const direction = await dashboardOf(demo.manager);
    expect(steering.protectedCounts).toBe(true);
    expect(steering.mayDrillDown).toBe(false);
    expect(direction.protectedCounts).toBe(false);
    expect(direction.mayDrillDown).toBe(true);
    expect(cell(direction, "convocations", "Honorée")).toBe(3);
    expect(cell(direction, "convocations", "Absence non excusée")).toBe(5);
    expect(figure(direction, "accompanied")).toBe(3);
    expect(figure(direction, "visitMinutes")).toBe(40);
    expect(figure(direction, "noShowRate")).toBe(62.5);
    expect(direction.summary.join(" ")).toContain("3 personnes ont été accompagnées");

    const pairs = countPairs(steering, direction);
    expect(pairs.length).toBeGreaterThan(50);
    for (const [shown, exact] of pairs) {
      if (exact === 0) expect(shown).toBe(0);
      else if (shown !== null) {
        expect(shown).toBeGreaterThanOrEqual(5);
        expect(Math.abs(shown - exact)).toBeLessThanOrEqual(MAX_PERTURBATION);
      }
    }
    expect(cell(steering, "convocations", "Prévue")).toBe(0);
    // An average rests on 3 visits: hidden unless its perturbed base reaches 5, then exact.
    expect([null, 40]).toContain(figure(steering, "visitMinutes"));
    // The summary is written from the figures the reader is shown.
    expect(steering.summary.join(" ")).toContain(
      `${spokenCount(figure(steering, "accompanied") ?? null)} personnes ont été accompagnées`,
    );
    // Through the database: the steering cell is the cell-key perturbation of the 5 missed convocations'
    // own record keys, as the rollup summed them.
    const missed = await t.handle.db
      .select({ id: convocation.id })
      .from(convocation)
      .where(
        and(
          eq(convocation.structureId, t.demoStructureId),
          eq(convocation.status, "missed"),
          gte(convocation.startsAt, new Date("2026-01-01T00:00:00+01:00")),
          lt(convocation.startsAt, new Date("2026-07-01T00:00:00+02:00")),
        ),
      );
    expect(missed).toHaveLength(5);
    const keySum = missed.reduce((sum, c) => sum + recordKey(c.id), 0);
    expect(cell(steering, "convocations", "Absence non excusée")).toBe(present(count(5, keySum), true));
    // The demo's two trained counselors, read the same by both (agents, not people).
    expect([figure(steering, "trainedCounselors"), figure(direction, "trainedCounselors")]).toEqual([2, 2]);
    // The same read twice gives the same figures: nothing to average over re-reads.
    expect(await dashboardOf(demo.steering)).toEqual(steering);
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
    // "Convocations (hors annulées)": neither cancelled by the service nor by the person.
    const [someone] = await t.handle.db.select().from(person).limit(1);
    const bookedBy = await t.userId(demo.cpip);
    const cancelled = await t.handle.db
      .insert(convocation)
      .values(
        (["excused", "cancelled"] as const).map((status, k) => ({
          structureId: t.demoStructureId,
          siteId: meaux!.id,
          personId: someone!.id,
          startsAt: new Date(Date.UTC(2026, 4, 12 + k, 9)),
          endsAt: new Date(Date.UTC(2026, 4, 12 + k, 10)),
          seat: 1,
          status,
          notifySms: false,
          notifyEmail: false,
          bookedBy,
        })),
      )
      .returning({ id: convocation.id });
    const withCancelled = await dashboardOf(demo.manager);
    expect(cell(withCancelled, "convocations", convocationStatusLabels.excused)).toBeGreaterThan(0);
    expect(withCancelled.tables.find((x) => x.id === "trend")!.rows[4]!.values[0]).toBe(0);
    await t.handle.db.delete(convocation).where(
      inArray(
        convocation.id,
        cancelled.map((c) => c.id),
      ),
    );
  });

  it("the counselor filter counts what that counselor recorded (convocations have no counselor)", async () => {
    const counselorId = await t.userId(demo.counselor);
    const other = await t.userId(demo.cpip2);
    const mine = await dashboardOf(demo.manager, `${period}&counselorId=${counselorId}`);
    const theirs = await dashboardOf(demo.manager, `${period}&counselorId=${other}`);
    expect([figure(mine, "visits"), figure(mine, "demarches"), figure(mine, "accompanied")]).toEqual([
      3, 3, 3,
    ]);
    // Rights granted among the démarches that reached their outcome in the period (ADR 0018): 1 of 1.
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

  it("exports and the committee report carry what the reader may see: CSV, XLSX, activity, PDF", async () => {
    const steering = await dashboardOf(demo.steering);
    const shownHonoured = formatValue(cell(steering, "convocations", "Honorée") ?? null, "count");

    const csv = async (email: string) => {
      const response = await get(email, `/api/reporting/export?${period}&format=csv&table=convocations`);
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toContain("text/csv");
      return response.body;
    };
    const directionCsv = await csv(demo.manager);
    expect(directionCsv).toContain("Chiffres exacts");
    // Every column named, the rows' too (no empty header cell).
    expect(directionCsv).toContain("Statut;Convocations");
    expect(directionCsv).toContain("Honorée;3");
    expect(directionCsv).toContain("Absence non excusée;5");
    const steeringCsv = await csv(demo.steering);
    expect(steeringCsv).toContain("Chiffres protégés");
    expect(steeringCsv).toContain(`Honorée;${shownHonoured}`);
    expect(steeringCsv).not.toContain("Honorée;3");

    const sheetValues = async (email: string) => {
      const response = await get(email, `/api/reporting/export?${period}&format=xlsx`);
      expect(response.statusCode).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((w) => w.name)).toContain("Convocations par statut");
      return workbook.getWorksheet("Convocations par statut")!.getSheetValues().flat();
    };
    expect(await sheetValues(demo.manager)).toContain(3);
    const steeringSheet = await sheetValues(demo.steering);
    expect(steeringSheet).toContain(cell(steering, "convocations", "Honorée") ?? "< 5");
    expect(steeringSheet).not.toContain(3);

    // The France services activity export: 3 démarches guided at Meaux in March 2026.
    const activity = async (email: string) => {
      const response = await get(email, `/api/reporting/activity?${period}&format=csv`);
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain("Site;Mois;Partenaire;Niveau d'aide;Démarches");
      const row = response.body.split("\r\n").find((line) => line.startsWith("Meaux;mars 2026;"));
      return { body: response.body, value: row?.split(";").at(-1) };
    };
    const directionActivity = await activity(demo.manager);
    expect(directionActivity.body).toContain("Chiffres exacts");
    expect(directionActivity.value).toBe("3");
    const steeringActivity = await activity(demo.steering);
    expect(steeringActivity.body).toContain("Chiffres protégés");
    expect(steeringActivity.value).not.toBe("3");
    if (steeringActivity.value !== "< 5")
      expect(Math.abs(Number(steeringActivity.value) - 3)).toBeLessThanOrEqual(MAX_PERTURBATION);

    const report = async (email: string) => {
      const response = await get(email, `/api/reporting/report?${period}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toBe("application/pdf");
      expect(response.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
      return pdfText(response.rawPayload).replace(/\s+/g, " ");
    };
    const direction = await dashboardOf(demo.manager);
    const directionPdf = await report(demo.manager);
    expect(directionPdf).toContain("Chiffres exacts");
    expect(directionPdf).toContain("3 personnes ont été accompagnées");
    const steeringPdf = await report(demo.steering);
    expect(steeringPdf).toContain("Chiffres protégés");
    expect(steeringPdf).toContain(
      `${spokenCount(figure(steering, "accompanied") ?? null)} personnes ont été accompagnées`,
    );
    expect(steeringPdf).not.toContain(direction.summary[0]!.replace(/\s+/g, " "));
    // Each protected cell moves on its own: the report says its figures may not agree (outside review).
    const disagree = PROTECTED_FIGURES_DISAGREE.replace(/\s+/g, " ");
    expect(steeringPdf).toContain(disagree);
    expect(directionPdf).not.toContain(disagree);

    expect(
      (await get(demo.steering, `/api/reporting/export?${period}&format=csv&table=inconnu`)).json().code,
    ).toBe("request.invalid");
  });
});

describe("the key figures' units in the files (outside review)", () => {
  it("say the unit of each figure in CSV and XLSX; hours read as hours and minutes", async () => {
    const csv = await get(demo.manager, `/api/reporting/export?${period}&format=csv&table=all`);
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.split("\r\n");
    const figures = lines.slice(lines.indexOf("Indicateur;Valeur"));
    expect(figures.find((l) => l.startsWith("Durée moyenne d'une visite"))).toMatch(
      /^Durée moyenne d'une visite \(minutes\);40$/,
    );
    expect(figures.find((l) => l.startsWith("Taux d'absence"))).toMatch(
      /^Taux d'absence aux convocations \(%\);/,
    );
    expect(figures.find((l) => l.startsWith("Délai moyen de réponse"))).toMatch(/ \(jours\);/);
    const weekly = figures.find((l) => l.startsWith("Heures d'ouverture par semaine"));
    expect(weekly).toMatch(/^Heures d'ouverture par semaine;\d+ h( \d\d)?$/);
    expect(weekly).not.toMatch(/,/);

    const xlsx = await get(demo.manager, `/api/reporting/export?${period}&format=xlsx&table=all`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Chiffres clés")!;
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][];
    const byLabel = (start: string) => rows.find((r) => String(r[1] ?? "").startsWith(start));
    expect(byLabel("Durée moyenne d'une visite")?.[1]).toBe("Durée moyenne d'une visite (minutes)");
    expect(byLabel("Taux d'absence")?.[1]).toBe("Taux d'absence aux convocations (%)");
    const hoursRow = rows.indexOf(byLabel("Heures d'ouverture par semaine")!);
    expect(hoursRow).toBeGreaterThan(0);
    let cell: ExcelJS.Cell | undefined;
    sheet.eachRow((row) => {
      if (String(row.getCell(1).value).startsWith("Heures d'ouverture par semaine")) cell = row.getCell(2);
    });
    expect(cell?.numFmt).toBe('[h]" h "mm');
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
    // The role is checked before the query: whatever is asked, 403 for anyone but a direction.
    for (const who of [demo.steering, demo.partner, demo.mediator, demo.admin, demo.counselor, demo.cpip])
      for (const url of [
        `/api/reporting/list/export?${period}&kind=people&format=docx`,
        "/api/reporting/list/export",
        "/api/reporting/list?kind=nope",
      ]) {
        const response = await get(who, url);
        expect(response.statusCode, `${who} ${url}`).toBe(403);
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
    expect(entry?.reason).toContain("3 lignes ; à supprimer au plus tard le 1er juillet 2026");
  });

  it("every person a list or an export contained has a row naming them, with its kind, period and filters (outside review)", async () => {
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    const query = `${period}&siteId=${meaux!.id}`;
    const rowsOf = (requestId: string) =>
      t.handle.db.select().from(auditEvent).where(eq(auditEvent.requestId, requestId));

    const list = await get(demo.manager, `/api/reporting/list?${query}&kind=people`);
    expect(list.statusCode).toBe(200);
    const ids: string[] = list.json().rows.map((r: { personId: string }) => r.personId);
    expect(ids).toHaveLength(3);
    const listed = await rowsOf(String(list.headers["x-request-id"]));
    const listReason =
      "Liste nominative derrière un chiffre : personnes accompagnées, de janvier 2026 à juin 2026 (site : Meaux) ; 3 lignes";
    expect(listed.filter((r) => r.targetType === "person").map((r) => r.targetId)).toEqual(
      expect.arrayContaining(ids),
    );
    expect(listed.filter((r) => r.targetType === "person")).toHaveLength(3);
    for (const row of listed) {
      expect(row).toMatchObject({
        action: "reporting.list",
        structureId: t.demoStructureId,
        outcome: "success",
      });
      expect(row.reason).toBe(listReason);
    }
    // The summary row of the list, and no row of the mount besides.
    expect(listed.filter((r) => r.targetType === "people")).toHaveLength(1);
    expect(listed).toHaveLength(4);

    const demarches = await get(demo.manager, `/api/reporting/list?${query}&kind=demarches`);
    expect(demarches.statusCode).toBe(200);
    const ofDemarches = await rowsOf(String(demarches.headers["x-request-id"]));
    expect(ofDemarches.filter((r) => r.targetType === "person").map((r) => r.targetId)).toEqual(
      expect.arrayContaining(ids),
    );

    const exported = await get(demo.manager, `/api/reporting/list/export?${query}&kind=people&format=xlsx`);
    expect(exported.statusCode).toBe(200);
    const exportReason =
      "Export nominatif XLSX : personnes accompagnées, de janvier 2026 à juin 2026 (site : Meaux) ; 3 lignes ; à supprimer au plus tard le 1er juillet 2026";
    const ofExport = await rowsOf(String(exported.headers["x-request-id"]));
    expect(ofExport.filter((r) => r.targetType === "person").map((r) => r.targetId)).toEqual(
      expect.arrayContaining(ids),
    );
    expect(ofExport).toHaveLength(4);
    for (const row of ofExport) {
      expect(row).toMatchObject({ action: "reporting.nominativeExport", structureId: t.demoStructureId });
      expect(row.reason).toBe(exportReason);
    }

    // The person's journal shows both, naming them; so does its export.
    const someone = ids[0]!;
    const journal = await get(
      demo.manager,
      `/api/audit?structureId=${t.demoStructureId}&personId=${someone}`,
    );
    expect(journal.statusCode).toBe(200);
    const events: { action: string; subjectName: string | null; reason: string }[] = journal.json().events;
    const [who] = await t.handle.db.select().from(person).where(eq(person.id, someone));
    // The previous test's list and export (without a filter) are there too.
    const shown = events.filter(
      (e) => e.action.startsWith("reporting.") && e.reason.includes("site : Meaux"),
    );
    expect(shown.map((e) => e.reason).sort()).toEqual(
      [exportReason, listReason, listReason.replace("personnes accompagnées", "démarches engagées")].sort(),
    );
    for (const e of shown) expect(e.subjectName).toContain(who!.firstName);
    const csv = await get(
      demo.manager,
      `/api/audit/export?structureId=${t.demoStructureId}&personId=${someone}`,
    );
    expect(csv.statusCode).toBe(200);
    const line = csv.body.split("\r\n").find((l) => l.includes("Export nominatif XLSX"));
    expect(line).toContain(who!.firstName);
  });
});

/** A count as the summary says it: "moins de 5" when hidden. */
const spokenCount = (value: number | null): string =>
  value === null ? "moins de 5" : formatValue(value, "count");
