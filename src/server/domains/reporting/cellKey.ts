/**
 * Record keys of the cell-key method (small-count protection that survives differencing): every
 * counted record (visit, convocation, démarche, orientation, need assessment, person) has a fixed
 * key in [0, KEY_MODULUS), derived from its id; a cell's key is the sum of its records' keys modulo
 * KEY_MODULUS, so the same records always give the same cell key, however the query was phrased.
 * The SQL twin is `record_key(uuid)` (migration), checked against this one by a test.
 */
import { createHash } from "node:crypto";
import { MAX_PERTURBATION } from "../../../common/reporting/protection";

export { MAX_PERTURBATION };

export const KEY_BITS = 20;
export const KEY_MODULUS = 2 ** KEY_BITS;

/** The fixed key of one record: the first 20 bits of the MD5 of its id (as PostgreSQL prints a uuid). */
export function recordKey(id: string): number {
  return Number.parseInt(createHash("md5").update(id.toLowerCase()).digest("hex").slice(0, 5), 16);
}

/** The key of a cell from the sum of its records' keys. */
export const cellKeyOf = (keySum: number): number => ((keySum % KEY_MODULUS) + KEY_MODULUS) % KEY_MODULUS;

/**
 * Perturbation of the cell-key method (ADR 0019). A published count is `n + perturbation(n, key)`:
 * - zero stays zero, and a non-zero count stays non-zero (never 0, never negative);
 * - |perturbation| ≤ MAX_PERTURBATION, its mean over the keys is 0 (unbiased), its variance is
 *   PERTURBATION_VARIANCE once the count is large enough to go down by MAX_PERTURBATION; below, the
 *   same shape on the narrower range a count can move in without reaching 0 (a count of 1 never moves);
 * - the same count and cell key always give the same value (no randomness at read time).
 * The distribution is the maximum-entropy one (p(d) ∝ exp(λ·d²)) with the given variance on the range;
 * the variance chosen (ADR 0019, by measuring the differencing attacks) is the uniform one: every
 * perturbation from -4 to +4 equally likely (variance 20/3).
 */
export const PERTURBATION_VARIANCE = (MAX_PERTURBATION * (MAX_PERTURBATION + 1)) / 3;

/** p(d) ∝ exp(λ d²) on -a..a with variance `variance` (or the widest possible), found by bisection on λ. */
function symmetricTable(a: number, variance: number): number[] {
  const shape = (lambda: number): number[] => {
    const raw = Array.from({ length: 2 * a + 1 }, (_, i) => Math.exp(lambda * (i - a) ** 2));
    const sum = raw.reduce((s, x) => s + x, 0);
    return raw.map((x) => x / sum);
  };
  const varianceOf = (p: number[]): number => p.reduce((s, x, i) => s + x * (i - a) ** 2, 0);
  if (a === 0) return [1];
  let [low, high] = [-20, 20];
  for (let step = 0; step < 200; step += 1) {
    const mid = (low + high) / 2;
    if (varianceOf(shape(mid)) < variance) low = mid;
    else high = mid;
  }
  return shape((low + high) / 2);
}

/** Per reach a (0..MAX_PERTURBATION): upper bounds of each perturbation -a..a on the key range. */
const thresholds: number[][] = Array.from({ length: MAX_PERTURBATION + 1 }, (_, a) => {
  let cumulative = 0;
  // Near 0 the range is narrower: at most the spread of a uniform perturbation on it.
  const variance =
    a === MAX_PERTURBATION ? PERTURBATION_VARIANCE : Math.min(PERTURBATION_VARIANCE, (a * (a + 1)) / 3);
  return symmetricTable(a, variance).map((p) => {
    cumulative += p;
    return Math.round(cumulative * KEY_MODULUS);
  });
});

/** The probabilities of each perturbation -a..a for a count n (tests and the ADR's measures). */
export function perturbationTable(n: number): { d: number; p: number }[] {
  if (n <= 0) return [{ d: 0, p: 1 }];
  const a = Math.min(MAX_PERTURBATION, n - 1);
  const bounds = thresholds[a]!;
  return bounds.map((bound, i) => ({ d: i - a, p: (bound - (i === 0 ? 0 : bounds[i - 1]!)) / KEY_MODULUS }));
}

/**
 * The perturbation of a count n whose records' keys sum to `keySum`. The key is shifted by half the
 * range before the lookup, so a cell whose key is not known (0) falls on the median: not perturbed.
 */
export function perturbation(n: number, keySum: number): number {
  if (n <= 0) return 0;
  const a = Math.min(MAX_PERTURBATION, n - 1);
  const position = (cellKeyOf(keySum) + KEY_MODULUS / 2) % KEY_MODULUS;
  const bounds = thresholds[a]!;
  const index = bounds.findIndex((bound) => position < bound);
  return (index === -1 ? bounds.length - 1 : index) - a;
}

/** The published (perturbed) value of a count: never negative, 0 only when n is 0. */
export const perturbedCount = (n: number, keySum: number): number => n + perturbation(n, keySum);
