import fc from "fast-check";
import { describe, expect, it } from "vitest";
import "../zod-fr";
import { personName } from "./people.schema";

const name = personName("Saisissez le nom.");

describe("a person's name", () => {
  it("accepts names of any alphabet with spaces, apostrophes, hyphens and dots", () => {
    for (const ok of [
      "Régine",
      "N'Diaye",
      "Jean-Pierre",
      "de la Fontaine",
      "Ørsted",
      "Nguyễn",
      "Мария",
      "St. John",
      "O’Brien",
    ]) {
      expect(name.safeParse(ok).success, ok).toBe(true);
    }
  });

  it("refuses digits, symbols and names that do not start with a letter, with one French message", () => {
    for (const bad of ["12345 !!!", "Jean2", "@dupont", "-Marc", "'", "Paul;drop"]) {
      const result = name.safeParse(bad);
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues).toHaveLength(1);
    }
    expect(name.safeParse("  ").error?.issues.map((i) => i.message)).toEqual(["Saisissez le nom."]);
  });

  it("refuses a name that starts or ends with a hyphen or an apostrophe, saying so", () => {
    for (const bad of ["Jean-", "-Marc", "N'", "'Diaye", "O’", "Jean- "]) {
      expect(
        name.safeParse(bad).error?.issues.map((i) => i.message),
        bad,
      ).toEqual(["Un nom ne commence ni ne finit par un trait d'union ou une apostrophe."]);
    }
  });

  it("never accepts a name whose last character is a hyphen or an apostrophe", () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom("-", "'", "’"), (before, edge) => {
        expect(name.safeParse(`Jean${before}${edge}`).success).toBe(false);
      }),
    );
  });

  it("never accepts a string containing a digit", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 9 }), fc.string(), (before, digit, after) => {
        expect(name.safeParse(`${before}${digit}${after}`).success).toBe(false);
      }),
    );
  });
});

describe("a date field left empty", () => {
  it("asks for the date instead of calling it invalid", async () => {
    const { isoDate } = await import("../dates");
    expect(isoDate.safeParse("").error?.issues.map((i) => i.message)).toEqual(["Saisissez une date."]);
    expect(isoDate.safeParse("2023-02-30").error?.issues[0]?.message).toMatch(/^Date invalide/);
  });
});
