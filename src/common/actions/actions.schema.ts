import { z } from "zod";
import { convocationViewSchema } from "../agenda/agenda.schema";
import { uuid } from "../contract";
import { formatShortDate } from "../dateFormat";
import { plannedDay, timeOfDay } from "../dates";
import { eachOnce, email, optionalText, requiredText, whenFieldsValid, wholeNumber } from "../fields";

/**
 * Collective actions (issue 15): forum emploi, ateliers, stages (stage de citoyenneté, de
 * sensibilisation à la sécurité routière: ADR 0039), information sessions, plenary meetings,
 * working groups, and the meetings of the steering committee (préfecture, SPIP, association,
 * national operators, departmental coordinator).
 */
export const actionKinds = [
  "forum_emploi",
  "atelier",
  "stage",
  "information_session",
  "plenary",
  "working_group",
  "steering_committee",
] as const;
export const actionKindSchema = z.enum(actionKinds, { message: "Choisissez le type d'action." });
export type ActionKind = z.infer<typeof actionKindSchema>;
export const actionKindLabels: Record<ActionKind, string> = {
  forum_emploi: "Forum emploi",
  atelier: "Atelier",
  stage: "Stage (citoyenneté, sécurité routière)",
  information_session: "Information collective (détention, SAS)",
  plenary: "Réunion plénière",
  working_group: "Groupe de travail",
  steering_committee: "Comité de pilotage",
};
/**
 * The kinds whose meetings form a series with members invited to each meeting, and to which nobody
 * is convoked nor invited one-off: working groups and the steering committee.
 */
export const seriesKinds = ["working_group", "steering_committee"] as const satisfies readonly ActionKind[];
export type SeriesKind = (typeof seriesKinds)[number];
export function isSeriesKind(kind: string): kind is SeriesKind {
  return (seriesKinds as readonly string[]).includes(kind);
}
/** The steering committee is convened and its minutes kept by the direction only. */
export const directionOnlyKinds: readonly ActionKind[] = ["steering_committee"];
export const actionStatuses = ["planned", "held", "cancelled"] as const;
export type ActionStatus = (typeof actionStatuses)[number];
export const actionStatusLabels: Record<ActionStatus, string> = {
  planned: "Prévue",
  held: "Tenue",
  cancelled: "Annulée",
};

/** Outcomes recorded per kind; every count is a whole number ≥ 0. */
export const outcomeKeys = ["interviews", "hires", "iaeOrientations", "participants"] as const;
export type OutcomeKey = (typeof outcomeKeys)[number];
export const outcomeLabels: Record<OutcomeKey, string> = {
  interviews: "Entretiens tenus",
  hires: "Embauches",
  iaeOrientations: "Orientations vers l'IAE",
  participants: "Participants",
};
export const outcomesOfKind: Record<ActionKind, OutcomeKey[]> = {
  forum_emploi: ["interviews", "hires", "iaeOrientations"],
  atelier: ["participants"],
  stage: ["participants"],
  information_session: ["participants"],
  plenary: ["participants"],
  working_group: [],
  steering_committee: [],
};

export const actionIdParamsSchema = z.object({ actionId: uuid });
export const invitationTokenParamsSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "Lien d'invitation invalide."),
});

/** What the create/edit form sends: a Paris day and times, a site or an outside address. */
/** A meeting ends after it starts and takes place somewhere: a site of the structure or an address. */
export function checkTimesAndPlace(
  body: { startTime: string; endTime: string; siteId: string | null; address: string },
  issue: z.RefinementCtx,
): void {
  // Compared only once both are times: a start of "25:00" is said under the start alone.
  const times = timeOfDay.safeParse(body.startTime).success && timeOfDay.safeParse(body.endTime).success;
  if (times && body.endTime <= body.startTime) {
    issue.addIssue({
      code: "custom",
      path: ["endTime"],
      message: "L'heure de fin doit être après l'heure de début.",
    });
  }
  if (body.siteId === null && body.address === "") {
    issue.addIssue({
      code: "custom",
      path: ["address"],
      message: "Choisissez un lieu de la structure ou saisissez une adresse.",
    });
  }
}

