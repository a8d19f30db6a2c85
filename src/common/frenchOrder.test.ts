import { describe, expect, it } from "vitest";
import { byFrench, byFrenchLetters } from "./frenchOrder";

describe("French order", () => {
  it("sorts as localeCompare in French does: accents and case break ties", () => {
    const names = [
      "Reims",
      "Épernay",
      "epernay",
      "Eu",
      "Étampes",
      "Bar-le-Duc",
      "Saint-Mihiel",
      "Saint Avold",
    ];
    expect([...names].sort(byFrench)).toEqual([...names].sort((a, b) => a.localeCompare(b, "fr")));
    expect([...names].sort(byFrench).slice(0, 3)).toEqual(["Bar-le-Duc", "epernay", "Épernay"]);
  });

  it("accents and case aside: equal names compare equal", () => {
    expect(byFrenchLetters("BLANCHARD Éric", "Blanchard Eric")).toBe(0);
    expect(byFrenchLetters("Épernay", "Reims")).toBeLessThan(0);
  });
});
