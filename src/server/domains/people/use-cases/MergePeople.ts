import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import { hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import {
  consent,
  convocation,
  demarche,
  measure,
  needAssessment,
  note,
  notification,
  orientation,
  person,
  personChange,
  referent,
  smsOptOut,
  visit,
} from "../../../db/schema";
import { assertFileOpen } from "../openFile";
import { nominativeScope } from "../policies";
import { findVisiblePerson } from "../queries";

/** Tables whose rows follow the person; each is moved by one UPDATE in the merge transaction. */
const owned = [
  convocation,
  measure,
  demarche,
  needAssessment,
  visit,
  note,
  orientation,
  notification,
  personChange,
] as const;

/**
 * The direction folds a duplicate into the record it keeps, in one transaction: convocations,
 * measures, démarches, needs, visits, notes, orientations and messages move; the duplicate's active
 * referent and consent end (the kept record's stay); an SMS refusal is kept; the duplicate is then
 * hidden from everyone. Both records are journaled.
 */
export async function mergePeople(
  deps: Deps,
  ctx: RequestContext,
  keepId: string,
  duplicateId: string,
): Promise<{ id: string }> {
  if (keepId === duplicateId) throw errors.person.cannotMergeItself();
  const scope = nominativeScope(ctx.actor);
  return inTransaction(deps.db, async (tx) => {
    // Both records first, in the order of their ids: A into B and B into A at once no longer
    // deadlock; the second waits, then finds one of them merged.
    await lockRows(tx, person, [keepId, duplicateId]);
    const [merged] = await tx
      .select({ structureId: person.structureId })
      .from(person)
      .where(and(inArray(person.id, [keepId, duplicateId]), isNotNull(person.mergedIntoId)));
    // Said to the direction of its structure only; anyone else gets the 404 below.
    if (merged && hasRole(ctx.actor, "service_manager", merged.structureId)) throw errors.person.merged();
    const keep = await findVisiblePerson(tx, scope, keepId);
    const duplicate = await findVisiblePerson(tx, scope, duplicateId);
    if (!keep || !duplicate || keep.person.structureId !== duplicate.person.structureId)
      throw errors.person.notFound();
    await assertFileOpen(tx, keepId);
    await assertFileOpen(tx, duplicateId);
    if (!hasRole(ctx.actor, "service_manager", keep.person.structureId)) throw errors.access.forbidden();
    const now = ctx.clock.now();
    await tx
      .update(referent)
      .set({ endedAt: now })
      .where(and(eq(referent.personId, duplicateId), isNull(referent.endedAt)));
    await tx.update(referent).set({ personId: keepId }).where(eq(referent.personId, duplicateId));
    await tx
      .update(consent)
      .set({ revokedAt: now, revokedBy: ctx.actor.userId })
      .where(and(eq(consent.personId, duplicateId), isNull(consent.revokedAt)));
    await tx.update(consent).set({ personId: keepId }).where(eq(consent.personId, duplicateId));
    for (const table of owned) {
      await tx.update(table).set({ personId: keepId }).where(eq(table.personId, duplicateId));
    }
    const [refusal] = await tx.select().from(smsOptOut).where(eq(smsOptOut.personId, duplicateId));
    if (refusal) {
      await tx.delete(smsOptOut).where(eq(smsOptOut.personId, duplicateId));
      if (refusal.optedOutAt) {
        await tx
          .insert(smsOptOut)
          .values({ personId: keepId, token: refusal.token, optedOutAt: refusal.optedOutAt })
          .onConflictDoUpdate({
            target: smsOptOut.personId,
            set: {
              optedOutAt: sql`coalesce(${smsOptOut.optedOutAt}, ${refusal.optedOutAt.toISOString()}::timestamptz)`,
            },
          });
      }
    }
    await tx.update(person).set({ mergedIntoId: keepId }).where(eq(person.id, duplicateId));
    for (const [targetId, reason] of [
      [keepId, `doublon ${duplicateId} fusionné dans ce dossier`],
      [duplicateId, `fusionné dans ${keepId}`],
    ] as const) {
      await journalFor(tx, ctx, {
        action: "person.merged",
        targetType: "person",
        targetId,
        structureId: keep.person.structureId,
        reason,
      });
    }
    return { id: keepId };
  });
}
