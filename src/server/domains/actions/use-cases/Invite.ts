import { and, eq, inArray, isNull } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { collectiveActionInvitation, directoryContact, directoryEntry } from "../../../db/schema";
import { normalizeEmail } from "../../identity/rules";
import { type Invitee, queueInvitationMails } from "../mails";
import { mayOrganise } from "../policies";
import { loadVisibleAction, placeOf, structureName } from "../queries";
import { invitationTokenHash, newInvitationToken } from "../rules";

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
    if (!mayOrganise(ctx.actor, action.structureId)) throw errors.access.forbidden();
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
              ),
            );
    if (contacts.length !== new Set(contactIds).size || contacts.some((c) => c.email === ""))
      throw errors.collectiveAction.unknownChoice();

    const wanted = new Map<string, { name: string; email: string; directoryContactId: string | null }>();
    for (const invitee of invitees) {
      const found =
        "directoryContactId" in invitee ? contacts.find((c) => c.id === invitee.directoryContactId)! : null;
      const email = normalizeEmail(found ? found.email : (invitee as { email: string }).email);
      if (!wanted.has(email))
        wanted.set(email, {
          name: found ? found.name : (invitee as { name: string }).name,
          email,
          directoryContactId: found?.id ?? null,
        });
    }
    const existing = await tx
      .select({ email: collectiveActionInvitation.email })
      .from(collectiveActionInvitation)
      .where(
        and(
          eq(collectiveActionInvitation.actionId, action.id),
          inArray(collectiveActionInvitation.email, [...wanted.keys()]),
        ),
      );
    for (const row of existing) wanted.delete(row.email);

    const fresh: Invitee[] = [];
    for (const invitee of wanted.values()) {
      const token = newInvitationToken();
      await tx.insert(collectiveActionInvitation).values({
        actionId: action.id,
        directoryContactId: invitee.directoryContactId,
        name: invitee.name,
        email: invitee.email,
        tokenHash: invitationTokenHash(token),
        createdAt: now,
      });
      fresh.push({ ...invitee, token });
    }
    await queueInvitationMails(tx, {
      action,
      place: await placeOf(tx, action),
      structureName: await structureName(tx, action.structureId),
      publicUrl: deps.config.PUBLIC_URL,
      mode: "request",
      invitees: fresh,
      now,
    });
    await journalFor(tx, ctx, {
      action: "collective_action.invited",
      targetType: "collective_action",
      targetId: action.id,
      structureId: action.structureId,
      reason: `${fresh.length} invitation(s) envoyée(s)`,
    });
    return { invited: fresh.length, alreadyInvited: existing.length };
  });
}