export const actionBodySchema = z
  .object({
    kind: actionKindSchema,
    title: requiredText(160, "Saisissez l'intitulé de l'action."),
    theme: optionalText(160).default(""),
    description: optionalText(4000).default(""),
    day: z.string().min(1, "Saisissez la date.").pipe(plannedDay),
    startTime: z.string().min(1, "Saisissez l'heure de début.").pipe(timeOfDay),
    endTime: z.string().min(1, "Saisissez l'heure de fin.").pipe(timeOfDay),
    siteId: uuid.nullable().default(null),
    address: optionalText(300).default(""),
    capacity: wholeNumber({
      notNumber: "Saisissez une capacité (nombre de places).",
      notWhole: "Saisissez un nombre entier de places.",
      min: 1,
      tooSmall: "La capacité doit être d'au moins 1 place.",
      max: 2000,
      tooBig: "2 000 places au plus.",
    })
      .nullable()
      .default(null),
    organiserIds: eachOnce(z.array(uuid).max(20).default([])),
    /** « Locaux prêtés par »: the directory entry lending its premises (a mairie), if any. */
    hostEntryId: uuid.nullable().default(null),
    /** The organisations cofunding the action (directory entries): the mairie, the préfecture (FIPD). */
    cofunderEntryIds: eachOnce(z.array(uuid).max(20, "20 cofinanceurs au plus.").default([])),
  })
  .strict()
  .superRefine(checkTimesAndPlace);
export type ActionBody = z.infer<typeof actionBodySchema>;
/**
 * What an action is recorded as when created: « Prévue » (to come, the default) or « Tenue », an
 * action that already took place, recorded afterwards (its outcomes are then entered on its page).
 */
export const createdStatuses = ["planned", "held"] as const satisfies readonly ActionStatus[];
/** Created, an action takes the id its form chose, kept until saved (ADR 0036). */
export const newActionBodySchema = actionBodySchema.safeExtend({
  id: z.string().uuid("Identifiant d'action invalide.").toLowerCase().optional(),
  status: z.enum(createdStatuses, { message: "Choisissez le statut : prévue ou tenue." }).default("planned"),
});
export type NewActionBody = z.infer<typeof newActionBodySchema>;

/** A planned action on a day before today (Paris): told under the date, by the form and the server. */
export const pastPlannedDayMessage = (today: string): string =>
  `Date déjà passée : une action « Prévue » a lieu à partir d'aujourd'hui (${formatShortDate(today)}). Pour une action qui a déjà eu lieu, choisissez le statut « Tenue ».`;
/** A planned action moved to a day before today: its edit has no status to choose. */
export const pastPlannedDayOnEditMessage = (today: string): string =>
  `Date déjà passée : une action « Prévue » ne se déplace pas avant aujourd'hui (${formatShortDate(today)}).`;
/** A held action (one that took place) moved to a day after today. */
export const heldMovedToComingMessage = (today: string): string =>
  `Date à venir : une action « Tenue » a déjà eu lieu, sa date ne va pas après aujourd'hui (${formatShortDate(today)}).`;

/**
 * The message for an edited action's new day, or null: a planned action is not moved before today,
 * a held one not after today; an unchanged day stays (a planned action whose day has passed keeps it,
 * its outcomes are still to be recorded). The form and the server (`updateAction`) both ask this.
 */
export function editedDayIssue(status: string, savedDay: string, day: string, today: string): string | null {
  if (day === savedDay) return null;
  if (status === "planned" && day < today) return pastPlannedDayOnEditMessage(today);
  if (status === "held" && day > today) return heldMovedToComingMessage(today);
  return null;
}

/** A held action (one that took place) on a day after today, or later today than now. */
export const heldNotYetMessage =
  "Une action « Tenue » a déjà eu lieu : sa date et son heure de début sont passées. Pour une action à venir, choisissez « Prévue ».";

/**
 * An action created on `today` (Paris): « Prévue » from today on, « Tenue » until today. The server
 * validates with its clock's day (the route's `bodyOn`), so this is told with the other field errors;
 * a held action starting later today is refused by the use case (it reads the time).
 */
export const newActionBodySchemaOn = (today: string) =>
  newActionBodySchema.superRefine(
    (body, ctx) => {
      if (body.status === "planned" && body.day < today)
        ctx.addIssue({ code: "custom", path: ["day"], message: pastPlannedDayMessage(today) });
      if (body.status === "held" && body.day > today)
        ctx.addIssue({ code: "custom", path: ["status"], message: heldNotYetMessage });
    },
    { when: whenFieldsValid("day", "status") },
  );

export const actionsQuerySchema = z.object({
  when: z.enum(["upcoming", "past"]).default("upcoming"),
  kind: actionKindSchema.optional(),
});

export const actionSummarySchema = z.object({
  id: z.string(),
  kind: actionKindSchema,
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string(),
  status: z.enum(actionStatuses),
  capacity: z.number().int().nullable(),
  convoked: z.number().int(),
  invited: z.number().int(),
  accepted: z.number().int(),
});
export type ActionSummary = z.infer<typeof actionSummarySchema>;
export const actionListSchema = z.object({ actions: z.array(actionSummarySchema) });

export const invitationViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  organisation: z.string(),
  answer: z.enum(["yes", "no"]).nullable(),
  answeredAt: z.string().nullable(),
  present: z.boolean().nullable(),
  /** The invitee is an archived contact or a disabled agent: no e-mail reaches them any more (ADR 0031). */
  notWritten: z.boolean(),
});
export type InvitationView = z.infer<typeof invitationViewSchema>;

