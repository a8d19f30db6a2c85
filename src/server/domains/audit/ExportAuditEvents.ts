import { and, eq, sql } from "drizzle-orm";
import { auditActionLabel, auditOutcomeLabels, auditTargetLabels } from "../../../common/audit/audit.labels";
import { AUDIT_EXPORT_MAX_ROWS, type AuditFilters } from "../../../common/audit/audit.schema";
import { parisDay, parisFormat } from "../../../common/calendar";
import { formatDate } from "../../../common/dateFormat";
import { plural } from "../../../common/plural";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { type Db, rowsOf } from "../../db/createDb";
import { person as personTable } from "../../db/schema";
import { CSV_TYPE, toCsv } from "../reporting/files";
import { knownUserName } from "./auditQuery";
import { idsIn, namesOf, renderAuditReason } from "./auditReason";
import { assertJournalPerson, assertReadsJournal, selectAuditRows } from "./ListAuditEvents";

const parisDateTime = (at: Date): string =>
  parisFormat({ dateStyle: "short", timeStyle: "medium" }).format(at);

/**
 * The filters as the journal page shows them: the period in dates, the person and the agent by
 * name, the action and the result by their labels. The export's own journal row names no person
 * (its target is the person, named by the page with the reader's visibility).
 */
async function filterWords(
  db: Db,
  filters: AuditFilters,
  now: Date,
): Promise<{ described: string[]; journaled: string[] }> {
  const [person] = filters.personId
    ? await db
        .select({ name: sql<string>`upper(${personTable.lastName}) || ' ' || ${personTable.firstName}` })
        .from(personTable)
        .where(and(eq(personTable.id, filters.personId), eq(personTable.structureId, filters.structureId)))
    : [];
  const [agent] = filters.actorUserId
    ? await rowsOf<{ name: string | null }>(
        db,
        sql`select ${knownUserName(filters.structureId, sql`${filters.actorUserId}::uuid`)} as name`,
      )
    : [];
  const period =
    filters.from || filters.to
      ? `du ${filters.from ? formatDate(filters.from) : "début"} au ${formatDate(filters.to ?? parisDay(now))}`
      : "";
  const agentWords = filters.actorUserId ? `agent : ${agent?.name ?? "non trouvé"}` : "";
  const actionWords = filters.action ? `action : ${auditActionLabel(filters.action)}` : "";
  const outcomeWords = filters.outcome ? `résultat : ${auditOutcomeLabels[filters.outcome]}` : "";
  return {
    described: [
      period,
      filters.personId ? `personne : ${person?.name ?? "non trouvée"}` : "",
      agentWords,
      actionWords,
      outcomeWords,
    ].filter(Boolean),
    journaled: [
      period,
      filters.personId ? "personne concernée" : "",
      agentWords,
      actionWords,
      outcomeWords,
    ].filter(Boolean),
  };
}

export interface AuditExport {
  filename: string;
  type: string;
  body: Uint8Array;
  rows: number;
}

/**
 * The filtered journal as CSV (French Excel: `;`, BOM, formulas neutralised), newest first, at most
 * AUDIT_EXPORT_MAX_ROWS rows. The export is itself journaled, in the same transaction, with its
 * filters: a file of who read what is a nominative file.
 */
export async function exportAuditEvents(
  deps: Deps,
  ctx: RequestContext,
  filters: AuditFilters,
): Promise<AuditExport> {
  assertReadsJournal(ctx, filters.structureId);
  await assertJournalPerson(deps, filters);
  const now = ctx.clock.now();
  return deps.db.transaction(async (tx) => {
    const rows = await selectAuditRows({ ...deps, db: tx }, filters, {
      limit: AUDIT_EXPORT_MAX_ROWS + 1,
      offset: 0,
    });
    const cut = rows.length > AUDIT_EXPORT_MAX_ROWS;
    const kept = rows.slice(0, AUDIT_EXPORT_MAX_ROWS);
    const nameOf = await namesOf(
      tx,
      kept.flatMap(({ event }) => idsIn(event.reason)),
      [filters.structureId],
    );
    const { described, journaled } = await filterWords(tx, filters, now);
    await journalFor(tx, ctx, {
      action: "audit.exported",
      ...(filters.personId
        ? { targetType: "person", targetId: filters.personId }
        : { targetType: "journal", targetId: filters.structureId }),
      structureId: filters.structureId,
      reason: `csv, ${plural(kept.length, "ligne", "lignes")}${cut ? " (limite atteinte)" : ""}${journaled.length ? `, ${journaled.join(", ")}` : ""}`,
    });
    const body = toCsv({
      name: "Journal",
      preamble: [
        `Journal des accès et des actions – document confidentiel. Édité le ${parisDateTime(now)} par ${ctx.actor.displayName}.`,
        ...(described.length ? [`Filtres : ${described.join(", ")}.`] : []),
        ...(cut
          ? [
              `Seules les ${AUDIT_EXPORT_MAX_ROWS} lignes les plus récentes figurent ici : précisez les filtres.`,
            ]
          : []),
      ],
      header: [
        "Date (heure de Paris)",
        "Agent",
        "Action",
        "Objet",
        "Concerne",
        "Résultat",
        "Détail",
        "Adresse IP",
      ],
      rows: kept.map(({ event, actorName, subjectName }) => [
        parisDateTime(event.at),
        actorName ?? "",
        auditActionLabel(event.action),
        auditTargetLabels[event.targetType] ?? event.targetType,
        subjectName ?? (event.targetType === "account" ? event.targetId : ""),
        auditOutcomeLabels[event.outcome],
        renderAuditReason(event.action, event.reason, nameOf, event.targetId),
        event.ip,
      ]),
    });
    return {
      filename: `passerelle-journal-${parisDay(now)}.csv`,
      type: CSV_TYPE,
      body,
      rows: kept.length,
    };
  });
}
