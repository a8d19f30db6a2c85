/**
 * The random data and the differencing routes shared by the attack tests of the small-count
 * protection (`differencing.test.ts`, `differencing.atoms.test.ts`; ADR 0019).
 */
/** mulberry32: a small seeded generator, so that every run sees the same data. */
export function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
export const uuidFrom = (random: () => number): string => {
  const hex = Array.from({ length: 4 }, () =>
    Math.floor(random() * 4_294_967_296)
      .toString(16)
      .padStart(8, "0"),
  ).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
};

/** The dimensions a steering user can cut by: period, site, partner, counselor filters and a table's rows. */
export const dims = { month: 2, site: 3, partner: 4, counselor: 3, category: 3 } as const;
export type Dim = keyof typeof dims;
export type Combo = Record<Dim, number>;
/** A cell: for each dimension, the values it takes in (undefined: all). */
export type Query = Partial<Record<Dim, number[]>>;

export const combos: Combo[] = [];
for (let month = 0; month < dims.month; month += 1)
  for (let site = 0; site < dims.site; site += 1)
    for (let partner = 0; partner < dims.partner; partner += 1)
      for (let counselor = 0; counselor < dims.counselor; counselor += 1)
        for (let category = 0; category < dims.category; category += 1)
          combos.push({ month, site, partner, counselor, category });

/** The hidden cell: July (1), site A, partner 1, counselor 1, category 1 (all index 0 but the month). */
export const target: Combo = { month: 1, site: 0, partner: 0, counselor: 0, category: 0 };
export const targetQuery: Query = Object.fromEntries(Object.entries(target).map(([d, v]) => [d, [v]]));
export const others = (dim: Dim) =>
  Array.from({ length: dims[dim] }, (_, v) => v).filter((v) => v !== target[dim]);

/**
 * The attacks of the issue, each an estimate of the hidden cell as a published total minus published
 * cells: inside one table (the démarches figure minus the other categories), nested periods
 * (June–July minus June), and the site, partner and counselor filters (all minus the others).
 */
export const routes: { name: string; total: Query; minus: Query[] }[] = [
  {
    name: "table",
    total: { ...targetQuery, category: undefined },
    minus: others("category").map((v) => ({ ...targetQuery, category: [v] })),
  },
  { name: "period", total: { ...targetQuery, month: [0, 1] }, minus: [{ ...targetQuery, month: [0] }] },
  ...(["site", "partner", "counselor"] as const).map((dim) => ({
    name: dim,
    total: { ...targetQuery, [dim]: undefined },
    minus: others(dim).map((v) => ({ ...targetQuery, [dim]: [v] })),
  })),
];
