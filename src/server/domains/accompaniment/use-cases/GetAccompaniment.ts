import { sql } from "drizzle-orm";
import type {
  Accompaniment,
  DemarcheView,
  NeedView,
  VisitView,
} from "../../../../common/accompaniment/accompaniment.schema";
import { errors } from "../../../../common/errors";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { compiledOnce } from "../../../db/sqlJson";
import { mayRecordVisits } from "../../agenda/policies";
import { journaledFileRead } from "../../people/fileReads";
import { nominativeScope } from "../../people/policies";
import { demarchesJson, needRowsJson, needsFromRows, visitsJson } from "../queries";

/** The three lists, read from the visible person `p` (compiled once: no value bound). */
const accompanimentColumns = compiledOnce(
  sql`${demarchesJson(sql`p.id`)} as demarches, ${needRowsJson(sql`p.id`)} as "needRows", ${visitsJson(sql`p.id`)} as visits`,
);

/**
 * A person's needs, démarches and visits, for whoever may see the person: the counselor's work is
 * shown to the CPIP as statuses and outcomes (free notes, under consent, come with issue 4's notes).
 * One statement reads the person under the actor's scope, the three lists and writes the journal row
 * (issue 12: the file under load).
 */
export async function getAccompaniment(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
): Promise<Accompaniment> {
  const scope = nominativeScope(ctx.actor);
  const row = await journaledFileRead<{
    demarches: DemarcheView[];
    needRows: NeedView[];
    visits: VisitView[];
  }>(deps.db, ctx, { scope, personId, action: "person.accompaniment_read" }, accompanimentColumns);
  if (!row) throw errors.person.notFound();
  const { needs, progress } = needsFromRows(row.needRows);
  return {
    demarches: row.demarches,
    needs,
    progress,
    visits: row.visits,
    permissions: {
      record: !row.closed && !row.archived && mayRecordVisits(ctx.actor, row.structureId, row.counselor),
    },
  };
}
