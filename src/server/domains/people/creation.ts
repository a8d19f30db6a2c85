import { type SQL, sql } from "drizzle-orm";
import { FILE_CREATED_TITLE, type TimelineEvent } from "../../../common/people/people.schema";
import { isoTime } from "../../db/sqlJson";

/**
 * The words a transmission's journal row uses for the file it opens in the receiving structure
 * ("transfert : dossier reçu de …", handover/transmit.ts): they tell that row apart from a
 * transmission within the same structure, which opens no file.
 */
export const RECEIVED_FILE_WORDS = "dossier reçu de";

/** The opening of a file as the history reads it (timestamps as ISO strings). */
export interface CreationRow {
  at: string;
  /** The journal's words: "import de dossiers", "transfert : dossier reçu de …", or "". */
  reason: string;
  actorName: string | null;
}

/**
 * How the file `personId` was opened: the journal row that opened it — typed in by an agent or
 * imported (`person.created`), or received from another structure (a transmission's row naming the
 * file received) — with who and why. Once the journal has been purged (ADR 0024) or for files
 * written by the seeds, only the file's own creation instant is left, by nobody.
 */
export function creationJson(personId: SQL): SQL {
  return sql`(select json_build_object(
      'at', ${isoTime(sql`coalesce(opened.at, pp.created_at)`)},
      'reason', coalesce(opened.reason, ''), 'actorName', opener.display_name
    )
    from person pp
    left join lateral (
      select a.at, a.reason, a.actor_user_id from audit_event a
      where a.target_type = 'person' and a.target_id = pp.id::text and a.outcome = 'success'
        and a.action in ('person.created', 'handover.transmitted', 'transfer.transmitted')
        and (a.action = 'person.created' or strpos(a.reason, ${sql.raw(`'${RECEIVED_FILE_WORDS}'`)}) > 0)
      -- audit_person_opening_idx: these few rows of the person, not every read of the file.
      order by a.at, a.id
      limit 1
    ) opened on true
    left join "user" opener on opener.id = opened.actor_user_id
    where pp.id = ${personId})`;
}

/** The history's line for the opening of the file: "Dossier créé", how, by whom. */
export function creationEvent(row: CreationRow): TimelineEvent {
  return {
    at: row.at,
    kind: "person",
    title: FILE_CREATED_TITLE,
    detail: row.reason ? row.reason.charAt(0).toUpperCase() + row.reason.slice(1) : "",
    actorName: row.actorName,
  };
}
