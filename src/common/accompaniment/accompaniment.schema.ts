import { z } from "zod";
import { needDomainSchema } from "../agenda/agenda.schema";
import { parisDay } from "../calendar";
import { uuid } from "../contract";
import { dueDayFrom, isoDate, plannedDay } from "../dates";
import { choice, optionalText, radioChoice, requiredText, wholeNumber } from "../fields";
import { demarcheCategorySchema } from "../roles";

/** Démarche lifecycle (DESIGN §3): todo → in_progress → waiting_documents | submitted → outcome. */
export const demarcheStatuses = [
  "todo",
  "in_progress",
  "waiting_documents",
  "submitted",
  "granted",
  "rejected",
  "abandoned",
  "reoriented",
] as const;
export const demarcheStatusSchema = z.enum(demarcheStatuses);
export type DemarcheStatus = z.infer<typeof demarcheStatusSchema>;
export const demarcheStatusLabels: Record<DemarcheStatus, string> = {
  todo: "À faire",
  in_progress: "En cours",
  waiting_documents: "En attente de pièces",
  submitted: "Déposée",
  granted: "Accordée",
  rejected: "Refusée",
  abandoned: "Abandonnée",
  reoriented: "Réorientée",
};

/**
 * Where a démarche may go from each status (the server refuses any other change). A submitted file
 * may come back for more documents; granted, rejected, abandoned and reoriented are final (an appeal
 * is a new démarche).
 */
export const demarcheNextStatuses: Record<DemarcheStatus, readonly DemarcheStatus[]> = {
  todo: ["in_progress", "waiting_documents", "submitted", "abandoned", "reoriented"],
  in_progress: ["waiting_documents", "submitted", "granted", "abandoned", "reoriented"],
  waiting_documents: ["in_progress", "submitted", "abandoned", "reoriented"],
  submitted: ["waiting_documents", "granted", "rejected", "abandoned"],
  granted: [],
  rejected: [],
  abandoned: [],
  reoriented: [],
};

/** The statuses a form offers for a démarche now in `from`: itself, then where it may go, in catalogue order. */
export const statusChoices = (from: DemarcheStatus): DemarcheStatus[] =>
  demarcheStatuses.filter((s) => s === from || demarcheNextStatuses[from].includes(s));

/** Statuses a démarche never leaves (the server's transition rules agree, see rules.test.ts). */
export const finalDemarcheStatuses: readonly DemarcheStatus[] = [
  "granted",
  "rejected",
  "abandoned",
  "reoriented",
];

/**
 * Statuses where the next step is not ours, so a due date passed does not make the démarche late:
 * the final ones, and `submitted` (deposited, waiting for the partner's answer: "en attente du
 * partenaire"). `waiting_documents` stays ours: the accompaniment chases the missing documents.
 */
export const notLateDemarcheStatuses: readonly DemarcheStatus[] = [...finalDemarcheStatuses, "submitted"];

/**
 * Late: a due date before `today` (both Europe/Paris days, YYYY-MM-DD) while the next step is ours.
 * The one rule of the home alerts (GetAlerts, in SQL with `notLateDemarcheStatuses`) and the
 * release plan.
 */
export function isDemarcheLate(
  demarche: { status: DemarcheStatus; dueDate: string | null },
  today: string,
): boolean {
  return (
    demarche.dueDate !== null &&
    demarche.dueDate < today &&
    !notLateDemarcheStatuses.includes(demarche.status)
  );
}

/** France services help levels. */
export const helpLevels = ["information", "guided", "done_for", "escalated"] as const;
export const helpLevelSchema = z.enum(helpLevels);
export type HelpLevel = z.infer<typeof helpLevelSchema>;
export const helpLevelLabels: Record<HelpLevel, string> = {
  information: "Information",
  guided: "Accompagnement (numérique)",
  done_for: "Démarche faite avec ou pour la personne",
  escalated: "Transmise au partenaire (back-office)",
};

/** Digital autonomy per visit (ANCT activity report). */
export const autonomyLevels = ["guided", "autonomous_with_help", "autonomous"] as const;
/** Answered in a radio group on the visit form. */
export const autonomySchema = radioChoice(autonomyLevels);
export type Autonomy = z.infer<typeof autonomySchema>;
export const autonomyLabels: Record<Autonomy, string> = {
  guided: "Accompagnée de bout en bout",
  autonomous_with_help: "Autonome avec de l'aide",
  autonomous: "Autonome",
};

export const needPriorities = ["low", "medium", "high"] as const;
export const needPrioritySchema = z.enum(needPriorities);
export type NeedPriority = z.infer<typeof needPrioritySchema>;
export const needPriorityLabels: Record<NeedPriority, string> = {
  low: "Basse",
  medium: "Moyenne",
  high: "Haute",
};

const shortText = optionalText;

export const documentCheckSchema = z.object({
  label: requiredText(120, "Saisissez le nom de la pièce."),
  provided: z.boolean(),
});

