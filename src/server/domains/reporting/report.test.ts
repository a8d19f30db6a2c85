import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { metaOfTable } from "../../../common/reporting/definitions";
import { type Dashboard, type DashboardTable, formatValue } from "../../../common/reporting/reporting.schema";
import { computeDashboard, type Rows } from "./dashboard";
import { renderReport } from "./report";
import { monthLabel, monthsOf, presentDashboard, writeSummary } from "./rules";

/** The standard fonts' encoding, WinAnsi: Latin-1 but for 0x80–0x9F ("–" is 0x96, "œ" 0x9C). */
const WIN_ANSI_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
const winAnsi = (bytes: Buffer): string =>
  [...bytes.toString("latin1")]
    .map((c) => (c >= "\u0080" && c <= "\u009f" ? (WIN_ANSI_HIGH[c.charCodeAt(0) - 0x80] ?? c) : c))
    .join("");

/** The text a PDF draws, line by line: its streams inflated, the hex strings of its TJ operators decoded. */
function textOf(pdf: Buffer): string[] {
  const raw = pdf.toString("latin1");
  const lines: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1] ?? "", "latin1")).toString("latin1");
    } catch {
      continue;
    }
    for (const tj of content.matchAll(/\[([^\]]*)\] TJ/g))
      lines.push(
        [...(tj[1] ?? "").matchAll(/<([0-9a-f]+)>/g)]
          .map((h) => winAnsi(Buffer.from(h[1] ?? "", "hex")))
          .join(""),
      );
  }
  return lines;
}

const partners = [
  "CAF",
  "CPAM",
  "France Travail",
  "DGFiP",
  "ANTS",
  "Assurance retraite",
  "MSA",
  "France Rénov'",
  "Chèque énergie",
  "Urssaf",
  "La Poste",
  "Agirc-Arrco",
  "Ministère de l'Intérieur",
];

/** Opening hours held per month at six sites: more columns than one table of the page's width holds. */
const sites = ["Meaux", "Melun", "Provins", "Coulommiers", "Nemours", "Montereau"];
function hoursHeld(months: string[]): DashboardTable {
  return {
    id: "openingHoursHeld",
    ...metaOfTable("openingHoursHeld"),
    title: "Heures d'ouverture tenues par mois (permanences moins fermetures et absences)",
    chart: "line",
    columns: [
      { label: "Heures prévues", kind: "hours" },
      { label: "Heures tenues", kind: "hours" },
      ...sites.map((site) => ({ label: `Tenues – ${site}`, kind: "hours" as const })),
    ],
    rows: months.map((month, k) => ({
      label: monthLabel(month),
      values: [60, 50.5 + k, ...sites.map((_, s) => 8 + s + k / 2)],
    })),
  };
}

