import { describe, expect, it } from "vitest";
import type { Openings } from "../../../common/agenda/agenda.schema";
import { leavingPermanences } from "./leavingPermanences";

const rule = (siteName: string, weekday: number, counselors: { id: string; name: string }[]) =>
  ({
    siteName,
    weekday,
    onDate: null,
    startTime: "09:00",
    endTime: "12:30",
    counselors,
  }) as unknown as Openings["rules"][number];

describe("leavingPermanences", () => {
  const nicolas = { id: "n", name: "Nicolas Petit" };
  const ines = { id: "i", name: "Inès Moreau" };

  it("one item per permanence held, apart from the lead and the tail: a list, not one long sentence", () => {
    const openings = {
      rules: [rule("Meaux", 5, [nicolas]), rule("Meaux", 2, [nicolas, ines]), rule("Melun", 1, [ines])],
    } as Openings;
    const said = leavingPermanences(openings, "n");
    expect(said?.lead).toBe("Ses permanences à partir d'aujourd'hui :");
    expect(said?.items).toHaveLength(2);
    expect(said?.items[0]).toMatch(
      /^Meaux, chaque vendredi, 9\s?h\s?00 – 12\s?h\s?30 : personne d'autre ne la tient, elle s'arrête$/,
    );
    expect(said?.items[1]).toMatch(/^Meaux, chaque mardi, .* : elle continue avec Inès Moreau$/);
    expect(said?.items.join("")).not.toContain(";");
    expect(said?.tail).toBe("Les heures des jours passés ne changent pas.");
  });

  it("says nothing when she holds none or while the openings are unknown", () => {
    expect(leavingPermanences({ rules: [rule("Melun", 1, [ines])] } as Openings, "n")).toBeNull();
    expect(leavingPermanences(undefined, "n")).toBeNull();
  });
});
