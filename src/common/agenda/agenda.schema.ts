import { z } from "zod";
import { minutesOf } from "../calendar";
import { uuid } from "../contract";
import { isoDate, isoDateTime, timeOfDay } from "../dates";
import { choice, eachOnce, optionalText, queryWholeNumber, wholeNumber } from "../fields";

export const convocationStatuses = ["planned", "honoured", "missed", "excused", "cancelled"] as const;
export const convocationStatusSchema = z.enum(convocationStatuses);
export type ConvocationStatus = z.infer<typeof convocationStatusSchema>;
export const convocationStatusLabels: Record<ConvocationStatus, string> = {
  planned: "Prévue",
  honoured: "Honorée",
  missed: "Absence non excusée",
  excused: "Annulée par la personne",
  cancelled: "Annulée par le service",
};

/** Needs domains (data·inclusion categories, DESIGN §4): the reasons of a convocation. */
export const needDomains = [
  "acces-aux-droits",
  "logement-hebergement",
  "sante",
  "emploi",
  "se-former",
  "budget",
  "numerique",
  "mobilite",
  "famille",
  "langue",
  "equipement-et-alimentation",
  "remobilisation",
] as const;
export const needDomainSchema = z.enum(needDomains);
export type NeedDomain = z.infer<typeof needDomainSchema>;
export const needDomainLabels: Record<NeedDomain, string> = {
  "acces-aux-droits": "Accès aux droits, papiers d'identité",
  "logement-hebergement": "Logement, hébergement",
  sante: "Santé",
  emploi: "Emploi",
  "se-former": "Se former",
  budget: "Budget, difficultés financières",
  numerique: "Numérique",
  mobilite: "Mobilité",
  famille: "Famille",
  langue: "Langue (lecture, écriture, calcul)",
  "equipement-et-alimentation": "Équipement et alimentation",
  remobilisation: "Remobilisation",
};

/** Need domains in a sentence: « ; » between them, as their labels hold commas. */
export const needDomainList = (domains: readonly NeedDomain[]): string =>
  domains.map((d) => needDomainLabels[d]).join(" ; ");

export const slotsQuerySchema = z.object({
  siteId: uuid.optional(),
  from: isoDate.optional(),
  days: queryWholeNumber({ min: 1, max: 92 }).default(14),
  /** Only the sites where this person may be convoked (a detainee: their establishment only). */
  personId: uuid.optional(),
});

export const slotViewSchema = z.object({
  siteId: z.string(),
  siteName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  free: z.number().int(),
});
export type SlotView = z.infer<typeof slotViewSchema>;
export const slotsSchema = z.object({
  slots: z.array(slotViewSchema),
  weeklyOpeningMinutes: z.number().int(),
  /**
   * With `personId`: the sites where the person may be convoked, and the establishment they are held
   * in today (null when not detained: prisons and SAS are then left out).
   */
  forPerson: z
    .object({
      siteIds: z.array(z.string()),
      establishment: z.object({ id: z.string(), name: z.string() }).nullable(),
      /** Held today: the first day out (recorded or expected release), or null (no date known). */
      releaseDay: z.string().nullable(),
    })
    .nullable(),
});
export type ConvocationList = z.infer<typeof convocationListSchema>;

/** The start of the slot chosen in the slot picker. */
const chosenSlot = z.string({ message: "Choisissez un créneau." }).pipe(isoDateTime);

export const bookBodySchema = z.object({
  personId: uuid,
  siteId: choice("Choisissez un créneau."),
  startsAt: chosenSlot,
  needDomains: eachOnce(z.array(needDomainSchema).min(1, "Indiquez au moins un motif.").max(12)),
  demarcheTypeIds: eachOnce(z.array(uuid).max(20).default([])),
  comment: optionalText(500).default(""),
  /** The CPIP must choose explicitly whether the person is notified. */
  notifySms: z.boolean({ message: "Choisissez d'envoyer ou non un SMS." }),
  notifyEmail: z.boolean({ message: "Choisissez d'envoyer ou non un courriel." }),
  /** Set once the agent has seen the person's convocation in the same half-day (ADR 0003, addendum « same half-day »). */
  confirmSameHalfDay: z.boolean().default(false),
});
export type BookBody = z.infer<typeof bookBodySchema>;

