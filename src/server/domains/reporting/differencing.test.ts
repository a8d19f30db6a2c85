/**
 * The differencing attacks of issue 12 against the small-count protection (ADR 0019), over random
 * data with a fixed seed: records with random ids (hence record keys), counted into the cells a
 * steering user can read (dashboard filters × tables × periods) through the same `present` as the
 * dashboard. The attacker knows the method and its parameters, not the keys.
 */
import { describe, expect, it } from "vitest";
import { protectCount } from "../structures/rules";
import { MAX_PERTURBATION, PERTURBATION_VARIANCE, recordKey } from "./cellKey";
import {
  type Combo,
  combos,
  type Dim,
  dims,
  generator,
  type Query,
  routes,
  target,
  uuidFrom,
} from "./differencing.fixtures";
import { count, present } from "./rules";

interface Scenario {
  hidden: number;
  cell: (query: Query) => { n: number; k: number };
}

/** One random structure: every combination holds 9–30 records, the hidden cell 1–4 (its true value). */
function scenario(random: () => number, hidden: number): Scenario {
  const n = new Map<Combo, number>();
  const k = new Map<Combo, number>();
  for (const combo of combos) {
    const size = combo === combos.find((c) => sameCombo(c, target)) ? hidden : 9 + Math.floor(random() * 22);
    let keys = 0;
    for (let i = 0; i < size; i += 1) keys += recordKey(uuidFrom(random));
    n.set(combo, size);
    k.set(combo, keys);
  }
  const cell = (query: Query) => {
    const inside = combos.filter((c) =>
      (Object.keys(dims) as Dim[]).every((d) => query[d]?.includes(c[d]) ?? true),
    );
    return {
      n: inside.reduce((s, c) => s + (n.get(c) ?? 0), 0),
      k: inside.reduce((s, c) => s + (k.get(c) ?? 0), 0),
    };
  };
  return { hidden, cell };
}
const sameCombo = (a: Combo, b: Combo) => (Object.keys(dims) as Dim[]).every((d) => a[d] === b[d]);

type Presenter = (cell: { n: number; k: number }) => number | null;
const cellKeyMethod: Presenter = (c) => present(count(c.n, c.k), true);
const suppressionOnly: Presenter = (c) => protectCount(c.n);
const clampRound = (x: number): number => Math.min(4, Math.max(1, Math.round(x)));

interface Outcome {
  /** Share of hidden cells whose value each attack names exactly. */
  hits: Record<string, number>;
  /** The best guess without reading anything: the most frequent true value, and how often it is right. */
  guessing: number;
  /** Largest and mean distance between a published count and the truth. */
  maxDistance: number;
  meanDistance: number;
}

/** Runs every attack on the same random structures, once per presenter. */
function attack(presenters: Presenter[], runs: number, seed: number): Outcome[] {
  const random = generator(seed);
  const outcomes = presenters.map(() => ({
    hits: { combined: 0, ...Object.fromEntries(routes.map((r) => [r.name, 0])) } as Record<string, number>,
    distances: 0,
    published: 0,
    maxDistance: 0,
  }));
  const truths = [0, 0, 0, 0, 0];
  for (let run = 0; run < runs; run += 1) {
    const s = scenario(random, 1 + (run % 4));
    truths[s.hidden] = (truths[s.hidden] ?? 0) + 1;
    const cells = routes.map((route) => [route.total, ...route.minus].map((q) => s.cell(q)));
    presenters.forEach((present, p) => {
      const outcome = outcomes[p]!;
      let weighted = 0;
      let weights = 0;
      routes.forEach((route, r) => {
        const read = cells[r]!;
        const shown = read.map(present);
        read.forEach((c, i) => {
          const value = shown[i];
          if (value === null || value === undefined) return;
          outcome.maxDistance = Math.max(outcome.maxDistance, Math.abs(value - c.n));
          outcome.distances += Math.abs(value - c.n);
          outcome.published += 1;
        });
        if (shown.some((v) => v === null)) return;
        const estimate = (shown[0] ?? 0) - shown.slice(1).reduce<number>((sum, v) => sum + (v ?? 0), 0);
        if (clampRound(estimate) === s.hidden) outcome.hits[route.name] = (outcome.hits[route.name] ?? 0) + 1;
        // Averaging the independent estimates, each weighted by the inverse of its noise (cells read).
        weighted += estimate / read.length;
        weights += 1 / read.length;
      });
      if (weights > 0 && clampRound(weighted / weights) === s.hidden)
        outcome.hits.combined = (outcome.hits.combined ?? 0) + 1;
    });
  }
  return outcomes.map((o) => ({
    hits: Object.fromEntries(Object.entries(o.hits).map(([name, h]) => [name, h / runs])),
    guessing: Math.max(...truths) / runs,
    maxDistance: o.maxDistance,
    meanDistance: o.distances / o.published,
  }));
}

/**
 * What "better than guessing" means here. An attack recovers a hidden count when its estimate,
 * rounded and kept within 1–4, is the true value. Guessing is naming, without reading anything, the
 * most frequent true value of the hidden cells (25 %: the true values are spread evenly over 1–4).
 * Tolerance (ADR 0019): one attack at most 10 points above guessing (measured: 7 to 8), the five
 * combined at most 17.5 (measured: 13 to 16, for 100 % with suppression alone) — what remains of the
 * averaging attack, which more independent routes would strengthen further.
 */
const SINGLE_TOLERANCE = 0.1;
const COMBINED_TOLERANCE = 0.175;
const beatsGuessing = (o: Outcome): boolean =>
  Object.entries(o.hits).some(
    ([name, hit]) => hit > o.guessing + (name === "combined" ? COMBINED_TOLERANCE : SINGLE_TOLERANCE),
  );

describe("differencing attacks (issue 12, ADR 0019)", () => {
  const [cellKey, suppression] = attack([cellKeyMethod, suppressionOnly], 1000, 20_261_130) as [
    Outcome,
    Outcome,
  ];

  it("with suppression alone, every attack recovers every hidden count (the test can fail)", () => {
    for (const hit of Object.values(suppression.hits)) expect(hit).toBe(1);
    expect(beatsGuessing(suppression)).toBe(true);
  });

  it("with the cell-key method, each attack stays within 10 points of guessing, the five combined within 17.5 (not at guessing: ADR 0019)", () => {
    expect(cellKey.guessing).toBe(0.25);
    expect(Object.keys(cellKey.hits)).toEqual([
      "combined",
      "table",
      "period",
      "site",
      "partner",
      "counselor",
    ]);
    for (const [name, hit] of Object.entries(cellKey.hits))
      expect({ name, hit }).toEqual({
        name,
        hit: expect.toSatisfy(
          (h: number) =>
            h <= cellKey.guessing + (name === "combined" ? COMBINED_TOLERANCE : SINGLE_TOLERANCE),
        ),
      });
    expect(beatsGuessing(cellKey)).toBe(false);
  });

  it("every published count stays within the stated distance of the truth", () => {
    expect(MAX_PERTURBATION).toBe(4);
    expect(cellKey.maxDistance).toBeLessThanOrEqual(MAX_PERTURBATION);
    expect(cellKey.meanDistance).toBeLessThan(2.5);
    expect(suppression.maxDistance).toBe(0);
    console.info(
      `differencing attacks, variance ${PERTURBATION_VARIANCE.toFixed(2)}:`,
      JSON.stringify(cellKey),
    );
  });
});
