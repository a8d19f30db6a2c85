/**
 * Fictional people for the demo and the national dataset: French-looking names from
 * `@faker-js/faker` (fr locale, seeded: the same seed gives the same people), each with a measure
 * and an active CPIP referent of their structure.
 */
import { Faker, fr } from "@faker-js/faker";
import { sql } from "drizzle-orm";
import { measureTypes, personStatuses } from "../../../common/roles";
import type { Db } from "../createDb";
import { person } from "../schema";

export interface PeopleBatch {
  structureId: string;
  count: number;
}

const BATCH = 2000;

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
      rows.push({
        // From the seeded generator: the same seed gives the same ids, so the history hashes agree.
        id: faker.string.uuid(),
        structureId: batch.structureId,
        firstName,
        lastName,
        birthDate: faker.date
          .birthdate({ min: 18, max: 70, mode: "age", refDate: options.today })
          .toISOString()
          .slice(0, 10),
        birthPlace: faker.location.city(),
        phone: `+336${faker.string.numeric(8)}`,
        // A reserved domain: fictional emails can never reach anybody.
        email: `${faker.string.alphanumeric(10).toLowerCase()}@exemple.invalid`,
        address: "Adresse fictive",
        status: faker.helpers.arrayElement(personStatuses),
        createdAt: options.today,
        ...(options.numberFiles ? { fileNumber: k + 1 } : {}),
      });
      if (rows.length >= BATCH) await flush();
    }
  }
  await flush();
  const list = `{${ids.join(",")}}`;
  await db.execute(sql`
    insert into measure (person_id, type, start_date, end_date, offence, court, judgment_date)
    select p.id, (${`{${measureTypes.join(",")}}`}::measure_type[])[1 + (abs(hashtext(p.id::text)) % ${measureTypes.length})],
      (${options.today.toISOString()}::date - (abs(hashtext(p.id::text || 's')) % 900)),
      (${options.today.toISOString()}::date + (abs(hashtext(p.id::text || 'e')) % 700) - 120),
      'Infraction fictive', 'Tribunal judiciaire fictif', ${options.today.toISOString()}::date - 1000
    from person p where p.id = any(${list}::uuid[])`);
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
