import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoDate } from "../../common/dates";
import { addressReader } from "./useAddressFilters";

const read = (query: string) => addressReader(new URLSearchParams(query));

describe("addressReader", () => {
  it("reads a text filter, empty when absent", () => {
    expect(read("recherche=Croix%20Rouge").text("recherche")).toBe("Croix Rouge");
    expect(read("").text("recherche")).toBe("");
  });

  it("reads a choice only among the values offered", () => {
    const kinds = ["draft", "signed"] as const;
    expect(read("statut=signed").choice("statut", kinds)).toBe("signed");
    expect(read("statut=lost").choice("statut", kinds)).toBe("");
    expect(read("").choice("statut", kinds)).toBe("");
  });

  it("reads a real day, and nothing for a date being typed, impossible or out of range", () => {
    expect(read("jour=2026-12-05").date("jour")).toBe("2026-12-05");
    expect(read("jour=2028-02-29").date("jour")).toBe("2028-02-29");
    for (const wrong of ["", "2026-13-01", "2027-02-29", "2026-12-5", "05/12/2026", "1899-12-31", "demain"])
      expect(read(`jour=${encodeURIComponent(wrong)}`).date("jour")).toBe("");
    expect(read("").date("jour")).toBe("");
  });

  it("gives back any real day as it is written", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2199-12-31"), noInvalidDate: true }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          expect(read(`jour=${day}`).date("jour")).toBe(day);
        },
      ),
    );
  });

  it("gives a day or nothing, never a value the server would refuse", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/)), (value) => {
        const day = addressReader(new URLSearchParams({ jour: value })).date("jour");
        expect(day === "" || (day === value && isoDate.safeParse(day).success)).toBe(true);
      }),
    );
  });
});