/** The booking form's choices that make its messages: what the person would receive (no write). */
export const messagesPreviewBodySchema = bookBodySchema.pick({
  personId: true,
  siteId: true,
  startsAt: true,
  demarcheTypeIds: true,
  notifySms: true,
  notifyEmail: true,
});
export type MessagesPreviewBody = z.infer<typeof messagesPreviewBodySchema>;

export const messagesPreviewSchema = z.object({
  /** Held on the convocation's day, or convoked inside a prison or SAS: no SMS nor e-mail, ever. */
  throughEstablishment: z.boolean(),
  /** The convocation message on each chosen channel that reaches the person, as it will be sent. */
  messages: z.array(
    z.object({
      channel: z.enum(["sms", "email"]),
      recipient: z.string(),
      /** Empty for an SMS. */
      subject: z.string(),
      body: z.string(),
      /** The person refused SMS: nothing leaves on this channel. */
      optedOut: z.boolean(),
      /** The SMS ends with an example stop link: the person's own is made with their first SMS. */
      exampleStopLink: z.boolean(),
    }),
  ),
});
export type MessagesPreview = z.infer<typeof messagesPreviewSchema>;

export const convocationViewSchema = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: convocationStatusSchema,
  needDomains: z.array(needDomainSchema),
  /** The catalogue's démarches the CPIP asked to prepare (also on the letter), by label. */
  demarchesToPrepare: z.array(z.string()),
  /** The CPIP's word for the counselor, written at booking (no offence, no health data). */
  comment: z.string(),
  notifySms: z.boolean(),
  notifyEmail: z.boolean(),
  /**
   * Whether the person hears of this convocation's changes (report, cancellation) by SMS or
   * e-mail: never a person with a detention (ADR 0028), who is told through the establishment.
   */
  messages: z.boolean(),
  /**
   * When `messages` is false, why (the cancellation dialog says it): held on the convocation's day
   * ("detained"), or no SMS nor e-mail asked for it ("noChannel").
   */
  silentBecause: z.enum(["detained", "noChannel"]).nullable(),
  bookedByName: z.string(),
  toFillIn: z.boolean(),
  rescheduledFromId: z.string().nullable(),
  /** The convocation booked in its place when it was reported (ADR 0036): its new date. */
  replacement: z.object({ id: z.string(), startsAt: z.string() }).nullable(),
  /** The counselor recorded what happened at this (honoured) convocation. */
  hasVisit: z.boolean(),
  /** When the counselor saw the person arrive (check-in, not a status). */
  arrivedAt: z.string().nullable(),
  statusChangedAt: z.string().nullable(),
  permissions: z.object({
    setStatus: z.boolean(),
    reschedule: z.boolean(),
    recordVisit: z.boolean(),
    /** A set status may be corrected (within 7 days, not a cancellation by the service). */
    correctStatus: z.boolean(),
    /** The arrival may be noted (planned, on the appointment's day). */
    arrive: z.boolean(),
  }),
});
export type ConvocationView = z.infer<typeof convocationViewSchema>;
export const convocationListSchema = z.object({
  convocations: z.array(convocationViewSchema),
  /**
   * A counselor's agenda lists the convocations of the sites where she holds a permanence only
   * (ADR 0014 addendum of 2026-12-06): for each day of the period asked, those sites (none: no
   * permanence that day). Null when the list is not a counselor's agenda (the direction, a CPIP
   * only, one person's list, the list to fill in).
   */
  permanenceDays: z
    .array(z.object({ day: isoDate, sites: z.array(z.object({ id: uuid, name: z.string() })) }))
    .nullable(),
});

/**
 * The longest period of one list of convocations, in days (first and last included). Without
 * `from` and `to`, a list that names no person and is not the one to fill in covers the days from
 * today to as many days on (the server fills the missing bound).
 */
