import { and, eq, inArray } from "drizzle-orm";
import type {
  DemarcheChange,
  NewDemarche,
  RecordVisitBody,
} from "../../../../common/accompaniment/accompaniment.schema";
import type { ConvocationView } from "../../../../common/agenda/agenda.schema";
import { parisDay } from "../../../../common/calendar";
import { pastDueDayMessage } from "../../../../common/dates";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import { hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import { demarche, demarcheEvent, demarcheType, needAssessment, visit } from "../../../db/schema";
import { mayRecordVisits } from "../../agenda/policies";
import { listConvocations, toConvocationView } from "../../agenda/queries";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope } from "../../people/policies";
import { visitWords } from "../journalWords";
import { creationAllowed, isFinal, transitionAllowed, visitStartedAt } from "../rules";
import { visitSentAgain } from "../visitSentAgain";

/**
 * A due day ("À faire avant le") given or changed must not be past (Paris day of the server's
 * clock): the démarche would be overdue at once. An unchanged due day, already past, stays. The
 * refusal names the field (`path`, e.g. "body.created.0.dueDate"), in the form's words.
 */
export function assertDueDayAhead(
  ctx: RequestContext,
  dueDate: string | null,
  previous: string | null,
  path: string,
): void {
  if (dueDate === null || dueDate === previous) return;
  const today = parisDay(ctx.clock.now());
  if (dueDate < today) throw errors.request.invalid([{ path, message: pastDueDayMessage(today) }]);
}

/**
 * When a step made at a visit took place: the visit's start, so a visit recorded the next day (or
 * month) counts its démarches, outcomes and needs on its own day (ADR 0006 addendum 2026-12-06) —
 * never before the démarche itself began (one started between visits after the visit's start).
 */
export function visitStepAt(visitAt: Date, notBefore?: Date): Date {
  return notBefore && notBefore > visitAt ? notBefore : visitAt;
}

/** Applies a change to an existing démarche of the person (status checked), with its history row. */
export async function changeDemarche(
  tx: Db,
  ctx: RequestContext,
  current: typeof demarche.$inferSelect,
  change: DemarcheChange,
  visitId: string | null,
  /** Where the change sits in the request body, for a field-level refusal. */
  at = "body",
  /** The visit's start when the change was made at a visit: its history row and outcome take it. */
  visitAt?: Date,
): Promise<void> {
  if (!transitionAllowed(current.status, change.status)) throw errors.accompaniment.invalidTransition();
  assertDueDayAhead(ctx, change.dueDate, current.dueDate, `${at}.dueDate`);
  const now = ctx.clock.now();
  const stepAt = visitAt ? visitStepAt(visitAt, current.createdAt) : now;
  // An outcome reached at the visit is dated there (the trigger would take the recording's instant).
  const outcomeAt =
    visitAt && change.status !== current.status && isFinal(change.status) ? { outcomeAt: stepAt } : {};
  await tx
    .update(demarche)
    .set({
      status: change.status,
      outcome: change.outcome,
      nextStep: change.nextStep,
      dueDate: change.dueDate,
      timeSpentMinutes: current.timeSpentMinutes + change.timeSpentMinutes,
      ...(change.documents ? { documents: change.documents } : {}),
      ...outcomeAt,
      updatedAt: now,
    })
    .where(eq(demarche.id, current.id));
  await tx.insert(demarcheEvent).values({
    demarcheId: current.id,
    at: stepAt,
    byUserId: ctx.actor.userId,
    status: change.status,
    visitId,
    timeSpentMinutes: change.timeSpentMinutes,
  });
}

/** Inside a transaction: a new démarche from the catalogue, its checklist, and its first history row. */
export async function startDemarche(
  tx: Db,
  ctx: RequestContext,
  owner: { structureId: string; personId: string; siteId: string | null },
  added: NewDemarche,
  visitId: string | null,
  /** The id the client chose (a safe retry, `addDemarche`); a new one otherwise. */
  id?: string,
  /** Where the démarche sits in the request body, for a field-level refusal. */
  at = "body",
  /** The visit's start when started at a visit: the démarche begins then (its month, its day). */
  visitAt?: Date,
): Promise<string> {
  if (!creationAllowed(added.status)) throw errors.accompaniment.invalidTransition();
  assertDueDayAhead(ctx, added.dueDate, null, `${at}.dueDate`);
  const [type] = await tx.select().from(demarcheType).where(eq(demarcheType.id, added.demarcheTypeId));
  if (!type) throw errors.accompaniment.unknownDemarcheType(`${at}.demarcheTypeId`);
  const now = ctx.clock.now();
  const startedAt = visitAt ?? now;
  const [inserted] = await tx
    .insert(demarche)
    .values({
      ...(id ? { id } : {}),
      ...owner,
      demarcheTypeId: type.id,
      helpLevel: added.helpLevel,
      status: added.status,
      outcome: added.outcome,
      nextStep: added.nextStep,
      dueDate: added.dueDate,
      timeSpentMinutes: added.timeSpentMinutes,
      documents: added.documents ?? type.documents.map((label) => ({ label, provided: false })),
      createdBy: ctx.actor.userId,
      createdAt: startedAt,
      updatedAt: now,
    })
    .returning({ id: demarche.id });
  await tx.insert(demarcheEvent).values({
    demarcheId: inserted!.id,
    at: startedAt,
    byUserId: ctx.actor.userId,
    status: added.status,
    visitId,
    timeSpentMinutes: added.timeSpentMinutes,
  });
  return inserted!.id;
}

