import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { formatDate } from "../../../common/dateFormat";
import type { DetentionView, ReleaseKind } from "../../../common/detention/detention.schema";
import { detentionSiteKinds, isDetentionSiteKind } from "../../../common/detention/detention.schema";
import { heldIn, placeProblem } from "../../../common/detention/place";
import { errors } from "../../../common/errors";
import type { SiteKind } from "../../../common/roles";
import type { Db } from "../../db/createDb";
import { detentionSettings, person, site, siteAccessAuthorisation, user } from "../../db/schema";
import { DEFAULT_ACCESS_ALERT_DAYS, DEFAULT_RELEASE_PLAN_DAYS } from "./rules";

export interface DetentionSettings {
  releasePlanDays: number;
  accessAlertDays: number;
}

export async function loadDetentionSettings(db: Db, structureId: string): Promise<DetentionSettings> {
  const [row] = await db
    .select()
    .from(detentionSettings)
    .where(eq(detentionSettings.structureId, structureId));
  return {
    releasePlanDays: row?.releasePlanDays ?? DEFAULT_RELEASE_PLAN_DAYS,
    accessAlertDays: row?.accessAlertDays ?? DEFAULT_ACCESS_ALERT_DAYS,
  };
}

/** What anyone who may see the file sees of the detention (no prison number); null in milieu ouvert. */
export async function detentionOf(
  db: Db,
  p: {
    detentionSiteId: string | null;
    expectedReleaseDate: string | null;
    releaseKind: string | null;
    releasedOn: string | null;
  },
): Promise<DetentionView | null> {
  if (!p.detentionSiteId) return null;
  const [place] = await db
    .select({ name: site.name, kind: site.kind })
    .from(site)
    .where(eq(site.id, p.detentionSiteId));
  if (!place) return null;
  return {
    siteId: p.detentionSiteId,
    siteName: place.name,
    siteKind: place.kind as SiteKind,
    expectedReleaseDate: p.expectedReleaseDate,
    releaseKind: (p.releaseKind as ReleaseKind | null) ?? null,
    releasedOn: p.releasedOn,
  };
}

/**
 * A prison or SAS site of the structure, or a 400; not archived (an archived site takes no one new),
 * unless it is the one the file holds already (`kept`, old data: a release recorded there). Read in
 * share mode: an archive running at once waits for this transaction, then counts the person.
 * Returns its kind (a SAS has its own rule, `common/detention/sas.ts`). The 400 names the field
 * (`path`), so the form says it under its establishment.
 */
export async function assertDetentionSite(
  db: Db,
  structureId: string,
  siteId: string,
  kept: string | null = null,
  path = "body.siteId",
): Promise<SiteKind> {
  const [place] = await db
    .select({ kind: site.kind, archivedAt: site.archivedAt })
    .from(site)
    .where(and(eq(site.id, siteId), eq(site.structureId, structureId)))
    .for("share");
  if (!place || !isDetentionSiteKind(place.kind) || (place.archivedAt && siteId !== kept)) {
    throw errors.detention.siteNotDetention(path);
  }
  return place.kind as SiteKind;
}

/**
 * Whether messages to the person must stay unsent: held in a prison or SAS, or convoked to one.
 * Nobody sends SMS or e-mail to a detainee (DESIGN §7): convocations go through the establishment.
 */
export async function isThroughEstablishment(
  db: Db,
  input: { personId: string; siteId: string; day: string },
): Promise<boolean> {
  // Held on that day (not released by then, ADR 0028 addendum "place"), or a prison or SAS site.
  if ((await establishmentOf(db, input.personId, input.day)) !== null) return true;
  const [place] = await db.select({ kind: site.kind }).from(site).where(eq(site.id, input.siteId));
  return place !== undefined && isDetentionSiteKind(place.kind);
}

/**
 * At a prison or SAS site, the agent must hold an access authorisation valid on `day` (Paris);
 * elsewhere nothing is required. Throws the French 403 naming the agent and the site.
 */
export async function assertSiteAccess(
  db: Db,
  input: { siteId: string; userId: string; day: string },
): Promise<void> {
  const [place] = await db
    .select({ name: site.name, kind: site.kind })
    .from(site)
    .where(eq(site.id, input.siteId));
  if (!place || !isDetentionSiteKind(place.kind)) return;
  const [held] = await db
    .select({ validUntil: siteAccessAuthorisation.validUntil, name: user.displayName })
    .from(siteAccessAuthorisation)
    .innerJoin(user, eq(user.id, siteAccessAuthorisation.userId))
    .where(
      and(eq(siteAccessAuthorisation.siteId, input.siteId), eq(siteAccessAuthorisation.userId, input.userId)),
    )
    .orderBy(desc(siteAccessAuthorisation.validUntil))
    .limit(1);
  if (held && held.validUntil >= input.day) return;
  const [who] = await db.select({ name: user.displayName }).from(user).where(eq(user.id, input.userId));
  throw errors.detention.noAccessAuthorisation(
    who?.name ?? "Cet agent",
    place.name,
    held ? formatDate(held.validUntil) : null,
  );
}

/**
 * The prison and SAS sites of a structure still in service: the choices for a new placement or
 * authorisation (an archived one stays shown on the files that name it, `detentionOf`).
 */
export function detentionSites(db: Db, structureId: string) {
  return db
    .select({ id: site.id, name: site.name, kind: site.kind, capacity: site.capacity })
    .from(site)
    .where(
      and(
        eq(site.structureId, structureId),
        inArray(site.kind, [...detentionSiteKinds]),
        isNull(site.archivedAt),
      ),
    )
    .orderBy(site.name);
}

/** The person's columns the detention rule reads (common/detention/place.ts `heldIn`). */
export const detentionColumns = {
  siteId: person.detentionSiteId,
  releasedOn: person.releasedOn,
  expectedReleaseDate: person.expectedReleaseDate,
};

/** The establishment the person is held in on `day` (Paris; the one rule, `heldIn`), or null. */
export async function establishmentOf(db: Db, personId: string, day: string): Promise<string | null> {
  const [who] = await db.select(detentionColumns).from(person).where(eq(person.id, personId));
  return who ? heldIn(who, day) : null;
}

/**
 * A person held today is convoked only inside their establishment; anyone else never inside a
 * prison or a SAS (ADR 0028, addendum "place"). Throws the French 409, before anything is written.
 */
export async function assertPlaceFits(
  db: Db,
  input: { personId: string; siteId: string; day: string },
): Promise<void> {
  const establishmentId = await establishmentOf(db, input.personId, input.day);
  const places = await db
    .select({ id: site.id, name: site.name, kind: site.kind })
    .from(site)
    .where(inArray(site.id, establishmentId ? [input.siteId, establishmentId] : [input.siteId]));
  const place = places.find((p) => p.id === input.siteId);
  if (!place) return;
  switch (placeProblem(establishmentId, place)) {
    case null:
      return;
    case "outsideEstablishment":
      throw errors.detention.placeOutsideEstablishment(
        places.find((p) => p.id === establishmentId)?.name ?? "un établissement",
      );
    case "insideEstablishment":
      throw errors.detention.placeInsideEstablishment(place.name);
  }
}
