import { describe, expect, it } from "vitest";
import type { z } from "zod";
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
