import { asc, desc, eq, inArray } from "drizzle-orm";
import type { DemarcheView, NeedView, VisitView } from "../../../common/accompaniment/accompaniment.schema";
import type { NeedDomain } from "../../../common/agenda/agenda.schema";
import type { Db } from "../../db/createDb";
import { demarche, demarcheEvent, demarcheType, needAssessment, partner, user, visit } from "../../db/schema";
import { type NeedRecord, needsProgress } from "./rules";

/** The démarches of a person (or one démarche), with their catalogue entry and dated history. */
export async function demarcheViews(
  db: Db,
  where: { personId: string } | { id: string },
): Promise<DemarcheView[]> {
  const rows = await db
    .select({
      demarche,
      typeLabel: demarcheType.label,
      category: demarcheType.category,
      partnerName: partner.name,
    })
    .from(demarche)
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .leftJoin(partner, eq(partner.id, demarcheType.partnerId))
    .where("id" in where ? eq(demarche.id, where.id) : eq(demarche.personId, where.personId))
    .orderBy(desc(demarche.updatedAt))
    .limit(300);
  const ids = rows.map((r) => r.demarche.id);
  const events =
    ids.length === 0
      ? []
      : await db
          .select({ event: demarcheEvent, byName: user.displayName })
          .from(demarcheEvent)
          .leftJoin(user, eq(user.id, demarcheEvent.byUserId))
          .where(inArray(demarcheEvent.demarcheId, ids))
          .orderBy(asc(demarcheEvent.at), asc(demarcheEvent.id));
  return rows.map(({ demarche: d, typeLabel, category, partnerName }) => ({
    id: d.id,
    partnerName,
    label: typeLabel ?? "Démarche",
    category,
    helpLevel: d.helpLevel,
    status: d.status,
    outcome: d.outcome,
    nextStep: d.nextStep,
    dueDate: d.dueDate,
    timeSpentMinutes: d.timeSpentMinutes,
    documents: d.documents,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    history: events
      .filter((e) => e.event.demarcheId === d.id)
      .map((e) => ({
        at: e.event.at.toISOString(),
        status: e.event.status,
        byName: e.byName,
        visitId: e.event.visitId,
      })),
  }));
}

/** The latest assessment of each domain, and the progress over the whole history. */
export async function needsOf(
  db: Db,
  personId: string,
): Promise<{ needs: NeedView[]; progress: ReturnType<typeof needsProgress> }> {
  const rows = await db
    .select({ need: needAssessment, byName: user.displayName })
    .from(needAssessment)
    .leftJoin(user, eq(user.id, needAssessment.assessedBy))
    .where(eq(needAssessment.personId, personId))
    .orderBy(asc(needAssessment.assessedAt), asc(needAssessment.id))
    .limit(2000);
  const latest = new Map<string, NeedView>();
  for (const { need, byName } of rows) {
    latest.set(need.domain, {
      domain: need.domain as NeedDomain,
      hasNeed: need.hasNeed,
      priority: need.priority,
      situation: need.situation,
      comment: need.comment,
      assessedAt: need.assessedAt.toISOString(),
      assessedByName: byName,
    });
  }
  const history: NeedRecord[] = rows.map(({ need }) => ({
    domain: need.domain,
    hasNeed: need.hasNeed,
    assessedAt: need.assessedAt,
  }));
  return { needs: [...latest.values()], progress: needsProgress(history) };
}

export async function visitsOf(db: Db, personId: string): Promise<VisitView[]> {
  const rows = await db
    .select({ visit, counselorName: user.displayName })
    .from(visit)
    .leftJoin(user, eq(user.id, visit.counselorUserId))
    .where(eq(visit.personId, personId))
    .orderBy(desc(visit.startedAt))
    .limit(200);
  const touched =
    rows.length === 0
      ? []
      : await db
          .selectDistinct({ visitId: demarcheEvent.visitId, demarcheId: demarcheEvent.demarcheId })
          .from(demarcheEvent)
          .where(
            inArray(
              demarcheEvent.visitId,
              rows.map((r) => r.visit.id),
            ),
          );
  return rows.map(({ visit: v, counselorName }) => ({
    id: v.id,
    convocationId: v.convocationId,
    startedAt: v.startedAt.toISOString(),
    counselorName,
    durationMinutes: v.durationMinutes,
    autonomy: v.autonomy,
    demarchesTouched: touched.filter((t) => t.visitId === v.id).length,
    suggestNextInDays: v.suggestNextInDays,
    suggestion: v.suggestion,
  }));
}

/** Every assessment of a person's needs, oldest first, for their history. */
export async function needHistory(db: Db, personId: string) {
  return db
    .select({
      domain: needAssessment.domain,
      hasNeed: needAssessment.hasNeed,
      at: needAssessment.assessedAt,
      byName: user.displayName,
    })
    .from(needAssessment)
    .leftJoin(user, eq(user.id, needAssessment.assessedBy))
    .where(eq(needAssessment.personId, personId))
    .orderBy(asc(needAssessment.assessedAt))
    .limit(2000);
}
