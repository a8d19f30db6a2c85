import { describe, expect, it } from "vitest";
import type { DashboardTable } from "../../../common/reporting/reporting.schema";
import {
  chartHeight,
  countsOnly,
  hiddenLabelPlaces,
  legendLabel,
  shortenedLabel,
  wrappedLabel,
} from "./chartLabel";

describe("shortenedLabel", () => {
  const longest = "Domiciliation (CCAS ou association agréée)";

  it("keeps every label whole on a desktop-wide chart", () => {
    expect(shortenedLabel(longest, 1200)).toBe(longest);
  });

  it("cuts a long label with an ellipsis on a phone-wide chart, within two fifths of its width", () => {
    const shown = shortenedLabel(longest, 358);
    expect(shown).toBe("Domiciliation (CCAS o…");
    expect(shown.length * 6.5).toBeLessThanOrEqual(358 * 0.4);
  });

  it("leaves a short label alone however narrow the chart, and never cuts below 12 characters", () => {
    expect(shortenedLabel("La Poste", 100)).toBe("La Poste");
    expect(shortenedLabel("Ministère de la Justice", 100)).toBe("Ministère d…");
  });
});

describe("wrappedLabel", () => {
  const total = "Total de la structure, tous lieux (seuil de 24 h non atteint)";

  it("wraps the structure's total on a phone rather than cut its verdict", () => {
    expect(wrappedLabel(total, 358)).toEqual([
      "Total de la structure,",
      "tous lieux (seuil de",
      "24 h non atteint)",
    ]);
    expect(wrappedLabel(total, 1200)).toEqual([total]);
    expect(wrappedLabel("Meaux", 358)).toEqual(["Meaux"]);
  });

  it("reads the opening hours' long labels whole on a phone (outside review: « hors accueil du… »)", () => {
    expect(wrappedLabel("Total des lieux ouverts au public (seuil de 24 h atteint)", 358)).toEqual([
      "Total des lieux",
      "ouverts au public",
      "(seuil de 24 h",
      "atteint)",
    ]);
    expect(
      wrappedLabel(
        "Centre pénitentiaire de Meaux-Chauconin (hors accueil du public, non compté pour le label)",
        358,
      ),
    ).toEqual([
      "Centre pénitentiaire",
      "de Meaux-Chauconin",
      "(hors accueil du",
      "public, non compté",
      "pour le label)",
    ]);
  });

  it("keeps each line within two fifths of the chart, and ends with « … » past five lines", () => {
    const long = `${total} ${total}`;
    const lines = wrappedLabel(long, 358);
    expect(lines).toHaveLength(5);
    expect(lines[4]?.endsWith("…")).toBe(true);
    for (const line of lines) expect(line.length * 6.5).toBeLessThanOrEqual(358 * 0.4);
  });
});

describe("legendLabel", () => {
  const prison = "Tenues – Centre pénitentiaire de Meaux-Chauconin (hors label)";

  it("keeps a legend item whole on a desktop, within the chart's width on a phone", () => {
    expect(legendLabel(prison, 1200)).toBe(prison);
    const shown = legendLabel(prison, 358);
    expect(shown).toBe("Tenues – Centre pénitentiaire de Meaux-Chau…");
    expect(shown.length * 6.5 + 70).toBeLessThanOrEqual(358);
    expect(legendLabel("Tenues en détention (hors label)", 358)).toBe("Tenues en détention (hors label)");
  });
});

describe("countsOnly", () => {
  const table = (kinds: ("count" | "hours" | "percent")[]): DashboardTable => ({
    id: "t",
    title: "T",
    chart: "line",
    columns: kinds.map((kind, i) => ({ label: `C${i}`, kind })),
    rows: [],
    definition: "",
    filters: [],
  });

  it("asks whole ticks of a chart of counts only (no « 0,5 visite »), not of one of hours", () => {
    expect(countsOnly(table(["count", "count"]))).toBe(true);
    // A rate column is not drawn: the counts' axis stays whole.
    expect(countsOnly(table(["count", "percent"]))).toBe(true);
    expect(countsOnly(table(["hours", "hours"]))).toBe(false);
  });
});

