import { z } from "zod";
import "../../common/zod-fr";

/** Zod's own French message for these keys ("Clé non reconnue : \"id\""), as a strict object gives. */
export function unrecognizedMessage(keys: string[]): string {
  const result = z.strictObject({}).safeParse(Object.fromEntries(keys.map((key) => [key, null])));
  return result.error?.issues[0]?.message ?? "Clé non reconnue";
}

/** One issue per unknown key, under its own path (`body.isAdmin`): a form says it at that field, if it has one. */
export function unrecognizedKeyIssues(path: string, keys: readonly string[]): Issue[] {
  return keys.map((key) => ({ path: `${path}.${key}`, message: unrecognizedMessage([key]) }));
}

/**
 * A Zod error's issues under `where` ("body", "query"): each at its path, an `unrecognized_keys`
 * issue of a strict object split into one issue per key, under that key.
 */
export function issuesAt(where: string, issues: readonly z.core.$ZodIssue[]): Issue[] {
  return issues.flatMap((issue) => {
    const path = [where, ...issue.path].join(".");
    return issue.code === "unrecognized_keys"
      ? unrecognizedKeyIssues(path, issue.keys)
      : [{ path, message: issue.message }];
  });
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

type Issue = { path: string; message: string };
type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: unknown): Def => (schema as z.ZodType)._zod.def as unknown as Def;

/**
 * The keys of a JSON body its schema does not declare, at any depth (ADR 0010, "strict input"): a
 * `z.object` of a body is read as strict, so an unknown field (`"id"`, `"isAdmin"`) is a 400 naming
 * it under its own path (`body.isAdmin`) rather than dropped in silence. A `z.strictObject` reports its own keys (nothing added here); a
 * `z.looseObject` says extra keys are expected (a provider's webhook). In a union, the keys are
 * those of the first option the value fits.
 */
export function unknownKeyIssues(schema: z.ZodType, value: unknown, path: string): Issue[] {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      return unknownKeyIssues(def.innerType as z.ZodType, value, path);
    case "pipe":
      return unknownKeyIssues(def.in as z.ZodType, value, path);
    case "array":
      return Array.isArray(value)
        ? value.flatMap((item, i) => unknownKeyIssues(def.element as z.ZodType, item, `${path}.${i}`))
        : [];
    case "record":
      return isPlainObject(value)
        ? Object.entries(value).flatMap(([key, item]) =>
            unknownKeyIssues(def.valueType as z.ZodType, item, `${path}.${key}`),
          )
        : [];
    case "union": {
      const fitting = (def.options as z.ZodType[]).find((option) => option.safeParse(value).success);
      return fitting ? unknownKeyIssues(fitting, value, path) : [];
    }
    case "intersection":
      return [
        ...unknownKeyIssues(def.left as z.ZodType, value, path),
        ...unknownKeyIssues(def.right as z.ZodType, value, path),
      ];
    case "object":
      return objectIssues(def, value, path);
    default:
      return [];
  }
}

function objectIssues(def: Def, value: unknown, path: string): Issue[] {
  if (!isPlainObject(value)) return [];
  const shape = def.shape as Record<string, z.ZodType>;
  // A strict object reports its unknown keys itself; a loose one takes them.
  const declaresExtras = def.catchall !== undefined;
  const extra = declaresExtras ? [] : Object.keys(value).filter((key) => !Object.hasOwn(shape, key));
  return [
    ...unrecognizedKeyIssues(path, extra),
    ...Object.entries(shape).flatMap(([key, field]) =>
      Object.hasOwn(value, key) ? unknownKeyIssues(field, value[key], `${path}.${key}`) : [],
    ),
  ];
}