function dashboard(protect = true): Dashboard {
  const months = monthsOf("2026-02", "2026-04");
  const rows: Rows = {
    months,
    convocations: months.flatMap((month, k) => [
      { month, status: "honoured", n: 20 + k, keySum: 0 },
      { month, status: "missed", n: k === 1 ? 3 : 6, keySum: 0 },
    ]),
    visits: months.map((month) => ({ month, autonomy: "guided", n: 25, keySum: 0, minutes: 900 })),
    // Thirteen partners, three of them with 1 to 4 démarches: every one is drawn, the small ones hatched.
    demarches: partners.map((partner, k) => ({
      month: months[k % 3] ?? "2026-02",
      partner,
      category: "social-sante",
      n: k >= 10 ? k - 8 : 30 - k,
      escalated: 2,
      keySum: 0,
      escalatedKeySum: 0,
    })),
    // ANTS: two rights granted, "< 5" for steering.
    outcomes: partners.slice(0, 10).map((partner, k) => ({
      month: months[k % 3] ?? "2026-02",
      partner,
      status: "granted",
      n: partner === "ANTS" ? 2 : 5,
      keySum: 0,
    })),
    helpLevels: [{ key: "guided", n: 200, keySum: 0 }],
    statuses: [{ key: "in_progress", n: 200, keySum: 0 }],
    orientations: [
      {
        target: "mediation",
        partner: null,
        status: "sent",
        n: 25,
        answered: 0,
        answerHours: 0,
        keySum: 0,
        answeredKeySum: 0,
      },
      // CAF's back-office: 8 accepted and 2 refused in 3 days on average (2.6 days); the mission
      // locale answered 3 of 6 in 5 days ("non significatif" for steering: a base under 5).
      {
        target: "partner_back_office",
        partner: "CAF",
        status: "accepted",
        n: 8,
        answered: 8,
        answerHours: 8 * 72,
        keySum: 0,
        answeredKeySum: 0,
      },
      {
        target: "partner_back_office",
        partner: "CAF",
        status: "refused",
        n: 2,
        answered: 2,
        answerHours: 2 * 24,
        keySum: 0,
        answeredKeySum: 0,
      },
      {
        target: "mission_locale",
        partner: null,
        status: "accepted",
        n: 6,
        answered: 3,
        answerHours: 3 * 120,
        keySum: 0,
        answeredKeySum: 0,
      },
      {
        target: "partner_back_office",
        partner: "CAF",
        status: "draft",
        n: 0,
        answered: 0,
        answerHours: 0,
        keySum: 0,
        answeredKeySum: 0,
      },
    ],
    needs: [
      { month: "2026-03", domain: "sante", change: "identified", n: 12, keySum: 0 },
      { month: "2026-04", domain: "sante", change: "resolved", n: 3, keySum: 0 },
    ],
    people: {
      accompanied: 60,
      newPeople: 40,
      firstRightDays: 30,
      firstRightPeople: 8,
      measuresEndingWithOpenNeeds: 3,
      keys: { accompanied: 0, newPeople: 0, firstRightPeople: 0, measuresEndingWithOpenNeeds: 0 },
    },
  };
  const { figures, tables } = presentDashboard(computeDashboard(rows), protect);
  const period = { from: "2026-02", to: "2026-04" };
  return {
    period,
    protectedCounts: protect,
    mayDrillDown: !protect,
    options: {
      structures: [],
      sites: [],
      partners: [{ id: "p-caf", name: "CAF" }],
      counselors: [],
    },
    figures,
    tables: [...tables, hoursHeld(months)],
    summary: writeSummary(period, figures, tables),
  };
}

/** The lines from a table's title (its first line, when it wraps) to the next table's, or to the annex. */
function sectionOf(text: string[], shown: Dashboard, id: string): string[] {
  // A title's first line: the whole title, or its first words when it wraps (a column named like the
  // next table's first word is no title).
  const startOf = (title: string, from = 0) =>
    text.findIndex(
      (line, i) => i >= from && (line === title || (line.length > 20 && title.startsWith(line))),
    );
  const k = shown.tables.findIndex((t) => t.id === id);
  const next = shown.tables[k + 1];
  const start = startOf(shown.tables[k]?.title ?? "?");
  const end = next ? startOf(next.title, start + 1) : text.indexOf("Annexe : définitions");
  expect(start, id).toBeGreaterThanOrEqual(0);
  expect(end, id).toBeGreaterThan(start);
  return text.slice(start, end);
}

/** The values a table's section writes after a row's label, in the table of values (or tables, when split). */
function writtenRow(section: string[], table: DashboardTable, label: string): string[] {
  const expected = table.rows
    .find((r) => r.label === label)
    ?.values.map((v, i) => formatValue(v, table.columns[i]?.kind ?? "count").replace(/\u202f/g, "\u00a0"));
  const at = section.flatMap((line, i) => (line === label ? [i] : []));
  // The bars (or stacked bars) name each row before the table of values does; a line chart names months.
  const inTable = table.columns.length > 1 && table.chart !== "line" ? at.slice(1) : at;
  const found: string[] = [];
  for (const i of inTable)
    for (
      let j = i + 1;
      found.length < (expected?.length ?? 0) && section[j] === expected?.[found.length];
      j++
    )
      found.push(section[j] ?? "");
  return found;
}

