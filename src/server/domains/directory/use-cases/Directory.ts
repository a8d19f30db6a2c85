/**
 * The partners' directory (ADR 0030): search and read (CPIP, counselors, direction; a partner
 * referent its own organisation only), and the direction's edits, each journaled in its transaction.
 */
import { and, eq, sql } from "drizzle-orm";
import type {
  DirectoryContact,
  DirectoryContactBody,
  DirectoryEntry,
  DirectoryEntryBody,
  DirectoryList,
  DirectoryListQuery,
  NewDirectoryContactBody,
  NewDirectoryEntryBody,
} from "../../../../common/directory/directory.schema";
import { type AppError, errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import { violatedUniqueConstraint } from "../../../core/dbErrors";
import type { Deps } from "../../../core/deps";
import { alreadyCreated } from "../../../core/retriedCreation";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import {
  DIRECTORY_ENTRY_NAME_INDEX,
  directoryContact,
  directoryEntry,
  partner,
  readAlike,
} from "../../../db/schema";
import { normalizePhone } from "../../people/rules";
import { mayEditDirectory, mayReadDirectory, readableEntries } from "../policies";
import { entryViews, searchConditions } from "../queries";

export async function listDirectory(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  query: DirectoryListQuery,
): Promise<DirectoryList> {
  if (!mayReadDirectory(ctx.actor, structureId)) throw errors.access.forbidden();
  const edit = mayEditDirectory(ctx.actor, structureId);
  const entries = await entryViews(
    deps.db,
    and(eq(directoryEntry.structureId, structureId), readableEntries(ctx.actor), ...searchConditions(query)),
    edit && query.archived === "yes" ? "archived" : "active",
  );
  return { entries, permissions: { edit } };
}

/** An organisation's page: archived or not, with its archived contacts flagged. */
async function readableEntry(db: Db, ctx: RequestContext, entryId: string): Promise<DirectoryEntry> {
  const [entry] = await entryViews(
    db,
    and(eq(directoryEntry.id, entryId), readableEntries(ctx.actor)),
    "all",
  );
  if (!entry) throw errors.directory.notFound();
  return entry;
}

export function getDirectoryEntry(deps: Deps, ctx: RequestContext, entryId: string): Promise<DirectoryEntry> {
  return readableEntry(deps.db, ctx, entryId);
}

/** Phones are stored in E.164 (the schema already refused what is no number). */
function phoneOf(input: string): string {
  return normalizePhone(input) ?? input;
}

async function assertPartnerKnown(db: Db, partnerId: string | null): Promise<void> {
  if (!partnerId) return;
  const [known] = await db.select({ id: partner.id }).from(partner).where(eq(partner.id, partnerId));
  if (!known) throw errors.catalogue.partnerNotFound();
}

function entryRow(body: DirectoryEntryBody) {
  const iae = body.kind === "iae_employer";
  return {
    name: body.name,
    kind: body.kind,
    partnerId: body.partnerId,
    iaeKind: iae ? body.iaeKind : null,
    siret: body.siret,
    inPrison: iae ? body.inPrison : false,
    area: body.area,
    services: [...new Set(body.services)],
    address: body.address,
    phone: phoneOf(body.phone),
    email: body.email,
    website: body.website,
    notes: body.notes,
  };
}

/**
 * The refusal of a name the directory's name index turned down (another organisation of the
 * structure reads alike, case and spaces aside, archived or not), naming it; undefined otherwise.
 */
async function nameRefusal(
  db: Db,
  error: unknown,
  structureId: string,
  name: string,
): Promise<AppError | undefined> {
  if (violatedUniqueConstraint(error) !== DIRECTORY_ENTRY_NAME_INDEX) return undefined;
  const [same] = await db
    .select({ name: directoryEntry.name, archivedAt: directoryEntry.archivedAt })
    .from(directoryEntry)
    .where(
      and(
        eq(directoryEntry.structureId, structureId),
        eq(readAlike(directoryEntry.name), readAlike(sql`${name}::text`)),
      ),
    )
    .limit(1);
  return errors.directory.nameTaken(same?.name ?? name.trim(), Boolean(same?.archivedAt));
}

export async function createDirectoryEntry(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  { id: chosenId, ...body }: NewDirectoryEntryBody,
): Promise<DirectoryEntry> {
  if (!mayEditDirectory(ctx.actor, structureId)) throw errors.access.forbidden();
  // Sent again under the id its form chose (a lost answer; twice at once, the second runs again after
  // the primary key's violation): the entry already written is answered (ADR 0036). A name another
  // entry reads like is refused by the name index, at once or after that second run.
  return inTransaction(
    deps.db,
    async (tx) => {
      const row = entryRow(body);
      if (
        chosenId &&
        (await alreadyCreated(
          tx,
          ctx,
          {
            table: directoryEntry,
            id: chosenId,
            scope: [directoryEntry.structureId, structureId],
            creator: { journaled: "directory.entry_created" },
          },
          row,
          errors.directory.retriedWithOtherValues,
        ))
      )
        return readableEntry(tx, ctx, chosenId);
      await assertPartnerKnown(tx, body.partnerId);
      const [created] = await tx
        .insert(directoryEntry)
        .values({ id: chosenId, structureId, ...row, createdAt: ctx.clock.now() })
        .returning({ id: directoryEntry.id });
      await journalFor(tx, ctx, {
        action: "directory.entry_created",
        targetType: "directory_entry",
        targetId: created!.id,
        structureId,
        reason: body.name,
      });
      return readableEntry(tx, ctx, created!.id);
    },
    { retryUniqueViolation: true },
  ).catch(async (error: unknown) => {
    throw (await nameRefusal(deps.db, error, structureId, body.name)) ?? error;
  });
}

/**
 * The entry, if the actor may edit it (404 when they may not even read it); an archived one is
 * read-only until restored (409), unless the edit is the restoring itself.
 */
async function editableEntry(
  db: Db,
  ctx: RequestContext,
  entryId: string,
  evenArchived = false,
): Promise<{ structureId: string; archivedAt: string | null }> {
  const entry = await readableEntry(db, ctx, entryId);
  if (!mayEditDirectory(ctx.actor, entry.structureId)) throw errors.access.forbidden();
  if (entry.archivedAt && !evenArchived) throw errors.directory.archived();
  return entry;
}

export async function updateDirectoryEntry(
  deps: Deps,
  ctx: RequestContext,
  entryId: string,
  body: DirectoryEntryBody,
): Promise<DirectoryEntry> {
  let structureId = "";
  try {
    return await deps.db.transaction(async (tx) => {
      ({ structureId } = await editableEntry(tx, ctx, entryId));
      await assertPartnerKnown(tx, body.partnerId);
      await tx.update(directoryEntry).set(entryRow(body)).where(eq(directoryEntry.id, entryId));
      await journalFor(tx, ctx, {
        action: "directory.entry_changed",
        targetType: "directory_entry",
        targetId: entryId,
        structureId,
        reason: body.name,
      });
      return readableEntry(tx, ctx, entryId);
    });
  } catch (error) {
    throw (await nameRefusal(deps.db, error, structureId, body.name)) ?? error;
  }
}

function contactRow(body: DirectoryContactBody) {
  return {
    name: body.name,
    function: body.function,
    email: body.email,
    phone: phoneOf(body.phone),
    newsletterSubscribed: body.newsletterSubscribed,
  };
}

const sameAddress = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

function contactView(row: typeof directoryContact.$inferSelect): DirectoryContact {
  return {
    id: row.id,
    name: row.name,
    function: row.function,
    email: row.email,
    phone: row.phone,
    newsletterSubscribed: row.newsletterSubscribed && row.unsubscribedAt === null,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    emailBouncedAt: row.emailBouncedAt?.toISOString() ?? null,
  };
}

export async function addDirectoryContact(
  deps: Deps,
  ctx: RequestContext,
  entryId: string,
  { id: chosenId, ...body }: NewDirectoryContactBody,
): Promise<DirectoryContact> {
  // Sent again under the id its form chose: the contact already written is answered (ADR 0036).
  return inTransaction(
    deps.db,
    async (tx) => {
      const { structureId } = await editableEntry(tx, ctx, entryId);
      const row = contactRow(body);
      if (
        chosenId &&
        (await alreadyCreated(
          tx,
          ctx,
          {
            table: directoryContact,
            id: chosenId,
            scope: [directoryContact.entryId, entryId],
            creator: { journaled: "directory.contact_added" },
          },
          row,
          errors.directory.retriedWithOtherValues,
        ))
      ) {
        const [found] = await tx.select().from(directoryContact).where(eq(directoryContact.id, chosenId));
        return contactView(found!);
      }
      const [created] = await tx
        .insert(directoryContact)
        .values({ id: chosenId, entryId, ...row, createdAt: ctx.clock.now() })
        .returning();
      await journalFor(tx, ctx, {
        action: "directory.contact_added",
        targetType: "directory_contact",
        targetId: created!.id,
        structureId,
      });
      return contactView(created!);
    },
    { retryUniqueViolation: true },
  );
}

export async function updateDirectoryContact(
  deps: Deps,
  ctx: RequestContext,
  contactId: string,
  body: DirectoryContactBody,
): Promise<DirectoryContact> {
  return deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({
        entryId: directoryContact.entryId,
        unsubscribedAt: directoryContact.unsubscribedAt,
        archivedAt: directoryContact.archivedAt,
        email: directoryContact.email,
        emailBouncedAt: directoryContact.emailBouncedAt,
      })
      .from(directoryContact)
      .where(eq(directoryContact.id, contactId));
    if (!found) throw errors.directory.notFound();
    const { structureId } = await editableEntry(tx, ctx, found.entryId);
    if (found.archivedAt) throw errors.directory.archived();
    // Subscribing again is the direction's act (the contact asked): it clears the unsubscription.
    const [updated] = await tx
      .update(directoryContact)
      .set({
        ...contactRow(body),
        unsubscribedAt: body.newsletterSubscribed ? null : found.unsubscribedAt,
        // A corrected address may be tried again; the same address stays undeliverable.
        emailBouncedAt: sameAddress(body.email, found.email) ? found.emailBouncedAt : null,
      })
      .where(eq(directoryContact.id, contactId))
      .returning();
    await journalFor(tx, ctx, {
      action: "directory.contact_changed",
      targetType: "directory_contact",
      targetId: contactId,
      structureId,
    });
    return contactView(updated!);
  });
}