export const documentViewSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
});

export const actionDetailSchema = actionSummarySchema.extend({
  theme: z.string(),
  description: z.string(),
  siteId: z.string().nullable(),
  address: z.string(),
  day: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  organisers: z.array(z.object({ id: z.string(), name: z.string() })),
  host: z.object({ id: z.string(), name: z.string() }).nullable(),
  cofunders: z.array(z.object({ id: z.string(), name: z.string() })),
  outcomes: z.record(z.string(), z.number().int()),
  minutes: z.string(),
  decisions: z.string(),
  invitations: z.array(invitationViewSchema),
  convocations: z.array(convocationViewSchema),
  /** Whether the reader sees every person convoked (counselors, direction) or only theirs (a CPIP). */
  seesAllConvoked: z.boolean(),
  documents: z.array(documentViewSchema),
  permissions: z.object({
    edit: z.boolean(),
    invite: z.boolean(),
    convoke: z.boolean(),
    recordOutcomes: z.boolean(),
  }),
});
export type ActionDetail = z.infer<typeof actionDetailSchema>;

/** An invitee: a contact of the directory, or a name and an e-mail typed in. */
export const inviteeSchema = z.union([
  z.object({ directoryContactId: uuid }).strict(),
  z
    .object({
      name: requiredText(160, "Saisissez le nom de la personne invitée."),
      email,
    })
    .strict(),
]);
export const inviteBodySchema = z
  .object({ invitees: z.array(inviteeSchema).min(1, "Choisissez au moins une personne à inviter.").max(100) })
  .strict();
export const inviteResultSchema = z.object({ invited: z.number().int(), alreadyInvited: z.number().int() });

export const convokeBodySchema = z
  .object({
    personId: uuid,
    comment: optionalText(500).default(""),
    notifySms: z.boolean({ message: "Choisissez d'envoyer ou non un SMS." }),
    notifyEmail: z.boolean({ message: "Choisissez d'envoyer ou non un courriel." }),
  })
  .strict();

const count = wholeNumber({
  notNumber: "Saisissez un nombre.",
  notWhole: "Saisissez un nombre entier.",
  min: 0,
  tooSmall: "Saisissez un nombre positif ou nul.",
  max: 100_000,
  tooBig: "100 000 au plus.",
});
export const outcomesBodySchema = z
  .object({
    outcomes: z.partialRecord(z.enum(outcomeKeys), count).default({}),
    minutes: optionalText(20_000).default(""),
    decisions: optionalText(10_000).default(""),
    /** The invitations whose partner came; the others are recorded absent. */
    presentInvitationIds: eachOnce(z.array(uuid).max(500).default([])),
    held: z.boolean().default(true),
  })
  .strict();

/** What a directory contact (or the agent choosing one) needs to see. */
export const contactOptionSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  organisation: z.string(),
});
export const actionOptionsSchema = z.object({
  sites: z.array(z.object({ id: z.string(), name: z.string(), address: z.string() })),
  agents: z.array(z.object({ id: z.string(), name: z.string() })),
  /** The structure's steering committee accounts (préfecture, coordinator…): members of the committee only. */
  steeringAgents: z.array(z.object({ id: z.string(), name: z.string() })),
  contacts: z.array(contactOptionSchema),
  /** The directory's organisations, not archived: host (« Locaux prêtés par ») and cofunders. */
  entries: z.array(z.object({ id: z.string(), name: z.string() })),
});

/** The public invitation page: the action, never a person's data; the invitee's own answer. */
export const publicInvitationSchema = z.object({
  title: z.string(),
  kind: actionKindSchema,
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string(),
  description: z.string(),
  structureName: z.string(),
  inviteeName: z.string(),
  answer: z.enum(["yes", "no"]).nullable(),
  /**
   * open: may answer or change; closed: the action started; cancelled: the action was cancelled;
   * withdrawn: this invitation alone was cancelled (a member removed from a working group).
   */
  state: z.enum(["open", "closed", "cancelled", "withdrawn"]),
});
export const answerBodySchema = z
  .object({
    answer: z.enum(["yes", "no"], { message: "Choisissez « Je participe » ou « Je ne participe pas »." }),
  })
  .strict();

/** The partner referent's home: the actions their organisation's contacts are invited to. */
export const partnerActionsSchema = z.object({
  actions: z.array(
    z.object({
      id: z.string(),
      kind: actionKindSchema,
      title: z.string(),
      startsAt: z.string(),
      place: z.string(),
      status: z.enum(actionStatuses),
      /** Only their own organisation's invitees and answers. */
      invitees: z.array(z.object({ name: z.string(), answer: z.enum(["yes", "no"]).nullable() })),
    }),
  ),
});
