import { isDetentionSiteKind } from "./detention.schema";

/**
 * Where a person may be convoked (ADR 0028, addendum "place"): a person held today only inside
 * their own establishment (its permanences and the actions held there); anyone else never inside a
 * prison or a SAS. Each prison and each SAS is its own establishment: a SAS site takes the people
 * placed there. Days are Europe/Paris calendar days (YYYY-MM-DD).
 */

/**
 * The establishment a person is held in on `day`, or null: never detained, released by then, or (when
 * the expected release date is given, for a day ahead such as a convocation's) expected out by then —
 * the milieu ouvert's first convocation is booked before the release (handover, ADR 0029).
 */
export function heldIn(
  detention: { siteId: string | null; releasedOn: string | null; expectedReleaseDate?: string | null } | null,
  day: string,
): string | null {
  if (!detention?.siteId) return null;
  if (detention.releasedOn !== null && detention.releasedOn <= day) return null;
  if (detention.releasedOn === null && detention.expectedReleaseDate && detention.expectedReleaseDate <= day)
    return null;
  return detention.siteId;
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
