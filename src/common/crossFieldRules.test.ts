import { describe, expect, it } from "vitest";
import type { z } from "zod";
import "./zod-fr";
import { actionBodySchema } from "./actions/actions.schema";
import { memberBodySchema } from "./actions/workingGroup.schema";
import { consentBodySchema } from "./consent/consent.schema";
import { conventionBodySchema, conventionPartyInputSchema } from "./conventions/conventions.schema";
import { plannedDayBounds } from "./dates";
import { directoryContactBodySchema, directoryEntryBodySchema } from "./directory/directory.schema";
import { newOrientationSchema } from "./orientations/orientations.schema";

/**
 * The schemas whose cross-field rule is said along with the fields' problems (`when`): whatever
 * the input (an array, a scalar, an object whose fields are of any wrong kind), parsing answers
 * with problems and never throws.
 */
const schemas: Record<string, z.ZodType> = {
  memberBodySchema,
  consentBodySchema,
  conventionBodySchema,
  conventionPartyInputSchema,
  directoryEntryBodySchema,
  directoryContactBodySchema,
  newOrientationSchema,
};
const wrongValues: unknown[] = [null, 7, "texte", true, [], [1, 2], {}];
const fieldsOf = (schema: z.ZodType): string[] => {
  const def = (schema as unknown as { _zod: { def: { type: string; in?: z.ZodType; shape?: object } } })._zod
    .def;
  if (def.type === "pipe") return fieldsOf(def.in as z.ZodType);
  return Object.keys(def.shape ?? {});
};

describe("cross-field rules never read a field that did not parse", () => {
  for (const [name, schema] of Object.entries(schemas)) {
    it(name, () => {
      const fields = fieldsOf(schema);
      expect(fields.length).toBeGreaterThan(0);
      const inputs: unknown[] = [...wrongValues];
      for (const wrong of wrongValues) {
        inputs.push(Object.fromEntries(fields.map((field) => [field, wrong])));
        for (const field of fields) inputs.push({ [field]: wrong });
      }
      const thrown = inputs.flatMap((input) => {
        try {
          schema.safeParse(input);
          return [];
        } catch (error) {
          return [`${JSON.stringify(input)} → ${String(error)}`];
        }
      });
      expect(thrown).toEqual([]);
    });
  }
});

describe("a collective action's times", () => {
  it("an invalid start is said under the start only, not as an end before it", () => {
    const result = actionBodySchema.safeParse({
      kind: "atelier",
      title: "Atelier numérique",
      day: plannedDayBounds().max,
      startTime: "25:00",
      endTime: "12:00",
      address: "Mairie de Meaux",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["startTime"]);
  });
});
