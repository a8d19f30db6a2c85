import { z } from "zod";
import { parisDay } from "../calendar";
import { uuid } from "../contract";
import { formatDate, formatDateTime } from "../dateFormat";
import { dueDayFrom, isoDate, isoDateTime, plannedDayBounds, requiredDate } from "../dates";
import { choice, eachOnce, email, optionalText, requiredText, wholeNumber } from "../fields";
import type { PersonStatus } from "../roles";

/** How many days after the release the first milieu ouvert convocation may be booked (default). */
export const DEFAULT_FIRST_CONVOCATION_DAYS = 15;

export const handoverStatuses = ["planned", "held", "cancelled"] as const;
export const handoverStatusSchema = z.enum(handoverStatuses);
export type HandoverStatus = z.infer<typeof handoverStatusSchema>;
export const handoverStatusLabels: Record<HandoverStatus, string> = {
  planned: "Prévue",
  held: "Tenue : dossier transmis",
  cancelled: "Annulée",
};

export const transferStatuses = ["proposed", "accepted", "refused", "cancelled"] as const;
export const transferStatusSchema = z.enum(transferStatuses);
export type TransferStatus = z.infer<typeof transferStatusSchema>;
export const transferStatusLabels: Record<TransferStatus, string> = {
  proposed: "Proposé",
  accepted: "Accepté",
  refused: "Refusé",
  // Only its sender withdraws a proposal ("Retirer la proposition"): nobody else cancels a transfer.
  cancelled: "Retiré",
};

/** The agenda of a handover meeting, built from the file (and frozen in the minutes when held). */
export const handoverAgendaSchema = z.object({
  needs: z.array(z.object({ domain: z.string(), label: z.string(), priority: z.string().nullable() })),
  demarches: z.array(z.object({ label: z.string(), status: z.string(), nextStep: z.string() })),
  orientations: z.array(z.object({ label: z.string(), status: z.string() })),
  consent: z.object({ active: z.boolean(), summary: z.string() }),
});
export type HandoverAgenda = z.infer<typeof handoverAgendaSchema>;

export const participantViewSchema = z.object({
  id: z.string(),
  kind: z.enum(["agent", "contact"]),
  name: z.string(),
  email: z.string(),
  roleLabel: z.string(),
});

export const handoverViewSchema = z.object({
  id: z.string(),
  status: handoverStatusSchema,
  startsAt: z.string(),
  durationMinutes: z.number(),
  siteId: z.string().nullable(),
  placeLabel: z.string(),
  /** The address or room typed at scheduling (alone, or after the site): what "Déplacer" starts from. */
  placeText: z.string(),
  releaseDate: z.string(),
  targetStructureId: z.string(),
  targetStructureName: z.string(),
  participants: z.array(participantViewSchema),
  agenda: handoverAgendaSchema,
  minutes: z.string(),
  decisions: z.string(),
  consentGiven: z.boolean(),
  consentReference: z.string(),
  /** Whether the person attended; null while planned, and for meetings held before it was recorded. */
  personPresent: z.boolean().nullable(),
  targetReferentName: z.string().nullable(),
  firstConvocationAt: z.string().nullable(),
  heldAt: z.string().nullable(),
  /** Why it was cancelled (empty while not cancelled, and for meetings cancelled before it was asked). */
  cancelReason: z.string(),
  /** The first convocation's window: the release day to this day (Paris days, inclusive). */
  windowEnd: z.string(),
});
export type HandoverView = z.infer<typeof handoverViewSchema>;

/**
 * One meeting, for whoever may read it: the readers of the person's file and the agents invited to
 * it (a counselor invited before the person was convoked to her reads the meeting, not the file).
 */
export const handoverMeetingPageSchema = z.object({
  personId: z.string(),
  personName: z.string(),
  /** Whether the reader may open the person's file (else: invited to this meeting only). */
  fileVisible: z.boolean(),
  meeting: handoverViewSchema,
});
export type HandoverMeetingPage = z.infer<typeof handoverMeetingPageSchema>;

const option = z.object({ id: z.string(), name: z.string() });
export const handoverPageSchema = z.object({
  personName: z.string(),
  /** The person's structure: the default receiving structure (milieu ouvert of the same SPIP). */
  structureId: z.string(),
  expectedReleaseDate: z.string().nullable(),
  meetings: z.array(handoverViewSchema),
  permissions: z.object({ manage: z.boolean() }),
  /** Whether a meeting may be planned for the person: in detention (`mayPlanHandover`). */
  inDetention: z.boolean(),
  /** Choices for a new meeting: structures that may receive the file, the sites of this structure, agents. */
  structures: z.array(option),
  sites: z.array(option),
  agents: z.array(z.object({ id: z.string(), name: z.string(), roleLabel: z.string() })),
});
export type HandoverPage = z.infer<typeof handoverPageSchema>;

const participantContact = z.object({
  name: requiredText(120, "Saisissez le nom du participant."),
  email,
  roleLabel: optionalText(120).default(""),
  directoryContactId: uuid.nullable().default(null),
});