describe("committee report (PDF)", () => {
  it("draws every partner, hidden counts as « < 5 », axis values, filter notes and the definitions annex", async () => {
    const shown = dashboard();
    const pdf = await renderReport(shown, "France services 77", "1er mai 2026", { partnerId: "p-caf" });
    const text = textOf(pdf);
    const all = text.join("\n");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    for (const partner of partners) expect(text, partner).toContain(partner);
    expect(text.filter((line) => line === "< 5").length).toBeGreaterThanOrEqual(3);
    expect(all).toContain("Barre hachurée : effectif de 1 à 4, masqué (« < 5 »).");
    // The trend chart's value axis and months.
    expect(text).toContain("0");
    expect(text).toContain("févr. 26");
    expect(text).toContain("avr. 26");
    expect(all).toContain("de février 2026 à avril 2026");
    expect(all).toContain("Filtres : Partenaire : CAF.");
    expect(all).toContain("Le filtre « Partenaire » ne s'applique pas à ce chiffre.");
    expect(all).toContain("Annexe : définitions");
    expect(all).toContain("Délai moyen de réponse des partenaires");
    // Drafts are not sent orientations: no "Brouillon" row, no empty row.
    expect(all).not.toMatch(/Brouillon|de avril|non significatif en moyenne/);
  });

  it("prints every table of the dashboard with all its columns, as the page shows them, each defined in the annex", async () => {
    for (const protect of [false, true]) {
      const shown = dashboard(protect);
      const text = textOf(await renderReport(shown, "France services 77", "1er mai 2026"));
      const who = protect ? "steering" : "direction";
      expect(shown.tables.map((t) => t.id)).toEqual([
        "trend",
        "convocations",
        "demarchesByPartner",
        "demarchesByCategory",
        "demarchesByHelpLevel",
        "demarchesByStatus",
        "orientationsByDestination",
        "orientationsByStatus",
        "needsByDomain",
        "needsOverTime",
        "autonomy",
        "openingHoursHeld",
      ]);
      for (const table of shown.tables) {
        const section = sectionOf(text, shown, table.id);
        for (const row of table.rows) {
          const expected = row.values.map((v, i) =>
            formatValue(v, table.columns[i]?.kind ?? "count").replace(/\u202f/g, "\u00a0"),
          );
          expect(writtenRow(section, table, row.label), `${who}: ${table.title} – ${row.label}`).toEqual(
            expected,
          );
        }
      }
      // Non-first columns, by value: rights granted per partner, refusals and answer delays per destination.
      const rowOf = (id: string, label: string) => {
        const table = shown.tables.find((t) => t.id === id);
        if (!table) throw new Error(id);
        return writtenRow(sectionOf(text, shown, id), table, label);
      };
      expect(rowOf("demarchesByPartner", "ANTS")).toEqual(protect ? ["26", "< 5"] : ["26", "2"]);
      expect(rowOf("demarchesByPartner", "CAF")).toEqual(["30", "5"]);
      expect(rowOf("orientationsByDestination", "Back-office – CAF")).toEqual(
        protect ? ["10", "8", "< 5", "2,6 j"] : ["10", "8", "2", "2,6 j"],
      );
      expect(rowOf("orientationsByDestination", "Mission locale")).toEqual(
        protect ? ["6", "6", "0", "non significatif"] : ["6", "6", "0", "5 j"],
      );
      // The trend's monthly values, every column.
      expect(rowOf("trend", "mars 2026")).toEqual(
        protect ? ["24", "< 5", "25", "80", "12"] : ["24", "3", "25", "80", "12"],
      );
      expect(rowOf("needsByDomain", "Santé")).toEqual(["12", protect ? "< 5" : "3"]);
      // Eight columns do not fit one table: the same rows in two, every column named.
      // (Durations are written with non-breaking spaces, as on the page.)
      expect(rowOf("openingHoursHeld", "mars 2026").map((v) => v.replaceAll("\u00a0", " "))).toEqual([
        "60 h",
        "51 h 30",
        "8 h 30",
        "9 h 30",
        "10 h 30",
        "11 h 30",
        "12 h 30",
        "13 h 30",
      ]);
      const hours = sectionOf(text, shown, "openingHoursHeld").join(" ");
      for (const site of sites) expect(hours).toMatch(new RegExp(`Tenues –\\s+${site}`));

      const annex = text.slice(text.indexOf("Annexe : définitions")).join("").replace(/\s+/g, "");
      for (const table of shown.tables) {
        expect(table.definition, table.id).not.toBe("");
        expect(annex, `${who}: ${table.id}`).toContain(
          `${table.title}${table.definition}`.replace(/\s+/g, ""),
        );
      }
    }
  });
});
