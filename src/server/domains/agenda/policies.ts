import { and, inArray, isNotNull, or, type SQL, sql } from "drizzle-orm";
import { errors } from "../../../common/errors";
import { type Actor, hasRole } from "../../core/context";
import { convocation, counselorAbsence, openingRule, openingRuleCounselor } from "../../db/schema";
import { editablePeople, type PeopleScope } from "../people/policies";

/** Slots are looked up by those who book or hold permanences: CPIP, counselors, the direction. */
export function assertMaySeeSlots(actor: Actor, structureId: string): void {
  const allowed = (["probation_officer", "counselor", "service_manager"] as const).some((r) =>
    hasRole(actor, r, structureId),
  );
  if (!allowed) throw errors.access.forbidden();
}

/**
 * The one rule of "holding a permanence" (ADR 0014 addenda), as SQL: `userId` is in the pool of an
 * opening rule of the site valid on the Paris day of `from` (the site, not the weekday: a counselor
 * of the site fills in a colleague's day there), and no absence of hers covers the whole of
 * [`from`, `to`) — an absent counselor does not hold the permanence (the slots' capacity counts her
 * out the same way). A convocation's status (`atActorsPermanence`), the counselor's agenda
 * (`agendaRows`) and her permanence days (`queries.ts#permanenceDays`) all ask this.
 */
export function holdsPermanence(userId: string, at: { siteId: SQL; from: SQL; to: SQL }): SQL {
  const day = sql`((${at.from}) at time zone 'Europe/Paris')::date`;
  return sql`(exists (select 1 from ${openingRule} r
    join ${openingRuleCounselor} rc on rc.rule_id = r.id
    where rc.user_id = ${userId} and r.site_id = ${at.siteId}
      and r.valid_from <= ${day} and (r.valid_to is null or r.valid_to >= ${day}))
    and not exists (select 1 from ${counselorAbsence} a
      where a.user_id = ${userId} and a.starts_at <= ${at.from} and a.ends_at >= ${at.to}))`;
}

/**
 * As SQL over `convocation`: the actor holds a permanence at the convocation's site over its time
 * (`holdsPermanence`) — the counselors who receive the person there.
 */
export function atActorsPermanence(userId: string): SQL {
  return holdsPermanence(userId, {
    siteId: sql`${convocation.siteId}`,
    from: sql`${convocation.startsAt}`,
    to: sql`${convocation.endsAt}`,
  });
}

/**
 * The structures where the actor's agenda is a counselor's: she is a counselor there and not its
 * direction (which reads the whole structure).
 */
export function counselorOnlyStructures(scope: PeopleScope): string[] {
  return scope.counselorStructures.filter((s) => !scope.managerStructures.includes(s));
}

/**
 * As SQL over `convocation` (with `person` joined): the rows of the actor's agenda (DESIGN §2: a
 * counselor sees "the agenda of their sites"), each one the actor works on. The direction reads its
 * structure's, a CPIP the convocations of the people they refer (`editablePeople`; a service
 * colleague's person, read-only, is read on their file, not in the agenda); a counselor those at the
 * sites where she holds a permanence over the convocation's time (`atActorsPermanence`: exactly
 * those whose status she sets) and her structure's collective actions (whose attendance she
 * records) — never another site's day, not even read-only. Added to
 * `people/policies.ts#visiblePeople`, never instead of it.
 */
export function agendaRows(scope: PeopleScope): SQL {
  const counselor = scope.counselorStructures;
  return or(
    editablePeople(scope),
    counselor.length === 0
      ? sql`false`
      : and(
          inArray(convocation.structureId, counselor),
          or(isNotNull(convocation.collectiveActionId), atActorsPermanence(scope.actorUserId)),
        ),
  ) as SQL;
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
