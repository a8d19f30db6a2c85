import { isDetentionSiteKind } from "./detention.schema";

/**
 * Where a person may be convoked (ADR 0028, addendum "place"): a person held today only inside
 * their own establishment (its permanences and the actions held there); anyone else never inside a
 * prison or a SAS. Each prison and each SAS is its own establishment: a SAS site takes the people
 * placed there. Days are Europe/Paris calendar days (YYYY-MM-DD).
 */

/** What the rule reads of a person's detention (the file's columns). */
export interface DetentionDates {
  siteId: string | null;
  releasedOn: string | null;
  expectedReleaseDate: string | null;
}

/**
 * The first Paris day the person is out: the recorded release (`releasedOn`), else the expected one;
 * null when never detained, or held with no release date known (held every day).
 */
export function releaseDay(detention: DetentionDates | null): string | null {
  if (!detention?.siteId) return null;
  return detention.releasedOn ?? detention.expectedReleaseDate;
}

/**
 * THE rule (ADR 0028, addenda "place" and "messages"): the establishment a person is held in on
 * `day` (a convocation's Paris day, or today), or null — never detained, released by then, or, with
 * no recorded release, expected out by then (the milieu ouvert's first convocation is booked before
 * the release: handover, ADR 0029). It decides where the person may be convoked, whether SMS and
 * e-mail go out (outbox `recipients`), and the convocations' `messages` flag.
 */
export function heldIn(detention: DetentionDates | null, day: string): string | null {
  if (!detention?.siteId) return null;
  const out = releaseDay(detention);
  return out !== null && out <= day ? null : detention.siteId;
}

/**
 * The same rule from what a list says of a person held today (`heldIn` today and the first day
 * out): where they are on `day`, today or later (people list, the action's "Convoquer").
 */
export function heldOn(
  summary: { heldIn: string | null; releaseDay: string | null },
  day: string,
): string | null {
  return heldIn({ siteId: summary.heldIn, releasedOn: null, expectedReleaseDate: summary.releaseDay }, day);
}

export type PlaceProblem = "outsideEstablishment" | "insideEstablishment";

/** Why a person held in `establishmentId` (or free: null) may not be convoked to `place`, or null. */
export function placeProblem(
  establishmentId: string | null,
  place: { id: string; kind: string },
): PlaceProblem | null {
  if (establishmentId !== null) return place.id === establishmentId ? null : "outsideEstablishment";
  return isDetentionSiteKind(place.kind) ? "insideEstablishment" : null;
}