export const CONVOCATION_WINDOW_DAYS = 93;
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
export const convocationsQuerySchema = z
  .object({
    personId: uuid.optional(),
    siteId: uuid.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    toFillIn: z.enum(["true", "false"]).optional(),
  })
  .superRefine((query, ctx) => {
    if (query.from === undefined || query.to === undefined) return;
    const days = daysBetween(query.from, query.to);
    if (days < 0)
      ctx.addIssue({ code: "custom", path: ["to"], message: "La fin de la période précède son début." });
    else if (days >= CONVOCATION_WINDOW_DAYS)
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `Choisissez une période de ${CONVOCATION_WINDOW_DAYS} jours au plus.`,
      });
  });

export const convocationIdParamsSchema = z.object({ convocationId: uuid });
export const rescheduleBodySchema = z.object({
  siteId: choice("Choisissez un créneau."),
  startsAt: chosenSlot,
  notifySms: z.boolean({ message: "Choisissez d'envoyer ou non un SMS." }),
  notifyEmail: z.boolean({ message: "Choisissez d'envoyer ou non un courriel." }),
  /** As for a booking: the person's other convocation in that half-day was seen (ADR 0003, addendum « same half-day »). */
  confirmSameHalfDay: z.boolean().default(false),
});
export const setStatusBodySchema = z.object({
  status: z.enum(["honoured", "missed", "excused", "cancelled"]),
});

/** The reason given for undoing a status right after setting it ("Annuler" on the notice). */
export const UNDO_REASON = "annulé immédiatement";
export const correctableStatuses = ["planned", "honoured", "missed", "excused"] as const;
export const correctStatusBodySchema = z.strictObject({
  status: z.enum(correctableStatuses, { message: "Choisissez le bon statut." }),
  reason: z
    .string({ message: "Indiquez la raison de la correction." })
    .trim()
    .min(3, "Indiquez la raison de la correction (3 caractères au moins).")
    .max(300, "300 caractères au plus."),
});
export type CorrectStatusBody = z.infer<typeof correctStatusBodySchema>;
export const arrivalBodySchema = z.strictObject({
  arrived: z.boolean({ message: "Indiquez si la personne est arrivée." }),
});

/** At least one appointment fits between the start and the end of a permanence. */
const slotFits: [
  (r: { startTime: string; endTime: string; slotMinutes: number }) => boolean,
  { message: string; path: string[] },
] = [
  (r) => r.startTime >= r.endTime || minutesOf(r.endTime) - minutesOf(r.startTime) >= r.slotMinutes,
  { message: "La plage est plus courte qu'un rendez-vous : aucun créneau n'y tiendrait.", path: ["endTime"] },
];

/**
 * Only the fields the form shows for the kind chosen: a weekly permanence's first (and last) day; a
 * one-off opening's date, which is also its validity (the server records it as both ends, whatever
 * was sent for them). An empty date of a one-off opening is not told three times ("À partir du" is hidden).
 */
function checkValidity(
  r: { weekday: number | null; onDate: string | null; validFrom: string; validTo: string | null },
  ctx: z.RefinementCtx,
): void {
  // A one-off opening's validity is its date (the server takes it so, whatever was sent).
  if (r.weekday === null) return;
  for (const key of ["validFrom", "validTo"] as const) {
    const value = r[key];
    if (value === null) continue;
    const checked = isoDate.safeParse(value);
    if (!checked.success)
      ctx.addIssue({
        code: "custom",
        message: checked.error.issues[0]?.message ?? "Date invalide.",
        path: [key],
      });
  }
}

/** A permanence's slot length and the pause after each slot, in whole minutes: one message per mistake. */
const slotMinutes = wholeNumber({
  min: 10,
  tooSmall: "Un créneau dure au moins 10 minutes.",
  max: 240,
  tooBig: "Un créneau dure 240 minutes au plus.",
  notWhole: "Saisissez un nombre entier de minutes.",
});
const bufferMinutes = wholeNumber({
  min: 0,
  tooSmall: "Saisissez 0 minute ou plus.",
  max: 120,
  tooBig: "120 minutes au plus.",
  notWhole: "Saisissez un nombre entier de minutes.",
});

