/**
 * The local partners of a collective action (ADR 0039): the organisation lending its premises
 * (« Locaux prêtés par ») and the cofunders, directory entries of the action's structure.
 */
import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import { errors } from "../../../common/errors";
import type { Db } from "../../db/createDb";
import { collectiveActionCofunder, directoryEntry } from "../../db/schema";

/**
 * The host and cofunders chosen are entries of the structure's directory, not archived unless the
 * action already named them (else a field error in French, nothing written).
 */
export async function checkLocalPartners(
  tx: Db,
  structureId: string,
  body: { hostEntryId: string | null; cofunderEntryIds: string[] },
  saved: { hostEntryId: string | null; cofunderEntryIds: string[] } = {
    hostEntryId: null,
    cofunderEntryIds: [],
  },
): Promise<void> {
  const wanted = [...new Set([...(body.hostEntryId ? [body.hostEntryId] : []), ...body.cofunderEntryIds])];
  if (wanted.length === 0) return;
  const kept = [...(saved.hostEntryId ? [saved.hostEntryId] : []), ...saved.cofunderEntryIds];
  const found = await tx
    .select({ id: directoryEntry.id })
    .from(directoryEntry)
    .where(
      and(
        eq(directoryEntry.structureId, structureId),
        inArray(directoryEntry.id, wanted),
        kept.length > 0
          ? or(isNull(directoryEntry.archivedAt), inArray(directoryEntry.id, kept))
          : isNull(directoryEntry.archivedAt),
      ),
    );
  const known = new Set(found.map((f) => f.id));
  const issues: { path: string; message: string }[] = [];
  if (body.hostEntryId && !known.has(body.hostEntryId))
    issues.push({
      path: "body.hostEntryId",
      message: "Choisissez l'organisation qui prête ses locaux dans l'annuaire de la structure.",
    });
  if (body.cofunderEntryIds.some((id) => !known.has(id)))
    issues.push({
      path: "body.cofunderEntryIds",
      message: "Choisissez les cofinanceurs dans l'annuaire de la structure.",
    });
  if (issues.length > 0) throw errors.request.invalid(issues);
}

export async function setCofunders(tx: Db, actionId: string, entryIds: string[]): Promise<void> {
  await tx.delete(collectiveActionCofunder).where(eq(collectiveActionCofunder.actionId, actionId));
  const ids = [...new Set(entryIds)];
  if (ids.length > 0)
    await tx.insert(collectiveActionCofunder).values(ids.map((entryId) => ({ actionId, entryId })));
}

/** The host's name and the cofunders of an action, by name. */
export async function localPartnersOf(
  tx: Db,
  action: { id: string; hostEntryId: string | null },
): Promise<{ host: { id: string; name: string } | null; cofunders: { id: string; name: string }[] }> {
  const [host] = action.hostEntryId
    ? await tx
        .select({ id: directoryEntry.id, name: directoryEntry.name })
        .from(directoryEntry)
        .where(eq(directoryEntry.id, action.hostEntryId))
    : [];
  const cofunders = await tx
    .select({ id: directoryEntry.id, name: directoryEntry.name })
    .from(collectiveActionCofunder)
    .innerJoin(directoryEntry, eq(directoryEntry.id, collectiveActionCofunder.entryId))
    .where(eq(collectiveActionCofunder.actionId, action.id))
    .orderBy(asc(directoryEntry.name));
  return { host: host ?? null, cofunders };
}
