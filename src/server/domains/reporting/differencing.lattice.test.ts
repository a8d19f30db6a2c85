/**
 * The strongest differencing attack on the cell-key method (ADR 0019, addendum "Least squares over
 * every cell"): instead of a few routes averaged, the attacker reads every cell a steering user can
 * ask for (each filter on one value or on all, every period) and solves the least-squares system
 * for the hidden count. With independent perturbations the more cells overlap the hidden one, the
 * less noise is left; arbitrary periods (any range of months) multiply them.
 */
import { describe, expect, it } from "vitest";
import { protectCount } from "../structures/rules";
import { KEY_MODULUS } from "./cellKey";
import { generator } from "./differencing.fixtures";
import { count, present } from "./rules";

/** The values of one dimension a cell may take: one value or all of them (filters), or ranges (periods). */
type Choices = number[][];
const oneOrAll = (size: number): Choices => [
  ...Array.from({ length: size }, (_, v) => [v]),
  Array.from({ length: size }, (_, v) => v),
];
const anyRange = (size: number): Choices =>
  Array.from({ length: size }, (_, from) =>
    Array.from({ length: size - from }, (_, length) =>
      Array.from({ length: length + 1 }, (_, i) => from + i),
    ),
  ).flat();
/** Calendar periods over 12 months: each month, each quarter, the year. */
const calendar = (): Choices => [
  ...Array.from({ length: 12 }, (_, m) => [m]),
  ...Array.from({ length: 4 }, (_, q) => [3 * q, 3 * q + 1, 3 * q + 2]),
  Array.from({ length: 12 }, (_, m) => m),
];

interface Lattice {
  atoms: number;
  target: number;
  /** For every readable cell, the atoms it sums (the hidden atom's own cell is left out: "< 5"). */
  cells: number[][];
  /** Least-squares weights of every cell for the hidden atom (same for every run). */
  weights: number[];
}

/** Every cell of the product of the dimensions' choices; `hidden` gives the hidden atom's value in each. */
function lattice(dimensions: { size: number; choices: Choices }[], hidden: number[]): Lattice {
  const strides = dimensions.map((_, i) => dimensions.slice(i + 1).reduce((p, d) => p * d.size, 1));
  let cells: number[][] = [[]];
  dimensions.forEach((dimension, i) => {
    cells = cells.flatMap((partial) =>
      dimension.choices.map((values) =>
        partial.length === 0 && i === 0
          ? values.map((v) => v * strides[i]!)
          : partial.flatMap((offset) => values.map((v) => offset + v * strides[i]!)),
      ),
    );
  });
  const atoms = dimensions.reduce((p, d) => p * d.size, 1);
  const target = hidden.reduce((s, v, i) => s + v * strides[i]!, 0);
  const readable = cells.filter((cell) => !(cell.length === 1 && cell[0] === target));
  // Normal equations: (XᵀX) z = e₀, then the weights are X z.
  const normal = Array.from({ length: atoms }, () => new Float64Array(atoms));
  for (const cell of readable) for (const a of cell) for (const b of cell) normal[a]![b]! += 1;
  const z = solve(
    normal,
    Array.from({ length: atoms }, (_, i) => (i === target ? 1 : 0)),
  );
  const weights = readable.map((cell) => cell.reduce((s, a) => s + z[a]!, 0));
  return { atoms, target, cells: readable, weights };
}

