import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { DUPLICATE_MESSAGE } from "../../common/fields";
import { allRoutes } from "../../common/routes";

/**
 * ADR 0010, "strict input": a JSON body takes the types it declares. Coercion (`z.coerce`, which
 * reads `[45]`, `"45"` or `true` as a number) belongs to query strings, which are text; a body
 * schema holding one would store `[45]` as 45.
 */
const isSchema = (value: unknown): value is z.ZodType =>
  typeof value === "object" && value !== null && "_zod" in value;

/** The paths of a schema where a value is coerced. */
function coercedPaths(schema: z.ZodType, path: string, seen = new Set<unknown>()): string[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string; coerce?: boolean };
  const children: [string, unknown][] =
    def.type === "object"
      ? Object.entries(def.shape as Record<string, unknown>).map(([key, child]) => [`${path}.${key}`, child])
      : Object.entries(def).flatMap(([, child]) =>
          Array.isArray(child) ? child.map((item): [string, unknown] => [path, item]) : [[path, child]],
        );
  return [
    ...(def.coerce ? [path] : []),
    ...children.flatMap(([at, child]) => (isSchema(child) ? coercedPaths(child, at, seen) : [])),
  ];
}

describe("JSON bodies never coerce", () => {
  it("the walk finds a coercion where there is one", async () => {
    const { z } = await import("zod");
    const sample = z.object({ a: z.array(z.object({ b: z.coerce.number().optional() })) });
    expect(coercedPaths(sample, "body")).toEqual(["body.a.b"]);
  });

  it("no route's body schema coerces a value", () => {
    const found = Object.entries(allRoutes).flatMap(([key, route]) =>
      route.method === "GET" ? [] : coercedPaths(route.body, "body").map((path) => `${key}: ${path}`),
    );
    expect(found).toEqual([]);
  });
});

/** A valid item of a list chosen in a catalogue (an enum's first code, an id), or undefined. */
function catalogueItem(field: z.ZodType): unknown {
  let inner = field;
  const wrappers = ["optional", "nullable", "default", "prefault"];
  while (wrappers.includes(inner._zod.def.type))
    inner = (inner._zod.def as unknown as { innerType: z.ZodType }).innerType;
  if (inner._zod.def.type !== "array") return undefined;
  const element = (inner._zod.def as unknown as { element: z.ZodType }).element;
  const def = element._zod.def as unknown as { type: string; entries?: object; format?: string };
  if (def.type === "enum") return Object.values(def.entries ?? {})[0];
  if (def.type === "string" && def.format === "uuid") return "00000000-0000-4000-8000-000000000001";
  return undefined;
}

/** Every field of a body (at any depth) holding a list of codes or ids: its path and schema. */
function catalogueLists(schema: z.ZodType, path: string, seen = new Set<unknown>()): [string, z.ZodType][] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const children: [string, unknown][] =
    def.type === "object"
      ? Object.entries(def.shape as Record<string, unknown>).map(([key, child]) => [`${path}.${key}`, child])
      : Object.entries(def).flatMap(([, child]) =>
          Array.isArray(child) ? child.map((item): [string, unknown] => [path, item]) : [[path, child]],
        );
  // The field as the body declares it (its wrappers hold the list's checks), not the list inside.
  if (catalogueItem(schema) !== undefined) return [[path, schema]];
  return children.flatMap(([at, child]) => (isSchema(child) ? catalogueLists(child, at, seen) : []));
}

describe("lists chosen in a catalogue hold each value once", () => {
  it("every body list of codes or ids refuses a value twice, in French", () => {
    const lists = Object.entries(allRoutes).flatMap(([key, route]) =>
      route.method === "GET"
        ? []
        : catalogueLists(route.body, "body").map(([path, field]): [string, z.ZodType] => [
            `${key}: ${path}`,
            field,
          ]),
    );
    expect(lists.map(([name]) => name)).toContain("agenda.book: body.needDomains");
    const accepting = lists.filter(([, field]) => {
      const item = catalogueItem(field);
      const result = field.safeParse([item, item]);
      return result.success || !result.error.issues.some((issue) => issue.message === DUPLICATE_MESSAGE);
    });
    expect(accepting.map(([name]) => name)).toEqual([]);
  });
});
