import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toCsv } from "./files";
import { count, monthsOf, present, ratio } from "./rules";

describe("small-count protection", () => {
  it("a protected count is never between 1 and 4; anything else is shown as is", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.boolean(), (n, protect) => {
        const shown = present(count(n), protect);
        if (protect && n >= 1 && n <= 4) expect(shown).toBeNull();
        else expect(shown).toBe(n);
      }),
    );
  });

  it("a protected ratio is hidden when it rests on fewer than 5, or when its part is between 1 and 4", () => {
    fc.assert(
      fc.property(fc.nat({ max: 500 }), fc.nat({ max: 500 }), (part, base) => {
        const shown = present(ratio(part, base, 100), true);
        const hidden = base < 5 || (part >= 1 && part <= 4);
        if (hidden) expect(shown).toBeNull();
        else expect(shown).toBe(Math.round((part / base) * 100 * 10) / 10);
      }),
    );
    expect(present(ratio(3, 0), false)).toBeNull();
    expect(present(ratio(1, 3, 100), false)).toBe(33.3);
  });
});

describe("months of a period", () => {
  it("every month from the first to the last, across years", () => {
    expect(monthsOf("2025-11", "2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(monthsOf("2026-03", "2026-03")).toEqual(["2026-03"]);
  });
});

describe("CSV files", () => {
  it('hidden counts read "< 5", decimals take a comma, formulas and separators are neutralised', () => {
    const csv = toCsv({
      name: "t",
      preamble: ["Titre"],
      header: ["Nom", "Valeur"],
      rows: [
        ['=HYPERLINK("http://x")', null],
        ["Dupont; Jean", 12.5],
        ["-2+3", 7],
      ],
    })
      .toString("utf8")
      .replace(/^\uFEFF/, "");
    expect(csv.split("\r\n")).toEqual([
      "Titre",
      "Nom;Valeur",
      '"\'=HYPERLINK(""http://x"")";< 5',
      '"Dupont; Jean";12,5',
      "'-2+3;7",
      "",
    ]);
  });
});
