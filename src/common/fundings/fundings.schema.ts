/**
 * Fundings received by the structure (ADR 0039): the préfecture's subvention for recruiting a
 * médiateur France services, a mairie cofunding a stage, the FIPD. A funder of the directory, an
 * amount in whole euros, a purpose, a budget year and an optional period; attached to a convention,
 * a collective action, or neither.
 */
import { z } from "zod";
import { uuid } from "../contract";
import { optionalDate } from "../conventions/conventions.schema";
import { formatShortDate } from "../dateFormat";
import { directoryKindSchema } from "../directory/directory.schema";
import { choice, queryWholeNumber, requiredText, whenFieldsValid, wholeNumber } from "../fields";

export { formatEuros, typedEuros } from "../money";

export const FUNDING_YEARS = { min: 2000, max: 2100 } as const;
export const MAX_FUNDING_EUROS = 100_000_000;

export const fundingIdParamsSchema = z.object({ fundingId: uuid });

const year = wholeNumber({
  notNumber: "Saisissez l'année budgétaire, par exemple 2026.",
  notWhole: "Saisissez une année, par exemple 2026.",
  min: FUNDING_YEARS.min,
  tooSmall: `Saisissez une année à partir de ${FUNDING_YEARS.min}.`,
  max: FUNDING_YEARS.max,
  tooBig: `Saisissez une année jusqu'à ${FUNDING_YEARS.max}.`,
});

/**
 * A funding's period, when given, overlaps its budget year (ADR 0039): a 2025 funding whose period
 * lies wholly in 2027 is a mistyped year or period. A period over two years stays allowed (a
 * subvention spread over two budget years is recorded once per year, each with the whole period).
 * The issue goes under the end of the period that misses the year; an open period is read as open.
 */
export function periodOutsideYear(f: {
  year: number;
  startsOn: string;
  endsOn: string;
}): { path: "startsOn" | "endsOn"; message: string } | null {
  const first = `${f.year}-01-01`;
  const last = `${f.year}-12-31`;
  // An end before the start is told as such (above), not as a period outside the year too.
  if (f.startsOn !== "" && f.endsOn !== "" && f.endsOn < f.startsOn) return null;
  if (f.startsOn !== "" && f.startsOn > last)
    return {
      path: "startsOn",
      message: `La période doit recouper l'année budgétaire ${f.year} : saisissez un début au plus tard le ${formatShortDate(last)}, ou corrigez l'année.`,
    };
  if (f.endsOn !== "" && f.endsOn < first)
    return {
      path: "endsOn",
      message: `La période doit recouper l'année budgétaire ${f.year} : saisissez une fin à partir du ${formatShortDate(first)}, ou corrigez l'année.`,
    };
  return null;
}

export const fundingBodySchema = z
  .object({
    funderEntryId: choice("Choisissez le financeur dans l'annuaire."),
    // An amount out of bounds is said once (1e300 is not also "sans centimes"): cents only within them.
    amountEuros: wholeNumber({
      notNumber: "Saisissez le montant en euros, par exemple 40 000.",
      min: 1,
      tooSmall: "Le montant doit être d'au moins 1 €.",
      max: MAX_FUNDING_EUROS,
      tooBig: "100 000 000 € au plus.",
      notWhole: "Saisissez un montant en euros entiers, sans centimes.",
    }),
    purpose: requiredText(
      300,
      "Saisissez l'objet du financement, par exemple « Recrutement d'un médiateur France services ».",
      3,
    ),
    year,
    startsOn: optionalDate,
    endsOn: optionalDate,
    conventionId: uuid.nullable().default(null),
    collectiveActionId: uuid.nullable().default(null),
  })
  .strict()
  .refine((f) => f.startsOn === "" || f.endsOn === "" || f.endsOn >= f.startsOn, {
    path: ["endsOn"],
    message: "La fin de la période doit être postérieure ou égale à son début.",
    when: whenFieldsValid("startsOn", "endsOn"),
  })
  .superRefine(
    (f, ctx) => {
      const outside = periodOutsideYear(f);
      if (outside) ctx.addIssue({ code: "custom", path: [outside.path], message: outside.message });
    },
    { when: whenFieldsValid("year", "startsOn", "endsOn") },
  )
  .refine((f) => f.conventionId === null || f.collectiveActionId === null, {
    path: ["collectiveActionId"],
    message: "Rattachez le financement à une convention ou à une action collective, pas aux deux.",
    when: whenFieldsValid("conventionId", "collectiveActionId"),
  });
export type FundingBody = z.infer<typeof fundingBodySchema>;
/** Created, a funding takes the id its form chose, kept until saved (ADR 0036). */
export const newFundingBodySchema = fundingBodySchema.safeExtend({
  id: z.string().uuid("Identifiant de financement invalide.").toLowerCase().optional(),
});
export type NewFundingBody = z.infer<typeof newFundingBodySchema>;

export const fundingViewSchema = z.object({
  id: z.string(),
  funder: z.object({ id: z.string(), name: z.string(), kind: directoryKindSchema }),
  amountEuros: z.number().int(),
  purpose: z.string(),
  year: z.number().int(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  convention: z.object({ id: z.string(), title: z.string() }).nullable(),
  /** `cancelled`: the action was cancelled since; the funding stays counted as received (ADR 0039). */
  collectiveAction: z
    .object({ id: z.string(), title: z.string(), startsAt: z.string(), cancelled: z.boolean() })
    .nullable(),
});
export type FundingView = z.infer<typeof fundingViewSchema>;

export const fundingListQuerySchema = z
  .object({
    year: queryWholeNumber({
      notNumber: "Année invalide.",
      min: FUNDING_YEARS.min,
      tooSmall: "Année invalide.",
      max: FUNDING_YEARS.max,
      tooBig: "Année invalide.",
      notWhole: "Année invalide.",
    }).optional(),
    conventionId: uuid.optional(),
    collectiveActionId: uuid.optional(),
  })
  .strict();
export type FundingListQuery = z.infer<typeof fundingListQuerySchema>;

/** Received per year: every year with a funding, the latest first (whatever the filters). */
export const fundingYearSchema = z.object({
  year: z.number().int(),
  totalEuros: z.number().int(),
  count: z.number().int(),
});
export type FundingYear = z.infer<typeof fundingYearSchema>;

export const fundingListSchema = z.object({
  fundings: z.array(fundingViewSchema),
  years: z.array(fundingYearSchema),
  permissions: z.object({ edit: z.boolean() }),
});
export type FundingList = z.infer<typeof fundingListSchema>;

export const fundingDetailSchema = z.object({ funding: fundingViewSchema });

/** What the form offers: funders (the directory), conventions not ended, collective actions. */
export const fundingFormOptionsSchema = z.object({
  funders: z.array(z.object({ id: z.string(), name: z.string(), kind: directoryKindSchema })),
  conventions: z.array(z.object({ id: z.string(), title: z.string() })),
  collectiveActions: z.array(z.object({ id: z.string(), title: z.string(), startsAt: z.string() })),
});
export type FundingFormOptions = z.infer<typeof fundingFormOptionsSchema>;
