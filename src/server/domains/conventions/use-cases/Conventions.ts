/**
 * The register of conventions (ADR 0030): list and read (direction, CPIP, counselors), record and
 * edit, renew, end (direction), the structure's alert delay. Every write in one transaction with
 * its journal row; an invalid date never reaches the database (the contract refuses it first).
 */
import { isDeepStrictEqual } from "node:util";
import { and, asc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { parisDay } from "../../../../common/calendar";
import {
  type ConventionAlerts,
  type ConventionBody,
  type ConventionDetail,
  type ConventionList,
  type ConventionStatus,
  daysAfterToday,
  type NewConventionBody,
  type PastDayField,
} from "../../../../common/conventions/conventions.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { alreadyCreated } from "../../../core/retriedCreation";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import {
  convention,
  conventionParty,
  conventionSettings,
  directoryEntry,
  membership,
  user,
} from "../../../db/schema";
import { alertIfDue } from "../job";
import {
  conventionViews,
  loadAlertDays,
  mayEditConventions,
  mayReadConventions,
  readableStructures,
} from "../queries";

/**
 * Refuses a signing, renewal or ending day after today (Paris day of the server's clock), the field
 * named as in the body. The routes' schemas for the day (`bodyOn`) tell it first, with the body's
 * other problems; this is the use case's own guard, by the same clock.
 */
function assertNotAfterToday(ctx: RequestContext, days: Partial<Record<PastDayField, string | null>>): void {
  const issues = daysAfterToday(days, parisDay(ctx.clock.now()));
  if (issues.length > 0)
    throw errors.request.invalid(issues.map(({ field, message }) => ({ path: `body.${field}`, message })));
}

type Filters = { status?: ConventionStatus; level?: string; theme?: string };

export async function listConventions(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  filters: Filters,
): Promise<ConventionList> {
  if (!mayReadConventions(ctx.actor, structureId)) throw errors.access.forbidden();
  const alertDays = await loadAlertDays(deps.db, structureId);
  const today = parisDay(ctx.clock.now());
  const all = await conventionViews(
    deps.db,
    and(
      eq(convention.structureId, structureId),
      filters.level ? eq(convention.level, filters.level) : undefined,
    ),
    today,
    alertDays,
  );
  const edit = mayEditConventions(ctx.actor, structureId);
  return {
    conventions: all
      .filter((c) => !filters.status || c.status === filters.status)
      .filter((c) => !filters.theme || (c.themes as string[]).includes(filters.theme)),
    alertDays,
    permissions: { edit, downloadSignedFile: edit },
  };
}

/** A convention the actor may read (404 otherwise: another structure's does not exist for them). */
export async function readableConvention(
  db: Db,
  ctx: RequestContext,
  conventionId: string,
): Promise<ConventionDetail & { structureId: string }> {
  const structures = readableStructures(ctx.actor);
  if (structures.length === 0) throw errors.convention.notFound();
  const [row] = await db
    .select({ structureId: convention.structureId })
    .from(convention)
    .where(and(eq(convention.id, conventionId), inArray(convention.structureId, structures)));
  if (!row) throw errors.convention.notFound();
  const alertDays = await loadAlertDays(db, row.structureId);
  const [view] = await conventionViews(
    db,
    eq(convention.id, conventionId),
    parisDay(ctx.clock.now()),
    alertDays,
  );
  const edit = mayEditConventions(ctx.actor, row.structureId);
  return { convention: view!, permissions: { edit, downloadSignedFile: edit }, structureId: row.structureId };
}

export async function getConvention(
  deps: Deps,
  ctx: RequestContext,
  conventionId: string,
): Promise<ConventionDetail> {
  const { convention: view, permissions } = await readableConvention(deps.db, ctx, conventionId);
  return { convention: view, permissions };
}

