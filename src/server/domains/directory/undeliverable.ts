import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/createDb";
import { directoryContact } from "../../db/schema";

/**
 * A mail server refused a contact's address for good (a hard bounce, synchronous or reported later
 * by a delivery status notification): the contact is marked undeliverable, and the next newsletter
 * skips it (`newsletter/content.ts#subscribedContacts`) until the direction changes the address.
 * Only if the address bounced is still the contact's (it may have been corrected since it left).
 */
export async function markAddressUndeliverable(
  db: Db,
  contactId: string,
  address: string,
  now: Date,
): Promise<void> {
  await db
    .update(directoryContact)
    .set({ emailBouncedAt: now })
    .where(
      and(
        eq(directoryContact.id, contactId),
        sql`lower(trim(${directoryContact.email})) = ${address.trim().toLowerCase()}`,
        isNull(directoryContact.emailBouncedAt),
      ),
    );
}
