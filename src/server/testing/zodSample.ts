import type { z } from "zod";

/**
 * Plausible valid values for a route contract's input, read from its zod schemas, so a property
 * test can change one field at a time and still reach the code behind validation. Best effort: a
 * leaf takes the first candidate its schema accepts (known ids by field name first).
 */
type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  values?: unknown[];
};
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

const leafCandidates: unknown[] = [
  30,
  1,
  0,
  "2026-06-15",
  "2026-06-16T08:00:00Z",
  "2026-06",
  "09:00",
  "Texte de test assez long",
  "agent@example.fr",
  "https://example.fr",
  "123456",
  "abcdefghij12",
  "code-test",
  false,
  true,
];

export function sampleOf(schema: z.ZodType, ids: Record<string, string>, key = ""): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return Object.fromEntries(
        Object.entries(def.shape ?? {}).map(([name, field]) => [name, sampleOf(field, ids, name)]),
      );
    case "optional": {
      // A field that may be left out is, when no sample fits it (an id the test has no value for).
      const inner = sampleOf(def.innerType as z.ZodType, ids, key);
      return (def.innerType as z.ZodType).safeParse(inner).success ? inner : undefined;
    }
    case "nullable":
    case "default":
      return sampleOf(def.innerType as z.ZodType, ids, key);
    case "pipe": {
      // The input side's sample, when the whole pipe accepts it; else a leaf the whole pipe accepts.
      const fromInput = sampleOf(def.in as z.ZodType, ids, key);
      return schema.safeParse(fromInput).success ? fromInput : leafSample(schema, ids, key);
    }
    case "union":
      return sampleOf((def.options ?? [])[(def.options?.length ?? 1) - 1] as z.ZodType, ids, key);
    case "enum":
      return Object.values(def.entries ?? {})[0];
    case "literal":
      return def.values?.[0];
    case "array": {
      const one = [sampleOf(def.element as z.ZodType, ids, key.replace(/Ids$/, "Id"))];
      return schema.safeParse([]).success ? [] : one;
    }
    default:
      return leafSample(schema, ids, key);
  }
}

function leafSample(schema: z.ZodType, ids: Record<string, string>, key: string): unknown {
  const byName = ids[key];
  const candidates = byName === undefined ? leafCandidates : [byName, ...leafCandidates];
  return candidates.find((candidate) => schema.safeParse(candidate).success) ?? "";
}

/** The leaf paths of an object schema (nested objects included, arrays as a whole). */
export function fieldPaths(schema: z.ZodType, prefix: string[] = []): string[][] {
  const def = defOf(schema);
  if (def.type === "optional" || def.type === "nullable" || def.type === "default")
    return fieldPaths(def.innerType as z.ZodType, prefix);
  if (def.type !== "object") return prefix.length > 0 ? [prefix] : [];
  return Object.entries(def.shape ?? {}).flatMap(([name, field]) => fieldPaths(field, [...prefix, name]));
}

/** A copy of `value` with `path` set to `replacement`. */
export function withField(value: unknown, path: string[], replacement: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replacement;
  const record = value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
  return { ...record, [head]: withField(record[head], rest, replacement) };
}
