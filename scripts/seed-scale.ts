/**
 * `npm run seed:scale -- --people 300000`: a synthetic national dataset (DESIGN §6) in the configured
 * database — PostgreSQL with DATABASE_URL (the real figure), else the embedded PGlite of ./data/scale.
 * About 100 structures, 5,000 agents, 300,000 fictional people, 3 million convocations, 5 million
 * démarches, orientations, needs and 20 million journal rows; deterministic (--seed), with progress.
 * Bulk loading runs with triggers off (session_replication_role = replica), then `stat_rebuild()`
 * computes the rollups once. The demo structure and accounts are there too, plus
 * pilotage.national@demo.passerelle.fr (steering in every structure).
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { createDb, type Db } from "../src/server/db/createDb";
import * as schema from "../src/server/db/schema";
import { generateActivity, generateJournal } from "../src/server/db/seed/activity";
import { DEMO_PASSWORD, isDatabaseEmpty, seedDemo } from "../src/server/db/seed/demo";
import { insertFictionalPeople } from "../src/server/db/seed/fictional";
import { hashPassword } from "../src/server/domains/identity/passwords";

const { values } = parseArgs({
  options: {
    people: { type: "string", default: "300000" },
    seed: { type: "string", default: "1" },
    "audit-per-person": { type: "string", default: "66" },
    months: { type: "string", default: "36" },
  },
});
const people = Number(values.people);
const seed = Number(values.seed);
const auditPerPerson = Number(values["audit-per-person"]);
const months = Number(values.months);
if (!Number.isInteger(people) || people < 1000 || !Number.isInteger(seed)) {
  console.error(
    "Usage : npm run seed:scale -- --people 300000 [--seed 1] [--audit-per-person 66] [--months 36]",
  );
  process.exit(2);
}

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const say = (line: string) => console.log(`[${elapsed()}] ${line}`);

const url = process.env.DATABASE_URL;
const handle = url
  ? await createDb({ driver: "pg", url })
  : await createDb({ driver: "pglite", dataDir: "./data/scale" });
await handle.migrate();
const today = new Date();
if (await isDatabaseEmpty(handle.db)) await seedDemo(handle.db, today);
let db: Db = handle.db;
let client: pg.Client | undefined;
if (url) {
  await handle.close();
  client = new pg.Client({ connectionString: url });
  await client.connect();
  db = drizzle(client, { schema }) as unknown as Db;
}
const [already] = (
  (await db.execute(
    sql`select count(*)::int n from structure where label_number like 'FS-SCALE-%'`,
  )) as unknown as {
    rows: { n: number }[];
  }
).rows;
if ((already?.n ?? 0) > 0) {
  say("Ce jeu de données national est déjà généré dans cette base : rien à faire (utilisez une base vide).");
  process.exit(0);
}
say(
  `Génération de ${people.toLocaleString("fr-FR")} personnes (graine ${seed}) dans ${url ? "PostgreSQL" : "PGlite (./data/scale)"}…`,
);
// Bulk load: no triggers nor foreign-key checks (rollups are rebuilt at the end), no wait on the WAL flush.
await db.execute(sql`set session_replication_role = replica`);
await db.execute(sql`set synchronous_commit = off`);

// Structures, services, sites.
const structureCount = Math.max(1, Math.round(people / 3000));
const departements = Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, "0")).filter(
  (d) => d !== "20",
);
const structures: { id: string; spip: string; association: string }[] = [];
for (let k = 0; k < structureCount; k += 1) {
  const dep = departements[k % departements.length]!;
  const [s] = await db
    .insert(schema.structure)
    .values({
      name: `France services SPIP ${dep}${k >= departements.length ? ` (${Math.floor(k / departements.length) + 1})` : ""}`,
      labelNumber: `FS-SCALE-${String(k).padStart(3, "0")}`,
      departement: dep,
      coHolders: [`SPIP ${dep}`, `Association de médiation ${dep}`],
    })
    .returning({ id: schema.structure.id });
  const services = await db
    .insert(schema.service)
    .values([
      { structureId: s!.id, name: `SPIP ${dep}`, kind: "spip" as const },
      { structureId: s!.id, name: `Association de médiation ${dep}`, kind: "association" as const },
    ])
    .returning();
  await db.insert(schema.site).values(
    Array.from({ length: 2 + (k % 2) }, (_, i) => ({
      structureId: s!.id,
      name: `Site ${i + 1} (${dep})`,
      kind: (["spip_office", "france_services", "prison"] as const)[i]!,
      address: `Adresse fictive ${i + 1}, ${dep}`,
    })),
  );
  structures.push({ id: s!.id, spip: services[0]!.id, association: services[1]!.id });
}
say(`${structureCount} structures et leurs sites créées.`);

// Agents: per structure one direction, one steering member, 12 counselors, the rest CPIPs.
const passwordHash = await hashPassword(DEMO_PASSWORD);
const agentsPerStructure = Math.max(16, Math.round(people / 60 / structureCount));
let agentCount = 0;
for (const [k, s] of structures.entries()) {
  const users = await db
    .insert(schema.user)
    .values(
      Array.from({ length: agentsPerStructure }, (_, i) => ({
        email: `agent-${k}-${i}@scale.passerelle.invalid`,
        displayName: `Agent ${i + 1} de la structure ${k + 1}`,
        passwordHash,
      })),
    )
    .returning({ id: schema.user.id });
  await db.insert(schema.membership).values(
    users.map((u, i) => {
      const role =
        i === 0 ? "service_manager" : i === 1 ? "steering" : i < 14 ? "counselor" : "probation_officer";
      return {
        userId: u.id,
        structureId: s.id,
        role: role as "service_manager" | "steering" | "counselor" | "probation_officer",
        serviceId: role === "counselor" ? s.association : s.spip,
        acceptedAt: new Date(),
      };
    }),
  );
  agentCount += users.length;
}
const [national] = await db
  .insert(schema.user)
  .values({ email: "pilotage.national@demo.passerelle.fr", displayName: "Pilotage national", passwordHash })
  .returning({ id: schema.user.id });
await db.execute(sql`insert into membership (user_id, structure_id, role, accepted_at)
  select ${national!.id}::uuid, id, 'steering', now() from structure`);
say(
  `${agentCount.toLocaleString("fr-FR")} agents créés, et pilotage.national@demo.passerelle.fr (pilotage de toutes les structures).`,
);

const perStructure = Math.floor(people / structureCount);
await insertFictionalPeople(
  db,
  structures.map((s, k) => ({
    structureId: s.id,
    count: k === 0 ? people - perStructure * (structureCount - 1) : perStructure,
  })),
  {
    seed,
    today,
    numberFiles: true,
    onProgress: (done) => {
      if (done % 50_000 < 2000) say(`  ${done.toLocaleString("fr-FR")} personnes…`);
    },
  },
);
say(`${people.toLocaleString("fr-FR")} personnes, leurs mesures et référents créés.`);

// The planner must know the people and measures just loaded before the activity's big statements.
await db.execute(sql`analyze`);
const from = new Date(today.getTime() - months * 30.4 * 86_400_000);
const structureIds = structures.map((s) => s.id);
await generateActivity(db, {
  people: { structureIds },
  from,
  until: today,
  now: today,
  seed: `scale-${seed}`,
  convocationsPerPerson: 10,
  onStep: (label, rows, ms) =>
    say(`${label} : ${rows.toLocaleString("fr-FR")} lignes en ${(ms / 1000).toFixed(1)} s`),
});
// The journal is the biggest table: its indexes are built once, after the rows (much faster).
const journalIndexes = [
  'CREATE INDEX "audit_structure_at_idx" ON "audit_event" USING btree ("structure_id","at")',
  'CREATE INDEX "audit_actor_at_idx" ON "audit_event" USING btree ("actor_user_id","at")',
  'CREATE INDEX "audit_target_idx" ON "audit_event" USING btree ("target_type","target_id")',
];
const journalStarted = performance.now();
await db.execute(sql`drop index "audit_structure_at_idx", "audit_actor_at_idx", "audit_target_idx"`);
const journalRows = await generateJournal(db, {
  structureIds,
  from,
  until: today,
  seed: `scale-${seed}`,
  perPerson: auditPerPerson,
});
say(
  `journal : ${journalRows.toLocaleString("fr-FR")} lignes en ${((performance.now() - journalStarted) / 1000).toFixed(1)} s ; index…`,
);
await db.execute(sql`set maintenance_work_mem = '512MB'`);
for (const statement of journalIndexes) await db.execute(sql.raw(statement));
say(`journal indexé (${((performance.now() - journalStarted) / 1000).toFixed(1)} s au total).`);
await db.execute(sql`set session_replication_role = origin`);
say("Statistiques du planificateur (ANALYZE)…");
await db.execute(sql`analyze`);
say("Agrégats du pilotage : calcul initial (stat_rebuild)…");
await db.execute(sql`select stat_rebuild()`);
say("Nettoyage et statistiques (VACUUM ANALYZE : les comptes lisent alors les index seuls)…");
await db.execute(sql`vacuum analyze`);
say(`Terminé en ${elapsed()}.`);
await (client ? client.end() : handle.close());
