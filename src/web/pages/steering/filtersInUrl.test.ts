import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { filtersFromParams, fitting, paramsOf } from "./filtersInUrl";
import type { SteeringFilters } from "./steeringReads";

const defaults: SteeringFilters = {
  from: "2025-12",
  to: "2026-11",
  structureId: "0b7c3a52-4f0e-4d8a-9a51-1c2d3e4f5a6b",
  siteId: "",
  partnerId: "",
  counselorId: "",
};
const id = (n: number) => `0b7c3a52-4f0e-4d8a-9a51-1c2d3e4f5a${String(n).padStart(2, "0")}`;

describe("the dashboard's filters in its address", () => {
  it("reads the defaults when the address names nothing", () => {
    expect(filtersFromParams(new URLSearchParams(), defaults)).toEqual(defaults);
  });

  it("reads back what it wrote, for any filters the dashboard accepts", () => {
    const month = fc
      .tuple(fc.integer({ min: 2015, max: 2030 }), fc.integer({ min: 1, max: 12 }))
      .map(([y, m]) => `${y}-${String(m).padStart(2, "0")}`);
    const choice = fc.oneof(fc.constant(""), fc.integer({ min: 10, max: 99 }).map(id));
    fc.assert(
      fc.property(
        month,
        fc.integer({ min: 0, max: 59 }),
        choice,
        choice,
        choice,
        choice,
        (from, span, ...ids) => {
          const [y, m] = from.split("-").map(Number) as [number, number];
          const end = new Date(Date.UTC(y, m - 1 + span, 1)).toISOString().slice(0, 7);
          const [structureId, siteId, partnerId, counselorId] = ids as [string, string, string, string];
          const filters = { from, to: end, structureId, siteId, partnerId, counselorId };
          const url = new URLSearchParams(paramsOf(filters).toString());
          expect(filtersFromParams(url, defaults)).toEqual(filters);
        },
      ),
    );
  });

  it("keeps « all my structures » apart from the default structure", () => {
    const all = filtersFromParams(new URLSearchParams("du=2026-01&au=2026-03&structure="), defaults);
    expect(all).toEqual({ ...defaults, from: "2026-01", to: "2026-03", structureId: "" });
    expect(paramsOf(all).toString()).toBe("du=2026-01&au=2026-03&structure=");
  });

  it("gives way to the default where a hand-edited link names what the server would refuse", () => {
    const read = (search: string) => filtersFromParams(new URLSearchParams(search), defaults);
    expect(read("du=2026-13&au=2026-02&site=abc&partenaire=")).toEqual({ ...defaults, to: "2026-02" });
    expect(read("du=2026-05&au=2026-02")).toEqual(defaults); // the end before the start
    expect(read("du=2020-01&au=2026-02")).toEqual(defaults); // over five years
    expect(read(`conseiller=${id(12)}&autre=1`)).toEqual({ ...defaults, counselorId: id(12) });
  });
});

describe("the filters that belong to the structure chosen", () => {
  const choices = {
    structures: [
      { id: id(1), name: "SPIP 77" },
      { id: id(2), name: "SPIP 91" },
    ],
    sites: [
      { id: id(11), name: "Meaux", structureId: id(1) },
      { id: id(21), name: "Évry", structureId: id(2) },
    ],
    partners: [{ id: id(31), name: "CAF" }],
    counselors: [
      { id: id(41), name: "Inès Moreau", structureId: id(1) },
      { id: id(42), name: "Sarah Benali", structureId: id(2) },
    ],
  };
  const chosen = { ...defaults, structureId: id(2), siteId: id(11), partnerId: id(31), counselorId: id(41) };

  it("resets a site and a counselor of another structure, keeps the rest", () => {
    expect(fitting(chosen, choices)).toEqual({
      filters: { ...chosen, siteId: "", counselorId: "" },
      dropped: ["siteId", "counselorId"],
    });
    expect(fitting({ ...chosen, structureId: id(1) }, choices).dropped).toEqual([]);
  });

  it("resets a structure the reader does not have, and what is unknown", () => {
    const stale = { ...chosen, structureId: id(9), partnerId: id(99), counselorId: id(98) };
    expect(fitting(stale, choices)).toEqual({
      filters: { ...stale, structureId: "", partnerId: "", counselorId: "" },
      dropped: ["structureId", "partnerId", "counselorId"],
    });
  });
});
