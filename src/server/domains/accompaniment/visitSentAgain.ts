import { isDeepStrictEqual } from "node:util";
import { eq, inArray, min } from "drizzle-orm";
import type { RecordVisitBody } from "../../../common/accompaniment/accompaniment.schema";
import type { Db } from "../../db/createDb";
import { demarche, demarcheEvent, needAssessment, visit } from "../../db/schema";

/**
 * What a visit recorded again on a convocation that has one is (ADR 0036, "Visits"): the same
 * counselor's visit with the content sent again (`same`: an answer was lost, the first recording is
 * answered and nothing is written), the same counselor's with other values (`differs`: a field was
 * changed before sending again, nothing is changed), or someone else's (`another`).
 */
export type VisitSentAgain = "same" | "differs" | "another";

type DemarcheRow = typeof demarche.$inferSelect;

/** A démarche as the form describes it; the documents only when the form sent them. */
function describe(
  d: {
    status: string;
    outcome: string;
    nextStep: string;
    dueDate: string | null;
    documents?: { label: string; provided: boolean }[] | undefined;
  },
  withDocuments: boolean,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    ...extra,
    status: d.status,
    outcome: d.outcome,
    nextStep: d.nextStep,
    dueDate: d.dueDate ?? null,
    ...(withDocuments ? { documents: d.documents ?? null } : {}),
  };
}

/** Whether each wanted item matches one recorded item, one to one (`equal` decides a pair). */
function matchOneToOne<W, R>(wanted: W[], recorded: R[], equal: (w: W, r: R) => boolean): boolean {
  if (wanted.length !== recorded.length) return false;
  const left = [...recorded];
  return wanted.every((w) => {
    const at = left.findIndex((r) => equal(w, r));
    if (at < 0) return false;
    left.splice(at, 1);
    return true;
  });
}

/**
 * The convocation's visit compared with a recording sent again: the visit's fields, the démarches
 * started and updated at it and the needs assessed, as they are now (a démarche changed since then
 * differs, which is the truth: the retry would not change it).
 */
export async function visitSentAgain(
  tx: Db,
  convocationId: string,
  actorUserId: string,
  body: RecordVisitBody,
): Promise<VisitSentAgain> {
  const [recorded] = await tx.select().from(visit).where(eq(visit.convocationId, convocationId));
  if (!recorded || recorded.counselorUserId !== actorUserId) return "another";
  const sameFields = isDeepStrictEqual(
    {
      durationMinutes: recorded.durationMinutes,
      autonomy: recorded.autonomy,
      suggestNextInDays: recorded.suggestNextInDays,
      suggestion: recorded.suggestion,
    },
    {
      durationMinutes: body.durationMinutes,
      autonomy: body.autonomy,
      suggestNextInDays: body.suggestNextInDays,
      suggestion: body.suggestion,
    },
  );
  if (!sameFields) return "differs";

  const events = await tx
    .select({ event: demarcheEvent, demarche })
    .from(demarcheEvent)
    .innerJoin(demarche, eq(demarche.id, demarcheEvent.demarcheId))
    .where(eq(demarcheEvent.visitId, recorded.id));
  const touched = [...new Set(events.map((e) => e.demarche.id))];
  // A démarche started at this visit has its first history row there.
  const firsts =
    touched.length === 0
      ? []
      : await tx
          .select({ demarcheId: demarcheEvent.demarcheId, first: min(demarcheEvent.id) })
          .from(demarcheEvent)
          .where(inArray(demarcheEvent.demarcheId, touched))
          .groupBy(demarcheEvent.demarcheId);
  const visitEventIds = new Set(events.map((e) => e.event.id));
  const startedHere = new Set(
    firsts.filter((f) => f.first !== null && visitEventIds.has(f.first)).map((f) => f.demarcheId),
  );
  const started: DemarcheRow[] = [];
  const updated: { demarche: DemarcheRow; timeSpentMinutes: number }[] = [];
  for (const { event, demarche: d } of events) {
    if (startedHere.has(d.id)) started.push(d);
    else updated.push({ demarche: d, timeSpentMinutes: event.timeSpentMinutes });
  }

  // The documents are compared only when the form sent them (unsent, they were the catalogue's list).
  const sameUpdates = matchOneToOne(body.updated, updated, (u, r) => {
    const withDocuments = u.documents !== undefined;
    return isDeepStrictEqual(
      describe(u, withDocuments, { id: u.id, time: u.timeSpentMinutes }),
      describe(r.demarche, withDocuments, { id: r.demarche.id, time: r.timeSpentMinutes }),
    );
  });
  const sameStarts = matchOneToOne(body.created, started, (c, d) => {
    const withDocuments = c.documents !== undefined;
    return isDeepStrictEqual(
      describe(c, withDocuments, { type: c.demarcheTypeId, help: c.helpLevel, time: c.timeSpentMinutes }),
      describe(d, withDocuments, { type: d.demarcheTypeId, help: d.helpLevel, time: d.timeSpentMinutes }),
    );
  });

  const needs = await tx
    .select({
      domain: needAssessment.domain,
      hasNeed: needAssessment.hasNeed,
      priority: needAssessment.priority,
      situation: needAssessment.situation,
      comment: needAssessment.comment,
    })
    .from(needAssessment)
    .where(eq(needAssessment.visitId, recorded.id));
  const sameNeeds = matchOneToOne(body.needs, needs, (n, r) =>
    isDeepStrictEqual(r, {
      domain: n.domain,
      hasNeed: n.hasNeed,
      priority: n.hasNeed ? n.priority : null,
      situation: n.situation,
      comment: n.comment,
    }),
  );
  return sameUpdates && sameStarts && sameNeeds ? "same" : "differs";
}
