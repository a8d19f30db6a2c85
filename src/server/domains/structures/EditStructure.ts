/**
 * The structure's own details and its sites, edited in the app by its direction or an
 * administrator of the structure after `npm run setup` created them (ADR 0037, addendum). Each
 * change is one transaction, journaled (`structure.updated`, `site.created`, `site.updated`,
 * `site.archived`) with the fields changed, never their values.
 */
import { and, asc, eq, gte, isNull, ne, or, sql } from "drizzle-orm";
import { weekdayName } from "../../../common/agenda/permanenceDay";
import { parisDay } from "../../../common/calendar";
import { formatDateTime, formatLongDate, formatTimeOfDay } from "../../../common/dateFormat";
import { heldIn } from "../../../common/detention/place";
import { errors } from "../../../common/errors";
import { detailsLabels, siteLabels } from "../../../common/structures/structures.labels";
import type { SiteBody, StructureDetailsBody } from "../../../common/structures/structures.schema";
import { journalFor } from "../../core/audit";
import { hasRole, type RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import type { Db } from "../../db/createDb";
import {
  collectiveAction,
  convocation,
  handoverMeeting,
  openingRule,
  person,
  site,
  structure,
} from "../../db/schema";
import { lockAllSiteRules, lockSiteRules } from "../agenda/queries";
import { strandedConvocations, strandedLabel } from "../agenda/stranded";
import { detentionColumns } from "../detention/queries";
import { assertManagesUsers } from "./policies";
import { labelHolder, lockLabel } from "./queries";

/** The kinds whose site carries detention data (access authorisations, movements, a capacity). */
const detentionKinds: readonly string[] = ["prison", "sas"];

/** The names of the keys whose value differs: what the journal records of an edit. */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

export async function updateStructureDetails(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  body: StructureDetailsBody,
): Promise<void> {
  assertManagesUsers(ctx.actor, structureId);
  await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({
        name: structure.name,
        labelNumber: structure.labelNumber,
        departement: structure.departement,
        coHolders: structure.coHolders,
        minLeadHours: structure.minLeadHours,
      })
      .from(structure)
      .where(eq(structure.id, structureId))
      .for("update");
    if (!found) throw errors.structure.notFound();
    if (body.labelNumber !== found.labelNumber) {
      await lockLabel(tx, body.labelNumber);
      if (await labelHolder(tx, body.labelNumber, structureId)) throw errors.structure.labelTaken();
    }
    const changed = changedKeys(found, body);
    if (changed.length === 0) return;
    if (body.departement !== found.departement)
      await assertNoneOnNewHolidays(tx, ctx, structureId, body.departement);
    await tx.update(structure).set(body).where(eq(structure.id, structureId));
    await journalFor(tx, ctx, {
      action: "structure.updated",
      targetType: "structure",
      targetId: structureId,
      structureId,
      reason: changedFields(changed, detailsLabels),
    });
  });
}

/**
 * Another département may have other public holidays (Alsace-Moselle): refused while planned
 * convocations would fall on one of them, as a closure would be (ADR 0016). Under every site's rules
 * lock, so no booking slips in. The direction sees who; an administrator, who reads no person data,
 * the day, time and site only.
 */
async function assertNoneOnNewHolidays(
  tx: Db,
  ctx: RequestContext,
  structureId: string,
  departement: string,
): Promise<void> {
  await lockAllSiteRules(tx, structureId);
  const stranded = await strandedConvocations(tx, {
    structureId,
    from: ctx.clock.now(),
    change: (now) => now,
    departement,
  });
  if (stranded.length === 0) return;
  const seesPeople = hasRole(ctx.actor, "service_manager", structureId);
  throw errors.convocation
    .openingsStrandBookings(
      "departement",
      stranded.map((c) => (seesPeople ? strandedLabel(c) : `${formatDateTime(c.startsAt)}, ${c.siteName}`)),
    )
    .disclosing(seesPeople ? stranded.map((c) => c.personId) : []);
}

