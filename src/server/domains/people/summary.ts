import { and, asc, desc, eq, gt, isNull, notInArray, sql } from "drizzle-orm";
import { finalDemarcheStatuses } from "../../../common/accompaniment/accompaniment.schema";
import type { NeedDomain } from "../../../common/agenda/agenda.schema";
import type { FileSummary } from "../../../common/people/people.schema";
import type { Db } from "../../db/createDb";
import { consent, convocation, demarche, demarcheType, needAssessment, site, visit } from "../../db/schema";

/**
 * The essentials at the top of a file, each one indexed query: consent in force, next planned
 * convocation, domains whose latest assessment is a need, open démarches, last visit. Called only
 * after the person was found in the actor's scope.
 */
export async function fileSummary(db: Db, personId: string, now: Date): Promise<FileSummary> {
  const [agreed] = await db
    .select({ at: consent.collectedAt })
    .from(consent)
    .where(and(eq(consent.personId, personId), isNull(consent.revokedAt)))
    .limit(1);
  const [next] = await db
    .select({ id: convocation.id, startsAt: convocation.startsAt, siteName: site.name })
    .from(convocation)
    .innerJoin(site, eq(site.id, convocation.siteId))
    .where(
      and(
        eq(convocation.personId, personId),
        eq(convocation.status, "planned"),
        gt(convocation.startsAt, now),
      ),
    )
    .orderBy(asc(convocation.startsAt))
    .limit(1);
  const needs = await db
    .selectDistinctOn([needAssessment.domain], {
      domain: needAssessment.domain,
      hasNeed: needAssessment.hasNeed,
    })
    .from(needAssessment)
    .where(eq(needAssessment.personId, personId))
    .orderBy(needAssessment.domain, desc(needAssessment.assessedAt), desc(needAssessment.id));
  const demarches = await db
    .select({
      id: demarche.id,
      label: sql<string>`coalesce(${demarcheType.label}, 'Démarche')`,
      status: demarche.status,
    })
    .from(demarche)
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .where(and(eq(demarche.personId, personId), notInArray(demarche.status, [...finalDemarcheStatuses])))
    .orderBy(desc(demarche.updatedAt))
    .limit(50);
  const [last] = await db
    .select({ at: visit.startedAt })
    .from(visit)
    .where(eq(visit.personId, personId))
    .orderBy(desc(visit.startedAt))
    .limit(1);
  return {
    consentSince: agreed ? agreed.at.toISOString() : null,
    nextConvocation: next
      ? { id: next.id, startsAt: next.startsAt.toISOString(), siteName: next.siteName }
      : null,
    openNeeds: needs.filter((n) => n.hasNeed).map((n) => n.domain as NeedDomain),
    openDemarches: demarches,
    lastVisitAt: last ? last.at.toISOString() : null,
  };
}
