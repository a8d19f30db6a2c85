import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { protectCount } from "./rules";

describe("small-count protection", () => {
  it("hides exactly the counts from 1 to 4", () => {
    expect([0, 1, 4, 5, 12].map(protectCount)).toEqual([0, null, null, 5, 12]);
    fc.assert(fc.property(fc.nat(10_000), (n) => (protectCount(n) === null) === (n >= 1 && n <= 4)));
  });
});