/** Gaussian elimination with partial pivoting (the systems here are small and well conditioned). */
function solve(matrix: Float64Array[], rhs: number[]): number[] {
  const n = rhs.length;
  const a = matrix.map((row) => Float64Array.from(row));
  const b = [...rhs];
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    for (let r = col + 1; r < n; r += 1) {
      const factor = a[r]![col]! / a[col]![col]!;
      if (factor === 0) continue;
      for (let c = col; c < n; c += 1) a[r]![c]! -= factor * a[col]![c]!;
      b[r]! -= factor * b[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r -= 1) {
    let sum = b[r]!;
    for (let c = r + 1; c < n; c += 1) sum -= a[r]![c]! * x[c]!;
    x[r] = sum / a[r]![r]!;
  }
  return x;
}

type Presenter = (n: number, k: number) => number | null;
const cellKeyMethod: Presenter = (n, k) => present(count(n, k), true);
const suppressionOnly: Presenter = (n) => protectCount(n);

/**
 * Share of hidden counts (1–4, evenly spread: guessing names 25 %) the least-squares attacker names,
 * every other atom holding 9–30 records with random ids (the attacker's best case: every cell read).
 */
function attack(l: Lattice, presenter: Presenter, runs: number, seed: number): number {
  const random = generator(seed);
  let hits = 0;
  for (let run = 0; run < runs; run += 1) {
    const hidden = 1 + (run % 4);
    const n = new Array<number>(l.atoms);
    const k = new Array<number>(l.atoms);
    for (let atom = 0; atom < l.atoms; atom += 1) {
      n[atom] = atom === l.target ? hidden : 9 + Math.floor(random() * 22);
      k[atom] = 0;
      // Record keys drawn as uniform 20-bit values, as the MD5 bits of random ids give (`recordKey`).
      for (let r = 0; r < n[atom]!; r += 1) k[atom]! += Math.floor(random() * KEY_MODULUS);
    }
    let estimate = 0;
    l.cells.forEach((cell, c) => {
      const shown = presenter(
        cell.reduce((s, a) => s + n[a]!, 0),
        cell.reduce((s, a) => s + k[a]!, 0),
      );
      estimate += l.weights[c]! * (shown ?? 0);
    });
    if (Math.min(4, Math.max(1, Math.round(estimate))) === hidden) hits += 1;
  }
  return hits / runs;
}

describe("least squares over every readable cell (ADR 0019 addendum)", () => {
  it("the five-route grid of differencing.test.ts: suppression gives every count, the cell key about 45 %", () => {
    // month 2 × site 3 × partner 4 × counselor 3 × table row 3; each on one value or all.
    const grid = lattice(
      [2, 3, 4, 3, 3].map((size) => ({ size, choices: oneOrAll(size) })),
      [1, 0, 0, 0, 0],
    );
    expect(grid.cells).toHaveLength(959);
    expect(attack(grid, suppressionOnly, 200, 7)).toBe(1);
    const hits = attack(grid, cellKeyMethod, 2000, 20_261_202);
    console.info(`least squares, five-route grid: ${(hits * 100).toFixed(1)} % (guessing 25 %)`);
    expect(hits).toBeGreaterThan(0.38);
    expect(hits).toBeLessThan(0.52);
  }, 120_000);

  it("twelve months: any range of months gives the attacker far more than calendar periods", () => {
    const rest = [3, 4].map((size) => ({ size, choices: oneOrAll(size) }));
    const ranges = lattice([{ size: 12, choices: anyRange(12) }, ...rest], [6, 0, 0]);
    const periods = lattice([{ size: 12, choices: calendar() }, ...rest], [6, 0, 0]);
    expect(ranges.cells).toHaveLength(78 * 4 * 5 - 1);
    expect(periods.cells).toHaveLength(17 * 4 * 5 - 1);
    const anyHits = attack(ranges, cellKeyMethod, 2000, 20_261_203);
    const calendarHits = attack(periods, cellKeyMethod, 2000, 20_261_204);
    console.info(
      `least squares, 12 months × 3 sites × 4 partners: any range ${(anyHits * 100).toFixed(1)} %, calendar periods ${(calendarHits * 100).toFixed(1)} % (guessing 25 %)`,
    );
    expect(anyHits).toBeGreaterThan(0.55);
    expect(calendarHits).toBeLessThan(0.45);
    expect(anyHits - calendarHits).toBeGreaterThan(0.15);
  }, 120_000);
});