const meetingFields = {
  startsAt: isoDateTime,
  durationMinutes: wholeNumber({
    min: 15,
    tooSmall: "15 minutes au moins.",
    max: 480,
    tooBig: "8 heures au plus.",
  }),
  siteId: uuid.nullable().default(null),
  placeText: optionalText(300).default(""),
};

export const scheduleHandoverBodySchema = z
  .strictObject({
    ...meetingFields,
    releaseDate: requiredDate("Indiquez la date de sortie prévue."),
    targetStructureId: choice("Choisissez la structure qui reprend le suivi en milieu ouvert."),
    agentUserIds: eachOnce(z.array(uuid).max(20).default([])),
    contacts: z.array(participantContact).max(20).default([]),
  })
  .refine((b) => b.siteId !== null || b.placeText !== "", {
    path: ["placeText"],
    message: "Indiquez le lieu : un site de la structure ou une adresse.",
  });
export type ScheduleHandoverBody = z.infer<typeof scheduleHandoverBodySchema>;

export const rescheduleHandoverBodySchema = z
  .strictObject(meetingFields)
  .refine((b) => b.siteId !== null || b.placeText !== "", {
    path: ["placeText"],
    message: "Indiquez le lieu : un site de la structure ou une adresse.",
  });
export type RescheduleHandoverBody = z.infer<typeof rescheduleHandoverBodySchema>;

export const completeHandoverBodySchema = z.strictObject({
  minutes: requiredText(10_000, "Rédigez le compte rendu de la réunion.", 3),
  decisions: requiredText(5_000, "Indiquez les décisions prises.", 3),
  consentGiven: z.literal(true, {
    message:
      "La personne doit consentir au passage de relais : cochez la case une fois son accord recueilli.",
  }),
  consentReference: requiredText(
    300,
    "Indiquez comment le consentement a été recueilli (écrit signé, oral en réunion…).",
    3,
  ),
  /** Whether the person attended the meeting (the handover is meant to happen in their presence). */
  personPresent: z.boolean({ message: "Indiquez si la personne était présente à la réunion." }),
  targetReferentUserId: choice("Choisissez le CPIP référent en milieu ouvert."),
  firstConvocation: z.strictObject({
    siteId: choice("Choisissez le créneau de la première convocation."),
    startsAt: isoDateTime,
    notifySms: z.boolean({ message: "Choisissez d'envoyer ou non un SMS." }),
    notifyEmail: z.boolean({ message: "Choisissez d'envoyer ou non un courriel." }),
    /** As for a booking: the person's other convocation in that half-day was seen (ADR 0003, addendum « same half-day »). */
    confirmSameHalfDay: z.boolean().default(false),
  }),
});
export type CompleteHandoverBody = z.infer<typeof completeHandoverBodySchema>;

/**
 * Who a handover meeting may be scheduled for (ADR 0029, addendum): a person in detention — the
 * file's status "En détention", or an establishment recorded without a release yet. Anyone else
 * (milieu ouvert, released) has no release to prepare: their file moves by a transfer.
 */
export function mayPlanHandover(file: {
  status: PersonStatus | string;
  detentionSiteId: string | null;
  releasedOn: string | null;
}): boolean {
  return file.status === "detenu" || (file.detentionSiteId !== null && file.releasedOn === null);
}

type MeetingDateField = "startsAt" | "releaseDate";

/**
 * The dates of a meeting against `now` (the server's clock; the browser's in the form): the meeting
 * in the future, within 5 years, and at the latest on the release day (it prepares the release);
 * the release day (`releaseDate`, checked when given: a new meeting) from today on, within 5 years.
 * A meeting dated in the past could never be held (completion waits for its start) and would block
 * any new one.
 */
export function meetingDateIssues(
  input: { startsAt: string; releaseDate: string; checkRelease: boolean },
  now: Date,
): { field: MeetingDateField; message: string }[] {
  const issues: { field: MeetingDateField; message: string }[] = [];
  const today = parisDay(now);
  const startsAt = new Date(input.startsAt);
  if (Number.isNaN(startsAt.getTime())) return issues;
  if (startsAt.getTime() <= now.getTime())
    issues.push({
      field: "startsAt",
      message: `La réunion doit avoir lieu dans le futur : choisissez une date et une heure après le ${formatDateTime(now)}.`,
    });
  else if (parisDay(startsAt) > plannedDayBounds(today).max)
    issues.push({
      field: "startsAt",
      message: `Date trop lointaine : choisissez une date avant le ${formatDate(plannedDayBounds(today).max)}.`,
    });
  if (input.checkRelease) {
    const release = dueDayFrom(() => today).safeParse(input.releaseDate);
    if (!release.success) {
      issues.push({
        field: "releaseDate",
        message: release.error.issues[0]?.message ?? "Date de sortie invalide.",
      });
      return issues;
    }
  }
  if (issues.length === 0 && parisDay(startsAt) > input.releaseDate)
    issues.push({
      field: "startsAt",
      message: `La réunion prépare la sortie : choisissez une date au plus tard le jour de la sortie (${formatDate(input.releaseDate)}).`,
    });
  return issues;
}