/**
 * Archives or restores an organisation (direction). Archived, it leaves the searches, the pickers
 * (orientation, invitation, convention, working group) and the sends (newsletter, invitations) with
 * its contacts, and stays readable where it was used. Restoring it brings it back as it was.
 */
export async function archiveDirectoryEntry(
  deps: Deps,
  ctx: RequestContext,
  entryId: string,
  archived: boolean,
): Promise<DirectoryEntry> {
  return deps.db.transaction(async (tx) => {
    // Sent twice at once, the second waits and reads the state the first left: archived (or
    // restored) and journaled once (ADR 0036).
    await lockRows(tx, directoryEntry, [entryId]);
    const entry = await editableEntry(tx, ctx, entryId, true);
    if (Boolean(entry.archivedAt) !== archived) {
      await tx
        .update(directoryEntry)
        .set({ archivedAt: archived ? ctx.clock.now() : null })
        .where(eq(directoryEntry.id, entryId));
      await journalFor(tx, ctx, {
        action: archived ? "directory.entry_archived" : "directory.entry_restored",
        targetType: "directory_entry",
        targetId: entryId,
        structureId: entry.structureId,
      });
    }
    return readableEntry(tx, ctx, entryId);
  });
}

/** Archives or restores one contact (direction); the organisation must not be archived itself. */
export async function archiveDirectoryContact(
  deps: Deps,
  ctx: RequestContext,
  contactId: string,
  archived: boolean,
): Promise<DirectoryEntry> {
  return deps.db.transaction(async (tx) => {
    await lockRows(tx, directoryContact, [contactId]); // sent twice at once: archived and journaled once
    const [found] = await tx
      .select({ entryId: directoryContact.entryId, archivedAt: directoryContact.archivedAt })
      .from(directoryContact)
      .where(eq(directoryContact.id, contactId));
    if (!found) throw errors.directory.notFound();
    const { structureId } = await editableEntry(tx, ctx, found.entryId);
    if ((found.archivedAt !== null) !== archived) {
      await tx
        .update(directoryContact)
        .set({ archivedAt: archived ? ctx.clock.now() : null })
        .where(eq(directoryContact.id, contactId));
      await journalFor(tx, ctx, {
        action: archived ? "directory.contact_archived" : "directory.contact_restored",
        targetType: "directory_contact",
        targetId: contactId,
        structureId,
      });
    }
    return readableEntry(tx, ctx, found.entryId);
  });
}
