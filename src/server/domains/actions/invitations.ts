import { and, eq, inArray } from "drizzle-orm";
import type { Deps } from "../../core/deps";
import type { Db } from "../../db/createDb";
import { collectiveActionInvitation } from "../../db/schema";
import { normalizeEmail } from "../identity/rules";
import { type Invitee, queueInvitationMails } from "./mails";
import { type ActionRow, placeOf, structureName } from "./queries";
import { invitationTokenHash, newInvitationToken } from "./rules";

export interface NewInvitee {
  name: string;
  email: string;
  directoryContactId: string | null;
}

/**
 * Invites people to one action in the caller's transaction: one invitation per address (an address
 * already invited is skipped), each with its own answer link, and the ICS invitation queued in the
 * outbox. Used by the invitation form and by the working groups (members of the series).
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
  return { invited: fresh.length, alreadyInvited: existing.length };
}
