import { and, eq, inArray, isNull } from "drizzle-orm";
import type { AuditAction } from "../../../common/audit/audit.actions";
import type { ImportDecision, ImportOutcome } from "../../../common/imports/imports.schema";
import type { RequestContext } from "../../core/context";
import { Turns } from "../../core/turns";
import type { Db } from "../../db/createDb";
import { auditEvent, caseloadImportRow, measure, person, referent } from "../../db/schema";
import type { ImportRow } from "./access";
import {
  type ExistingPerson,
  identityKey,
  identityMatches,
  peopleBySourceNumber,
  visibleAmong,
} from "./matching";
import { type ImportRecord, reasonOf } from "./rules";
import type { CheckedRow } from "./use-cases/PreviewImport";

export interface LineOutcome {
  position: number;
  line: number;
  outcome: ImportOutcome;
  reason: string;
  personId: string | null;
}

type Valid = CheckedRow & { record: ImportRecord };

/** The lines of this import that already wrote these people: person id → line. */
async function linesOfThisImport(
  tx: Db,
  importId: string,
  personIds: string[],
): Promise<Map<string, number>> {
  if (personIds.length === 0) return new Map();
  const rows = await tx
    .select({ personId: caseloadImportRow.personId, line: caseloadImportRow.line })
    .from(caseloadImportRow)
    .where(and(eq(caseloadImportRow.importId, importId), inArray(caseloadImportRow.personId, personIds)));
  return new Map(rows.map((r) => [r.personId as string, r.line]));
}

/**
 * Rows per INSERT within the batch's transaction: on PGlite (in this process) a statement holds the
 * event loop while it runs, and a person's insert fires the steering triggers (~0.5 ms a row).
 */
const WRITE_CHUNK = 50;

/** `write` for each slice of WRITE_CHUNK items, in order, other requests answered in between. */
export async function inSlices<T>(items: readonly T[], write: (slice: T[]) => Promise<void>): Promise<void> {
  const turns = new Turns();
  for (let from = 0; from < items.length; from += WRITE_CHUNK) {
    await write(items.slice(from, from + WRITE_CHUNK));
    await turns.breathe();
  }
}

