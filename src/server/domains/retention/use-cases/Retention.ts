/**
 * The direction's retention page (ADR 0024): the structure's delays, what the next runs will archive
 * and erase (journaled when opened, naming the files listed), a simulation, a run now, a restoring.
 */
import { eq } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { plural } from "../../../../common/plural";
import {
  defaultRetentionSettings,
  type RetentionCounts,
  type RetentionPreview,
  type RetentionSettings,
  SESSION_RETENTION_DAYS,
} from "../../../../common/retention/retention.schema";
import { journalFor } from "../../../core/audit";
import { type Actor, hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { person, personChange, retentionSettings, scheduledJob } from "../../../db/schema";
import { peopleTarget } from "../../audit/JournalNominativeRead";
import { archiveCandidates, archivedFiles } from "../candidates";
import { runAndJournal } from "../job";
import { loadRetentionSettings, runForStructure } from "../purge";
import { cutoffs, monthsAfter } from "../rules";

/** The retention settings and runs are the structure's direction's. */
export function assertManagesRetention(actor: Actor, structureId: string): void {
  if (!hasRole(actor, "service_manager", structureId)) throw errors.access.forbidden();
}

async function lastAndNextRun(deps: Deps): Promise<Pick<RetentionPreview, "lastRun" | "nextRunAt">> {
  const [job] = await deps.db.select().from(scheduledJob).where(eq(scheduledJob.name, "retention.purge"));
  return {
    lastRun:
      job?.lastFinishedAt && job.lastResult
        ? { at: job.lastFinishedAt.toISOString(), result: job.lastResult }
        : null,
    nextRunAt: job?.nextRunAt.toISOString() ?? null,
  };
}

export async function getRetentionPreview(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
): Promise<RetentionPreview> {
  assertManagesRetention(ctx.actor, structureId);
  const now = ctx.clock.now();
  return deps.db.transaction(async (tx) => {
    const settings = await loadRetentionSettings(tx, structureId);
    const c = cutoffs(settings, now);
    const toArchive = await archiveCandidates(tx, structureId, c.archiveBefore);
    const archived = (await archivedFiles(tx, structureId)).map((file) => ({
      ...file,
      eraseFrom: monthsAfter(new Date(file.archivedAt), settings.eraseAfterMonths).toISOString(),
    }));
    const next = await runForStructure(tx, structureId, now, { dryRun: true });
    const target = peopleTarget([...toArchive, ...archived].map((file) => file.id));
    await journalFor(tx, ctx, {
      action: "retention.preview_read",
      targetType: "person",
      targetId: target.targetId,
      structureId,
      reason: [
        `${toArchive.length} à archiver, ${plural(archived.length, "archivé", "archivés")}`,
        ...target.counts,
      ].join(", "),
    });
    return {
      settings,
      defaults: defaultRetentionSettings,
      sessionDays: SESSION_RETENTION_DAYS,
      next,
      toArchive,
      archived,
      ...(await lastAndNextRun({ ...deps, db: tx })),
    };
  });
}

export async function saveRetentionSettings(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  body: RetentionSettings,
): Promise<{ ok: true }> {
  assertManagesRetention(ctx.actor, structureId);
  const now = ctx.clock.now();
  await deps.db.transaction(async (tx) => {
    const row = { ...body, updatedAt: now, updatedBy: ctx.actor.userId };
    await tx
      .insert(retentionSettings)
      .values({ structureId, ...row })
      .onConflictDoUpdate({ target: retentionSettings.structureId, set: row });
    await journalFor(tx, ctx, {
      action: "retention.settings_changed",
      targetType: "structure",
      targetId: structureId,
      structureId,
      reason: `archivage ${body.archiveAfterMonths} mois, effacement ${body.eraseAfterMonths} mois après, journal ${body.journalMonths} mois, messages ${body.messageMonths} mois`,
    });
  });
  return { ok: true };
}

/** "Simulation" counts what a run would do now; "Lancer maintenant" does it, journaled in counts. */
export async function runRetentionNow(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  dryRun: boolean,
): Promise<{ dryRun: boolean; counts: RetentionCounts }> {
  assertManagesRetention(ctx.actor, structureId);
  if (dryRun) {
    return { dryRun, counts: await runForStructure(deps.db, structureId, ctx.clock.now(), { dryRun: true }) };
  }
  const counts = await runAndJournal(
    deps.db,
    ctx.clock,
    structureId,
    { userId: ctx.actor.userId, requestId: ctx.requestId, ip: ctx.ip },
    () => undefined,
  );
  return { dryRun, counts };
}

/**
 * Restores an archived file: it comes back to the lists, writable. The restoring is a change of
 * the file (person_change), so the file is not archived again before the structure's delay.
 */
export async function restoreFile(deps: Deps, ctx: RequestContext, personId: string): Promise<{ ok: true }> {
  const now = ctx.clock.now();
  await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ structureId: person.structureId, archivedAt: person.archivedAt, erasedAt: person.erasedAt })
      .from(person)
      .where(eq(person.id, personId))
      .for("update");
    if (!hasRole(ctx.actor, "service_manager")) throw errors.access.forbidden();
    if (!found || found.erasedAt || !hasRole(ctx.actor, "service_manager", found.structureId)) {
      throw errors.person.notFound();
    }
    if (!found.archivedAt) throw errors.person.notArchived();
    await tx.update(person).set({ archivedAt: null }).where(eq(person.id, personId));
    await tx.insert(personChange).values({
      personId,
      structureId: found.structureId,
      field: "archive",
      before: found.archivedAt.toISOString().slice(0, 10),
      after: "",
      actorUserId: ctx.actor.userId,
      at: now,
      reason: "dossier restauré",
    });
    await journalFor(tx, ctx, {
      action: "person.restored",
      targetType: "person",
      targetId: personId,
      structureId: found.structureId,
    });
  });
  return { ok: true };
}
