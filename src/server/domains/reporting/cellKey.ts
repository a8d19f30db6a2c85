/**
 * Record keys of the cell-key method (small-count protection that survives differencing): every
 * counted record (visit, convocation, démarche, orientation, need assessment, person) has a fixed
 * key in [0, KEY_MODULUS), derived from its id; a cell's key is the sum of its records' keys modulo
 * KEY_MODULUS, so the same records always give the same cell key, however the query was phrased.
 * The SQL twin is `record_key(uuid)` (migration), checked against this one by a test.
 */
import { createHash } from "node:crypto";

export const KEY_BITS = 20;
export const KEY_MODULUS = 2 ** KEY_BITS;

/** The fixed key of one record: the first 20 bits of the MD5 of its id (as PostgreSQL prints a uuid). */
export function recordKey(id: string): number {
  return Number.parseInt(createHash("md5").update(id.toLowerCase()).digest("hex").slice(0, 5), 16);
}

/** The key of a cell from the sum of its records' keys. */
export const cellKeyOf = (keySum: number): number => ((keySum % KEY_MODULUS) + KEY_MODULUS) % KEY_MODULUS;
