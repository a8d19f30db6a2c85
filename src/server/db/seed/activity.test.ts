/**
 * The demo's generated history is credible: convocations fall inside a permanence of their site
 * (weekday and hours, Paris time), never in a prison or a SAS for people in milieu ouvert, on
 * weekdays 9 h–17 h at a site without permanences; fictional people carry a measure of a plausible
 * length, the status that goes with it and a readable fictional e-mail.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrientationStatus } from "../../../common/orientations/orientations.schema";
import { effectiveStatus, expiryOf } from "../../domains/orientations/rules";
import { TEST_TODAY } from "../../testing/constants";
import { openTestDb, type TestDbHandle } from "../../testing/testDb";
import { openingRule, site, structure } from "../schema";
import { seedDemoActivity } from "./demoActivity";

let handle: TestDbHandle;
const rows = async <T>(query: ReturnType<typeof sql>): Promise<T[]> =>
  ((await handle.db.execute(query)) as unknown as { rows: T[] }).rows;

beforeAll(async () => {
  handle = await openTestDb();
  const [demo] = await handle.db.select().from(structure).where(sql`${structure.labelNumber} = 'FS-77-035'`);
  // A prison with its Thursday permanence and a site with no permanence, next to the demo's three.
  const [prison] = await handle.db
    .insert(site)
    .values({ structureId: demo!.id, name: "Centre pénitentiaire", kind: "prison", address: "—" })
    .returning();
  await handle.db.insert(openingRule).values({
    structureId: demo!.id,
    siteId: prison!.id,
    weekday: 4,
    startTime: "09:00",
    endTime: "12:00",
    slotMinutes: 45,
    bufferMinutes: 15,
    validFrom: "2025-01-01",
  });
  await handle.db
    .insert(site)
    .values({ structureId: demo!.id, name: "Bus France services", kind: "mobile", address: "—" });
  const owner = await handle.openOwnerPool();
  await seedDemoActivity(owner.db, new Date(`${TEST_TODAY}T09:00:00Z`));
  await owner.close();
}, 120_000);
afterAll(() => handle.close());

/** The generated convocations (seats from 1,000,000), their site, Paris weekday and times. */
const generated = sql`
  select c.id, s.name site, s.kind, s.id site_id,
    extract(isodow from c.starts_at at time zone 'Europe/Paris')::int weekday,
    to_char(c.starts_at at time zone 'Europe/Paris', 'HH24:MI') starts,
    to_char(c.ends_at at time zone 'Europe/Paris', 'HH24:MI') ends,
    to_char(c.starts_at at time zone 'Europe/Paris', 'YYYY-MM-DD') on_day
  from convocation c join site s on s.id = c.site_id where c.seat >= 1000000`;

