import { describe, expect, it } from "vitest";
import { shortStructureName, shortStructureNames } from "./shortStructureName";

describe("shortStructureName", () => {
  it("drops the « France services » every structure's name starts with, never the whole name", () => {
    expect(shortStructureName("France services SPIP 77 – PIMM'S Médiation 77")).toBe(
      "SPIP 77 – PIMM'S Médiation 77",
    );
    expect(shortStructureName("Maison des services")).toBe("Maison des services");
    expect(shortStructureName("France services")).toBe("France services");
    expect(shortStructureName("France services de la Meuse")).toBe("France services de la Meuse");
  });

  it("keeps whole the names that would read the same once shortened", () => {
    const names = shortStructureNames([
      "France services SPIP 77 – PIMM'S Médiation 77",
      "France services SPIP 91 – Médiation Essonne",
      "France services Melun",
      "Melun",
    ]);
    expect([...names.values()]).toEqual([
      "SPIP 77 – PIMM'S Médiation 77",
      "SPIP 91 – Médiation Essonne",
      "France services Melun",
      "Melun",
    ]);
  });
});