export const demarcheViewSchema = z.object({
  id: z.string(),
  /** The catalogue entry (null once it is gone): a second open démarche of a type is flagged. */
  demarcheTypeId: z.string().nullable(),
  partnerName: z.string().nullable(),
  label: z.string(),
  category: demarcheCategorySchema.nullable(),
  helpLevel: helpLevelSchema,
  status: demarcheStatusSchema,
  outcome: z.string(),
  nextStep: z.string(),
  dueDate: isoDate.nullable(),
  timeSpentMinutes: z.number().int(),
  documents: z.array(documentCheckSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  history: z.array(
    z.object({
      at: z.string(),
      status: demarcheStatusSchema,
      byName: z.string().nullable(),
      visitId: z.string().nullable(),
    }),
  ),
});
export type DemarcheView = z.infer<typeof demarcheViewSchema>;

export const needViewSchema = z.object({
  domain: needDomainSchema,
  hasNeed: z.boolean(),
  priority: needPrioritySchema.nullable(),
  situation: z.string(),
  comment: z.string(),
  assessedAt: z.string(),
  assessedByName: z.string().nullable(),
});
export type NeedView = z.infer<typeof needViewSchema>;

export const visitViewSchema = z.object({
  id: z.string(),
  convocationId: z.string(),
  /** The appointment's time (the visit's day and hour in the visits' table). */
  startedAt: z.string(),
  /** The site of the appointment. */
  siteName: z.string(),
  /** When the counselor recorded it: its place in the person's history, among what was done that day. */
  recordedAt: z.string(),
  counselorName: z.string().nullable(),
  durationMinutes: z.number().int(),
  autonomy: autonomySchema,
  demarchesTouched: z.number().int(),
  /** The needs assessed with it. */
  needsAssessed: z.number().int(),
  suggestNextInDays: z.number().int().nullable(),
  suggestion: z.string(),
});
export type VisitView = z.infer<typeof visitViewSchema>;

export const accompanimentSchema = z.object({
  demarches: z.array(demarcheViewSchema),
  /** The latest assessment of each assessed domain. */
  needs: z.array(needViewSchema),
  progress: z.object({ opened: z.number().int(), resolved: z.number().int(), open: z.number().int() }),
  visits: z.array(visitViewSchema),
  permissions: z.object({ record: z.boolean() }),
});
export type Accompaniment = z.infer<typeof accompanimentSchema>;

const minutes = wholeNumber({
  notWhole: "Saisissez un nombre entier de minutes.",
  min: 0,
  tooSmall: "Saisissez 0 minute ou plus.",
  max: 600,
  tooBig: "Saisissez 600 minutes (10 heures) au plus.",
});

export const demarcheChangeSchema = z.object({
  status: demarcheStatusSchema,
  outcome: shortText(500).default(""),
  nextStep: shortText(300).default(""),
  dueDate: plannedDay.nullable().default(null),
  timeSpentMinutes: minutes.default(0),
  documents: z.array(documentCheckSchema).max(20).optional(),
});
export type DemarcheChange = z.infer<typeof demarcheChangeSchema>;

export const newDemarcheSchema = demarcheChangeSchema.extend({
  demarcheTypeId: choice("Choisissez la démarche."),
  helpLevel: helpLevelSchema,
});
export type NewDemarche = z.infer<typeof newDemarcheSchema>;

/**
 * The creation form's check: the due day not in the past by the browser's clock. The route keeps
 * `plannedDay` (a plausible range) and the server refuses a past due day by its own clock
 * (`assertDueDayAhead`), with the same message under the same field.
 */
export const newDemarcheFormSchema = newDemarcheSchema.extend({
  dueDate: dueDayFrom(() => parisDay(new Date()))
    .nullable()
    .default(null),
});

/**
 * A démarche started between visits. `id`, chosen by the form when it opens, makes a retry safe:
 * an answer lost with the connection (the démarche written, the user told to retry) does not
 * create it a second time.
 */
export const addDemarcheBodySchema = newDemarcheSchema.extend({
  id: z.string().uuid("Identifiant de démarche invalide.").toLowerCase().optional(),
});
export type AddDemarcheBody = z.infer<typeof addDemarcheBodySchema>;

export const needInputSchema = z.object({
  domain: needDomainSchema,
  hasNeed: z.boolean(),
  priority: needPrioritySchema.nullable().default(null),
  situation: shortText(300).default(""),
  comment: shortText(500).default(""),
});
export type NeedInput = z.infer<typeof needInputSchema>;

export const recordVisitBodySchema = z.object({
  durationMinutes: wholeNumber({
    notWhole: "Saisissez un nombre entier de minutes.",
    min: 5,
    tooSmall: "Saisissez 5 minutes au moins.",
    max: 480,
    tooBig: "Saisissez 480 minutes (8 heures) au plus.",
  }),
  autonomy: autonomySchema,
  updated: z
    .array(demarcheChangeSchema.extend({ id: uuid }))
    .max(30)
    .default([]),
  created: z.array(newDemarcheSchema).max(20).default([]),
  needs: z
    .array(needInputSchema)
    .max(12)
    .default([])
    .refine(
      (list) => new Set(list.map((n) => n.domain)).size === list.length,
      "Un domaine est évalué deux fois.",
    ),
  suggestNextInDays: wholeNumber({
    notWhole: "Saisissez un nombre entier de jours.",
    min: 1,
    tooSmall: "Saisissez 1 jour au moins.",
    max: 180,
    tooBig: "Saisissez 180 jours au plus.",
  })
    .nullable()
    .default(null),
  suggestion: shortText(300).default(""),
});
export type RecordVisitBody = z.infer<typeof recordVisitBodySchema>;

/**
 * The visit form's check: its new démarches' due days not in the past by the browser's clock, as in
 * `newDemarcheFormSchema` — otherwise the browser accepts a past day the server then refuses.
 */
export const recordVisitFormSchema = recordVisitBodySchema.extend({
  created: z.array(newDemarcheFormSchema).max(20).default([]),
});

export const demarcheIdParamsSchema = z.object({ demarcheId: uuid });