describe("generated activity", () => {
  it("convokes about three times per person over six months", async () => {
    const [all] = await rows<{ n: number; people: number }>(
      sql`select count(*)::int n, count(distinct person_id)::int people from convocation where seat >= 1000000`,
    );
    expect(all!.people).toBeGreaterThan(50);
    expect(all!.n).toBeGreaterThan(2 * all!.people);
    expect(all!.n).toBeLessThan(4 * all!.people);
  });

  it("puts every convocation inside a permanence of its site, or on a weekday 9 h–17 h where it has none", async () => {
    const outside = await rows<Record<string, unknown>>(sql`
      with g as (${generated})
      select g.* from g
      where (exists (select 1 from opening_rule r where r.site_id = g.site_id and r.weekday is not null)
          and not exists (
            select 1 from opening_rule r where r.site_id = g.site_id and r.weekday = g.weekday
              and g.starts >= r.start_time and g.ends <= r.end_time))
        or g.weekday > 5 or g.starts < '09:00' or g.ends > '17:00'`);
    expect(outside).toEqual([]);
    const bySite = await rows<{ site: string; n: number }>(
      sql`with g as (${generated}) select site, count(*)::int n from g group by site order by site`,
    );
    expect(bySite.map((s) => s.site)).toContain("Bus France services");
    expect(bySite.map((s) => s.site)).toContain("Meaux");
  });

  it("never convokes people in milieu ouvert inside a prison or a SAS", async () => {
    const inside = await rows(
      sql`with g as (${generated}) select * from g where g.kind in ('prison', 'sas')`,
    );
    expect(inside).toEqual([]);
  });

  it("gives every fictional person a measure of a plausible length, no contrainte pénale running", async () => {
    const wrong = await rows(sql`
      select p.last_name, m.type, m.start_date, m.end_date, m.judgment_date from person p join measure m on m.person_id = p.id
      where p.email not like '%@exemple.invalid' is not true and p.address like 'Adresse fictive%'
        and (m.end_date <= m.start_date or m.judgment_date > m.start_date
          or (m.type = 'contrainte_penale' and (m.end_date > '2025-12-31' or m.start_date > '2020-03-24'))
          or m.type = 'detention'
          or (m.type in ('semi_liberte', 'detention_domicile_surveillance_electronique') and m.end_date - m.start_date > 730)
          or (m.type = 'travail_interet_general' and m.end_date - m.start_date > 548))`);
    expect(wrong).toEqual([]);
    const types = await rows<{ type: string }>(sql`
      select distinct m.type from person p join measure m on m.person_id = p.id
      where p.address = 'Adresse fictive' order by m.type`);
    expect(types.length).toBeGreaterThanOrEqual(5);
  });

  it("gives each person the status that goes with the measure, and a readable fictional e-mail", async () => {
    const mismatched = await rows(sql`
      select p.last_name, p.first_name, p.status, m.type from person p join measure m on m.person_id = p.id
      where (m.type = 'semi_liberte') <> (p.status = 'semi_liberte')
        or (m.type = 'detention') <> (p.status = 'detenu')
        or (p.status = 'sortant_detention' and m.type <> 'liberation_conditionnelle')
        or (p.status = 'probation' and m.type not in ('sursis_probatoire', 'contrainte_penale'))`);
    expect(mismatched).toEqual([]);
    const unreadable = await rows(sql`
      select p.email from person p where p.address = 'Adresse fictive'
        and p.email !~ '^[a-z0-9-]+\\.[a-z0-9-]+@exemple\\.invalid$'`);
    expect(unreadable).toEqual([]);
  });
});

describe("generated orientations", () => {
  const now = new Date(`${TEST_TODAY}T09:00:00Z`);
  type Row = {
    status: OrientationStatus;
    created_at: Date;
    sent_at: Date;
    expires_at: Date;
    answered_at: Date | null;
    completed_at: Date | null;
  };
  const orientations = () =>
    rows<Row>(sql`select status, created_at, sent_at, expires_at, answered_at, completed_at from orientation
      where reason = 'Dossier complexe (données de démonstration)'`);
  const at = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

  it("have the status their dates give as of now: answered between sending and now, expired only past the expiry", async () => {
    const all = await orientations();
    const statuses = new Set(all.map((o) => o.status));
    // The answered and expired ones are there, so each check below bites ("sent" ones are only those
    // of the last 30 days still unanswered: the demo's may have none; the mediation's inbox has some).
    for (const status of ["accepted", "refused", "completed", "expired"] as const)
      expect(statuses, status).toContain(status);
    for (const o of all) {
      const where = `${o.status} created ${new Date(o.created_at).toISOString()}`;
      expect(at(o.expires_at), where).toBe(expiryOf(new Date(o.sent_at)).getTime());
      // What the app reads is what is stored: no "sent" past its expiry left for the job.
      expect(effectiveStatus(o.status, new Date(o.expires_at), now), where).toBe(o.status);
      if (o.status === "expired") expect(at(o.expires_at)!, where).toBeLessThanOrEqual(now.getTime());
      const answered = ["accepted", "refused", "completed"].includes(o.status);
      expect(o.answered_at !== null, where).toBe(answered);
      if (answered) {
        expect(at(o.answered_at)!, where).toBeGreaterThan(at(o.sent_at)!);
        expect(at(o.answered_at)!, where).toBeLessThanOrEqual(now.getTime());
        expect(at(o.answered_at)!, where).toBeLessThan(at(o.expires_at)!);
      }
      expect(o.completed_at !== null, where).toBe(o.status === "completed");
      if (o.status === "completed") {
        expect(at(o.completed_at)!, where).toBeGreaterThan(at(o.answered_at)!);
        expect(at(o.completed_at)!, where).toBeLessThanOrEqual(now.getTime());
      }
    }
  });
});