/** The agents of the structure the referent is chosen among: active, not disabled. */
async function structureAgents(db: Db, structureId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectDistinct({ id: user.id, name: user.displayName })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(
      and(
        eq(membership.structureId, structureId),
        isNull(membership.endedAt),
        isNull(user.disabledAt),
        inArray(membership.role, ["probation_officer", "counselor", "service_manager"]),
      ),
    )
    .orderBy(asc(user.displayName));
}

export async function conventionFormOptions(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
): Promise<{ agents: { id: string; name: string }[]; entries: { id: string; name: string }[] }> {
  if (!mayEditConventions(ctx.actor, structureId)) throw errors.access.forbidden();
  const entries = await deps.db
    .select({ id: directoryEntry.id, name: directoryEntry.name })
    .from(directoryEntry)
    .where(and(eq(directoryEntry.structureId, structureId), isNull(directoryEntry.archivedAt)))
    .orderBy(asc(directoryEntry.name));
  return { agents: await structureAgents(deps.db, structureId), entries };
}

/** The parties as stored: a directory entry takes its name; a typed one keeps what was typed. */
async function partyRows(
  tx: Db,
  structureId: string,
  body: ConventionBody,
): Promise<{ directoryEntryId: string | null; label: string }[]> {
  const ids = body.parties.map((p) => p.directoryEntryId).filter((id): id is string => id !== null);
  const names = new Map<string, string>();
  if (ids.length > 0) {
    const found = await tx
      .select({ id: directoryEntry.id, name: directoryEntry.name })
      .from(directoryEntry)
      .where(and(eq(directoryEntry.structureId, structureId), inArray(directoryEntry.id, ids)));
    for (const f of found) names.set(f.id, f.name);
    if (ids.some((id) => !names.has(id))) throw errors.convention.unknownParty();
  }
  return body.parties.map((p) => ({
    directoryEntryId: p.directoryEntryId,
    label: p.directoryEntryId ? (names.get(p.directoryEntryId) as string) : p.label,
  }));
}

async function assertReferent(tx: Db, structureId: string, referentUserId: string | null): Promise<void> {
  if (!referentUserId) return;
  const agents = await structureAgents(tx, structureId);
  if (!agents.some((a) => a.id === referentUserId)) throw errors.convention.unknownReferent();
}

function conventionRow(body: ConventionBody) {
  return {
    title: body.title,
    reference: body.reference,
    level: body.level,
    scope: body.scope,
    themes: [...new Set(body.themes)],
    status: body.status,
    signedOn: body.signedOn || null,
    startsOn: body.startsOn || null,
    endsOn: body.endsOn || null,
    renewalTerms: body.renewalTerms,
    tacitRenewal: body.tacitRenewal,
    referentUserId: body.referentUserId,
  };
}

async function writeParties(
  tx: Db,
  conventionId: string,
  parties: { directoryEntryId: string | null; label: string }[],
) {
  await tx.delete(conventionParty).where(eq(conventionParty.conventionId, conventionId));
  if (parties.length > 0)
    await tx.insert(conventionParty).values(parties.map((p) => ({ conventionId, ...p })));
}

/** A convention's parties, compared whatever their order: an entry of the directory, or a typed label. */
const partyKeys = (parties: { directoryEntryId: string | null; label: string }[]): string[] =>
  parties.map((p) => (p.directoryEntryId ? `entry:${p.directoryEntryId}` : `label:${p.label}`)).sort();

/**
 * Sent again under the id its form chose (a lost answer, ADR 0036): true when the convention was
 * written by the first submission, with these values and parties (answered as it is: no second row,
 * journal row or alert e-mail); a 409 when the values differ; a 400 when the id is someone else's.
 */
async function conventionSentAgain(
  tx: Db,
  ctx: RequestContext,
  structureId: string,
  id: string,
  body: ConventionBody,
): Promise<boolean> {
  // Read once the convention's row is seen (`alreadyCreated`), so from the same committed write: read
  // before it, a creation committing in between would show the row without its parties (a 409).
  const stored = () =>
    tx
      .select({ directoryEntryId: conventionParty.directoryEntryId, label: conventionParty.label })
      .from(conventionParty)
      .where(eq(conventionParty.conventionId, id));
  return alreadyCreated(
    tx,
    ctx,
    {
      table: convention,
      id,
      scope: [convention.structureId, structureId],
      creator: { journaled: "convention.created" },
    },
    {
      ...conventionRow(body),
      parties: async () => isDeepStrictEqual(partyKeys(await stored()), partyKeys(body.parties)),
    },
    errors.convention.retriedWithOtherValues,
  );
}

