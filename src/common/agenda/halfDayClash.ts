/**
 * One person, two convocations in the same half-day: the booking page warns before it books, the
 * server answers 409 `convocation.sameHalfDay` unless the request confirms it (ADR 0003, addendum « same half-day »). Isomorphic.
 */
import { parisDay } from "../calendar";
import { parisParts } from "../dateFormat";
import type { ConvocationStatus } from "./agenda.schema";

/** The afternoon starts at 13:00, Paris time (the morning permanences end at 12:30). */
export const AFTERNOON_FROM_HOUR = 13;

/** "2026-12-08|morning": the Paris day and its half, equal for two instants of the same half-day. */
export function halfDayOf(instant: string | Date): string {
  const at = new Date(instant);
  const half = parisParts(at).hour < AFTERNOON_FROM_HOUR ? "morning" : "afternoon";
  return `${parisDay(at)}|${half}`;
}

/** "matin" or "après-midi", as the warning says it. */
export function halfDayWord(instant: string | Date): string {
  return halfDayOf(instant).endsWith("morning") ? "matin" : "après-midi";
}

/** "ce matin-là", "cet après-midi-là". */
export function thatHalfDay(instant: string | Date): string {
  return halfDayOf(instant).endsWith("morning") ? "ce matin-là" : "cet après-midi-là";
}

/**
 * The person's convocation that a booking at `startsAt` would clash with: a planned one (not
 * cancelled, honoured, missed nor excused) in the same Paris half-day, at any site. `except` is the
 * convocation being moved (a report does not clash with the one it replaces).
 */
export function sameHalfDayClash<
  T extends { id: string; startsAt: string | Date; status: ConvocationStatus },
>(existing: readonly T[], startsAt: string | Date, except?: string): T | undefined {
  const half = halfDayOf(startsAt);
  return existing.find((c) => c.status === "planned" && c.id !== except && halfDayOf(c.startsAt) === half);
}
