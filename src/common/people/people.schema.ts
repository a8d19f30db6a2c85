import { z } from "zod";
import { isoDate, uuid } from "../contract";
import { measureTypeSchema, personStatusSchema } from "../roles";

export const personIdParamsSchema = z.object({ personId: uuid });

export const peopleQuerySchema = z.object({
  search: z.string().trim().max(100).optional(),
  mine: z.enum(["true", "false"]).optional(),
});

/** A line of a people list: no judicial field, whoever asks. */
export const personSummarySchema = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: isoDate,
  status: personStatusSchema,
  measureType: measureTypeSchema.nullable(),
  measureEndDate: isoDate.nullable(),
  referentName: z.string().nullable(),
  isMine: z.boolean(),
});
export type PersonSummary = z.infer<typeof personSummarySchema>;
export const peopleListSchema = z.object({ people: z.array(personSummarySchema) });

const identityFields = {
  id: z.string(),
  structureId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: isoDate,
  birthPlace: z.string(),
  phone: z.string(),
  email: z.string(),
  address: z.string(),
  status: personStatusSchema,
  referent: z.object({ userId: z.string(), displayName: z.string(), since: z.string() }).nullable(),
};

/** What a counselor sees of a measure: its type and end date only (DESIGN §2). */
export const restrictedMeasureSchema = z.object({ type: measureTypeSchema, endDate: isoDate });

/** What SPIP roles (referent CPIP, their service, the direction) see of a measure. */
export const fullMeasureSchema = restrictedMeasureSchema.extend({
  startDate: isoDate,
  offence: z.string(),
  court: z.string(),
  judgmentDate: isoDate.nullable(),
});

export const personFileSchema = z.discriminatedUnion("view", [
  z.object({
    view: z.literal("full"),
    ...identityFields,
    measures: z.array(fullMeasureSchema),
    permissions: z.object({ edit: z.boolean() }),
  }),
  z.object({
    view: z.literal("restricted"),
    ...identityFields,
    measures: z.array(restrictedMeasureSchema),
    permissions: z.object({ edit: z.boolean() }),
  }),
]);
export type PersonFile = z.infer<typeof personFileSchema>;

/** Judicial fields that must never reach a counselor: the authorization matrix checks them. */
export const judicialFieldNames = ["offence", "court", "judgmentDate", "startDate"] as const;
