/** The nominative lists behind the figures (direction only): people accompanied, démarches. */
import { and, asc, count, desc, eq, isNull, sql } from "drizzle-orm";
import {
  type DemarcheStatus,
  demarcheStatusLabels,
  type HelpLevel,
  helpLevelLabels,
} from "../../../common/accompaniment/accompaniment.schema";
import { parisFormat } from "../../../common/calendar";
import type { NominativeKind } from "../../../common/reporting/reporting.schema";
import type { Db } from "../../db/createDb";
import { demarche, demarcheType, partner, person, site, visit } from "../../db/schema";
import { inInstants, inScope, type ReportScope, visitColumns } from "./queries";

export interface ListResult {
  total: number;
  columns: string[];
  /** Each row's person and the person's structure (the journal names them there, ADR 0010). */
  rows: { personId: string; structureId: string; cells: string[] }[];
}

const day = parisFormat({ dateStyle: "short" });

const peopleWhere = (scope: ReportScope) =>
  and(
    inScope(scope, visitColumns, inInstants(visit.startedAt, scope)),
    isNull(person.mergedIntoId),
    isNull(person.erasedAt),
  );

const demarchesWhere = (scope: ReportScope) =>
  and(
    inScope(
      scope,
      {
        structureId: demarche.structureId,
        siteId: demarche.siteId,
        counselorId: demarche.createdBy,
        partnerId: demarcheType.partnerId,
      },
      inInstants(demarche.createdAt, scope),
    ),
    isNull(person.mergedIntoId),
    isNull(person.erasedAt),
  );

async function peopleList(db: Db, scope: ReportScope, limit: number | null): Promise<ListResult> {
  const inPeriod = sql`${demarche.createdAt} >= ${scope.fromAt} and ${demarche.createdAt} < ${scope.untilAt}`;
  // Rights granted in the period, whenever their démarche started (ADR 0018).
  const grantedInPeriod = sql`${demarche.outcomeAt} >= ${scope.fromAt} and ${demarche.outcomeAt} < ${scope.untilAt}`;
  const [counted] = await db
    .select({ n: sql<number>`count(distinct ${visit.personId})`.mapWith(Number) })
    .from(visit)
    .innerJoin(person, eq(person.id, visit.personId))
    .where(peopleWhere(scope));
  const query = db
    .select({
      id: person.id,
      structureId: person.structureId,
      lastName: person.lastName,
      firstName: person.firstName,
      firstVisit: sql<Date>`min(${visit.startedAt})`.mapWith((v) => new Date(v)),
      visits: count(),
      demarches:
        sql<number>`(select count(*) from ${demarche} where ${demarche.personId} = ${person.id} and ${inPeriod})`.mapWith(
          Number,
        ),
      granted:
        sql<number>`(select count(*) from ${demarche} where ${demarche.personId} = ${person.id} and ${demarche.status} = 'granted' and ${grantedInPeriod})`.mapWith(
          Number,
        ),
    })
    .from(visit)
    .innerJoin(person, eq(person.id, visit.personId))
    .where(peopleWhere(scope))
    .groupBy(person.id, person.structureId)
    .orderBy(asc(person.lastName), asc(person.firstName), asc(person.id));
  const rows = limit === null ? await query : await query.limit(limit);
  return {
    total: counted?.n ?? 0,
    columns: [
      "Nom",
      "Prénom",
      "Première visite de la période",
      "Visites",
      "Démarches engagées",
      "Droits ouverts",
    ],
    rows: rows.map((r) => ({
      personId: r.id,
      structureId: r.structureId,
      cells: [
        r.lastName,
        r.firstName,
        day.format(r.firstVisit),
        String(r.visits),
        String(r.demarches),
        String(r.granted),
      ],
    })),
  };
}

async function demarchesList(db: Db, scope: ReportScope, limit: number | null): Promise<ListResult> {
  const [counted] = await db
    .select({ n: count() })
    .from(demarche)
    .innerJoin(person, eq(person.id, demarche.personId))
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .where(demarchesWhere(scope));
  const query = db
    .select({
      personId: person.id,
      structureId: person.structureId,
      lastName: person.lastName,
      firstName: person.firstName,
      label: demarcheType.label,
      partner: partner.name,
      helpLevel: demarche.helpLevel,
      status: demarche.status,
      createdAt: demarche.createdAt,
      site: site.name,
    })
    .from(demarche)
    .innerJoin(person, eq(person.id, demarche.personId))
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .leftJoin(partner, eq(partner.id, demarcheType.partnerId))
    .leftJoin(site, eq(site.id, demarche.siteId))
    .where(demarchesWhere(scope))
    .orderBy(desc(demarche.createdAt), asc(demarche.id));
  const rows = limit === null ? await query : await query.limit(limit);
  return {
    total: counted?.n ?? 0,
    columns: ["Personne", "Démarche", "Partenaire", "Niveau d'aide", "Statut", "Commencée le", "Site"],
    rows: rows.map((r) => ({
      personId: r.personId,
      structureId: r.structureId,
      cells: [
        `${r.lastName.toUpperCase()} ${r.firstName}`,
        r.label ?? "",
        r.partner ?? "",
        helpLevelLabels[r.helpLevel as HelpLevel],
        demarcheStatusLabels[r.status as DemarcheStatus],
        day.format(r.createdAt),
        r.site ?? "Hors permanence",
      ],
    })),
  };
}

export function nominativeList(
  db: Db,
  kind: NominativeKind,
  scope: ReportScope,
  limit: number | null,
): Promise<ListResult> {
  switch (kind) {
    case "people":
      return peopleList(db, scope, limit);
    case "demarches":
      return demarchesList(db, scope, limit);
  }
}
