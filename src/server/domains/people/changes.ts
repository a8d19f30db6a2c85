import { desc, eq } from "drizzle-orm";
import type { TimelineEvent } from "../../../common/people/people.schema";
import { personFieldLabels } from "../../../common/people/personEdit.schema";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Db } from "../../db/createDb";
import { personChange, user } from "../../db/schema";

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
  input: { personId: string; structureId: string; changes: FieldChange[]; reason: string; action: string },
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

/** The changes of a file as history lines; judicial values are hidden unless `full`. */
export async function changeEvents(db: Db, personId: string, full: boolean): Promise<TimelineEvent[]> {
  const rows = await db
    .select({ change: personChange, actorName: user.displayName })
    .from(personChange)
    .leftJoin(user, eq(user.id, personChange.actorUserId))
    .where(eq(personChange.personId, personId))
    .orderBy(desc(personChange.at))
    .limit(500);
  return rows.map(({ change: c, actorName }) => {
    const label = personFieldLabels[c.field] ?? c.field;
    const values = c.judicial && !full ? "(donnée judiciaire)" : `${c.before || "—"} → ${c.after || "—"}`;
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
      at: c.at.toISOString(),
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
