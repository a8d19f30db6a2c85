import { type SQL, sql } from "drizzle-orm";
import { errors } from "../../../common/errors";
import { type Actor, hasRole } from "../../core/context";
import { convocation, openingRule, openingRuleCounselor } from "../../db/schema";

/** Slots are looked up by those who book or hold permanences: CPIP, counselors, the direction. */
export function assertMaySeeSlots(actor: Actor, structureId: string): void {
  const allowed = (["probation_officer", "counselor", "service_manager"] as const).some((r) =>
    hasRole(actor, r, structureId),
  );
  if (!allowed) throw errors.access.forbidden();
}

/**
 * As SQL over `convocation`: the actor holds a permanence at the convocation's site on its day (they
 * are in the pool of one of the site's opening rules valid that Paris day) — the counselors who receive
 * the person there.
 */
export function atActorsPermanence(userId: string): SQL {
  return sql`exists (select 1 from ${openingRule} r
    join ${openingRuleCounselor} rc on rc.rule_id = r.id
    where rc.user_id = ${userId} and r.site_id = ${convocation.siteId}
      and r.valid_from <= (${convocation.startsAt} at time zone 'Europe/Paris')::date
      and (r.valid_to is null or r.valid_to >= (${convocation.startsAt} at time zone 'Europe/Paris')::date))`;
}

/**
 * Statuses (and the arrival, and their correction) are set by the person's referent and the
 * direction (`isReferentOrEditor`, the direction editing every file of its structure), and by the
 * counselors who receive the person: for a permanence, those holding a permanence at that site on
 * that day (`atActorsPermanence`), not every counselor of the structure; for a collective action,
 * the structure's counselors, who record its attendance (doc/product.md).
 */
export function maySetStatus(
  actor: Actor,
  c: { structureId: string; collectiveActionId: string | null },
  isReferentOrEditor: boolean,
  atOwnPermanence: boolean,
): boolean {
  if (isReferentOrEditor || hasRole(actor, "service_manager", c.structureId)) return true;
  if (!hasRole(actor, "counselor", c.structureId)) return false;
  return c.collectiveActionId !== null || atOwnPermanence;
}

/** Opening rules, closures and absences are the direction's configuration. */
export function assertManagesOpenings(actor: Actor, structureId: string): void {
  if (!hasRole(actor, "service_manager", structureId)) throw errors.access.forbidden();
}

/**
 * Visits (démarches, needs) are recorded by the structure's direction and by the counselors whose own
 * scope holds the person (`inCounselorScope`: `people/policies.ts#counselorSees`, true for any counselor
 * of the structure on a person convoked there) — not by a CPIP who also counsels and only reads the
 * person as a CPIP of the service (ADR 0009, addendum of 2026-12-06).
 */
export function mayRecordVisits(actor: Actor, structureId: string, inCounselorScope: boolean): boolean {
  return inCounselorScope || hasRole(actor, "service_manager", structureId);
}
