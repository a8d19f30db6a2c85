import { and, eq, inArray, isNull } from "drizzle-orm";
import { isSeriesKind } from "../../../../common/actions/actions.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { directoryContact, directoryEntry } from "../../../db/schema";
import { inviteToAction } from "../invitations";
import { mayOrganise } from "../policies";
import { loadVisibleAction } from "../queries";

type InviteeInput = { directoryContactId: string } | { name: string; email: string };

/**
 * Invites partners: directory contacts of the structure, or a name and an e-mail typed in. One
 * invitation per e-mail and action (an address already invited is skipped); each gets its own
 * answer link and the ICS invitation, queued in the outbox in the same transaction.
 */
export async function invitePartners(
  deps: Deps,
  ctx: RequestContext,
  actionId: string,
  invitees: InviteeInput[],
): Promise<{ invited: number; alreadyInvited: number }> {
  return deps.db.transaction(async (tx) => {
    const action = await loadVisibleAction(tx, ctx.actor, actionId, true);
    if (!mayOrganise(ctx.actor, action.structureId, action.kind)) throw errors.access.forbidden();
    // A working group or the steering committee invites its members to each meeting: no one-off guest beside them.
    if (isSeriesKind(action.kind)) throw errors.collectiveAction.membersOnly();
    const now = ctx.clock.now();
    if (action.status === "cancelled" || action.startsAt <= now) throw errors.collectiveAction.closed();

    const contactIds = invitees.flatMap((i) => ("directoryContactId" in i ? [i.directoryContactId] : []));
    const contacts =
      contactIds.length === 0
        ? []
        : await tx
            .select({ id: directoryContact.id, name: directoryContact.name, email: directoryContact.email })
            .from(directoryContact)
            .innerJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
            .where(
              and(
                inArray(directoryContact.id, contactIds),
                eq(directoryEntry.structureId, action.structureId),
                isNull(directoryEntry.archivedAt),
                isNull(directoryContact.archivedAt),
              ),
            );
    if (contacts.length !== new Set(contactIds).size || contacts.some((c) => c.email === ""))
      throw errors.collectiveAction.unknownChoice([
        {
          path: "body.invitees",
          message: "Choisissez des contacts de l'annuaire de la structure qui ont une adresse électronique.",
        },
      ]);

    const result = await inviteToAction(
      tx,
      deps,
      action,
      invitees.map((invitee) => {
        if ("directoryContactId" in invitee) {
          const found = contacts.find((c) => c.id === invitee.directoryContactId)!;
          return { name: found.name, email: found.email, directoryContactId: found.id, userId: null };
        }
        return { name: invitee.name, email: invitee.email, directoryContactId: null, userId: null };
      }),
      now,
    );
    await journalFor(tx, ctx, {
      action: "collective_action.invited",
      targetType: "collective_action",
      targetId: action.id,
      structureId: action.structureId,
      reason: `${result.invited} invitation(s) envoyée(s)`,
    });
    return result;
  });
}
