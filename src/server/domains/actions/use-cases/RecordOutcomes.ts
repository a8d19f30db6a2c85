import { and, eq, inArray, sql } from "drizzle-orm";
import type { ActionKind, OutcomeKey } from "../../../../common/actions/actions.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { collectiveAction, collectiveActionInvitation } from "../../../db/schema";
import { mayRecordOutcomes } from "../policies";
import { loadVisibleAction, standingInvitation } from "../queries";
import { outcomeIssues, outcomesFor } from "../rules";

/**
 * The outcome of an action, once it started: partners present (among the invitations), counts by
 * kind (forum: interviews, hires, IAE orientations), minutes and decisions; the action is then
 * "held". People's attendance is their convocations' statuses (the usual status route).
 */
export async function recordOutcomes(
  deps: Deps,
  ctx: RequestContext,
  actionId: string,
  body: {
    outcomes: Partial<Record<OutcomeKey, number>>;
    minutes: string;
    decisions: string;
    presentInvitationIds: string[];
    held: boolean;
  },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const action = await loadVisibleAction(tx, ctx.actor, actionId, true);
    if (!mayRecordOutcomes(ctx.actor, action.structureId, action.kind)) throw errors.access.forbidden();
    const now = ctx.clock.now();
    if (action.status === "cancelled") throw errors.collectiveAction.closed();
    const issues = outcomeIssues(action.kind as ActionKind, body.outcomes);
    if (issues.length > 0) throw errors.request.invalid(issues);
    if (action.startsAt > now && (body.held || body.presentInvitationIds.length > 0))
      throw errors.request.invalid([
        { path: "body.held", message: "Le bilan se saisit une fois l'action commencée." },
      ]);
    const present = [...new Set(body.presentInvitationIds)];
    if (present.length > 0) {
      const known = await tx
        .select({ id: collectiveActionInvitation.id })
        .from(collectiveActionInvitation)
        .where(
          and(
            eq(collectiveActionInvitation.actionId, action.id),
            inArray(collectiveActionInvitation.id, present),
            standingInvitation(),
          ),
        );
      if (known.length !== present.length)
        throw errors.collectiveAction.unknownChoice([
          {
            path: "body.presentInvitationIds",
            message: "Cochez les présents parmi les partenaires invités à cette action.",
          },
        ]);
    }
    if (action.startsAt <= now) {
      // Every invitee is recorded present or absent, in one statement.
      await tx
        .update(collectiveActionInvitation)
        .set({ present: present.length > 0 ? inArray(collectiveActionInvitation.id, present) : sql`false` })
        .where(and(eq(collectiveActionInvitation.actionId, action.id), standingInvitation()));
    }
    await tx
      .update(collectiveAction)
      .set({
        outcomes: outcomesFor(action.kind as ActionKind, body.outcomes),
        minutes: body.minutes,
        decisions: body.decisions,
        status: body.held && action.startsAt <= now ? "held" : action.status,
        updatedAt: now,
      })
      .where(eq(collectiveAction.id, action.id));
    await journalFor(tx, ctx, {
      action: "collective_action.outcomes_recorded",
      targetType: "collective_action",
      targetId: action.id,
      structureId: action.structureId,
      reason: `${present.length} partenaire(s) présent(s)`,
    });
  });
}