/** "champs modifiés : Adresse, Téléphone" — the journal's detail, in the form's words. */
function changedFields(keys: string[], labels: Readonly<Record<string, string>>): string {
  return `champs modifiés : ${keys.map((key) => labels[key] ?? key).join(", ")}`;
}

function siteValues(body: SiteBody) {
  return {
    name: body.name,
    kind: body.kind,
    address: body.address,
    accessInstructions: body.accessInstructions,
    phone: body.phone,
    capacity: body.kind === "sas" ? body.capacity : null,
  };
}

/** Another current site of the structure with the same name (case-insensitive) is refused. */
async function assertNameFree(tx: Db, structureId: string, name: string, exceptId?: string): Promise<void> {
  const [taken] = await tx
    .select({ id: site.id })
    .from(site)
    .where(
      and(
        eq(site.structureId, structureId),
        isNull(site.archivedAt),
        sql`lower(${site.name}) = lower(${name})`,
        exceptId ? ne(site.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (taken) throw errors.structure.siteNameTaken();
}

export async function addSite(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  body: SiteBody,
): Promise<{ siteId: string }> {
  assertManagesUsers(ctx.actor, structureId);
  return deps.db.transaction(async (tx) => {
    await lockStructure(tx, structureId);
    await assertNameFree(tx, structureId, body.name);
    const [created] = await tx
      .insert(site)
      .values({ structureId, ...siteValues(body) })
      .returning({ id: site.id });
    if (!created) throw new Error("site not inserted");
    await journalFor(tx, ctx, {
      action: "site.created",
      targetType: "site",
      targetId: created.id,
      structureId,
    });
    return { siteId: created.id };
  });
}

/** The current (not archived) site of the structure, its row locked until the transaction ends. */
/**
 * The structure's row, locked: additions and renamings of its sites queue one after the other, so
 * two of them cannot both find a name free (no unique index: older data may hold duplicates).
 */
async function lockStructure(tx: Db, structureId: string): Promise<void> {
  const [found] = await tx
    .select({ id: structure.id })
    .from(structure)
    .where(eq(structure.id, structureId))
    .for("update");
  if (!found) throw errors.structure.notFound();
}

async function lockedSite(tx: Db, structureId: string, siteId: string) {
  const [found] = await tx
    .select()
    .from(site)
    .where(and(eq(site.id, siteId), eq(site.structureId, structureId), isNull(site.archivedAt)))
    .for("update");
  if (!found) throw errors.structure.siteNotFound();
  return found;
}

export async function updateSite(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; siteId: string },
  body: SiteBody,
): Promise<void> {
  assertManagesUsers(ctx.actor, input.structureId);
  await deps.db.transaction(async (tx) => {
    await lockStructure(tx, input.structureId);
    const found = await lockedSite(tx, input.structureId, input.siteId);
    if (
      body.kind !== found.kind &&
      (detentionKinds.includes(body.kind) || detentionKinds.includes(found.kind))
    )
      throw errors.structure.siteKindLocked();
    await assertNameFree(tx, input.structureId, body.name, input.siteId);
    const values = siteValues(body);
    const changed = changedKeys(found, values);
    if (changed.length === 0) return;
    await tx.update(site).set(values).where(eq(site.id, input.siteId));
    await journalFor(tx, ctx, {
      action: "site.updated",
      targetType: "site",
      targetId: input.siteId,
      structureId: input.structureId,
      reason: changedFields(changed, siteLabels),
    });
  });
}

/** "permanence des lundis 09:00–12:00" / "ouverture du 4 décembre 2026 09:00–12:00". */
function ruleLabel(rule: {
  weekday: number | null;
  onDate: string | null;
  startTime: string;
  endTime: string;
}) {
  const hours = `de ${formatTimeOfDay(rule.startTime)} à ${formatTimeOfDay(rule.endTime)}`;
  return rule.onDate
    ? `ouverture ponctuelle du ${formatLongDate(rule.onDate)} ${hours}`
    : `permanence des ${weekdayName(rule.weekday ?? 0)}s ${hours}`;
}

/**
 * Archives a site with no opening still running or to come, no collective action, planned
 * convocation nor planned handover meeting ahead, and (a prison or a SAS) no one held there today
 * (a 409 lists each of them otherwise, as the stranded-convocations refusal does, by day and time
 * and by number: no one's name). Under the site's rules lock (no booking nor opening slips in
 * between the check and the archive) and its row lock (nor a handover meeting or a placement in
 * detention: those read the row in share mode).
 */
export async function archiveSite(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; siteId: string },
): Promise<void> {
  assertManagesUsers(ctx.actor, input.structureId);
  await deps.db.transaction(async (tx) => {
    await lockedSite(tx, input.structureId, input.siteId);
    await lockSiteRules(tx, input.siteId, "exclusive");
    const now = ctx.clock.now();
    const today = parisDay(now);
    const rules = await tx
      .select({
        weekday: openingRule.weekday,
        onDate: openingRule.onDate,
        startTime: openingRule.startTime,
        endTime: openingRule.endTime,
      })
      .from(openingRule)
      .where(
        and(
          eq(openingRule.siteId, input.siteId),
          or(
            and(isNull(openingRule.onDate), or(isNull(openingRule.validTo), gte(openingRule.validTo, today))),
            gte(openingRule.onDate, today),
          ),
        ),
      )
      .orderBy(asc(openingRule.weekday), asc(openingRule.onDate), asc(openingRule.startTime));
    const planned = await tx
      .select({ startsAt: convocation.startsAt })
      .from(convocation)
      .where(
        and(
          eq(convocation.siteId, input.siteId),
          eq(convocation.status, "planned"),
          gte(convocation.startsAt, now),
        ),
      )
      .orderBy(asc(convocation.startsAt));
    const actions = await tx
      .select({ title: collectiveAction.title, startsAt: collectiveAction.startsAt })
      .from(collectiveAction)
      .where(
        and(
          eq(collectiveAction.siteId, input.siteId),
          ne(collectiveAction.status, "cancelled"),
          gte(collectiveAction.startsAt, now),
        ),
      )
      .orderBy(asc(collectiveAction.startsAt));
    const meetings = await tx
      .select({ startsAt: handoverMeeting.startsAt })
      .from(handoverMeeting)
      .where(
        and(
          eq(handoverMeeting.siteId, input.siteId),
          eq(handoverMeeting.status, "planned"),
          gte(handoverMeeting.startsAt, now),
        ),
      )
      .orderBy(asc(handoverMeeting.startsAt));
    // The people held there today by the one rule (common/detention/place.ts `heldIn`: no release
    // recorded nor expected by today), on an open file (a closed one is no longer followed here).
    const attached = await tx
      .select(detentionColumns)
      .from(person)
      .where(
        and(eq(person.detentionSiteId, input.siteId), isNull(person.closedAt), isNull(person.archivedAt)),
      );
    const detained = attached.filter((detention) => heldIn(detention, today) !== null).length;
    const blockers = [
      ...rules.map(ruleLabel),
      ...actions.map((a) => `action collective « ${a.title} » du ${formatDateTime(a.startsAt)}`),
      ...planned.map((c) => `convocation du ${formatDateTime(c.startsAt)}`),
      ...meetings.map((m) => `réunion de passage de relais du ${formatDateTime(m.startsAt)}`),
      ...(detained === 0
        ? []
        : [
            detained === 1
              ? "1 personne détenue y est rattachée"
              : `${detained} personnes détenues y sont rattachées`,
          ]),
    ];
    // The convocations and meetings by day and time only, the people held by their number (the
    // agenda and the files name them): the refusal reads no one's file, for the direction as for the
    // administrator.
    if (blockers.length > 0) throw errors.structure.siteArchiveBlocked(blockers);
    await tx.update(site).set({ archivedAt: now }).where(eq(site.id, input.siteId));
    await journalFor(tx, ctx, {
      action: "site.archived",
      targetType: "site",
      targetId: input.siteId,
      structureId: input.structureId,
    });
  });
}
