/**
 * Fictional people for the demo and the national dataset: French-looking names from
 * `@faker-js/faker` (fr locale, seeded: the same seed gives the same people), each with a measure
 * of a plausible length, the status that goes with it, and an active CPIP referent of their structure.
 */
import { Faker, fr } from "@faker-js/faker";
import { sql } from "drizzle-orm";
import { type MeasureType, personStatuses } from "../../../common/roles";
import type { Db } from "../createDb";
import { person } from "../schema";

export interface PeopleBatch {
  structureId: string;
  count: number;
}

const BATCH = 2000;

/**
 * The measures of people followed in milieu ouvert, with their plausible length in days: sursis
 * probatoire 1 to 3 years, libération conditionnelle 6 months to 3 years, semi-liberté and DDSE 2 to
 * 12 months, TIG within 18 months, suivi socio-judiciaire 3 to 10 years. Neither the contrainte
 * pénale (abolished in March 2020, 5 years at most: no such measure is still running) nor detention
 * (the detainees of the demo are seeded with their establishment, `demoDetention.ts`); nor the
 * contrôle judiciaire, left out so that the seeded people (and the figures tests assert) stay the same.
 */
export const fictionalMeasures: { type: MeasureType; minDays: number; maxDays: number }[] = [
  { type: "sursis_probatoire", minDays: 365, maxDays: 1095 },
  { type: "liberation_conditionnelle", minDays: 180, maxDays: 1095 },
  { type: "semi_liberte", minDays: 60, maxDays: 365 },
  { type: "detention_domicile_surveillance_electronique", minDays: 60, maxDays: 365 },
  { type: "travail_interet_general", minDays: 180, maxDays: 540 },
  { type: "suivi_socio_judiciaire", minDays: 1095, maxDays: 3650 },
];

/** An e-mail's local part from a name: "Jean-Noël Le Gall" → "jean-noel", "le-gall". */
export const emailPart = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/**
 * The file's status follows its measure (as the caseload import does, `imports/rules.ts`): semi-liberté,
 * detention, "sortant de détention" in the first six months of a libération conditionnelle, probation
 * for a sursis probatoire (or a former contrainte pénale), milieu ouvert otherwise.
 */
export async function alignStatusWithMeasure(db: Db, personIds: string[], today: Date): Promise<void> {
  await db.execute(sql`
    update person p set status = (case m.type
        when 'semi_liberte' then 'semi_liberte'
        when 'detention' then 'detenu'
        when 'liberation_conditionnelle' then
          case when m.start_date > ${today.toISOString()}::date - 183 then 'sortant_detention' else 'milieu_ouvert' end
        when 'sursis_probatoire' then 'probation'
        when 'contrainte_penale' then 'probation'
        else 'milieu_ouvert' end)::person_status
    from measure m
    where m.person_id = p.id and p.id = any(${`{${personIds.join(",")}}`}::uuid[])
      and not exists (select 1 from measure l where l.person_id = p.id and l.start_date > m.start_date)`);
}

/** Inserts the people by batches, then their measures and referents in SQL; returns their ids. */
export async function insertFictionalPeople(
  db: Db,
  batches: PeopleBatch[],
  options: {
    seed: number;
    today: Date;
    onProgress?: (done: number) => void;
    /** Bulk loads run with triggers off: number the files 1, 2… per batch here (new structures only). */
    numberFiles?: boolean;
  },
): Promise<string[]> {
  const faker = new Faker({ locale: [fr] });
  faker.seed(options.seed);
  const ids: string[] = [];
  const rows: (typeof person.$inferInsert)[] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    const inserted = await db.insert(person).values(rows.splice(0)).returning({ id: person.id });
    ids.push(...inserted.map((r) => r.id));
    options.onProgress?.(ids.length);
  };
  for (const batch of batches) {
    for (let k = 0; k < batch.count; k += 1) {
      const sex = faker.person.sexType();
      const firstName = faker.person.firstName(sex);
      const lastName = faker.person.lastName();
      // From the seeded generator: the same seed gives the same ids, so the history hashes agree.
      const id = faker.string.uuid();
      const birthDate = faker.date
        .birthdate({ min: 18, max: 70, mode: "age", refDate: options.today })
        .toISOString()
        .slice(0, 10);
      const birthPlace = faker.location.city();
      const phone = `+336${faker.string.numeric(8)}`;
      // Draws no longer used (the e-mail follows the name, the status the measure), still made in
      // the same order so that a seed keeps giving the same people as before.
      faker.string.alphanumeric(10);
      faker.helpers.arrayElement(personStatuses);
      rows.push({
        id,
        structureId: batch.structureId,
        firstName,
        lastName,
        birthDate,
        birthPlace,
        phone,
        // A reserved domain: fictional emails can never reach anybody.
        email: `${emailPart(firstName)}.${emailPart(lastName)}@exemple.invalid`,
        address: "Adresse fictive",
        // Set from the measure below.
        status: "milieu_ouvert",
        createdAt: options.today,
        ...(options.numberFiles ? { fileNumber: k + 1 } : {}),
      });
      if (rows.length >= BATCH) await flush();
    }
  }
  await flush();
  const list = `{${ids.join(",")}}`;
  const measures = `{${fictionalMeasures.map((m) => m.type).join(",")}}`;
  const minDays = `{${fictionalMeasures.map((m) => m.minDays).join(",")}}`;
  const maxDays = `{${fictionalMeasures.map((m) => m.maxDays).join(",")}}`;
  const today = options.today.toISOString();
  // Each measure started so that it is running today or ended within the last two months.
  await db.execute(sql`
    with drawn as (
      select p.id, 1 + (abs(hashtext(p.id::text)) % ${fictionalMeasures.length}) i from person p
      where p.id = any(${list}::uuid[])
    ),
    sized as (
      select d.id, (${measures}::measure_type[])[d.i] type,
        (${minDays}::int[])[d.i] + abs(hashtext(d.id::text || 'e')) % ((${maxDays}::int[])[d.i] - (${minDays}::int[])[d.i] + 1) length
      from drawn d
    ),
    dated as (
      select s.*, ${today}::date - (abs(hashtext(s.id::text || 's')) % (s.length + 60)) start_date from sized s
    )
    insert into measure (person_id, type, start_date, end_date, offence, court, judgment_date)
    select d.id, d.type, d.start_date, d.start_date + d.length, 'Infraction fictive', 'Tribunal judiciaire fictif',
      d.start_date - (15 + abs(hashtext(d.id::text || 'j')) % 90)
    from dated d`);
  await alignStatusWithMeasure(db, ids, options.today);
  await db.execute(sql`
    with cpips as (
      select m.structure_id, array_agg(m.user_id order by u.email) users, min(m.service_id::text)::uuid service_id
      from membership m join "user" u on u.id = m.user_id where m.role = 'probation_officer' and m.service_id is not null group by m.structure_id
    )
    insert into referent (person_id, user_id, service_id, started_at)
    select p.id, c.users[1 + (abs(hashtext(p.id::text || 'r')) % array_length(c.users, 1))], c.service_id, p.created_at
    from person p join cpips c on c.structure_id = p.structure_id where p.id = any(${list}::uuid[])`);
  return ids;
}
