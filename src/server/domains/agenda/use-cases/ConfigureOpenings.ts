import { and, eq, gt, inArray, isNull, lt } from "drizzle-orm";
import {
  type OpeningRuleBody,
  PAST_PERIODS_DAYS,
  type StrandedQuery,
} from "../../../../common/agenda/agenda.schema";
import { addDays, parisDay } from "../../../../common/calendar";
import { formatDateTime, formatShortDateTime } from "../../../../common/dateFormat";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { alreadyCreated } from "../../../core/retriedCreation";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import {
  counselorAbsence,
  openingRule,
  openingRuleCounselor,
  site,
  siteClosure,
  user,
} from "../../../db/schema";
import { actionInClosureLabel, plannedActionsDuring } from "../../actions/closures";
import { assertSiteAccess } from "../../detention/queries";
import { agentNameIn } from "../../structures/queries";
import { counselorsAmong } from "../openings";
import { assertManagesOpenings } from "../policies";
import { lockAllSiteRules, lockSiteRules, ruleFields } from "../queries";
import { parisInstant, parisMidnight, ruleAppliesOn } from "../rules";
import { type StrandedConvocation, strandedConvocations, strandedLabel } from "../stranded";

const DAY_MS = 86_400_000;

/**
 * The direction's configuration of permanences. Changing a rule from a date on = ending it the day
 * before and adding the new one: past days, and slots already booked, are left untouched.
 */
async function assertSiteOf(db: Db, structureId: string, siteId: string): Promise<{ name: string }> {
  const [found] = await db
    .select({ name: site.name })
    .from(site)
    // An archived site takes no new opening nor closure. Shared row lock: an archive running at the
    // same time (which locks the row for update) either waits for this opening and then sees it, or
    // goes first and this check sees the site archived.
    .where(and(eq(site.id, siteId), eq(site.structureId, structureId), isNull(site.archivedAt)))
    .for("share");
  if (!found) throw errors.convocation.siteNotInStructure();
  return found;
}

export async function addOpeningRule(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  body: OpeningRuleBody,
): Promise<void> {
  assertManagesOpenings(ctx.actor, structureId);
  // A one-off opening is valid on its date only: the hidden « À partir du » is not read.
  const input = body.onDate !== null ? { ...body, validFrom: body.onDate, validTo: body.onDate } : body;
  if ((input.onDate ?? input.validFrom) < parisDay(ctx.clock.now()))
    throw errors.convocation.ruleStartsInPast(input.onDate ? "onDate" : "validFrom");
  await deps.db.transaction(async (tx) => {
    await assertSiteOf(tx, structureId, input.siteId);
    const pool = [...new Set(input.counselorIds)];
    if ((await counselorsAmong(tx, structureId, pool)).length !== pool.length)
      throw errors.convocation.notACounselor();
    // Milieu fermé (ADR 0028): in a prison or SAS, each counselor of the pool needs a valid access.
    for (const userId of pool)
      await assertSiteAccess(tx, { siteId: input.siteId, userId, day: input.onDate ?? input.validFrom });
    // Sent twice (a retry after a lost answer), or drawn over another permanence of the same
    // counselor: the slot's capacity would count that counselor twice. Under the site's rules lock.
    await lockSiteRules(tx, input.siteId, "exclusive");
    if (await overlapsAnotherRule(tx, input, pool)) throw errors.convocation.ruleOverlaps();
    const { counselorIds: _, ...rule } = input;
    const [created] = await tx
      .insert(openingRule)
      .values({ ...rule, structureId })
      .returning({ id: openingRule.id });
    await tx.insert(openingRuleCounselor).values(pool.map((userId) => ({ ruleId: created!.id, userId })));
    await journalFor(tx, ctx, {
      action: "opening_rule.added",
      targetType: "opening_rule",
      targetId: created!.id,
      structureId,
    });
  });
}