export const openingRuleBodySchema = z
  .object({
    siteId: choice("Choisissez le lieu."),
    weekday: wholeNumber({ min: 1, max: 7 }).nullable(),
    onDate: isoDate.nullable(),
    startTime: timeOfDay,
    endTime: timeOfDay,
    slotMinutes,
    bufferMinutes,
    // Checked below, by kind: a weekly permanence's validity; a one-off opening's is its date.
    validFrom: z.string().max(10),
    validTo: z.string().max(10).nullable(),
    counselorIds: eachOnce(z.array(uuid).min(1, "Choisissez au moins un conseiller.").max(20)),
  })
  .superRefine(checkValidity)
  .refine((r) => (r.weekday === null) !== (r.onDate === null), {
    message: "Choisissez un jour de la semaine ou une date ponctuelle.",
    path: ["weekday"],
  })
  .refine((r) => r.startTime < r.endTime, { message: "La fin doit suivre le début.", path: ["endTime"] })
  .refine(...slotFits)
  .refine((r) => r.validTo === null || r.validFrom <= r.validTo, {
    message: "La fin de validité doit suivre son début.",
    path: ["validTo"],
  });
export type OpeningRuleBody = z.infer<typeof openingRuleBodySchema>;

/**
 * The form's check: the server's schema, and the server's refusal of a start in the past
 * (`convocation.ruleStartsInPast`, same message) checked with the others, all in one pass.
 */
export function openingRuleFormSchema(today: string) {
  return openingRuleBodySchema.superRefine((r, ctx) => {
    const field = r.onDate !== null ? "onDate" : "validFrom";
    const day = r.onDate ?? r.validFrom;
    if (day !== "" && day < today)
      ctx.addIssue({ code: "custom", path: [field], message: "Choisissez aujourd'hui ou une date à venir." });
  });
}

