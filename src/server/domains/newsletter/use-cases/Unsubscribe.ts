import { eq } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journal } from "../../../core/audit";
import type { Deps, RequestMeta } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { directoryContact, newsletterDelivery, newsletterIssue, structure } from "../../../db/schema";
import { tokenHash } from "./SendIssue";

/** "c•••@caf.fr": enough for the reader to recognise their address, not enough to harvest it. */
export function maskEmail(email: string): string {
  const [local = "", domain = ""] = email.split("@");
  return `${local.slice(0, 1)}•••@${domain}`;
}

async function deliveryOf(db: Db, token: string, lock: boolean) {
  const query = db
    .select({
      id: newsletterDelivery.id,
      contactId: newsletterDelivery.directoryContactId,
      email: newsletterDelivery.email,
      unsubscribedAt: newsletterDelivery.unsubscribedAt,
      contactUnsubscribedAt: directoryContact.unsubscribedAt,
      structureId: newsletterIssue.structureId,
      structureName: structure.name,
    })
    .from(newsletterDelivery)
    .innerJoin(newsletterIssue, eq(newsletterIssue.id, newsletterDelivery.issueId))
    .innerJoin(structure, eq(structure.id, newsletterIssue.structureId))
    .innerJoin(directoryContact, eq(directoryContact.id, newsletterDelivery.directoryContactId))
    .where(eq(newsletterDelivery.tokenHash, tokenHash(token)));
  const [found] = lock ? await query.for("update", { of: newsletterDelivery }) : await query;
  if (!found) throw errors.newsletter.unknownLink();
  return found;
}

/** What a link applies to, without changing anything (mail scanners follow links). */
export async function unsubscribeInfo(deps: Deps, token: string) {
  const found = await deliveryOf(deps.db, token, false);
  return {
    structureName: found.structureName,
    email: maskEmail(found.email),
    alreadyUnsubscribed: found.unsubscribedAt !== null || found.contactUnsubscribedAt !== null,
  };
}

/**
 * The link's own contact, and only it, stops receiving the newsletter (the delivery and the contact
 * in one transaction, journaled without an actor). A link used again answers "déjà désabonné".
 */
export async function unsubscribe(deps: Deps, meta: RequestMeta, token: string) {
  return deps.db.transaction(async (tx) => {
    const found = await deliveryOf(tx, token, true);
    if (found.unsubscribedAt) return { alreadyUnsubscribed: true };
    const now = deps.clock.now();
    await tx
      .update(newsletterDelivery)
      .set({ unsubscribedAt: now })
      .where(eq(newsletterDelivery.id, found.id));
    await tx
      .update(directoryContact)
      .set({ newsletterSubscribed: false, unsubscribedAt: found.contactUnsubscribedAt ?? now })
      .where(eq(directoryContact.id, found.contactId));
    await journal(
      tx,
      { ...meta, clock: deps.clock, actorUserId: null },
      {
        action: "newsletter.unsubscribe",
        targetType: "directory_contact",
        targetId: found.contactId,
        structureId: found.structureId,
      },
    );
    return { alreadyUnsubscribed: found.contactUnsubscribedAt !== null };
  });
}