export async function createConvention(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  { id: chosenId, ...body }: NewConventionBody,
): Promise<ConventionDetail> {
  if (!mayEditConventions(ctx.actor, structureId)) throw errors.access.forbidden();
  assertNotAfterToday(ctx, { signedOn: body.signedOn || null });
  // Twice at once, the second runs again after the primary key's violation and finds the first.
  return inTransaction(
    deps.db,
    async (tx) => {
      const id =
        chosenId && (await conventionSentAgain(tx, ctx, structureId, chosenId, body))
          ? chosenId
          : await insertConvention(tx, ctx, structureId, chosenId, body);
      const { convention: view, permissions } = await readableConvention(tx, ctx, id);
      return { convention: view, permissions };
    },
    { retryUniqueViolation: true },
  );
}

async function insertConvention(
  tx: Db,
  ctx: RequestContext,
  structureId: string,
  chosenId: string | undefined,
  body: ConventionBody,
): Promise<string> {
  await assertReferent(tx, structureId, body.referentUserId);
  const parties = await partyRows(tx, structureId, body);
  const now = ctx.clock.now();
  const [created] = await tx
    .insert(convention)
    .values({ id: chosenId, structureId, ...conventionRow(body), createdAt: now, updatedAt: now })
    .returning({ id: convention.id });
  const id = created!.id;
  await writeParties(tx, id, parties);
  await alertNowIfDue(tx, ctx, id);
  await journalFor(tx, ctx, {
    action: "convention.created",
    targetType: "convention",
    targetId: id,
    structureId,
    reason: body.title,
  });
  return id;
}

/**
 * A signed convention recorded, edited or renewed with its end already within the delay: the
 * direction is alerted at once (the job would do it within the hour; same row, same e-mail, once).
 */
async function alertNowIfDue(tx: Db, ctx: RequestContext, conventionId: string): Promise<void> {
  const [row] = await tx.select().from(convention).where(eq(convention.id, conventionId));
  if (row?.status !== "signed" || !row.endsOn) return;
  const alertDays = await loadAlertDays(tx, row.structureId);
  await alertIfDue(tx, { ...row, endsOn: row.endsOn, alertDays }, ctx.clock.now());
}

/** The convention, locked for the write, if the actor may edit it and it is not ended. */
async function editable(tx: Db, ctx: RequestContext, conventionId: string) {
  const found = await readableConvention(tx, ctx, conventionId);
  if (!found.permissions.edit) throw errors.access.forbidden();
  const [row] = await tx.select().from(convention).where(eq(convention.id, conventionId)).for("update");
  if (!row) throw errors.convention.notFound();
  if (row.status === "ended") throw errors.convention.ended();
  return row;
}

export async function updateConvention(
  deps: Deps,
  ctx: RequestContext,
  conventionId: string,
  body: ConventionBody,
): Promise<ConventionDetail> {
  return deps.db.transaction(async (tx) => {
    const row = await editable(tx, ctx, conventionId);
    assertNotAfterToday(ctx, { signedOn: body.signedOn || null });
    await assertReferent(tx, row.structureId, body.referentUserId);
    const parties = await partyRows(tx, row.structureId, body);
    await tx
      .update(convention)
      .set({ ...conventionRow(body), updatedAt: ctx.clock.now() })
      .where(eq(convention.id, conventionId));
    await writeParties(tx, conventionId, parties);
    await alertNowIfDue(tx, ctx, conventionId);
    await journalFor(tx, ctx, {
      action: "convention.changed",
      targetType: "convention",
      targetId: conventionId,
      structureId: row.structureId,
      reason: body.title,
    });
    const { convention: view, permissions } = await readableConvention(tx, ctx, conventionId);
    return { convention: view, permissions };
  });
}

