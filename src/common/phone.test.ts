import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPhone } from "./phone";

const plain = (text: string): string => text.replace(/\u00a0/g, " ");

describe("formatPhone", () => {
  it("writes a French number in pairs, however it was stored", () => {
    expect(plain(formatPhone("+33612345678"))).toBe("06 12 34 56 78");
    expect(plain(formatPhone("0612345678"))).toBe("06 12 34 56 78");
    expect(plain(formatPhone("01 60 70 80 90"))).toBe("01 60 70 80 90");
  });

  it("writes a foreign number with its country code", () => {
    expect(plain(formatPhone("+442079460958"))).toBe("+44 20 7946 0958");
  });

  it("leaves what is not a number as it is, and shows a dash when there is none", () => {
    expect(formatPhone("accueil")).toBe("accueil");
    expect(formatPhone("")).toBe("—");
    expect(formatPhone(null)).toBe("—");
  });

  it("writes every French mobile number as five pairs that never wrap", () => {
    fc.assert(
      fc.property(fc.constantFrom("6", "7"), fc.stringMatching(/^\d{8}$/), (prefix, rest) => {
        const text = formatPhone(`+33${prefix}${rest}`);
        expect(plain(text)).toMatch(/^0[67]( \d{2}){4}$/);
        expect(text).not.toContain(" ");
        expect(plain(text).replace(/ /g, "")).toBe(`0${prefix}${rest}`);
      }),
    );
  });
});
