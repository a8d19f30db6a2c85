import { describe, expect, it } from "vitest";
import { fullSasFor, fullSasWarning, occupancyText } from "./sasPlaces";

const occupancy = (occupied: number, capacity: number | null = 2) => ({
  today: "2026-06-01",
  sites: [{ id: "sas", name: "SAS de Meaux", capacity, occupied }],
});
const at = (
  siteId: string | null,
  expectedReleaseDate: string | null = "2026-09-01",
  releasedOn: string | null = null,
) => ({
  siteId,
  expectedReleaseDate,
  releasedOn,
});

describe("SAS places", () => {
  it("says the places occupied against the capacity, agreeing in number", () => {
    expect(occupancyText({ occupied: 1, capacity: 60 })).toBe("1 place occupée sur 60");
    expect(occupancyText({ occupied: 0, capacity: 60 })).toBe("0 place occupée sur 60");
    expect(occupancyText({ occupied: 12, capacity: null })).toBe(
      "12 places occupées (nombre de places non renseigné)",
    );
    expect(fullSasWarning({ name: "SAS de Meaux", capacity: 60 })).toBe(
      "La SAS de Meaux est complète (60 places) : vérifiez les sorties non enregistrées.",
    );
    expect(fullSasWarning({ name: "Melun", capacity: 1 })).toBe(
      "La SAS Melun est complète (1 place) : vérifiez les sorties non enregistrées.",
    );
  });

  it("warns of a placement that fills a full SAS, not of a person already counted there", () => {
    expect(fullSasFor(occupancy(2), at("prison"), at("sas"))?.id).toBe("sas");
    expect(fullSasFor(occupancy(2), null, at("sas"))?.id).toBe("sas");
    expect(fullSasFor(occupancy(3), at(null), at("sas"))?.id).toBe("sas");
    expect(fullSasFor(occupancy(1), at("prison"), at("sas"))).toBeNull();
    // Already held there (another field corrected): counted already.
    expect(fullSasFor(occupancy(2), at("sas"), at("sas", "2026-10-01"))).toBeNull();
    // Placed there but out by today (release recorded or expected): takes no place.
    expect(fullSasFor(occupancy(2), at("prison"), at("sas", "2026-09-01", "2026-06-01"))).toBeNull();
    expect(fullSasFor(occupancy(2), at("prison"), at("sas", "2026-05-31"))).toBeNull();
    // Released from the SAS before, placed again: counts.
    expect(fullSasFor(occupancy(2), at("sas", null, "2026-05-01"), at("sas", "2026-09-01"))?.id).toBe("sas");
    // No capacity, a prison, no data: nothing to say.
    expect(fullSasFor(occupancy(5, null), at("prison"), at("sas"))).toBeNull();
    expect(fullSasFor(occupancy(5), at(null), at("prison"))).toBeNull();
    expect(fullSasFor(undefined, at(null), at("sas"))).toBeNull();
  });
});
