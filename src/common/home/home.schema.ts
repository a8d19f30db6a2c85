import { z } from "zod";
import { convocationViewSchema } from "../agenda/agenda.schema";
import { isoDateTime } from "../dates";

/** What changed for one of the CPIP's people: one entry, its words composed by the page. */
export const newsKinds = [
  "visit",
  "missed",
  "excused",
  "orientation_accepted",
  "orientation_refused",
  "orientation_completed",
  /** A transfer accepted: the file the CPIP referred passed to another structure (`place`: it). */
  "transfer_sent",
  /** A transfer accepted with the CPIP as new referent (`place`: the sending structure). */
  "transfer_received",
] as const;
export const newsEventSchema = z.object({
  kind: z.enum(newsKinds),
  /** When it happened (visit recorded, status set, answer given). */
  at: z.string(),
  /** The appointment it concerns (visit, absence), if any. */
  appointmentAt: z.string().nullable(),
  /** Who did it (counselor, partner), if known. */
  byName: z.string().nullable(),
  /** Site of the visit, or organisation of the orientation. */
  place: z.string(),
  /** The refusal reason, the outcome: empty when none. */
  detail: z.string(),
});
export type NewsEvent = z.infer<typeof newsEventSchema>;

/** The counselor's suggestion to convoke the person again, not followed by a booking yet. */
export const reconvokeSchema = z.object({
  visitAt: z.string(),
  counselorName: z.string().nullable(),
  inDays: z.number().int(),
  /** The day the counselor suggested (visit day + delay), Paris calendar. */
  suggestedFor: z.string(),
  suggestion: z.string(),
});
export type Reconvoke = z.infer<typeof reconvokeSchema>;

export const homeNewsSchema = z.object({
  /** Events after this instant are new (the agent's "Marquer comme vu", or 14 days back). */
  since: z.string(),
  /** Pass it back to "Marquer comme vu": what the agent saw, not what arrived since. */
  asOf: z.string(),
  people: z.array(
    z.object({
      personId: z.string(),
      personName: z.string(),
      events: z.array(newsEventSchema),
      reconvoke: reconvokeSchema.nullable(),
    }),
  ),
});
export type HomeNews = z.infer<typeof homeNewsSchema>;

/**
 * `upTo`: the instant the page was shown; the marker only moves forward. With `undo`, the marker is
 * put back to `upTo` (the `since` the page showed before « Tout marquer comme vu »): the news are
 * signalled again.
 */
export const markSeenBodySchema = z.strictObject({ upTo: isoDateTime, undo: z.literal(true).optional() });
export const markSeenSchema = z.object({ seenUpTo: z.string() });

export const permanenceSchema = z.object({
  day: z.string(),
  /** The sites where the agent holds a permanence today; empty: every site of the structure. */
  sites: z.array(z.object({ id: z.string(), name: z.string() })),
  convocations: z.array(convocationViewSchema),
});
export type Permanence = z.infer<typeof permanenceSchema>;