/** Whether a rule of the site already holds one of `pool` on a day and at hours the new rule takes. */
async function overlapsAnotherRule(tx: Db, input: OpeningRuleBody, pool: string[]): Promise<boolean> {
  const rows = await tx
    .select({ rule: openingRule, counselorId: openingRuleCounselor.userId })
    .from(openingRule)
    .innerJoin(openingRuleCounselor, eq(openingRuleCounselor.ruleId, openingRule.id))
    .where(and(eq(openingRule.siteId, input.siteId), inArray(openingRuleCounselor.userId, pool)));
  const added = { ...input, id: "", counselorIds: pool };
  return rows.some(({ rule }) => {
    if (!(input.startTime < rule.endTime && rule.startTime < input.endTime)) return false;
    const existing = { ...ruleFields(rule), counselorIds: [] };
    if (input.onDate !== null) return ruleAppliesOn(existing, input.onDate);
    if (rule.onDate !== null) return ruleAppliesOn(added, rule.onDate);
    return (
      rule.weekday === input.weekday &&
      (rule.validTo === null || input.validFrom <= rule.validTo) &&
      (input.validTo === null || rule.validFrom <= input.validTo)
    );
  });
}

/**
 * The three changes that may strand planned convocations (ADR 0016), each checked the same way for
 * the write (under its locks, `lock`) and for the preview the page shows before the click (no lock,
 * nothing written).
 */
async function ruleEndCheck(
  tx: Db,
  input: { structureId: string; ruleId: string; lastDay: string },
  lock: boolean,
) {
  const [found] = await tx
    .select()
    .from(openingRule)
    .where(and(eq(openingRule.id, input.ruleId), eq(openingRule.structureId, input.structureId)));
  if (!found) throw errors.convocation.ruleNotFound();
  const lastDay = found.validTo !== null && found.validTo < input.lastDay ? found.validTo : input.lastDay;
  if (lock) await lockSiteRules(tx, found.siteId, "exclusive");
  const stranded = await strandedConvocations(tx, {
    structureId: input.structureId,
    siteIds: [found.siteId],
    from: parisInstant(addDays(lastDay, 1), "00:00"),
    change: (now) => ({
      ...now,
      rules: now.rules.map((r) => (r.id === found.id ? { ...r, validTo: lastDay } : r)),
    }),
  });
  return { lastDay, stranded };
}

async function closureCheck(
  tx: Db,
  structureId: string,
  input: { siteId: string; startsAt: string; endsAt: string },
  lock: boolean,
): Promise<{ siteName: string; stranded: StrandedConvocation[] }> {
  const { name: siteName } = await assertSiteOf(tx, structureId, input.siteId);
  const closure = {
    siteId: input.siteId,
    startsAt: new Date(input.startsAt),
    endsAt: new Date(input.endsAt),
  };
  if (lock) await lockSiteRules(tx, input.siteId, "exclusive");
  const stranded = await strandedConvocations(tx, {
    structureId,
    siteIds: [input.siteId],
    from: new Date(closure.startsAt.getTime() - DAY_MS),
    to: closure.endsAt,
    change: (now) => ({ ...now, closures: [...now.closures, closure] }),
  });
  return { siteName, stranded };
}

async function absenceCheck(
  tx: Db,
  structureId: string,
  input: { userId: string; startsAt: string; endsAt: string },
  lock: boolean,
): Promise<StrandedConvocation[]> {
  if ((await counselorsAmong(tx, structureId, [input.userId])).length !== 1)
    throw errors.convocation.notACounselor("body.userId");
  const absence = {
    userId: input.userId,
    startsAt: new Date(input.startsAt),
    endsAt: new Date(input.endsAt),
  };
  // The counselor may hold permanences on any site of the structure: all of them wait, in one order.
  if (lock) await lockAllSiteRules(tx, structureId);
  return strandedConvocations(tx, {
    structureId,
    from: new Date(absence.startsAt.getTime() - DAY_MS),
    to: absence.endsAt,
    change: (now) => ({ ...now, absences: [...now.absences, absence] }),
  });
}

/**
 * What a stop, a closure or an absence would strand, before the direction confirms it (ADR 0016
 * addendum): the same check as the write, nothing written. The answer names people: the route is
 * nominative (journaled by the mount).
 */
export async function previewStranded(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  query: StrandedQuery,
): Promise<StrandedConvocation[]> {
  assertManagesOpenings(ctx.actor, structureId);
  if (query.ruleId && query.lastDay)
    return (await ruleEndCheck(deps.db, { structureId, ruleId: query.ruleId, lastDay: query.lastDay }, false))
      .stranded;
  const period = { startsAt: query.startsAt ?? "", endsAt: query.endsAt ?? "" };
  if (query.siteId)
    return (await closureCheck(deps.db, structureId, { siteId: query.siteId, ...period }, false)).stranded;
  return absenceCheck(deps.db, structureId, { userId: query.userId ?? "", ...period }, false);
}

