import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import "./zod-fr";
import { queryWholeNumber, wholeNumber } from "./fields";
import { allRoutes } from "./routes";

/**
 * A whole number typed wrong (1e300, 0,5, -3, 99999) gets ONE message under its field, never both
 * « nombre entier » and its bound: checked over every bounded whole number of every route's body
 * and query, found by walking the contracts' schemas.
 */
type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  values?: unknown[];
  checks?: { _zod: { def: { check: string; value?: number; inclusive?: boolean } } }[];
};
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** A step of a field's path: an object's key (with the object's literal fields, a union's tag), an array's first item. */
type Step = { key: string; literals: Record<string, unknown> } | { key: 0 };

interface Bounded {
  where: string;
  path: Step[];
  min: { value: number; inclusive: boolean } | null;
  max: { value: number; inclusive: boolean } | null;
}

/** The whole numbers with a bound inside `schema`, with their paths (an array's first item, a record's first key). */
function boundedWholeNumbers(schema: z.ZodType, where: string, path: Step[] = []): Bounded[] {
  const def = defOf(schema);
  switch (def.type) {
    case "object": {
      const shape = Object.entries(def.shape ?? {});
      const literals = Object.fromEntries(
        shape.flatMap(([name, field]) => {
          const fieldDef = defOf(field);
          return fieldDef.type === "literal" ? [[name, fieldDef.values?.[0]]] : [];
        }),
      );
      return shape.flatMap(([name, field]) =>
        boundedWholeNumbers(field, where, [...path, { key: name, literals }]),
      );
    }
    case "union":
      return (def.options ?? []).flatMap((option) => boundedWholeNumbers(option, where, path));
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "readonly":
    case "nonoptional":
      return boundedWholeNumbers(def.innerType as z.ZodType, where, path);
    case "pipe":
      return boundedWholeNumbers(def.in as z.ZodType, where, path);
    case "array":
      return boundedWholeNumbers(def.element as z.ZodType, where, [...path, { key: 0 }]);
    case "record": {
      const keys = defOf(def.keyType as z.ZodType).entries;
      const key = keys ? (Object.values(keys)[0] as string) : "x";
      return boundedWholeNumbers(def.valueType as z.ZodType, where, [...path, { key, literals: {} }]);
    }
    case "number": {
      const checks = (def.checks ?? []).map((check) => check._zod.def);
      const bound = (kind: string) => {
        const found = checks.find((check) => check.check === kind);
        return found ? { value: found.value as number, inclusive: found.inclusive === true } : null;
      };
      const whole = checks.some((check) => check.check === "number_format");
      const min = bound("greater_than");
      const max = bound("less_than");
      return whole && (min || max) ? [{ where, path, min, max }] : [];
    }
    default:
      return [];
  }
}

const parts = Object.entries(allRoutes).flatMap(([name, route]) => [
  { where: `${name} body`, schema: route.body as z.ZodType, query: false },
  { where: `${name} query`, schema: route.query as z.ZodType, query: true },
]);
const fields = parts.flatMap((part) =>
  boundedWholeNumbers(part.schema, part.where).map((field) => ({ ...field, ...part })),
);

function withPath(path: Step[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  return "literals" in head
    ? { ...head.literals, [head.key]: withPath(rest, value) }
    : [withPath(rest, value)];
}
const pathOf = (path: Step[]) => path.map((step) => step.key).join(".");

const isValid = (field: Bounded, n: number) =>
  Number.isInteger(n) &&
  (field.min === null || (field.min.inclusive ? n >= field.min.value : n > field.min.value)) &&
  (field.max === null || (field.max.inclusive ? n <= field.max.value : n < field.max.value));

/** What a person may type in such a field (read as a number by the form), around and far from its bounds. */
const typed = (field: Bounded) => {
  const near = [field.min?.value, field.max?.value].filter((v): v is number => v !== undefined);
  return fc.oneof(
    fc.constantFrom(1e300, -1e300, 0.5, -0.5, -3, 99_999, 2 ** 53, Number.MAX_VALUE, 1e-300, -0),
    fc.constantFrom(...near.flatMap((v) => [v, v - 1, v + 1, v - 0.5, v + 0.5, v * 10])),
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
};

describe("a bounded whole number typed wrong: one message under its field", () => {
  it("the walk finds the fields this rule is about", () => {
    const found = fields.map((field) => `${field.where} ${pathOf(field.path)}`);
    for (const expected of [
      "agenda.addRule body slotMinutes",
      "agenda.addRule body bufferMinutes",
      "agenda.changeRule body bufferMinutes",
      "detention.saveSettings body releasePlanDays",
      "actions.create body capacity",
      "fundings.create body amountEuros",
      "newsletter.update body blocks.0.weeks",
    ])
      expect(found, expected).toContain(expected);
  });

  it.each(fields.map((field) => [`${field.where} ${pathOf(field.path)}`, field] as const))(
    "%s",
    (_name, field) => {
      const at = pathOf(field.path);
      fc.assert(
        fc.property(typed(field), (n) => {
          const input = withPath(field.path, field.query ? String(n) : n);
          const result = field.schema.safeParse(input);
          const issues = (result.error?.issues ?? []).filter((issue) => issue.path.join(".") === at);
          expect(
            issues.map((issue) => issue.message),
            `${n}`,
          ).toHaveLength(isValid(field, n) ? 0 : 1);
        }),
        { seed: 14, numRuns: 200 },
      );
    },
  );
});

describe("wholeNumber", () => {
  const buffer = wholeNumber({
    min: 0,
    max: 120,
    tooSmall: "Saisissez 0 minute ou plus.",
    tooBig: "120 minutes au plus.",
    notWhole: "Saisissez un nombre entier de minutes.",
  });
  const messages = (schema: z.ZodType, value: unknown) =>
    (schema.safeParse(value).error?.issues ?? []).map((issue) => issue.message);

  it("says the bound beyond the bounds, « entier » only within them", () => {
    expect(messages(buffer, 1e300)).toEqual(["120 minutes au plus."]);
    expect(messages(buffer, 120.5)).toEqual(["120 minutes au plus."]);
    expect(messages(buffer, -3)).toEqual(["Saisissez 0 minute ou plus."]);
    expect(messages(buffer, -0.5)).toEqual(["Saisissez 0 minute ou plus."]);
    expect(messages(buffer, 0.5)).toEqual(["Saisissez un nombre entier de minutes."]);
    expect(messages(buffer, 15)).toEqual([]);
    // Without its own messages, the plain-French ones.
    const page = queryWholeNumber({ min: 1, max: 10_000 });
    expect(messages(page, "1e300")).toEqual([
      `Saisissez un nombre inférieur ou égal à ${(10_000).toLocaleString("fr-FR")}.`,
    ]);
    expect(messages(page, "2.5")).toEqual(["Saisissez un nombre entier."]);
  });
});
