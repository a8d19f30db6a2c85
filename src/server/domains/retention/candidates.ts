/**
 * Which files the retention rules reach (ADR 0024). "Activity" on a file is anything that happened
 * to it: the end of its latest measure, a convocation, a visit, a démarche's change, a need
 * assessed, an orientation sent or answered, a note, a correction of the file (a restoring is one).
 */
import { sql } from "drizzle-orm";
import { personDisplayName } from "../../../common/people/personName";
import { type Db, rowsOf } from "../../db/createDb";

const millis = (expression: string) => `(extract(epoch from ${expression}) * 1000)::float8`;

/** The instant of the last activity of `person p`, as SQL (every sub-select uses a person index). */
const LAST_ACTIVITY = `greatest(
  p.created_at,
  (select (max(m.end_date)::timestamp + interval '1 day') at time zone 'Europe/Paris' from measure m where m.person_id = p.id),
  (select max(c.starts_at) from convocation c where c.person_id = p.id),
  (select max(v.started_at) from visit v where v.person_id = p.id),
  (select max(d.updated_at) from demarche d where d.person_id = p.id),
  (select max(n.assessed_at) from need_assessment n where n.person_id = p.id),
  (select max(greatest(o.created_at, o.answered_at, o.completed_at)) from orientation o where o.person_id = p.id),
  (select max(x.created_at) from note x where x.person_id = p.id),
  (select max(pc.at) from person_change pc where pc.person_id = p.id)
)`;

export interface FileRow {
  id: string;
  fileNumber: number;
  name: string;
  lastMeasureEnd: string | null;
  lastActivityAt: string;
}

interface RawFileRow {
  id: string;
  file_number: number;
  first_name: string;
  last_name: string;
  last_measure_end: string | null;
  last_activity: number;
  archived: number | null;
}

const FILE_COLUMNS = `p.id, p.file_number, p.first_name, p.last_name,
  (select max(m.end_date)::text from measure m where m.person_id = p.id) as last_measure_end,
  ${millis(LAST_ACTIVITY)} as last_activity, ${millis("p.archived_at")} as archived`;

function toFile(row: RawFileRow): FileRow {
  return {
    id: row.id,
    fileNumber: Number(row.file_number),
    name: personDisplayName({ firstName: row.first_name, lastName: row.last_name }),
    lastMeasureEnd: row.last_measure_end,
    lastActivityAt: new Date(Number(row.last_activity)).toISOString(),
  };
}

/** Open files of the structure with no activity since `before`: the next run archives them. */
export async function archiveCandidates(db: Db, structureId: string, before: Date): Promise<FileRow[]> {
  const rows = await rowsOf<RawFileRow>(
    db,
    sql`select * from (select ${sql.raw(FILE_COLUMNS)} from person p
      where p.structure_id = ${structureId} and p.archived_at is null and p.erased_at is null
        and p.merged_into_id is null) f
      where f.last_activity < ${before.getTime()} order by f.last_activity, f.file_number`,
  );
  return rows.map(toFile);
}

export interface ArchivedRow extends FileRow {
  archivedAt: string;
}

/** The structure's archived files not yet erased, the longest archived first. */
export async function archivedFiles(db: Db, structureId: string): Promise<ArchivedRow[]> {
  const rows = await rowsOf<RawFileRow>(
    db,
    sql`select ${sql.raw(FILE_COLUMNS)} from person p
      where p.structure_id = ${structureId} and p.archived_at is not null and p.erased_at is null
      order by p.archived_at, p.file_number`,
  );
  return rows.map((row) => ({ ...toFile(row), archivedAt: new Date(Number(row.archived)).toISOString() }));
}

/** Ids of the archived files whose erasure is due (archived before `before`). */
export async function eraseCandidates(db: Db, structureId: string, before: Date): Promise<string[]> {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`select p.id from person p where p.structure_id = ${structureId} and p.erased_at is null
      and p.archived_at is not null and p.archived_at < ${before.toISOString()}::timestamptz
      order by p.archived_at`,
  );
  return rows.map((row) => row.id);
}

/** Re-checked inside the archiving transaction: still open, still without activity since `before`. */
export async function stillArchivable(db: Db, personId: string, before: Date): Promise<boolean> {
  const rows = await rowsOf<{ ok: boolean }>(
    db,
    sql`select true as ok from person p where p.id = ${personId} and p.archived_at is null
      and p.erased_at is null and p.merged_into_id is null
      and ${sql.raw(millis(LAST_ACTIVITY))} < ${before.getTime()} for update of p`,
  );
  return rows.length > 0;
}