export async function endOpeningRule(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; ruleId: string; lastDay: string },
): Promise<void> {
  assertManagesOpenings(ctx.actor, input.structureId);
  // Past days keep the permanence they had (their convocations, the opening hours reported): the
  // last day is yesterday at the earliest, as a change takes effect today at the earliest.
  if (input.lastDay < addDays(parisDay(ctx.clock.now()), -1)) throw errors.convocation.ruleEndInPast();
  await deps.db.transaction(async (tx) => {
    // ADR 0016: refused while planned convocations after the last day need this permanence.
    const { lastDay, stranded } = await ruleEndCheck(tx, input, true);
    if (stranded.length > 0)
      throw errors.convocation
        .openingsStrandBookings("ruleEnd", stranded.map(strandedLabel))
        .disclosing(stranded.map((c) => c.personId));
    await tx.update(openingRule).set({ validTo: lastDay }).where(eq(openingRule.id, input.ruleId));
    await journalFor(tx, ctx, {
      action: "opening_rule.ended",
      targetType: "opening_rule",
      targetId: input.ruleId,
      structureId: input.structureId,
      reason: `dernier jour ${lastDay}`,
    });
  });
}

/**
 * Records a site's closure; answers its id. Sent again under the id its form chose (a lost answer,
 * ADR 0036; twice at once, the second waits for the site's rules lock and finds the first), the
 * closure already written is answered: no second row or journal row.
 */
export async function addClosure(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  { id: chosenId, ...input }: { id?: string; siteId: string } & Period,
): Promise<string> {
  // ADR 0016: refused while planned convocations fall in the closure (rescheduled first).
  return recordPeriod(
    deps,
    ctx,
    "closure",
    { structureId, chosenId, ownerId: input.siteId, period: input },
    async (tx) => {
      const { siteName, stranded } = await closureCheck(tx, structureId, input, true);
      // Nor over a planned collective action at the site (ADR 0031 addendum): moved or cancelled first.
      const actions = await plannedActionsDuring(tx, {
        siteId: input.siteId,
        startsAt: new Date(input.startsAt),
        endsAt: new Date(input.endsAt),
        now: ctx.clock.now(),
      });
      if (actions.length > 0) throw errors.closure.strandsActions(actions.map(actionInClosureLabel));
      return { stranded, of: async () => siteName };
    },
  );
}

/** Records a counselor's absence; answers its id. Sent again under its id: as a closure (above). */
export async function addAbsence(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  { id: chosenId, ...input }: { id?: string; userId: string } & Period,
): Promise<string> {
  // ADR 0016: refused while planned convocations would lose the seat this counselor gives.
  return recordPeriod(
    deps,
    ctx,
    "absence",
    { structureId, chosenId, ownerId: input.userId, period: input },
    async (tx) => ({
      stranded: await absenceCheck(tx, structureId, input, true),
      of: () => counselorName(tx, structureId, input.userId),
    }),
  );
}

/** The counselor as the structure shows them (the typed name until the invitation is accepted). */
async function counselorName(tx: Db, structureId: string, userId: string): Promise<string> {
  const [named] = await tx
    .select({ name: agentNameIn(structureId) })
    .from(user)
    .where(eq(user.id, userId));
  return named!.name;
}

/**
 * A closure (of a site) and an absence (of a counselor): the period's table, the column naming whose
 * period it is, and the words of their journal rows and answers.
 */
const PERIODS = {
  closure: {
    table: siteClosure,
    owner: siteClosure.siteId,
    row: (ownerId: string) => ({ siteId: ownerId }),
    added: "site.closed",
    lifted: "site.closure_lifted",
    targetType: "site_closure",
    noun: "fermeture",
    retriedWithOtherValues: errors.closure.retriedWithOtherValues,
  },
  absence: {
    table: counselorAbsence,
    owner: counselorAbsence.userId,
    row: (ownerId: string) => ({ userId: ownerId }),
    added: "counselor.absent",
    lifted: "counselor.absence_lifted",
    targetType: "counselor_absence",
    noun: "absence",
    retriedWithOtherValues: errors.absence.retriedWithOtherValues,
  },
} as const;