async function createPeople(tx: Db, structureId: string, rows: Valid[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  await inSlices(rows, async (slice) => {
    const created = await tx
      .insert(person)
      .values(
        slice.map(({ record: r }) => ({
          structureId,
          sourceNumber: r.sourceNumber,
          lastName: r.lastName,
          firstName: r.firstName,
          birthDate: r.birthDate,
          phone: r.phone,
          email: r.email,
          status: r.status,
          detentionSiteId: r.detention?.siteId ?? null,
          prisonNumber: r.detention ? r.detention.prisonNumber || null : null,
          expectedReleaseDate: r.detention?.expectedReleaseDate ?? null,
          releaseKind: r.detention?.releaseKind ?? null,
        })),
      )
      .returning({ id: person.id, sourceNumber: person.sourceNumber });
    for (const c of created) ids.set(c.sourceNumber as string, c.id);
  });
  await inSlices(
    rows.filter((r) => r.record.measure),
    async (slice) => {
      await tx
        .insert(measure)
        .values(
          slice.map(({ record: r }) => ({ personId: ids.get(r.sourceNumber) as string, ...r.measure! })),
        );
    },
  );
  await inSlices(rows, async (slice) => {
    await tx.insert(referent).values(
      slice.map(({ record: r }) => ({
        personId: ids.get(r.sourceNumber) as string,
        userId: r.referent.userId,
        serviceId: r.referent.serviceId,
      })),
    );
  });
  return ids;
}

/** Fills what the existing file lacks (phone, e-mail, source number, referent, detention) and adds the measure. */
async function mergeInto(tx: Db, existing: ExistingPerson, r: ImportRecord, now: Date): Promise<void> {
  await tx
    .update(person)
    .set({
      phone: existing.phone === "" ? r.phone : existing.phone,
      email: existing.email === "" ? r.email : existing.email,
      sourceNumber: existing.sourceNumber ?? r.sourceNumber,
    })
    .where(eq(person.id, existing.id));
  // The detention, only on a file that has none (a correction goes through the file's form).
  if (r.detention)
    await tx
      .update(person)
      .set({
        status: "detenu",
        detentionSiteId: r.detention.siteId,
        prisonNumber: r.detention.prisonNumber || null,
        expectedReleaseDate: r.detention.expectedReleaseDate,
        releaseKind: r.detention.releaseKind,
      })
      .where(and(eq(person.id, existing.id), isNull(person.detentionSiteId)));
  if (r.measure) {
    const [same] = await tx
      .select({ id: measure.id })
      .from(measure)
      .where(
        and(
          eq(measure.personId, existing.id),
          eq(measure.type, r.measure.type),
          eq(measure.startDate, r.measure.startDate),
        ),
      );
    if (!same) await tx.insert(measure).values({ personId: existing.id, ...r.measure });
  }
  const [active] = await tx
    .select({ id: referent.id })
    .from(referent)
    .where(and(eq(referent.personId, existing.id), isNull(referent.endedAt)));
  if (!active)
    await tx.insert(referent).values({
      personId: existing.id,
      userId: r.referent.userId,
      serviceId: r.referent.serviceId,
      startedAt: now,
    });
}

interface Decide {
  existing: ExistingPerson | undefined;
  visible: boolean;
  decision: ImportDecision;
}

/** What happens to a valid row that is not yet imported, before anything is written. */
function plan(d: Decide): { outcome: ImportOutcome; reason: string } {
  if (!d.existing || d.decision === "create") return { outcome: "created", reason: "" };
  if (d.decision === "skip")
    return { outcome: "skipped", reason: "Doublon d'un dossier existant : ligne ignorée." };
  if (!d.visible)
    return {
      outcome: "skipped",
      reason: "Doublon d'un dossier que vous ne pouvez pas compléter : ligne ignorée.",
    };
  if (d.existing.closed)
    return {
      outcome: "error",
      reason: "Le dossier existant est clôturé : rouvrez-le, ou choisissez de créer un nouveau dossier.",
    };
  return { outcome: "merged", reason: `Dossier n° ${d.existing.fileNumber} complété.` };
}

/**
 * Writes one batch (inside the caller's transaction): rows in error are reported, rows already
 * imported (same source number) change nothing, duplicates follow the agent's choice, the others
 * become files with their measure and referent. Each person written is journaled (no names).
 */
export async function writeBatch(
  tx: Db,
  ctx: RequestContext,
  imported: ImportRow,
  checked: CheckedRow[],
  decisionOf: (line: number) => ImportDecision,
): Promise<LineOutcome[]> {
  const valid = checked.filter((c): c is Valid => c.record !== null);
  const bySource = await peopleBySourceNumber(
    tx,
    imported.structureId,
    valid.map((v) => v.record.sourceNumber),
  );
  const earlier = await linesOfThisImport(tx, imported.id, [...bySource.values()]);
  const fresh = valid.filter((v) => !bySource.has(v.record.sourceNumber));
  const matches = await identityMatches(
    tx,
    imported.structureId,
    fresh.map((v) => v.record),
  );
  const visible = await visibleAmong(
    tx,
    ctx.actor,
    [...matches.values()].map((m) => m.id),
  );
  const planned = new Map<number, { outcome: ImportOutcome; reason: string; existing?: ExistingPerson }>();
  for (const row of fresh) {
    const existing = matches.get(identityKey(row.record));
    const decided = plan({
      existing,
      visible: existing ? visible.has(existing.id) : false,
      decision: decisionOf(row.line),
    });
    planned.set(row.position, { ...decided, ...(existing ? { existing } : {}) });
  }
  const created = await createPeople(
    tx,
    imported.structureId,
    fresh.filter((r) => planned.get(r.position)?.outcome === "created"),
  );
  const outcomes = checked.map((row): LineOutcome => {
    const base = { position: row.position, line: row.line };
    if (!row.record) return { ...base, outcome: "error", reason: reasonOf(row.errors), personId: null };
    const known = bySource.get(row.record.sourceNumber);
    if (known) {
      const line = earlier.get(known);
      return line === undefined || line === row.line
        ? { ...base, outcome: "unchanged", reason: "Déjà importé : rien n'a changé.", personId: known }
        : {
            ...base,
            outcome: "error",
            reason: `Numéro de dossier : Ce numéro de dossier figure déjà ligne ${line} du fichier.`,
            personId: null,
          };
    }
    const p = planned.get(row.position)!;
    const personId =
      p.outcome === "created"
        ? (created.get(row.record.sourceNumber) ?? null)
        : p.outcome === "merged"
          ? p.existing!.id
          : null;
    return { ...base, outcome: p.outcome, reason: p.reason, personId };
  });
  const turns = new Turns();
  for (const row of fresh) {
    const p = planned.get(row.position);
    if (p?.outcome === "merged" && p.existing) {
      await mergeInto(tx, p.existing, row.record, ctx.clock.now());
      await turns.breathe();
    }
  }
  await journalPeople(tx, ctx, imported, outcomes);
  return outcomes;
}

async function journalPeople(tx: Db, ctx: RequestContext, imported: ImportRow, outcomes: LineOutcome[]) {
  const written = outcomes.filter((o) => (o.outcome === "created" || o.outcome === "merged") && o.personId);
  await inSlices(written, async (slice) => {
    await tx.insert(auditEvent).values(
      slice.map((o) => ({
        action: (o.outcome === "created" ? "person.created" : "person.updated") satisfies AuditAction,
        targetType: "person",
        targetId: o.personId as string,
        outcome: "success" as const,
        at: ctx.clock.now(),
        actorUserId: ctx.actor.userId,
        structureId: imported.structureId,
        requestId: ctx.requestId,
        reason: o.outcome === "created" ? "import de dossiers" : "import de dossiers : dossier complété",
        ip: ctx.ip,
      })),
    );
  });
}
