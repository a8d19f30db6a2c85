import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../common/reporting/reporting.schema";
import { parisInstant } from "../core/parisTime";
import {
  counselorAbsence,
  membership,
  openingRule,
  openingRuleCounselor,
  site,
  siteClosure,
  user,
} from "../db/schema";
import { aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

// The demo structure's permanences (seed): Monday Fontainebleau 7 h, Tuesday Meaux 7 h (two
// counselors), Wednesday La Rochette 7 h, Friday Meaux 3 h 30 — 24.5 h a week, in force from 30 days
// before the test's today (Monday 1 June 2026, 9:00 UTC).
let t: TestApp;
const may = "from=2026-05&to=2026-05";
const siteIdOf = async (name: string) =>
  (await t.handle.db.select().from(site).where(eq(site.name, name)))[0]!.id;
const userIdOf = async (email: string) =>
  (await t.handle.db.select().from(user).where(eq(user.email, email)))[0]!.id;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const get = async (email: string | null, url: string) =>
  t.app.inject({ method: "GET", url, headers: email ? await t.sessionFor(email) : {} });
const dashboardOf = async (email: string, query: string): Promise<Dashboard> => {
  const response = await get(email, `/api/reporting/dashboard?${query}`);
  expect(response.statusCode).toBe(200);
  return response.json();
};
const figure = (d: Dashboard, id: string) => d.figures.find((f) => f.id === id)?.value;
const rowsOf = (d: Dashboard, id: string) =>
  Object.fromEntries(d.tables.find((x) => x.id === id)?.rows.map((r) => [r.label, r.values]) ?? []);

describe("opening hours in the dashboard", () => {
  it("401 anonymous, 403 without figures, 400 malformed, 404 unknown site: as every dashboard read", async () => {
    expect((await get(null, `/api/reporting/dashboard?${may}`)).statusCode).toBe(401);
    expect((await get(demo.counselor, `/api/reporting/dashboard?${may}`)).statusCode).toBe(403);
    expect((await get(demo.manager, `/api/reporting/dashboard?${may}&siteId=x`)).statusCode).toBe(400);
    const unknown = `${may}&siteId=00000000-0000-4000-8000-000000000000`;
    expect((await get(demo.manager, `/api/reporting/dashboard?${unknown}`)).statusCode).toBe(404);
  });

  it("gives the weekly hours per site against the label's 24 h, and the hours held in May (holidays out)", async () => {
    const d = await dashboardOf(demo.manager, may);
    expect(figure(d, "weeklyOpeningHours")).toBe(24.5);
    expect(rowsOf(d, "openingHoursWeekly")).toEqual({
      Fontainebleau: [7],
      "La Rochette": [7],
      Meaux: [10.5],
      "Total des lieux ouverts au public (seuil de 24 h atteint)": [24.5],
    });
    // From 2 May: Mondays 4, 11, 18 (25 is Whit Monday) 21 h; Tuesdays 28 h; Wednesdays 28 h;
    // Fridays 15, 22, 29 (8 May is a holiday) 10.5 h.
    expect(figure(d, "heldOpeningHours")).toBe(87.5);
    expect(rowsOf(d, "openingHoursHeld")["mai 2026"]).toEqual([87.5, 87.5, 21, 28, 38.5]);
    // Hours written as everywhere in the app ("24 h 30", as the permanences page).
    expect(d.summary.join(" ").replace(/\u00a0/g, " ")).toContain(
      "Les lieux ouverts au public le sont 24 h 30 par semaine : le seuil de 24 h du label France services est atteint ; 87 h 30 d'ouverture",
    );
  });

  it("takes off a site's closure and the times when every counselor of a permanence is absent", async () => {
    await t.handle.db.insert(siteClosure).values({
      siteId: await siteIdOf("Meaux"),
      startsAt: parisInstant("2026-05-19", "00:00"),
      endsAt: parisInstant("2026-05-20", "00:00"),
      reason: "Travaux",
    });
    const ines = await userIdOf(demo.counselor);
    const nicolas = await userIdOf(demo.cpip2);
    await t.handle.db.insert(counselorAbsence).values([
      // Inès alone holds La Rochette on Wednesdays: the afternoon of 20 May is lost.
      {
        userId: ines,
        startsAt: parisInstant("2026-05-20", "13:00"),
        endsAt: parisInstant("2026-05-21", "00:00"),
      },
      // Nicolas away on Tuesday 26 May: Inès holds Meaux; his Friday 29 May morning is lost.
      {
        userId: nicolas,
        startsAt: parisInstant("2026-05-26", "00:00"),
        endsAt: parisInstant("2026-05-30", "00:00"),
      },
    ]);
    const d = await dashboardOf(demo.manager, may);
    expect(figure(d, "heldOpeningHours")).toBe(87.5 - 7 - 3.5 - 3.5);
    expect(rowsOf(d, "openingHoursHeld")["mai 2026"]).toEqual([87.5, 73.5, 21, 24.5, 28]);
    // The weekly hours are the rules', whatever happened.
    expect(figure(d, "weeklyOpeningHours")).toBe(24.5);
  });

  it("counts as held only the time gone by in the running month", async () => {
    const d = await dashboardOf(demo.manager, "from=2026-06&to=2026-06");
    // Monday 1 June, 9:00–12:30 at Fontainebleau, and it is 11:00 in Paris.
    expect(figure(d, "heldOpeningHours")).toBe(2);
    expect(rowsOf(d, "openingHoursHeld")["juin 2026"]?.[0]).toBeGreaterThan(90);
  });

  it("shows steering the exact hours (durations, not people), and follows the site filter", async () => {
    const steering = await dashboardOf(demo.steering, "from=2026-06&to=2026-06");
    expect(steering.protectedCounts).toBe(true);
    expect(figure(steering, "heldOpeningHours")).toBe(2);
    const atFontainebleau = await dashboardOf(
      demo.steering,
      `${may}&siteId=${await siteIdOf("Fontainebleau")}`,
    );
    expect(figure(atFontainebleau, "weeklyOpeningHours")).toBe(7);
    // The label's 24 h is judged per structure (ADR 0021): under a site filter the total stays the
    // structure's, every site counted, and says so (outside review: it read « non atteint » for 7 h).
    expect(rowsOf(atFontainebleau, "openingHoursWeekly")).toEqual({
      Fontainebleau: [7],
      "Total de la structure, tous lieux ouverts au public (seuil de 24 h atteint)": [24.5],
    });
    const summary = atFontainebleau.summary.join(" ").replace(/[\u00a0\u202f]/g, " ");
    expect(summary).toContain(
      "Le lieu choisi, Fontainebleau, est ouvert 7 h par semaine ; la structure, tous lieux ouverts au public confondus, 24 h 30 : le seuil de 24 h du label France services, jugé pour toute la structure, est atteint ; 21 h d'ouverture ont été tenues à ce lieu sur la période.",
    );
    expect(summary).not.toContain("non atteint");
    // Hours held stay those of the site chosen.
    expect(figure(atFontainebleau, "heldOpeningHours")).toBe(21);
  });

  it("under a site filter, a structure under 24 h still reads « non atteint », for the whole structure", async () => {
    const meaux = await siteIdOf("Meaux");
    // Without Meaux's Friday morning (3 h 30) the structure opens 21 h a week.
    const friday = (await t.handle.db.select().from(openingRule).where(eq(openingRule.siteId, meaux))).find(
      (r) => r.weekday === 5,
    );
    expect(friday).toBeDefined();
    await t.handle.db
      .update(openingRule)
      .set({ validTo: "2026-04-30" })
      .where(eq(openingRule.id, friday!.id));
    try {
      const d = await dashboardOf(demo.manager, `${may}&siteId=${meaux}`);
      expect(rowsOf(d, "openingHoursWeekly")).toEqual({
        Meaux: [7],
        "Total de la structure, tous lieux ouverts au public (seuil de 24 h non atteint)": [21],
      });
      expect(d.summary.join(" ").replace(/[\u00a0\u202f]/g, " ")).toContain(
        "le seuil de 24 h du label France services, jugé pour toute la structure, n'est pas atteint",
      );
    } finally {
      await t.handle.db.update(openingRule).set({ validTo: null }).where(eq(openingRule.id, friday!.id));
    }
  });

  it("are in the France services activity export, per site and month, and in the committee PDF", async () => {
    const csv = await get(demo.steering, `/api/reporting/activity?${may}&format=csv`);
    expect(csv.statusCode).toBe(200);
    const text = csv.body;
    expect(text).toContain(
      "Structure;Site;Compté pour le label;Mois;Heures par semaine;Heures prévues;Heures tenues",
    );
    expect(text).toMatch(/;Meaux;oui;mai 2026;10 h 30;38 h 30;28 h\r\n/);
    expect(text).toMatch(/;Fontainebleau;oui;mai 2026;7 h;21 h;21 h\r\n/);
    // Hours are durations, exact for steering too: their tables' export says so, not « chaque
    // effectif est légèrement modifié » as over the tables of people and démarches.
    const held = (await get(demo.steering, `/api/reporting/export?${may}&format=csv&table=openingHoursHeld`))
      .body;
    expect(held).toContain("Heures exactes pour tous les lecteurs");
    expect(held).not.toContain("Chiffres protégés");
    const trend = (await get(demo.steering, `/api/reporting/export?${may}&format=csv&table=trend`)).body;
    expect(trend).toContain("Chiffres protégés");
    const pdf = await get(demo.steering, `/api/reporting/report?${may}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toContain("application/pdf");
  });

  it("say in each month's row the weekly hours of that month, not those of a permanence opened later", async () => {
    const meaux = await siteIdOf("Meaux");
    const friday = (await t.handle.db.select().from(openingRule).where(eq(openingRule.siteId, meaux))).find(
      (r) => r.weekday === 5,
    );
    expect(friday).toBeDefined();
    const validFrom = friday!.validFrom;
    // Meaux's Friday morning (3 h 30) opened in May: April's row reads Tuesday's 7 h alone.
    await t.handle.db
      .update(openingRule)
      .set({ validFrom: "2026-05-01" })
      .where(eq(openingRule.id, friday!.id));
    try {
      const csv = (await get(demo.steering, "/api/reporting/activity?from=2026-04&to=2026-05&format=csv"))
        .body;
      expect(csv).toMatch(/;Meaux;oui;avril 2026;7 h;/);
      expect(csv).toMatch(/;Meaux;oui;mai 2026;10 h 30;/);
    } finally {
      await t.handle.db.update(openingRule).set({ validFrom }).where(eq(openingRule.id, friday!.id));
    }
  });

  // Outside review: the demo's prison permanence (3 h a week) made the label's total 27 h 30 for the
  // 24 h 30 open to the public. One definition for the dashboard, the committee PDF and the export.
  it("leaves a prison's permanence out of the label's total, shown on its own line as not counted", async () => {
    const [prison] = await t.handle.db
      .insert(site)
      .values({ structureId: t.demoStructureId, name: "Centre pénitentiaire", kind: "prison", address: "—" })
      .returning();
    const [rule] = await t.handle.db
      .insert(openingRule)
      .values({
        structureId: t.demoStructureId,
        siteId: prison!.id,
        weekday: 4,
        slotMinutes: 30,
        startTime: "09:00",
        endTime: "12:00",
        validFrom: "2026-01-01",
      })
      .returning();
    // Inès holds it: away on the afternoon of 20 May only (the test above), not on a Thursday.
    await t.handle.db
      .insert(openingRuleCounselor)
      .values({ ruleId: rule!.id, userId: await userIdOf(demo.counselor) });
    try {
      const d = await dashboardOf(demo.manager, may);
      expect(figure(d, "weeklyOpeningHours")).toBe(24.5);
      expect(rowsOf(d, "openingHoursWeekly")).toEqual({
        "Centre pénitentiaire (hors accueil du public, non compté pour le label)": [3],
        Fontainebleau: [7],
        "La Rochette": [7],
        Meaux: [10.5],
        "Total des lieux ouverts au public (seuil de 24 h atteint)": [24.5],
      });
      const summary = d.summary.join(" ").replace(/[\u00a0\u202f]/g, " ");
      expect(summary).toContain("Les lieux ouverts au public le sont 24 h 30 par semaine");
      expect(d.figures.find((f) => f.id === "weeklyOpeningHours")?.definition).toContain(
        "établissement pénitentiaire ou une SAS",
      );
      // The hours held in May likewise: the public sites' 73 h 30 (closures and absences above) for
      // the label, the prison's Thursdays (7, 21, 28; the 14th is Ascension Day) 9 h apart.
      expect(figure(d, "heldOpeningHours")).toBe(73.5);
      expect(d.figures.find((f) => f.id === "heldOpeningHours")?.definition).toContain(
        "ne sont pas comptées pour le label",
      );
      const held = d.tables.find((x) => x.id === "openingHoursHeld")!;
      expect(held.columns.map((c) => c.label).slice(0, 3)).toEqual([
        "Prévues, accueil du public",
        "Tenues, accueil du public (label)",
        "Tenues en détention (hors label)",
      ]);
      expect(rowsOf(d, "openingHoursHeld")["mai 2026"]).toEqual([87.5, 73.5, 9, 9, 21, 24.5, 28]);
      expect(summary).toContain(
        "Les permanences tenues en établissement pénitentiaire (3 h par semaine, 9 h tenues sur la période) ne sont pas ouvertes au public : elles ne comptent ni pour le seuil du label ni dans le chiffre des heures d'ouverture tenues.",
      );
      // Chosen alone, the prison keeps its hours and the structure's total its public sites'.
      const atPrison = await dashboardOf(demo.manager, `${may}&siteId=${prison!.id}`);
      expect(rowsOf(atPrison, "openingHoursWeekly")).toEqual({
        "Centre pénitentiaire (hors accueil du public, non compté pour le label)": [3],
        "Total de la structure, tous lieux ouverts au public (seuil de 24 h atteint)": [24.5],
      });
      // Its hours held are not the label's: the figure reads none, the table and summary say its own.
      expect(figure(atPrison, "heldOpeningHours")).toBe(0);
      // …and its cards say why they read 0 h (the label, written the same in the PDF and the files).
      expect(atPrison.figures.find((f) => f.id === "heldOpeningHours")?.label).toBe(
        "Heures d'ouverture tenues sur la période (lieu choisi hors accueil du public, non compté pour le label)",
      );
      expect(atPrison.figures.find((f) => f.id === "weeklyOpeningHours")?.label).toBe(
        "Heures d'ouverture par semaine (lieu choisi hors accueil du public, non compté pour le label)",
      );
      expect(d.figures.find((f) => f.id === "heldOpeningHours")?.label).toBe(
        "Heures d'ouverture tenues sur la période",
      );
      expect(rowsOf(atPrison, "openingHoursHeld")["mai 2026"]).toEqual([0, 0, 9]);
      expect(atPrison.summary.join(" ").replace(/[\u00a0\u202f]/g, " ")).toContain(
        "9 h d'ouverture ont été tenues à ce lieu sur la période, non comptées pour le label.",
      );
      const csv = (await get(demo.steering, `/api/reporting/activity?${may}&format=csv`)).body;
      expect(csv).toMatch(
        /;Centre pénitentiaire;non \(hors accueil du public, non compté pour le label\);mai 2026;3 h;/,
      );
      expect(csv).toMatch(/;Meaux;oui;mai 2026;10 h 30;/);
      expect(csv.replace(/[\u00a0\u202f]/g, " ")).toContain(
        "Les lieux ouverts au public le sont 24 h 30 par semaine",
      );
    } finally {
      await t.handle.db.delete(openingRuleCounselor).where(eq(openingRuleCounselor.ruleId, rule!.id));
      await t.handle.db.delete(openingRule).where(eq(openingRule.id, rule!.id));
      await t.handle.db.delete(site).where(eq(site.id, prison!.id));
    }
  });
});

describe("opening hours over several structures", () => {
  it("names each site's structure by its short name, in the tables and the exports' column headers", async () => {
    // The steering user also reads a second structure, with a site: the sites of two structures are shown.
    const meuse = (await aStructure(t.handle.db, "France services de la Meuse")).structure.id;
    await t.handle.db.insert(membership).values({
      userId: await userIdOf(demo.steering),
      structureId: meuse,
      role: "steering",
      acceptedAt: new Date("2020-01-01T00:00:00Z"),
    });
    await t.handle.db
      .insert(site)
      .values({ structureId: meuse, name: "Bar-le-Duc", kind: "france_services", address: "—" });
    const d = await dashboardOf(demo.steering, may);
    const weekly = Object.keys(rowsOf(d, "openingHoursWeekly"));
    expect(weekly).toContain("SPIP 77 – PIMM'S Médiation 77 – Meaux");
    expect(weekly).toContain(
      "Total SPIP 77 – PIMM'S Médiation 77, lieux ouverts au public (seuil de 24 h atteint)",
    );
    // Kept whole: "de la Meuse" alone would read as a fragment.
    expect(weekly).toContain(
      "Total France services de la Meuse, lieux ouverts au public (seuil de 24 h non atteint)",
    );
    expect(weekly.join("\n")).not.toContain("France services SPIP");
    const held = d.tables.find((x) => x.id === "openingHoursHeld");
    expect(held?.columns.map((c) => c.label)).toContain("Tenues – SPIP 77 – PIMM'S Médiation 77 – Meaux");
    const csv = await get(demo.steering, `/api/reporting/export?${may}&format=csv&table=openingHoursHeld`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain("Tenues – SPIP 77 – PIMM'S Médiation 77 – Meaux");
    expect(csv.body).not.toContain("Tenues – France services SPIP");
  });
});
