import { describe, expect, it } from "vitest";
import { frenchList } from "./frenchList";

describe("frenchList", () => {
  it("joins names with « et » before the last one, without a serial comma", () => {
    expect(frenchList([])).toBe("");
    expect(frenchList(["la CAF"])).toBe("la CAF");
    expect(frenchList(["le SPIP", "la CAF"])).toBe("le SPIP et la CAF");
    expect(frenchList(["le SPIP", "l'association", "la CAF"])).toBe("le SPIP, l'association et la CAF");
  });
});
