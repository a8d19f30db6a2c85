import type { SasOccupancy } from "../../../common/detention/detention.schema";
import { type DetentionDates, heldIn } from "../../../common/detention/place";
import { plural } from "../../../common/plural";

type SasSite = SasOccupancy["sites"][number];

/** "1 place occupée sur 60" (the people held there today, `heldIn`), or without a known capacity. */
export function occupancyText(s: Pick<SasSite, "occupied" | "capacity">): string {
  const occupied = plural(s.occupied, "place occupée", "places occupées");
  return s.capacity === null
    ? `${occupied} (nombre de places non renseigné)`
    : `${occupied} sur ${s.capacity}`;
}

/** "La SAS de Meaux", whatever the name says first. */
const theSas = (name: string): string => (/^sas\b/i.test(name.trim()) ? `La ${name}` : `La SAS ${name}`);

/** What the form says before saving a placement in a full SAS (never refused: the data may lag). */
export function fullSasWarning(s: Pick<SasSite, "name" | "capacity">): string {
  return `${theSas(s.name)} est complète (${plural(s.capacity ?? 0, "place", "places")}) : vérifiez les sorties non enregistrées.`;
}

/**
 * The SAS this correction places the person in today while it is full, or null: the written detention
 * holds them there today (`heldIn`), they were not counted there already, and the people held there
 * fill its places. A warning the agent may pass, never a refusal.
 */
export function fullSasFor(
  occupancy: SasOccupancy | undefined,
  before: DetentionDates | null,
  after: DetentionDates,
): SasSite | null {
  if (!occupancy || !after.siteId) return null;
  const sas = occupancy.sites.find((s) => s.id === after.siteId);
  if (!sas || sas.capacity === null) return null;
  const today = occupancy.today;
  if (heldIn(after, today) !== sas.id || heldIn(before, today) === sas.id) return null;
  return sas.occupied >= sas.capacity ? sas : null;
}
