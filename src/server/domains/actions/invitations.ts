import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Deps } from "../../core/deps";
import type { Db } from "../../db/createDb";
import { collectiveAction, collectiveActionInvitation } from "../../db/schema";
import { normalizeEmail } from "../identity/rules";
import { type Invitee, queueInvitationMails } from "./mails";
import { type ActionRow, placeOf, structureName } from "./queries";
import { invitationTokenHash, newInvitationToken } from "./rules";

export interface NewInvitee {
  name: string;
  email: string;
  directoryContactId: string | null;
  /** The agent invited (a working group member), so the invitation stays theirs if their address changes. */
  userId: string | null;
}

/** The action's ICS sequence, one higher: every calendar that holds an older message takes the next one. */
async function nextSequence(tx: Db, actionId: string): Promise<ActionRow> {
  const [bumped] = await tx
    .update(collectiveAction)
    .set({ sequence: sql`${collectiveAction.sequence} + 1` })
    .where(eq(collectiveAction.id, actionId))
    .returning();
  return bumped!;
}

/**
 * Invites people to one action in the caller's transaction: one invitation per address (an address
 * already invited is skipped), each with its own answer link, and the ICS invitation queued in the
 * outbox. Used by the invitation form and by the working groups (members of the series). An
 * invitation withdrawn earlier (member removed, then added again) stands again with a new link and
 * no answer; the ICS sequence then grows so the REQUEST outranks the CANCEL the invitee holds.
 */
export async function inviteToAction(
  tx: Db,
  deps: Deps,
  action: ActionRow,
  invitees: NewInvitee[],
  now: Date,
): Promise<{ invited: number; alreadyInvited: number }> {
  const wanted = new Map<string, NewInvitee>();
  for (const invitee of invitees) {
    const email = normalizeEmail(invitee.email);
    if (email !== "" && !wanted.has(email)) wanted.set(email, { ...invitee, email });
  }
  if (wanted.size === 0) return { invited: 0, alreadyInvited: 0 };
  // The invitations these addresses already have, standing or withdrawn (cancelled).
  const existing = await tx
    .select({
      id: collectiveActionInvitation.id,
      email: collectiveActionInvitation.email,
      cancelledAt: collectiveActionInvitation.cancelledAt,
    })
    .from(collectiveActionInvitation)
    .where(
      and(
        eq(collectiveActionInvitation.actionId, action.id),
        inArray(collectiveActionInvitation.email, [...wanted.keys()]),
      ),
    );
  const standing = existing.length;
  const withdrawn = existing.filter((row) => row.cancelledAt !== null);
  const withdrawnIds = new Map(withdrawn.map((row) => [row.email, row.id]));
  for (const row of existing) if (!withdrawnIds.has(row.email)) wanted.delete(row.email);

  const fresh: Invitee[] = [];
  for (const invitee of wanted.values()) {
    const token = newInvitationToken();
    const again = withdrawnIds.get(invitee.email);
    if (again)
      await tx
        .update(collectiveActionInvitation)
        .set({
          name: invitee.name,
          directoryContactId: invitee.directoryContactId,
          userId: invitee.userId,
          tokenHash: invitationTokenHash(token),
          answer: null,
          answeredAt: null,
          present: null,
          cancelledAt: null,
        })
        .where(eq(collectiveActionInvitation.id, again));
    else
      await tx.insert(collectiveActionInvitation).values({
        actionId: action.id,
        directoryContactId: invitee.directoryContactId,
        userId: invitee.userId,
        name: invitee.name,
        email: invitee.email,
        tokenHash: invitationTokenHash(token),
        createdAt: now,
      });
    fresh.push({ ...invitee, token });
  }
  await queueInvitationMails(tx, {
    action: withdrawn.length > 0 ? await nextSequence(tx, action.id) : action,
    place: await placeOf(tx, action),
    structureName: await structureName(tx, action.structureId),
    publicUrl: deps.config.PUBLIC_URL,
    mode: "request",
    invitees: fresh,
    now,
  });
  return { invited: fresh.length, alreadyInvited: standing - withdrawn.length };
}

/**
 * Withdraws standing invitations from their invitees in the caller's transaction: each is marked
 * cancelled (only if it still stood, so a second call sends nothing) and its invitee gets one
 * e-mail with the ICS CANCEL (same uid, the action's sequence one higher). Returns how many.
 */
export async function withdrawInvitations(
  tx: Db,
  deps: Deps,
  action: ActionRow,
  invitationIds: string[],
  now: Date,
): Promise<number> {
  if (invitationIds.length === 0) return 0;
  const cancelled = await tx
    .update(collectiveActionInvitation)
    .set({ cancelledAt: now })
    .where(
      and(
        eq(collectiveActionInvitation.actionId, action.id),
        inArray(collectiveActionInvitation.id, invitationIds),
        isNull(collectiveActionInvitation.cancelledAt),
      ),
    )
    .returning();
  if (cancelled.length === 0) return 0;
  await queueInvitationMails(tx, {
    action: await nextSequence(tx, action.id),
    place: await placeOf(tx, action),
    structureName: await structureName(tx, action.structureId),
    publicUrl: deps.config.PUBLIC_URL,
    mode: "withdraw",
    invitees: cancelled.map((i) => ({
      name: i.name,
      email: i.email,
      directoryContactId: i.directoryContactId,
      userId: i.userId,
      token: null,
    })),
    now,
  });
  return cancelled.length;
}
