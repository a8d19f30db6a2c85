import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heldIn, placeProblem } from "./place";

const PRISON = { id: "prison", kind: "prison" };
const SAS = { id: "sas", kind: "sas" };
const OFFICE = { id: "meaux", kind: "france_services" };

describe("heldIn", () => {
  it("is the establishment until the release day, then null", () => {
    expect(heldIn(null, "2026-06-01")).toBeNull();
    expect(heldIn({ siteId: null, releasedOn: null }, "2026-06-01")).toBeNull();
    expect(heldIn({ siteId: "prison", releasedOn: null }, "2026-06-01")).toBe("prison");
    expect(heldIn({ siteId: "prison", releasedOn: "2026-06-02" }, "2026-06-01")).toBe("prison");
    expect(heldIn({ siteId: "prison", releasedOn: "2026-06-01" }, "2026-06-01")).toBeNull();
  });
});

describe("placeProblem", () => {
  it("a detainee only in their establishment; anyone else never in a prison or a SAS", () => {
    expect(placeProblem("prison", PRISON)).toBeNull();
    expect(placeProblem("prison", OFFICE)).toBe("outsideEstablishment");
    expect(placeProblem("prison", SAS)).toBe("outsideEstablishment");
    expect(placeProblem("sas", SAS)).toBeNull();
    expect(placeProblem(null, PRISON)).toBe("insideEstablishment");
    expect(placeProblem(null, SAS)).toBe("insideEstablishment");
    expect(placeProblem(null, OFFICE)).toBeNull();
  });

  it("whoever the person, exactly one kind of place fits: their establishment, or the sites outside", () => {
    const kinds = ["spip_office", "france_services", "prison", "sas", "mobile"] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(null, "a", "b"),
        fc.constantFrom("a", "b", "c"),
        fc.constantFrom(...kinds),
        (held, siteId, kind) => {
          const fits = placeProblem(held, { id: siteId, kind }) === null;
          const inside = kind === "prison" || kind === "sas";
          expect(fits).toBe(held === null ? !inside : siteId === held);
        },
      ),
    );
  });
});
