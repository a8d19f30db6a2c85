import { type SQL, sql } from "drizzle-orm";
import type { AuditAction } from "../../../common/audit/audit.actions";
import { JournalWriteFailed } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import { isDatabaseUnavailable } from "../../core/dbErrors";
import { type Db, preparedRowsOf } from "../../db/createDb";
import { counselorSees, judicialFieldsVisible, type PeopleScope, visiblePeople } from "./policies";

/** What every one-statement read of a file knows of the person, besides what it asked for. */
export interface FileReadHead {
  structureId: string;
  /** The actor may see the judicial fields (SPIP side). */
  full: boolean;
  /** The person is in the actor's own counselor scope (`counselorSees`). */
  counselor: boolean;
  closed: boolean;
  archived: boolean;
}

/**
 * A read of a person's file in ONE statement (issue 12: one round trip instead of a dozen): the
 * person if the actor may see them (`p`, scoped by the policies as every query is), the journal row
 * of the read (a data-modifying CTE, run once, whose row commits with the statement: the answer
 * never exists without it) and `columns`, computed from `p` (correlate on `p.id`). Undefined when
 * the person is not visible: then nothing is read and no row is written, as before a 404.
 */
export async function journaledFileRead<T extends object>(
  db: Db,
  ctx: RequestContext,
  read: { scope: PeopleScope; personId: string; action: AuditAction },
  columns: SQL,
): Promise<(FileReadHead & T) | undefined> {
  const { scope, personId, action } = read;
  const statement = sql`with p as (
      select person.id, person.structure_id, person.closed_at, person.archived_at,
        (${judicialFieldsVisible(scope)}) as full, (${counselorSees(scope)}) as counselor
      from person
      where person.id = ${personId} and ${visiblePeople(scope)}
    ), journal_row as (
      insert into audit_event (at, actor_user_id, action, target_type, target_id, structure_id, request_id, outcome, reason, ip)
      select ${ctx.clock.now().toISOString()}::timestamptz, ${ctx.actor.userId}::uuid, ${action}, 'person', p.id::text,
        p.structure_id, ${ctx.requestId}, 'success', '', ${ctx.ip}
      from p
    )
    select p.structure_id as "structureId", p.full, p.counselor, p.closed_at is not null as closed,
      p.archived_at is not null as archived, ${columns}
    from p`;
  let rows: (FileReadHead & T)[];
  try {
    rows = await preparedRowsOf<FileReadHead & T>(db, statement);
  } catch (cause) {
    // The statement writes the journal row: whatever failed, no row was written, nothing leaves.
    if (isDatabaseUnavailable(cause)) throw cause;
    throw new JournalWriteFailed(cause);
  }
  const [row] = rows;
  if (!row) return undefined;
  ctx.journaled?.push({ action, targetType: "person", targetId: personId, outcome: "success" });
  return row;
}
