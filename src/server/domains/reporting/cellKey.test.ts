import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cellKeyOf,
  KEY_MODULUS,
  MAX_PERTURBATION,
  PERTURBATION_VARIANCE,
  perturbation,
  perturbationTable,
  perturbedCount,
  recordKey,
} from "./cellKey";

const moments = (n: number) => {
  const table = perturbationTable(n);
  const mean = table.reduce((s, { d, p }) => s + p * d, 0);
  return {
    mean,
    variance: table.reduce((s, { d, p }) => s + p * (d - mean) ** 2, 0),
    total: table.reduce((s, x) => s + x.p, 0),
  };
};

describe("record and cell keys", () => {
  it("a record's key is fixed by its id, in [0, KEY_MODULUS); a cell's key is the sum modulo", () => {
    const id = "0b5c0d6e-1f2a-4b3c-8d4e-5f6a7b8c9d0e";
    expect(recordKey(id)).toBe(recordKey(id.toUpperCase()));
    expect(recordKey(id)).toBeGreaterThanOrEqual(0);
    expect(recordKey(id)).toBeLessThan(KEY_MODULUS);
    expect(cellKeyOf(KEY_MODULUS + 3)).toBe(3);
    expect(cellKeyOf(-1)).toBe(KEY_MODULUS - 1);
  });
});

describe("the perturbation table (ADR 0019)", () => {
  it("zero stays zero; a count of 1 to 4 or more is never 0 nor negative, and moves by at most the maximum", () => {
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.nat({ max: 2 ** 40 }), (n, keySum) => {
        const d = perturbation(n, keySum);
        expect(Math.abs(d)).toBeLessThanOrEqual(MAX_PERTURBATION);
        if (n === 0) expect(perturbedCount(n, keySum)).toBe(0);
        else expect(perturbedCount(n, keySum)).toBeGreaterThanOrEqual(1);
      }),
      { seed: 12, numRuns: 2000 },
    );
  });

  it("unbiased for every count; the stated variance once a count can move by the maximum both ways", () => {
    for (let n = 0; n <= 50; n += 1) {
      const { mean, variance, total } = moments(n);
      expect(total).toBeCloseTo(1, 9);
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      if (n > MAX_PERTURBATION) expect(variance).toBeCloseTo(PERTURBATION_VARIANCE, 4);
      else expect(variance).toBeLessThanOrEqual(PERTURBATION_VARIANCE);
    }
    expect(moments(1).variance).toBe(0);
    expect(moments(2).variance).toBeGreaterThan(0);
  });

  it("the lookup over every cell key draws the table's distribution; the same key always gives the same value", () => {
    for (const n of [2, 3, MAX_PERTURBATION + 1, 40]) {
      const seen = new Map<number, number>();
      for (let key = 0; key < KEY_MODULUS; key += 1) {
        const d = perturbation(n, key);
        seen.set(d, (seen.get(d) ?? 0) + 1);
      }
      for (const { d, p } of perturbationTable(n)) expect((seen.get(d) ?? 0) / KEY_MODULUS).toBeCloseTo(p, 5);
    }
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.nat({ max: 2 ** 40 }), (n, keySum) => {
        expect(perturbation(n, keySum)).toBe(perturbation(n, keySum));
        expect(perturbation(n, keySum)).toBe(perturbation(n, keySum + KEY_MODULUS));
      }),
      { seed: 12 },
    );
  });

  it("a cell whose key is not known (0) is not perturbed", () => {
    for (const n of [0, 1, 5, 100]) expect(perturbedCount(n, 0)).toBe(n);
  });
});
