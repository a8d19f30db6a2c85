import { and, eq, isNull } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import { person, referent } from "../../../db/schema";
import { recordChanges } from "../changes";
import { assertFileOpen } from "../openFile";
import { mayChangeReferent, nominativeScope } from "../policies";
import { findVisiblePerson, referentCandidates } from "../queries";

async function findForReferentChange(db: Db, ctx: RequestContext, personId: string) {
  const scope = nominativeScope(ctx.actor);
  const found = await findVisiblePerson(db, scope, personId);
  if (!found) throw errors.person.notFound();
  if (!mayChangeReferent(scope, found.person.structureId, found.referentServiceId))
    throw errors.access.forbidden();
  return found;
}

/** The CPIP to whom the file may be given (the current referent left out). */
export async function listReferentCandidates(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
): Promise<{ candidates: { userId: string; displayName: string }[] }> {
  const found = await findForReferentChange(deps.db, ctx, personId);
  const rows = await referentCandidates(deps.db, found.person.structureId);
  return {
    candidates: rows
      .filter((r) => r.userId !== found.referentUserId)
      .map((r) => ({ userId: r.userId, displayName: r.displayName })),
  };
}

/**
 * Moves the file to another CPIP of the structure, in one transaction: the active referent row
 * ends, the new one starts (with the new CPIP's service), a history row and a journal row. The new
 * referent then finds the person in "Les personnes dont je suis référent" and their home alerts.
 */
export async function changeReferent(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  userId: string,
): Promise<{ ok: true }> {
  return inTransaction(deps.db, async (tx) => {
    // Two changes at once: the second reads the referent the first left (the same CPIP again is
    // refused, as when sent afterwards).
    await lockRows(tx, person, [personId]);
    const found = await findForReferentChange(tx, ctx, personId);
    await assertFileOpen(tx, personId);
    const [target] = (await referentCandidates(tx, found.person.structureId)).filter(
      (c) => c.userId === userId,
    );
    if (!target?.serviceId || userId === found.referentUserId) throw errors.person.unknownReferent();
    const now = ctx.clock.now();
    await tx
      .update(referent)
      .set({ endedAt: now })
      .where(and(eq(referent.personId, personId), isNull(referent.endedAt)));
    await tx.insert(referent).values({ personId, userId, serviceId: target.serviceId, startedAt: now });
    await recordChanges(tx, ctx, {
      personId,
      structureId: found.person.structureId,
      changes: [{ field: "referent", before: found.referentName ?? "", after: target.displayName }],
      reason: "",
      action: "person.referent_changed",
    });
    return { ok: true as const };
  });
}
