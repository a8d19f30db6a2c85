import { describe, expect, it } from "vitest";
import { type SteeringFilters, sectionRead } from "./steeringReads";

const site = "0b7c3a52-4f0e-4d8a-9a51-1c2d3e4f5a01";
const filters: SteeringFilters = {
  from: "2026-01",
  to: "2026-04",
  structureId: "",
  siteId: site,
  partnerId: site,
  counselorId: "",
};

describe("a section's read", () => {
  it("is keyed by each applied filter's name and value, without the filters it refuses", () => {
    // Collective actions take the site filter only: the partner's (equal) value is left out.
    expect(sectionRead("actions", filters).queryKey).toEqual([
      "reporting",
      "actions",
      { from: "2026-01", to: "2026-04", siteId: site },
    ]);
    // A structure's id equal to a site's is still a structure, named so in the key.
    expect(sectionRead("actions", { ...filters, structureId: site, siteId: "" }).queryKey).toEqual([
      "reporting",
      "actions",
      { from: "2026-01", to: "2026-04", structureId: site },
    ]);
  });
});