/**
 * The counselor's visit, in one transaction: the visit itself (one per honoured convocation), the
 * démarches worked on or started, the needs re-assessed and the next convocation suggested to the CPIP.
 */
export async function recordVisit(
  deps: Deps,
  ctx: RequestContext,
  convocationId: string,
  body: RecordVisitBody,
): Promise<ConvocationView> {
  const scope = nominativeScope(ctx.actor);
  // Recorded twice at once: the second insert waits for the first and breaks the one-visit-per-
  // convocation index; run again, it finds the visit and answers as a retry sent afterwards.
  return inTransaction(
    deps.db,
    async (tx) => {
      const [row] = await listConvocations(tx, scope, { id: convocationId });
      if (!row) throw errors.convocation.notFound();
      const c = row.convocation;
      await assertFileOpen(tx, c.personId);
      // The person is convoked here: in the scope of every counselor of the structure.
      if (!mayRecordVisits(ctx.actor, c.structureId, hasRole(ctx.actor, "counselor", c.structureId)))
        throw errors.access.forbidden();
      if (c.status !== "honoured") throw errors.accompaniment.visitNeedsHonoured();
      if (row.hasVisit) {
        // Sent again after a lost answer (ADR 0036): the counselor's own visit, recorded with the
        // content sent again, is answered as it is; nothing is written (no second démarche, need
        // or journal row). Other values, or another counselor's visit, are refused.
        const again = await visitSentAgain(tx, c.id, ctx.actor.userId, body);
        if (again === "same") return toConvocationView(row, ctx.clock.now(), ctx.actor);
        throw again === "differs"
          ? errors.accompaniment.visitRetriedWithOtherValues()
          : errors.accompaniment.visitExists();
      }
      const now = ctx.clock.now();
      // Received early, the person was seen before the booked time: « Dernière visite » says when.
      const startedAt = visitStartedAt(c, now, body.durationMinutes);
      const [created] = await tx
        .insert(visit)
        .values({
          structureId: c.structureId,
          personId: c.personId,
          convocationId: c.id,
          siteId: c.siteId,
          counselorUserId: ctx.actor.userId,
          startedAt,
          durationMinutes: body.durationMinutes,
          autonomy: body.autonomy,
          suggestNextInDays: body.suggestNextInDays,
          suggestion: body.suggestion,
          // The recording's instant (the journal row's too); what the visit started, changed or
          // assessed is dated at the visit itself (`startedAt`), on its Paris day, even recorded later.
          createdAt: now,
        })
        .returning({ id: visit.id });
      const visitId = created!.id;

      const ids = body.updated.map((u) => u.id);
      const existing =
        ids.length === 0
          ? []
          : await tx
              .select()
              .from(demarche)
              .where(and(inArray(demarche.id, ids), eq(demarche.personId, c.personId)));
      if (existing.length !== new Set(ids).size) throw errors.accompaniment.demarcheNotFound();
      for (const [i, change] of body.updated.entries()) {
        await changeDemarche(
          tx,
          ctx,
          existing.find((d) => d.id === change.id)!,
          change,
          visitId,
          `body.updated.${i}`,
          startedAt,
        );
      }

      for (const [i, added] of body.created.entries()) {
        await startDemarche(
          tx,
          ctx,
          { structureId: c.structureId, personId: c.personId, siteId: c.siteId },
          added,
          visitId,
          undefined,
          `body.created.${i}`,
          startedAt,
        );
      }

      if (body.needs.length > 0) {
        await tx.insert(needAssessment).values(
          body.needs.map((n) => ({
            structureId: c.structureId,
            personId: c.personId,
            domain: n.domain,
            hasNeed: n.hasNeed,
            priority: n.hasNeed ? n.priority : null,
            situation: n.situation,
            comment: n.comment,
            assessedAt: startedAt,
            assessedBy: ctx.actor.userId,
            visitId,
          })),
        );
      }
      await journalFor(tx, ctx, {
        action: "visit.recorded",
        targetType: "convocation",
        targetId: c.id,
        structureId: c.structureId,
        reason: visitWords(body.updated.length, body.created.length, body.needs.length),
      });
      return toConvocationView({ ...row, hasVisit: true }, now, ctx.actor);
    },
    { retryUniqueViolation: true },
  );
}
