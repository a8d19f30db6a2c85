import { notInArray, sql } from "drizzle-orm";
import { finalDemarcheStatuses } from "../../../common/accompaniment/accompaniment.schema";
import type { FileSummary } from "../../../common/people/people.schema";
import { type Db, preparedRowsOf } from "../../db/createDb";
import { demarche } from "../../db/schema";
import { isoTime } from "../../db/sqlJson";

/**
 * The essentials at the top of a file, in one statement (the file is read under load: one round
 * trip, not five): consent in force, next planned convocation, domains whose latest assessment is a
 * need, open démarches (the 50 last changed), last visit. Called only after the person was found in
 * the actor's scope.
 */
export async function fileSummary(db: Db, personId: string, now: Date): Promise<FileSummary> {
  const [row] = await preparedRowsOf<{ summary: FileSummary }>(
    db,
    sql`
    select json_build_object(
      'consentSince', (select ${isoTime(sql`collected_at`)} from consent
        where person_id = ${personId} and revoked_at is null limit 1),
      'nextConvocation', (select json_build_object('id', c.id, 'startsAt', ${isoTime(sql`c.starts_at`)},
          'siteName', s.name)
        from convocation c join site s on s.id = c.site_id
        where c.person_id = ${personId} and c.status = 'planned' and c.starts_at > ${now.toISOString()}::timestamptz
        order by c.starts_at limit 1),
      'openNeeds', (select coalesce(json_agg(n.domain order by n.domain), '[]') from (
          select distinct on (domain) domain, has_need from need_assessment where person_id = ${personId}
          order by domain, assessed_at desc, id desc) n
        where n.has_need),
      'openDemarches', (select coalesce(json_agg(json_build_object('id', d.id, 'label', d.label,
          'status', d.status) order by d.updated_at desc), '[]') from (
          select demarche.id, coalesce(t.label, 'Démarche') label, demarche.status, demarche.updated_at
          from demarche left join demarche_type t on t.id = demarche.demarche_type_id
          where demarche.person_id = ${personId} and ${notInArray(demarche.status, [...finalDemarcheStatuses])}
          order by demarche.updated_at desc limit 50) d),
      'lastVisitAt', (select ${isoTime(sql`max(started_at)`)} from visit where person_id = ${personId})
    ) summary`,
  );
  return row!.summary;
}
