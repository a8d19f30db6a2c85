import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Dashboard } from "../../../common/reporting/reporting.schema";
import { computeDashboard, type Rows } from "./dashboard";
import { renderReport } from "./report";
import { monthsOf, presentDashboard, writeSummary } from "./rules";

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
          .map((h) => Buffer.from(h[1] ?? "", "hex").toString("latin1"))
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

function dashboard(): Dashboard {
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
      category: "social",
      n: k >= 10 ? k - 8 : 30 - k,
      escalated: 2,
      keySum: 0,
      escalatedKeySum: 0,
    })),
    outcomes: partners.slice(0, 10).map((partner, k) => ({
      month: months[k % 3] ?? "2026-02",
      partner,
      status: "granted",
      n: 5,
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
    needs: [{ month: "2026-03", domain: "health", change: "identified", n: 12, keySum: 0 }],
    people: {
      accompanied: 60,
      newPeople: 40,
      firstRightDays: 30,
      firstRightPeople: 8,
      measuresEndingWithOpenNeeds: 3,
      keys: { accompanied: 0, newPeople: 0, firstRightPeople: 0, measuresEndingWithOpenNeeds: 0 },
    },
  };
  const { figures, tables } = presentDashboard(computeDashboard(rows), true);
  const period = { from: "2026-02", to: "2026-04" };
  return {
    period,
    protectedCounts: true,
    mayDrillDown: false,
    options: {
      structures: [],
      sites: [],
      partners: [{ id: "p-caf", name: "CAF" }],
      counselors: [],
    },
    figures,
    tables,
    summary: writeSummary(period, figures, tables),
  };
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
});