/** The scheduling form's check: the body, and its dates against the browser's clock. */
export function scheduleHandoverFormSchema(now: () => Date) {
  return scheduleHandoverBodySchema.superRefine((body, ctx) => {
    for (const issue of meetingDateIssues({ ...body, checkRelease: true }, now()))
      ctx.addIssue({ code: "custom", path: [issue.field], message: issue.message });
  });
}

export const handoverIdParamsSchema = z.object({ handoverId: uuid });
export const transferIdParamsSchema = z.object({ transferId: uuid });

export const handoverSlotsSchema = z.object({
  windowStart: isoDate,
  windowEnd: isoDate,
  referents: z.array(option),
  slots: z.array(
    z.object({ siteId: z.string(), siteName: z.string(), startsAt: z.string(), free: z.number() }),
  ),
});

/** Consent to a transfer: stated explicitly either way (given with its reference, or refused). */
export const proposeTransferBodySchema = z
  .strictObject({
    toStructureId: choice("Choisissez la structure qui reprend le suivi."),
    reason: requiredText(
      1000,
      "Indiquez le motif du transfert (déménagement, changement de juridiction…).",
      3,
    ),
    consent: z.enum(["given", "refused"], {
      message: "Indiquez si la personne consent à la transmission de son dossier d'accompagnement.",
    }),
    consentReference: optionalText(300).default(""),
  })
  .refine((b) => b.consent === "refused" || b.consentReference.length >= 3, {
    path: ["consentReference"],
    message: "Indiquez comment le consentement a été recueilli (écrit signé, oral…).",
  });
export type ProposeTransferBody = z.infer<typeof proposeTransferBodySchema>;

export const acceptTransferBodySchema = z.strictObject({
  referentUserId: choice("Choisissez le CPIP référent."),
});
/** Why the meeting is cancelled: required, sent to every participant with the cancellation. */
export const cancelHandoverBodySchema = z.strictObject({
  reason: requiredText(
    1000,
    "Indiquez le motif de l'annulation : il est envoyé aux participants avec l'annulation.",
    3,
  ),
});
export type CancelHandoverBody = z.infer<typeof cancelHandoverBodySchema>;

export const refuseTransferBodySchema = z.strictObject({
  reason: requiredText(1000, "Indiquez le motif du refus.", 3),
});

export const transferViewSchema = z.object({
  id: z.string(),
  status: transferStatusSchema,
  fromStructureName: z.string(),
  toStructureName: z.string(),
  reason: z.string(),
  consentGiven: z.boolean(),
  proposedAt: z.string(),
  proposedByName: z.string(),
  answeredAt: z.string().nullable(),
  refusalReason: z.string(),
});
export const personTransfersSchema = z.object({
  transfers: z.array(transferViewSchema),
  structures: z.array(option),
  permissions: z.object({ propose: z.boolean() }),
});

/** What the receiving direction sees before accepting: the minimum to decide. */
export const transferInboxItemSchema = z.object({
  id: z.string(),
  personId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: z.string(),
  measureType: z.string().nullable(),
  measureEnd: z.string().nullable(),
  reason: z.string(),
  consentGiven: z.boolean(),
  fromStructureName: z.string(),
  toStructureId: z.string(),
  toStructureName: z.string(),
  proposedAt: z.string(),
  proposedByName: z.string(),
});
export const transferInboxSchema = z.object({
  items: z.array(transferInboxItemSchema),
  referents: z.array(z.object({ structureId: z.string(), id: z.string(), name: z.string() })),
});
export type TransferInbox = z.infer<typeof transferInboxSchema>;

export const transferAnswerSchema = z.object({ ok: z.literal(true), personId: z.string().nullable() });

/** The sending side's read-only history: files passed to another referent or structure. */
export const transmissionSchema = z.object({
  kind: z.enum(["handover", "transfer"]),
  id: z.string(),
  personId: z.string(),
  personName: z.string(),
  at: z.string(),
  toStructureName: z.string(),
  toReferentName: z.string().nullable(),
  consentGiven: z.boolean(),
  status: z.string(),
});
export const transmissionsSchema = z.object({ items: z.array(transmissionSchema) });

/**
 * "Transferts reçus" once accepted: the files passed to the receiving structure (a transfer accepted
 * or a handover held), for the CPIP who became the referent (theirs only) and the direction (all).
 * Read-only; the minimum the receiving SPIP holds anyway in its new file.
 */
export const receivedTransferSchema = z.object({
  kind: z.enum(["handover", "transfer"]),
  id: z.string(),
  /** The file in the receiving structure. */
  personId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  birthDate: z.string(),
  fromStructureName: z.string(),
  at: z.string(),
  referentName: z.string().nullable(),
  consentGiven: z.boolean(),
});
export const receivedTransfersSchema = z.object({
  items: z.array(receivedTransferSchema),
  /** Whether the list is the actor's own (a CPIP) or the structure's (the direction). */
  scope: z.enum(["mine", "structure"]),
});
export type ReceivedTransfers = z.infer<typeof receivedTransfersSchema>;

/** Transfer counts of a period, in and out (exact for the direction, protected for steering). */