export const openingRuleViewSchema = z.object({
  id: z.string(),
  siteId: z.string(),
  siteName: z.string(),
  weekday: z.number().nullable(),
  onDate: z.string().nullable(),
  startTime: z.string(),
  endTime: z.string(),
  slotMinutes: z.number(),
  bufferMinutes: z.number(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  counselors: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type OpeningRuleView = z.infer<typeof openingRuleViewSchema>;

export const periodViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.string(),
  /** Started before today (Paris): lifting it ends it tonight instead of removing it (ADR 0016). */
  started: z.boolean(),
});
/** How far back the page lists closures and absences already over, so they can be removed. */
export const PAST_PERIODS_DAYS = 92;

export const openingsSchema = z.object({
  rules: z.array(openingRuleViewSchema),
  closures: z.array(periodViewSchema),
  absences: z.array(periodViewSchema),
  /** Closures and absences over, ended in the last three months (`PAST_PERIODS_DAYS`), latest first. */
  pastClosures: z.array(periodViewSchema),
  pastAbsences: z.array(periodViewSchema),
  /**
   * The structure's counselors, with the day of their France services training (null: none
   * recorded, so none may join a pool: ADR 0038).
   */
  counselors: z.array(z.object({ id: z.string(), name: z.string(), trainedOn: z.string().nullable() })),
  weeklyOpeningMinutes: z.number().int(),
});
export type Openings = z.infer<typeof openingsSchema>;

export const ruleParamsSchema = z.object({ structureId: uuid, ruleId: uuid });
export const closureParamsSchema = z.object({ structureId: uuid, closureId: uuid });
export const absenceParamsSchema = z.object({ structureId: uuid, absenceId: uuid });
/**
 * `past=true`: a period already over is removed whole (entered by mistake after the fact), its days
 * gone by included; without it, a lift never changes past days (ADR 0016 addendum of 2026-12-05).
 */
export const liftQuerySchema = z.object({ past: z.enum(["true"]).optional() });
export const endRuleBodySchema = z.object({ lastDay: isoDate });

/** A weekly rule changed from a day on: the old one ends the day before, the new one starts that day. */
export const changeRuleBodySchema = z
  .strictObject({
    effectiveFrom: isoDate,
    weekday: wholeNumber({ min: 1, tooSmall: "Choisissez un jour de la semaine.", max: 7 }),
    startTime: timeOfDay,
    endTime: timeOfDay,
    slotMinutes,
    bufferMinutes,
    validTo: isoDate.nullable(),
    counselorIds: eachOnce(z.array(uuid).min(1, "Choisissez au moins un conseiller.").max(20)),
  })
  .refine((r) => r.startTime < r.endTime, { message: "La fin doit suivre le début.", path: ["endTime"] })
  .refine(...slotFits)
  .refine((r) => r.validTo === null || r.effectiveFrom <= r.validTo, {
    message: "La fin de validité doit suivre la date d'effet.",
    path: ["validTo"],
  });
export type ChangeRuleBody = z.infer<typeof changeRuleBodySchema>;

/** Whether `startsAt` comes before `endsAt` as instants: the texts differ in precision ("…00Z",
 * "…00.500Z"), so they are not compared as strings. */
const startsBefore = (startsAt: string, endsAt: string): boolean => Date.parse(startsAt) < Date.parse(endsAt);

const periodBody = {
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  reason: optionalText(200).default(""),
};
const YEAR_MS = 366 * 86_400_000;
/** A closure or an absence: the end after the start, a year at most (longer: archive the site). */
function periodRules(p: { startsAt: string; endsAt: string }, ctx: z.RefinementCtx): void {
  const issue = (message: string) => ctx.addIssue({ code: "custom", message, path: ["endsAt"] });
  if (!startsBefore(p.startsAt, p.endsAt)) issue("La fin doit suivre le début.");
  else if (Date.parse(p.endsAt) - Date.parse(p.startsAt) > YEAR_MS)
    issue("Une période dure un an au plus : déclarez la suite ensuite.");
}
// A closure or an absence takes the id its form chose, kept until saved (ADR 0036).
export const closureBodySchema = z
  .object({
    id: z.string().uuid("Identifiant de fermeture invalide.").toLowerCase().optional(),
    siteId: choice("Choisissez le lieu."),
    ...periodBody,
  })
  .superRefine(periodRules);
export const absenceBodySchema = z
  .object({
    id: z.string().uuid("Identifiant d'absence invalide.").toLowerCase().optional(),
    userId: choice("Choisissez le conseiller."),
    ...periodBody,
  })
  .superRefine(periodRules);
/** A closure or an absence recorded, or the same one found already recorded. */
export const periodRecordedSchema = z.object({ ok: z.literal(true), id: z.string() });

/**
 * What a change of the openings would strand, asked before it is confirmed (ADR 0016 addendum): a
 * permanence and its last day, or a site (closure) or a counselor (absence) and a period.
 */
export const strandedQuerySchema = z
  .object({
    ruleId: uuid.optional(),
    lastDay: isoDate.optional(),
    siteId: uuid.optional(),
    userId: uuid.optional(),
    startsAt: isoDateTime.optional(),
    endsAt: isoDateTime.optional(),
  })
  .refine(
    (q) =>
      q.ruleId
        ? q.lastDay && !q.siteId && !q.userId
        : !q.lastDay &&
          !!q.siteId !== !!q.userId &&
          q.startsAt &&
          q.endsAt &&
          startsBefore(q.startsAt, q.endsAt),
    {
      message:
        "Indiquez une permanence et son dernier jour, ou un lieu ou un conseiller et une période (la fin après le début).",
    },
  );
export type StrandedQuery = z.infer<typeof strandedQuerySchema>;

export const strandedPreviewSchema = z.object({
  convocations: z.array(
    z.object({
      id: z.string(),
      personId: z.string(),
      personName: z.string(),
      startsAt: z.string(),
      siteName: z.string(),
      counselorName: z.string().nullable(),
    }),
  ),
  /** For a closure: the planned collective actions of the site it would fall on (moved or cancelled first). */
  actions: z.array(
    z.object({ id: z.string(), title: z.string(), startsAt: z.string(), siteName: z.string() }),
  ),
});
