import { describe, expect, it } from "vitest";
import { plural, pluralWord } from "./plural";

describe("plural", () => {
  it("is singular for 0 and 1, plural from 2, with French digit grouping", () => {
    expect(plural(0, "besoin repéré", "besoins repérés")).toBe("0 besoin repéré");
    expect(plural(1, "besoin repéré", "besoins repérés")).toBe("1 besoin repéré");
    expect(plural(2, "besoin repéré", "besoins repérés")).toBe("2 besoins repérés");
    expect(plural(1234, "personne", "personnes")).toBe("1\u202f234 personnes");
  });

  it("gives the word alone for a count written elsewhere", () => {
    expect(pluralWord(1, "convoquée", "convoquées")).toBe("convoquée");
    expect(pluralWord(3, "convoquée", "convoquées")).toBe("convoquées");
  });
});
