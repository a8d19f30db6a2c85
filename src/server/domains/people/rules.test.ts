import { describe, expect, it } from "vitest";
import { nameKey, normalizePhone } from "./rules";

describe("person rules", () => {
  it("normalizes French and foreign phone numbers, refuses invalid ones", () => {
    expect(normalizePhone("06 12 34 56 78")).toBe("+33612345678");
    expect(normalizePhone("+32 470 12 34 56")).toBe("+32470123456");
    expect(normalizePhone("")).toBe("");
    expect(normalizePhone("12")).toBeNull();
  });
  it("compares names without accents, case or spaces", () => {
    expect(nameKey("Océane")).toBe(nameKey("oceane"));
    expect(nameKey("Le Goff")).toBe(nameKey("LEGOFF"));
  });
});