/**
 * Records a closure or an absence, in one transaction: the same id sent again is answered as it was
 * (ADR 0036), then the period is checked (too old or too far; `check`: the owner belongs to the
 * structure, and no planned convocation would be stranded, under the rules' lock), the same period
 * already recorded is answered, one over it refused; the row is written and journaled, naming the
 * site or the counselor (`of`, read once the period is accepted).
 */
async function recordPeriod(
  deps: Deps,
  ctx: RequestContext,
  kind: keyof typeof PERIODS,
  input: { structureId: string; chosenId: string | undefined; ownerId: string; period: Period },
  check: (tx: Db) => Promise<{ stranded: StrandedConvocation[]; of: () => Promise<string> }>,
): Promise<string> {
  const { table, owner, row, added, targetType, noun, retriedWithOtherValues } = PERIODS[kind];
  const { structureId, chosenId, ownerId, period } = input;
  assertManagesOpenings(ctx.actor, structureId);
  return inTransaction(
    deps.db,
    async (tx) => {
      if (
        chosenId &&
        (await alreadyCreated(
          tx,
          ctx,
          { table, id: chosenId, scope: [owner, ownerId], creator: { journaled: added } },
          periodRow(period),
          retriedWithOtherValues,
        ))
      )
        return chosenId;
      assertRecent(period, ctx.clock.now());
      const { stranded, of } = await check(tx);
      if (stranded.length > 0)
        throw errors.convocation
          .openingsStrandBookings(kind, stranded.map(strandedLabel))
          .disclosing(stranded.map((c) => c.personId));
      const others = await tx
        .select()
        .from(table)
        .where(and(eq(owner, ownerId), overlapping(table, period)));
      const recorded = alreadyRecorded(kind, others, period);
      if (recorded) return recorded;
      const name = await of();
      const [created] = await tx
        .insert(table)
        .values({ id: chosenId, ...row(ownerId), ...periodRow(period) })
        .returning({ id: table.id });
      await journalFor(tx, ctx, {
        action: added,
        targetType,
        targetId: created!.id,
        structureId,
        reason: periodWords(noun, name, period),
      });
      return created!.id;
    },
    { retryUniqueViolation: true },
  );
}

type Period = { startsAt: string; endsAt: string; reason: string };

/** A closure's or an absence's columns, as written and as a retry compares them. */
const periodRow = (p: Period) => ({
  startsAt: new Date(p.startsAt),
  endsAt: new Date(p.endsAt),
  reason: p.reason,
});

/** The journal's words for a period: "fermeture de Meaux du 24/12/2026 à 8 h 00 au 26/12/2026 à 8 h 00". */
const periodWords = (noun: string, of: string, p: { startsAt: string | Date; endsAt: string | Date }) =>
  `${noun} de ${of} du ${formatShortDateTime(p.startsAt)} au ${formatShortDateTime(p.endsAt)}`;

/**
 * A closure or an absence starting over a year ago is not news: refused (a mistyped year). One that
 * starts before now within the year may be recorded after the fact (a strike yesterday, a sick day).
 */
function assertRecent(input: Period, now: Date): void {
  if (Date.parse(input.startsAt) < now.getTime() - 366 * DAY_MS) throw errors.convocation.periodTooOld();
  // Nor one starting more than two years ahead (a mistyped year the other way).
  if (Date.parse(input.startsAt) > now.getTime() + 2 * 366 * DAY_MS) throw errors.convocation.periodTooFar();
}

/** The periods of a site or counselor that share a moment with the one asked. */
const overlapping = (table: typeof siteClosure | typeof counselorAbsence, input: Period) =>
  and(lt(table.startsAt, new Date(input.endsAt)), gt(table.endsAt, new Date(input.startsAt)));

/**
 * The same period sent again (a retry after a lost answer, a double click, by a client without the
 * form's id: ADR 0036) is the one already recorded — nothing written, answered as the first (its id);
 * another period of the same site or counselor over it is refused, as two closures of one day would
 * be one too many to lift. Runs under the site rules' lock taken by the stranded check, so two
 * identical requests take turns.
 */
