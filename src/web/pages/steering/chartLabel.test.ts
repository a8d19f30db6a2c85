import { describe, expect, it } from "vitest";
import type { DashboardTable } from "../../../common/reporting/reporting.schema";
import { chartHeight, shortenedLabel } from "./chartLabel";

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

  it("keeps one row's height for a single series or stacked bars", () => {
    expect(chartHeight(table("bar", 1, 10))).toBe(40 + 10 * 28);
    expect(chartHeight(table("stacked", 3, 10))).toBe(40 + 40 + 10 * 28);
  });
});