describe("chartHeight", () => {
  const table = (chart: DashboardTable["chart"], columns: number, rows: number): DashboardTable => ({
    id: "t",
    title: "T",
    chart,
    columns: Array.from({ length: columns }, (_, i) => ({ label: `C${i}`, kind: "count" as const })),
    rows: Array.from({ length: rows }, (_, i) => ({ label: `R${i}`, values: Array(columns).fill(null) })),
    definition: "",
    filters: [],
  });

  it("gives each bar of a row at least 16 px, so that the '< 5' written beside each never overlap", () => {
    // Ten destinations × orientations, accepted, refused: the labels of three bars per row.
    const perRow = (chartHeight(table("bar", 3, 20)) - chartHeight(table("bar", 3, 10))) / 10;
    expect(perRow).toBeGreaterThanOrEqual(3 * 16);
  });

  it("gives every row the height of the longest label's lines (the chart spaces its rows evenly)", () => {
    const hours = table("bar", 1, 5);
    hours.rows[0]!.label =
      "Centre pénitentiaire de Meaux-Chauconin (hors accueil du public, non compté pour le label)";
    // Five lines of 15 px on a phone, for each of the five rows: no label runs into the next one.
    expect(chartHeight(hours)).toBe(40 + 5 * 5 * 15);
  });

  it("grows a line chart by its legend's lines, so that a phone keeps room for the curves", () => {
    expect(chartHeight(table("line", 1, 12))).toBe(280);
    expect(chartHeight(table("line", 5, 12))).toBe(280 + 5 * 20);
  });

  it("keeps one row's height for a single series or stacked bars", () => {
    expect(chartHeight(table("bar", 1, 10))).toBe(40 + 10 * 28);
    expect(chartHeight(table("stacked", 3, 10))).toBe(40 + 40 + 10 * 28);
  });
});

describe("hiddenLabelPlaces", () => {
  const text = 20;
  const piece = (start: number, end: number, hidden = true) => ({ start, end, hidden });

  it("writes '< 5' inside a hidden piece wide enough, on nothing else", () => {
    expect(hiddenLabelPlaces([piece(0, 60), piece(60, 300, false)], text, 600, 20)).toEqual([
      { x: 20, inside: true },
      null,
    ]);
  });

  it("writes it after the bar, not inside, on a bar too thin to hold the text (grouped bars)", () => {
    expect(hiddenLabelPlaces([piece(0, 60)], text, 600, 10)).toEqual([{ x: 64, inside: false }]);
  });

  it("writes it after a thin hidden piece that ends the bar, never past the chart's edge", () => {
    expect(hiddenLabelPlaces([piece(0, 100, false), piece(100, 110)], text, 600, 20)).toEqual([
      null,
      { x: 114, inside: false },
    ]);
    expect(hiddenLabelPlaces([piece(0, 570, false), piece(570, 580)], text, 600, 20)).toEqual([null, null]);
  });

  it("writes nothing on a thin hidden piece followed by another piece (it would cover it)", () => {
    // September at 390 px: hidden, 9 counted, hidden — only the last one has room, after the bar.
    const places = hiddenLabelPlaces(
      [piece(0, 15), piece(15, 70, false), piece(70, 85), piece(85, 85, false)],
      text,
      358,
      20,
    );
    expect(places).toEqual([null, null, { x: 89, inside: false }, null]);
  });

  it("never lets two labels of one bar overlap, adjacent hidden pieces included", () => {
    const pieces = [piece(0, 12), piece(12, 24), piece(24, 36)];
    const places = hiddenLabelPlaces(pieces, text, 600, 20).filter((p) => p !== null);
    expect(places).toEqual([{ x: 40, inside: false }]);
    const wide = hiddenLabelPlaces([piece(0, 27), piece(27, 54), piece(54, 81)], text, 600, 20);
    const xs = wide.filter((p) => p !== null).map((p) => p.x);
    for (let n = 1; n < xs.length; n += 1) expect(xs[n]! - xs[n - 1]!).toBeGreaterThanOrEqual(text);
    expect(xs.length).toBe(3);
  });
});
