import { and, eq, sql } from "drizzle-orm";
import type {
  AddDemarcheBody,
  DemarcheChange,
  DemarcheView,
} from "../../../../common/accompaniment/accompaniment.schema";
import { demarcheStatusLabels } from "../../../../common/accompaniment/accompaniment.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { alreadyCreated } from "../../../core/retriedCreation";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import { demarche, person } from "../../../db/schema";
import { mayRecordVisits } from "../../agenda/policies";
import { assertFileOpen } from "../../people/openFile";
import { counselorSees, nominativeScope, visiblePeople } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { demarcheViews } from "../queries";
import { changeDemarche, startDemarche } from "./RecordVisit";

/** A démarche followed between visits (a partner's answer arrived, a document was brought). */
export async function updateDemarche(
  deps: Deps,
  ctx: RequestContext,
  demarcheId: string,
  change: DemarcheChange,
): Promise<DemarcheView> {
  const scope = nominativeScope(ctx.actor);
  return inTransaction(deps.db, async (tx) => {
    // Two changes at once: the second reads the status the first left (its transition checked again).
    await lockRows(tx, demarche, [demarcheId]);
    const [found] = await tx
      .select({ demarche, counselor: sql<boolean>`(${counselorSees(scope)})`.mapWith(Boolean) })
      .from(demarche)
      .innerJoin(person, eq(person.id, demarche.personId))
      .where(and(eq(demarche.id, demarcheId), visiblePeople(scope)));
    if (!found) throw errors.accompaniment.demarcheNotFound();
    await assertFileOpen(tx, found.demarche.personId);
    if (!mayRecordVisits(ctx.actor, found.demarche.structureId, found.counselor))
      throw errors.access.forbidden();
    await changeDemarche(tx, ctx, found.demarche, change, null);
    await journalFor(tx, ctx, {
      action: "demarche.updated",
      targetType: "demarche",
      targetId: demarcheId,
      structureId: found.demarche.structureId,
      reason: `nouveau statut : ${demarcheStatusLabels[change.status]}`,
    });
    const [view] = await demarcheViews(tx, { id: demarcheId });
    return view!;
  });
}

/** A démarche started between visits (a document brought to the counselor, a call with the person). */
export async function addDemarche(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  { id: chosenId, ...input }: AddDemarcheBody,
): Promise<DemarcheView> {
  const scope = nominativeScope(ctx.actor);
  // Sent twice at once under the same id: the second insert waits for the first, breaks the primary
  // key, and runs again: `alreadyCreated` then finds the first's démarche and answers it (ADR 0036).
  return inTransaction(
    deps.db,
    async (tx) => {
      const found = await findVisiblePerson(tx, scope, personId);
      if (!found) throw errors.person.notFound();
      await assertFileOpen(tx, personId);
      if (!mayRecordVisits(ctx.actor, found.person.structureId, found.counselor))
        throw errors.access.forbidden();
      // A retry of a creation already written: the same démarche, not a second one.
      if (
        chosenId &&
        (await alreadyCreated(
          tx,
          ctx,
          {
            table: demarche,
            id: chosenId,
            scope: [demarche.personId, personId],
            creator: demarche.createdBy,
          },
          {
            demarcheTypeId: input.demarcheTypeId,
            helpLevel: input.helpLevel,
            status: input.status,
            outcome: input.outcome,
            nextStep: input.nextStep,
            dueDate: input.dueDate,
            timeSpentMinutes: input.timeSpentMinutes,
            // Unsent, the documents are the catalogue's list, as the first time.
            ...(input.documents ? { documents: input.documents } : {}),
          },
          errors.accompaniment.retriedWithOtherValues,
        ))
      ) {
        const [view] = await demarcheViews(tx, { id: chosenId });
        return view!;
      }
      const id = await startDemarche(
        tx,
        ctx,
        { structureId: found.person.structureId, personId, siteId: null },
        input,
        null,
        chosenId,
      );
      await journalFor(tx, ctx, {
        action: "demarche.created",
        targetType: "demarche",
        targetId: id,
        structureId: found.person.structureId,
      });
      const [view] = await demarcheViews(tx, { id });
      return view!;
    },
    { retryUniqueViolation: true },
  );
}
