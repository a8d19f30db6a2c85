import { z } from "zod";
import { uuid } from "../contract";
import { plannedDay, timeOfDay } from "../dates";
import { optionalText, whenFieldsValid } from "../fields";
import { actionStatuses, checkTimesAndPlace } from "./actions.schema";

/**
 * Working groups (issue 15): a series of meetings (`collective_action.series_id`) with members —
 * agents of the structure and contacts of its directory — who are invited to every new meeting.
 */
export const memberParamsSchema = z.object({ actionId: uuid, memberId: uuid });

/** A member to add: an agent of the structure or a contact of its directory (one of the two). */
export const memberBodySchema = z
  .object({
    userId: uuid.nullable().default(null),
    directoryContactId: uuid.nullable().default(null),
  })
  .strict()
  .refine((b) => (b.userId === null) !== (b.directoryContactId === null), {
    path: ["member"],
    message: "Choisissez un agent de la structure ou un contact de l'annuaire.",
    when: whenFieldsValid("userId", "directoryContactId"),
  });
export type MemberBody = z.infer<typeof memberBodySchema>;

/** The next meeting of the series: its day, Paris times and place; the rest follows the series. */
export const nextMeetingBodySchema = z
  .object({
    day: z.string().min(1, "Saisissez la date de la réunion.").pipe(plannedDay),
    startTime: z.string().min(1, "Saisissez l'heure de début.").pipe(timeOfDay),
    endTime: z.string().min(1, "Saisissez l'heure de fin.").pipe(timeOfDay),
    siteId: uuid.nullable().default(null),
    address: optionalText(300).default(""),
  })
  .strict()
  .superRefine(checkTimesAndPlace);
export type NextMeetingBody = z.infer<typeof nextMeetingBodySchema>;

export const workingGroupMemberSchema = z.object({
  id: z.string(),
  kind: z.enum(["agent", "contact"]),
  /** The agent's user id or the contact's id. */
  refId: z.string(),
  name: z.string(),
  /** The contact's organisation (and function), or "Agent de la structure". */
  detail: z.string(),
  email: z.string(),
  /** A contact archived in the directory: kept in the list, no longer invited. */
  archived: z.boolean(),
  /** Invitations of this member to the meetings still to come: removing the member cancels them. */
  upcomingInvitations: z.number().int().nonnegative(),
});
export type WorkingGroupMember = z.infer<typeof workingGroupMemberSchema>;

export const workingGroupMeetingSchema = z.object({
  id: z.string(),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string(),
  status: z.enum(actionStatuses),
  minutes: z.string(),
  decisions: z.string(),
});
export type WorkingGroupMeeting = z.infer<typeof workingGroupMeetingSchema>;

export const workingGroupSchema = z.object({
  seriesId: z.string(),
  theme: z.string(),
  members: z.array(workingGroupMemberSchema),
  /** Every meeting of the series, oldest first. */
  meetings: z.array(workingGroupMeetingSchema),
  /** What the planning form proposes: the latest meeting's times and place. */
  lastMeeting: z.object({
    startTime: z.string(),
    endTime: z.string(),
    siteId: z.string().nullable(),
    address: z.string(),
  }),
  permissions: z.object({ manage: z.boolean() }),
});
export type WorkingGroup = z.infer<typeof workingGroupSchema>;

/**
 * The steering committee's meetings as its members read them (the structure's steering accounts,
 * the direction): the meetings to come, and the latest past ones with their minutes and decisions.
 * No person's data: the committee reads aggregated figures only.
 */
export const steeringCommitteeSchema = z.object({
  /** The next planned meetings, soonest first (three at most). */
  upcoming: z.array(workingGroupMeetingSchema),
  /** The latest past meetings, held or not, latest first (five at most), with their minutes. */
  past: z.array(workingGroupMeetingSchema),
});
export type SteeringCommittee = z.infer<typeof steeringCommitteeSchema>;
