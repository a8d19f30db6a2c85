import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heldIn, placeProblem, releaseDay } from "./place";

const PRISON = { id: "prison", kind: "prison" };
const SAS = { id: "sas", kind: "sas" };
const OFFICE = { id: "meaux", kind: "france_services" };

const held = (
  siteId: string | null,
  releasedOn: string | null,
  expectedReleaseDate: string | null = null,
) => ({
  siteId,
  releasedOn,
  expectedReleaseDate,
});

describe("heldIn", () => {
  it("is the establishment until the release day, then null", () => {
    expect(heldIn(null, "2026-06-01")).toBeNull();
    expect(heldIn(held(null, null), "2026-06-01")).toBeNull();
    expect(heldIn(held("prison", null), "2026-06-01")).toBe("prison");
    expect(heldIn(held("prison", "2026-06-02"), "2026-06-01")).toBe("prison");
    expect(heldIn(held("prison", "2026-06-01"), "2026-06-01")).toBeNull();
  });

  it("counts the expected release when none is recorded; a recorded release wins", () => {
    expect(heldIn(held("prison", null, "2026-06-02"), "2026-06-01")).toBe("prison");
    expect(heldIn(held("prison", null, "2026-06-01"), "2026-06-01")).toBeNull();
    expect(heldIn(held("prison", null, "2026-05-20"), "2026-06-01")).toBeNull();
    // Released later than expected: held until the recorded day.
    expect(heldIn(held("prison", "2026-06-03", "2026-05-20"), "2026-06-01")).toBe("prison");
    // Released earlier than expected: out from the recorded day.
    expect(heldIn(held("prison", "2026-05-25", "2026-06-20"), "2026-06-01")).toBeNull();
    expect(releaseDay(held("prison", null, null))).toBeNull();
    expect(releaseDay(held(null, null, "2026-06-01"))).toBeNull();
  });

  it("held exactly on the days before the release day (property)", () => {
    const day = fc
      .integer({ min: 0, max: 60 })
      .map((n) => new Date(Date.UTC(2026, 4, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.constantFrom(null, "prison", "sas"),
        fc.option(day),
        fc.option(day),
        day,
        (siteId, releasedOn, expected, on) => {
          const d = held(siteId, releasedOn, expected);
          const out = releaseDay(d);
          expect(heldIn(d, on)).toBe(siteId !== null && (out === null || on < out) ? siteId : null);
          if (siteId !== null) expect(out).toBe(releasedOn ?? expected);
        },
      ),
    );
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
