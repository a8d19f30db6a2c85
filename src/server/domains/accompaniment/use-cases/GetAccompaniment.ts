import type { Accompaniment } from "../../../../common/accompaniment/accompaniment.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { mayRecordVisits } from "../../agenda/policies";
import { nominativeScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { demarcheViews, needsOf, visitsOf } from "../queries";

/**
 * A person's needs, démarches and visits, for whoever may see the person: the counselor's work is
 * shown to the CPIP as statuses and outcomes (free notes, under consent, come with issue 4's notes).
 */
export async function getAccompaniment(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
): Promise<Accompaniment> {
  const scope = nominativeScope(ctx.actor);
  const db = deps.db;
  const found = await findVisiblePerson(db, scope, personId);
  if (!found) throw errors.person.notFound();
  // Reads only, side by side on the pool; the answer leaves once its journal row is committed.
  const [demarches, { needs, progress }, visits] = await Promise.all([
    demarcheViews(db, { personId }),
    needsOf(db, personId),
    visitsOf(db, personId),
  ]);
  await journalFor(db, ctx, {
    action: "person.accompaniment_read",
    targetType: "person",
    targetId: personId,
    structureId: found.person.structureId,
  });
  return {
    demarches,
    needs,
    progress,
    visits,
    permissions: {
      record:
        found.person.closedAt === null &&
        found.person.archivedAt === null &&
        mayRecordVisits(ctx.actor, found.person.structureId),
    },
  };
}
