import { and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { parisDay } from "../../../../common/calendar";
import type {
  AccessAuthorisation,
  NewAccessAuthorisation,
} from "../../../../common/detention/detention.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import { type Actor, hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { membership, site, siteAccessAuthorisation, user } from "../../../db/schema";
import { assertDetentionSite, detentionSites, loadDetentionSettings } from "../queries";
import { authorisationState } from "../rules";

/** Access authorisations are the structure's direction's business (not the platform admin's). */
function assertDirects(actor: Actor, structureId: string): void {
  if (!hasRole(actor, "service_manager", structureId)) throw errors.access.forbidden();
}

const AGENT_ROLES = ["probation_officer", "counselor", "service_manager", "mediator"] as const;

/**
 * The structure's agents who may hold an authorisation: an accepted membership in force with an
 * agent's role. The form offers them, and a recording names one of them (a partner referent, a
 * steering member or an invitation not accepted yet is refused under the field).
 */
const agentOf = (structureId: string) =>
  and(
    eq(membership.structureId, structureId),
    isNull(membership.endedAt),
    isNotNull(membership.acceptedAt),
    inArray(membership.role, [...AGENT_ROLES]),
  );

/** The structure's access authorisations to its prisons and SAS, for the direction. */
export async function listAuthorisations(deps: Deps, ctx: RequestContext, structureId: string) {
  assertDirects(ctx.actor, structureId);
  const today = parisDay(ctx.clock.now());
  const { accessAlertDays } = await loadDetentionSettings(deps.db, structureId);
  const rows = await deps.db
    .select({ a: siteAccessAuthorisation, siteName: site.name, userName: user.displayName })
    .from(siteAccessAuthorisation)
    .innerJoin(site, eq(site.id, siteAccessAuthorisation.siteId))
    .innerJoin(user, eq(user.id, siteAccessAuthorisation.userId))
    .where(eq(siteAccessAuthorisation.structureId, structureId))
    .orderBy(asc(siteAccessAuthorisation.validUntil), asc(user.displayName));
  const agents = await deps.db
    .selectDistinct({ id: user.id, displayName: user.displayName })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(agentOf(structureId))
    .orderBy(asc(user.displayName));
  const authorisations: AccessAuthorisation[] = rows.map((r) => ({
    id: r.a.id,
    siteId: r.a.siteId,
    siteName: r.siteName,
    userId: r.a.userId,
    userName: r.userName,
    reference: r.a.reference,
    validUntil: r.a.validUntil,
    state: authorisationState(r.a.validUntil, today, accessAlertDays),
  }));
  return {
    authorisations,
    sites: await detentionSites(deps.db, structureId),
    agents,
    alertDays: accessAlertDays,
  };
}

/** Records an agent's authorisation (or renews it: one per agent and site; the alert is re-armed). */
export async function addAuthorisation(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  input: NewAccessAuthorisation,
): Promise<{ ok: true }> {
  assertDirects(ctx.actor, structureId);
  await deps.db.transaction(async (tx) => {
    await assertDetentionSite(tx, structureId, input.siteId);
    const [agent] = await tx
      .select({ id: membership.userId })
      .from(membership)
      .where(and(eq(membership.userId, input.userId), agentOf(structureId)))
      .limit(1);
    if (!agent)
      throw errors.request.invalid([
        { path: "body.userId", message: "Choisissez un agent de la structure." },
      ]);
    const values = {
      structureId,
      siteId: input.siteId,
      userId: input.userId,
      reference: input.reference,
      validUntil: input.validUntil,
      createdBy: ctx.actor.userId,
      createdAt: ctx.clock.now(),
      alertedAt: null,
    };
    const [row] = await tx
      .insert(siteAccessAuthorisation)
      .values(values)
      .onConflictDoUpdate({
        target: [siteAccessAuthorisation.siteId, siteAccessAuthorisation.userId],
        set: {
          reference: values.reference,
          validUntil: values.validUntil,
          createdBy: values.createdBy,
          alertedAt: null,
        },
      })
      .returning({ id: siteAccessAuthorisation.id });
    await journalFor(tx, ctx, {
      action: "detention.authorisation_recorded",
      targetType: "site_access_authorisation",
      targetId: row!.id,
      structureId,
      reason: `agent ${input.userId}, valable jusqu'au ${input.validUntil}`,
    });
  });
  return { ok: true };
}

export async function revokeAuthorisation(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  authorisationId: string,
): Promise<{ ok: true }> {
  assertDirects(ctx.actor, structureId);
  await deps.db.transaction(async (tx) => {
    const removed = await tx
      .delete(siteAccessAuthorisation)
      .where(
        and(
          eq(siteAccessAuthorisation.id, authorisationId),
          eq(siteAccessAuthorisation.structureId, structureId),
        ),
      )
      .returning({ id: siteAccessAuthorisation.id, userId: siteAccessAuthorisation.userId });
    if (removed.length === 0) throw errors.detention.authorisationNotFound();
    await journalFor(tx, ctx, {
      action: "detention.authorisation_revoked",
      targetType: "site_access_authorisation",
      targetId: authorisationId,
      structureId,
      reason: `agent ${removed[0]!.userId}`,
    });
  });
  return { ok: true };
}