function alreadyRecorded(
  what: "closure" | "absence",
  others: { id: string; startsAt: Date; endsAt: Date; reason: string }[],
  input: Period,
): string | null {
  const [startsAt, endsAt] = [Date.parse(input.startsAt), Date.parse(input.endsAt)];
  const same = others.find(
    (o) => o.startsAt.getTime() === startsAt && o.endsAt.getTime() === endsAt && o.reason === input.reason,
  );
  if (same) return same.id;
  const [other] = others;
  if (other)
    throw errors.convocation.periodOverlaps(
      what,
      // Written as the closures' table writes it, next to the form.
      `du ${formatDateTime(other.startsAt)} au ${formatDateTime(other.endsAt)}`,
    );
  return null;
}

/**
 * Lifting a closure or an absence (entered by mistake, or no longer needed): from today on. One that
 * starts today or later is removed; one that started before today ends at today's midnight, so the
 * days gone by keep the closure they had (their slots, the opening hours reported). The row is locked
 * by the caller: the same lift sent twice at once is applied and journaled once (the second reads the
 * row as the first left it: removed, 404; ended today, nothing to do).
 */
async function liftPeriod(
  tx: Db,
  ctx: RequestContext,
  kind: keyof typeof PERIODS,
  structureId: string,
  period: { id: string; startsAt: Date; endsAt: Date },
  /** The site closed or the counselor absent, named in the journal. */
  of: string,
  /** A period over, removed whole (recorded by mistake after the fact): its past days change. */
  past: boolean,
): Promise<void> {
  const { table, lifted: action, targetType, noun } = PERIODS[kind];
  const now = ctx.clock.now();
  const today = parisMidnight(now);
  if (past && period.endsAt <= now) {
    // Listed on the page for three months; the hours held of its days are counted again.
    if (period.endsAt.getTime() < now.getTime() - PAST_PERIODS_DAYS * DAY_MS)
      throw errors.convocation.periodOver();
    await tx.delete(table).where(eq(table.id, period.id));
    await journalFor(tx, ctx, {
      action,
      targetType,
      targetId: period.id,
      structureId,
      reason: `${periodWords(noun, of, period)} retirée (passée)`,
    });
    return;
  }
  if (period.endsAt.getTime() === today.getTime()) return;
  if (period.endsAt <= now) throw errors.convocation.periodOver();
  const removed = period.startsAt >= today;
  if (removed) await tx.delete(table).where(eq(table.id, period.id));
  else await tx.update(table).set({ endsAt: today }).where(eq(table.id, period.id));
  await journalFor(tx, ctx, {
    action,
    targetType,
    targetId: period.id,
    structureId,
    reason: `${periodWords(noun, of, period)} ${removed ? "retirée" : "levée à partir d'aujourd'hui"}`,
  });
}

export async function liftClosure(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; closureId: string; past?: boolean },
): Promise<void> {
  assertManagesOpenings(ctx.actor, input.structureId);
  await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ closure: siteClosure, siteName: site.name })
      .from(siteClosure)
      .innerJoin(site, eq(site.id, siteClosure.siteId))
      .where(and(eq(siteClosure.id, input.closureId), eq(site.structureId, input.structureId)))
      .for("update", { of: siteClosure });
    if (!found) throw errors.convocation.periodNotFound();
    await lockSiteRules(tx, found.closure.siteId, "exclusive");
    await liftPeriod(tx, ctx, "closure", input.structureId, found.closure, found.siteName, !!input.past);
  });
}

export async function liftAbsence(
  deps: Deps,
  ctx: RequestContext,
  input: { structureId: string; absenceId: string; past?: boolean },
): Promise<void> {
  assertManagesOpenings(ctx.actor, input.structureId);
  await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ absence: counselorAbsence, name: agentNameIn(input.structureId) })
      .from(counselorAbsence)
      .innerJoin(user, eq(user.id, counselorAbsence.userId))
      .where(eq(counselorAbsence.id, input.absenceId))
      .for("update", { of: counselorAbsence });
    if (!found || (await counselorsAmong(tx, input.structureId, [found.absence.userId])).length !== 1)
      throw errors.convocation.periodNotFound();
    await lockAllSiteRules(tx, input.structureId);
    await liftPeriod(tx, ctx, "absence", input.structureId, found.absence, found.name, !!input.past);
  });
}