export async function renewConvention(
  deps: Deps,
  ctx: RequestContext,
  conventionId: string,
  body: { endsOn: string; renewedOn: string },
): Promise<ConventionDetail> {
  return deps.db.transaction(async (tx) => {
    const row = await editable(tx, ctx, conventionId);
    if (row.status !== "signed") throw errors.convention.notSigned();
    assertNotAfterToday(ctx, { renewedOn: body.renewedOn });
    if (row.endsOn && body.endsOn <= row.endsOn) throw errors.convention.renewalNotLater();
    await tx
      .update(convention)
      .set({ endsOn: body.endsOn, renewedOn: body.renewedOn, updatedAt: ctx.clock.now() })
      .where(eq(convention.id, conventionId));
    await alertNowIfDue(tx, ctx, conventionId);
    await journalFor(tx, ctx, {
      action: "convention.renewed",
      targetType: "convention",
      targetId: conventionId,
      structureId: row.structureId,
      reason: `fin ${row.endsOn ?? "—"} → ${body.endsOn}`,
    });
    const { convention: view, permissions } = await readableConvention(tx, ctx, conventionId);
    return { convention: view, permissions };
  });
}

export async function endConvention(
  deps: Deps,
  ctx: RequestContext,
  conventionId: string,
  endedOn: string,
): Promise<ConventionDetail> {
  return deps.db.transaction(async (tx) => {
    const row = await editable(tx, ctx, conventionId);
    assertNotAfterToday(ctx, { endedOn });
    await tx
      .update(convention)
      .set({ status: "ended", endedOn, updatedAt: ctx.clock.now() })
      .where(eq(convention.id, conventionId));
    await journalFor(tx, ctx, {
      action: "convention.ended",
      targetType: "convention",
      targetId: conventionId,
      structureId: row.structureId,
      reason: `terminée le ${endedOn}`,
    });
    const { convention: view, permissions } = await readableConvention(tx, ctx, conventionId);
    return { convention: view, permissions };
  });
}

export async function saveConventionSettings(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  alertDays: number,
): Promise<{ alertDays: number }> {
  if (!mayEditConventions(ctx.actor, structureId)) throw errors.access.forbidden();
  await deps.db.transaction(async (tx) => {
    // Saved unchanged: nothing changes, nothing is journaled (the last change keeps its author).
    if ((await loadAlertDays(tx, structureId)) === alertDays) return;
    const row = { alertDays, updatedAt: ctx.clock.now(), updatedBy: ctx.actor.userId };
    await tx
      .insert(conventionSettings)
      .values({ structureId, ...row })
      .onConflictDoUpdate({ target: conventionSettings.structureId, set: row });
    await journalFor(tx, ctx, {
      action: "convention.settings_changed",
      targetType: "structure",
      targetId: structureId,
      structureId,
      reason: `alerte ${alertDays} jours avant la fin`,
    });
  });
  return { alertDays };
}

/** The direction's home: signed conventions to renew or expired, the nearest end first. */
export async function conventionAlerts(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
): Promise<ConventionAlerts> {
  if (!mayEditConventions(ctx.actor, structureId)) throw errors.access.forbidden();
  const alertDays = await loadAlertDays(deps.db, structureId);
  const views = await conventionViews(
    deps.db,
    and(eq(convention.structureId, structureId), eq(convention.status, "signed")) as SQL,
    parisDay(ctx.clock.now()),
    alertDays,
  );
  return {
    alertDays,
    alerts: views
      .filter((v) => (v.status === "to_renew" || v.status === "expired") && v.endsOn && v.daysLeft !== null)
      .map((v) => ({
        id: v.id,
        title: v.title,
        endsOn: v.endsOn as string,
        daysLeft: v.daysLeft as number,
        status: v.status,
      })),
  };
}
