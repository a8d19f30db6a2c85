import { isDetentionSiteKind } from "./detention.schema";

/**
 * Where a person may be convoked (ADR 0028, addendum "place"): a person held today only inside
 * their own establishment (its permanences and the actions held there); anyone else never inside a
 * prison or a SAS. Each prison and each SAS is its own establishment: a SAS site takes the people
 * placed there. Days are Europe/Paris calendar days (YYYY-MM-DD).
 */

/** The establishment a person is held in today, or null (never detained, or released by today). */
export function heldIn(
  detention: { siteId: string | null; releasedOn: string | null } | null,
  today: string,
): string | null {
  if (!detention?.siteId) return null;
  if (detention.releasedOn !== null && detention.releasedOn <= today) return null;
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
