import { describe, expect, it } from "vitest";
import { chartColumns, leftOutNote } from "./chartColumns";
import { chartColours, type DashboardTable } from "./reporting.schema";

/** The opening hours held by month: planned, held, then one column per site. */
const hoursHeld = (sites: string[]): DashboardTable => ({
  id: "openingHoursHeld",
  title: "Heures d'ouverture tenues par mois",
  chart: "line",
  columns: [
    { label: "Heures prévues", kind: "hours" },
    { label: "Heures tenues", kind: "hours" },
    ...sites.map((s) => ({ label: `Tenues – ${s}`, kind: "hours" as const })),
  ],
  rows: [],
  definition: "",
  filters: [],
});

describe("chartColumns", () => {
  it("draws every column while each has its own colour: four sites, all six lines", () => {
    const { drawn, leftOut } = chartColumns(
      hoursHeld(["Centre pénitentiaire", "Fontainebleau", "La Rochette", "Meaux"]),
    );
    expect(drawn).toEqual([0, 1, 2, 3, 4, 5]);
    expect(leftOut).toEqual([]);
    expect(leftOutNote(leftOut)).toBeNull();
  });

  it("names the columns left out beyond the colours, for the note under the chart", () => {
    const sites = ["A", "B", "C", "D", "E", "F"];
    const { drawn, leftOut } = chartColumns(hoursHeld(sites));
    expect(drawn).toHaveLength(chartColours.length);
    expect(leftOut).toEqual(["Tenues – E", "Tenues – F"]);
    expect(leftOutNote(leftOut)).toBe(
      "Les colonnes « Tenues – E » et « Tenues – F » ne sont pas tracées, pour que le graphique reste lisible : leurs chiffres sont dans le tableau.",
    );
  });

  it("leaves out of the chart the columns that are not counts or hours (a delay, a rate)", () => {
    const table: DashboardTable = {
      ...hoursHeld([]),
      columns: [
        { label: "Orientations", kind: "count" },
        { label: "Délai moyen", kind: "days" },
      ],
    };
    expect(chartColumns(table)).toEqual({ drawn: [0], leftOut: [] });
  });
});
