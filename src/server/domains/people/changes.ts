import { type SQL, sql } from "drizzle-orm";
import type { AuditAction } from "../../../common/audit/audit.actions";
import { formatShortDate } from "../../../common/dateFormat";
import type { TimelineEvent } from "../../../common/people/people.schema";
import { personFieldLabels } from "../../../common/people/personEdit.schema";
import { formatPhone } from "../../../common/phone";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Db } from "../../db/createDb";
import { personChange } from "../../db/schema";
import { isoTime } from "../../db/sqlJson";

export interface FieldChange {
  field: string;
  before: string;
  after: string;
  /** A judicial field: its values are never shown to counselors, nor written in the journal. */
  judicial?: boolean;
}

/**
 * Writes the history of a file's changes and one journal row per change, in the caller's
 * transaction. The journal names the field, never its values (it is kept longer, and read by the
 * direction for access control, not for the file's content).
 */
export async function recordChanges(
  tx: Db,
  ctx: RequestContext,
  input: {
    personId: string;
    structureId: string;
    changes: FieldChange[];
    reason: string;
    action: AuditAction;
  },
): Promise<void> {
  if (input.changes.length === 0) return;
  const at = ctx.clock.now();
  await tx.insert(personChange).values(
    input.changes.map((c) => ({
      personId: input.personId,
      structureId: input.structureId,
      field: c.field,
      before: c.before,
      after: c.after,
      judicial: c.judicial ?? false,
      actorUserId: ctx.actor.userId,
      at,
      reason: input.reason,
    })),
  );
  for (const c of input.changes) {
    await journalFor(tx, ctx, {
      action: input.action,
      targetType: "person",
      targetId: input.personId,
      structureId: input.structureId,
      reason: `champ : ${personFieldLabels[c.field] ?? c.field}`,
    });
  }
}

/** A row of `person_change` as the history reads it (timestamps as ISO strings). */
export interface ChangeRow {
  field: string;
  before: string;
  after: string;
  judicial: boolean;
  at: string;
  reason: string;
  actorName: string | null;
}

/** The changes of a person, newest first, as a JSON array of `ChangeRow` (people/fileReads.ts). */
export function changesJson(personId: SQL): SQL {
  return sql`(select coalesce(json_agg(x.row order by x.n), '[]'::json) from (
    select row_number() over (order by pc.at desc) as n, json_build_object(
      'field', pc.field, 'before', pc.before, 'after', pc.after, 'judicial', pc.judicial,
      'at', ${isoTime(sql`pc.at`)}, 'reason', pc.reason, 'actorName', cu.display_name
    ) as row
    from person_change pc left join "user" cu on cu.id = pc.actor_user_id
    where pc.person_id = ${personId}
    order by pc.at desc
    limit 500) x)`;
}

/** The fields whose values are calendar days (YYYY-MM-DD as stored): shown as « 01/06/2027 ». */
export const dateFields: ReadonlySet<string> = new Set([
  "birthDate",
  "measure.startDate",
  "measure.endDate",
  "measure.judgmentDate",
  "detention.expectedReleaseDate",
  "detention.releasedOn",
  "archive",
]);

/**
 * A value of a change as the rest of the file shows it: a phone as 06 12 34 56 78 (not as stored,
 * +33612345678), a day as 01/06/2027 (`dateFormat`, not 2027-06-01), "—" when empty.
 */
export function shownValue(field: string, value: string): string {
  if (!value) return "—";
  if (field === "phone") return formatPhone(value);
  if (dateFields.has(field) && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatShortDate(value);
  return value;
}

/** The changes of a file as history lines; judicial values are hidden unless `full`. */
export function changeEvents(rows: ChangeRow[], full: boolean): TimelineEvent[] {
  return rows.map((c) => {
    const actorName = c.actorName;
    const label = personFieldLabels[c.field] ?? c.field;
    const shown = (v: string) => shownValue(c.field, v);
    const values = c.judicial && !full ? "(donnée judiciaire)" : `${shown(c.before)} → ${shown(c.after)}`;
    const title =
      c.field === "closed"
        ? "Dossier clôturé"
        : c.field === "reopened"
          ? "Dossier rouvert"
          : c.field === "referent"
            ? "Dossier confié à un autre CPIP"
            : `Modification : ${label}`;
    const detail = c.field === "reopened" ? "" : c.field === "closed" ? c.after : values;
    return {
      at: c.at,
      kind: "person" as const,
      title,
      // The reason of a judicial change may speak of the offence: hidden with its values.
      detail: [detail, c.reason && !(c.judicial && !full) ? `Motif : ${c.reason}` : ""]
        .filter(Boolean)
        .join(" — "),
      actorName,
    };
  });
}
