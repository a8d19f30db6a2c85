import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "./core/clock";
import type { Deps } from "./core/deps";
import { pgliteDirOf } from "./db/backup";
import { createDb, type Db, type DbHandle } from "./db/createDb";
import { auditEvent, demarcheType, membership, partner, service, site, structure, user } from "./db/schema";
import { partners } from "./db/seed/catalogue";
import { createFigureCache } from "./domains/reporting/figureCache";
import { structureUsers } from "./domains/structures/queries";
import { setupFileSchema, setupStructure } from "./domains/structures/Setup";
import { buildApp } from "./http/app";
import { runSetupCommand } from "./setupCommand";
import { appDatabaseUrl, withDatabase } from "./testing/constants";
import { openTestDb } from "./testing/testDb";

const PUBLIC_URL = "https://passerelle.test.fr";
const pgUrl = process.env.TEST_DB_DRIVER === "pg" ? process.env.TEST_DATABASE_URL : undefined;
const work = mkdtempSync(path.join(tmpdir(), "setup-test-"));
const cleanups: (() => Promise<unknown> | unknown)[] = [() => rmSync(work, { recursive: true, force: true })];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const description = {
  structure: {
    nom: "France services SPIP 21 – Le Relais",
    numeroLabel: "FS-21-012",
    departement: "21",
    coPorteurs: ["SPIP de la Côte-d'Or", "Association Le Relais"],
  },
  services: [
    { nom: "SPIP de la Côte-d'Or", type: "spip" },
    { nom: "Association Le Relais", type: "association" },
  ],
  sites: [
    {
      nom: "Dijon",
      type: "spip_office",
      adresse: "12 rue de la Liberté, 21000 Dijon",
      telephone: "03 80 00 00 01",
    },
    { nom: "Beaune", type: "france_services", adresse: "3 place Carnot, 21200 Beaune" },
  ],
  direction: { email: "Direction.Spip21@justice.test.fr", nom: "Claire Dubois", service: "spip" },
};

function fileWith(name: string, content: unknown): string {
  const file = path.join(work, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

/** An empty database, never migrated: PGlite in a fresh DATA_DIR, or a new PostgreSQL database. */
let env: NodeJS.ProcessEnv;
let open: () => Promise<DbHandle>;
beforeAll(async () => {
  if (pgUrl) {
    const name = `passerelle_setup_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    cleanups.push(async () => {
      const cleaner = new pg.Client({ connectionString: pgUrl });
      await cleaner.connect();
      await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleaner.end();
    });
    // As in production: the owner migrates, the server connects as its least-privilege role.
    env = {
      MIGRATION_DATABASE_URL: withDatabase(pgUrl, name),
      DATABASE_URL: appDatabaseUrl(pgUrl, name),
      PUBLIC_URL,
    };
    open = () => createDb({ driver: "pg", url: appDatabaseUrl(pgUrl, name), poolSize: 2 });
  } else {
    const dataDir = path.join(work, "data");
    // Relative, as `./data` is: the command says the folder in full.
    env = { DATA_DIR: path.relative(process.cwd(), dataDir), PUBLIC_URL };
    open = () => createDb({ driver: "pglite", dataDir: pgliteDirOf(dataDir) });
  }
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSetupCommand(argv, env, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function counts(db: Db) {
  const n = async (table: Parameters<ReturnType<Db["select"]>["from"]>[0]) =>
    (await db.select({ n: count() }).from(table))[0]?.n ?? 0;
  return {
    structures: await n(structure),
    services: await n(service),
    sites: await n(site),
    users: await n(user),
    memberships: await n(membership),
    partners: await n(partner),
    demarcheTypes: await n(demarcheType),
    journal: await n(auditEvent),
  };
}

async function withDb<T>(use: (db: Db) => Promise<T>): Promise<T> {
  const handle = await open();
  try {
    return await use(handle.db);
  } finally {
    await handle.close();
  }
}

describe("npm run setup on an empty database", () => {
  it("refuses a malformed file naming each field in French, and writes nothing (not even the schema)", async () => {
    const broken = {
      ...description,
      structure: { ...description.structure, numeroLabel: "  " },
      sites: [description.sites[0], { type: "prison", adresse: "b", etage: 2 }],
      direction: { email: "pas-une-adresse" },
    };
    const result = await run(fileWith("broken.json", broken));
    expect(result.code).toBe(1);
    expect(result.out).toBe("");
    expect(result.err).toContain("rien n'a été écrit");
    expect(result.err).toContain("structure.numeroLabel : obligatoire");
    expect(result.err).toContain("sites[1].nom : obligatoire");
    expect(result.err).toContain("sites[1] : clé inconnue : etage");
    expect(result.err).toContain("direction.nom : obligatoire");
    expect(result.err).toMatch(/direction\.email : .*adresse électronique valide/);
    expect((await run(fileWith("notjson.json", "{ structure: "))).err).toContain("pas du JSON valide");
    // Control characters are refused as on every route (a NUL made the insert fail with a stack trace).
    const hidden = {
      ...description,
      structure: { ...description.structure, nom: "France services\u0000 SPIP 21" },
      sites: [description.sites[0], { ...description.sites[1], adresse: "3 place\u0007 Carnot" }],
    };
    const refused = await run(fileWith("controls.json", hidden));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("structure.nom : Caractère de contrôle ou invisible interdit.");
    expect(refused.err).toContain("sites[1].adresse : Caractère de contrôle ou invisible interdit.");
    expect((await run(path.join(work, "absent.json"))).err).toContain("Impossible de lire");
    // `npm run setup -- broken.json` typed in the file's folder: npm runs from the project's root
    // and names the operator's folder in INIT_CWD, where the file is read.
    const fromItsFolder: string[] = [];
    const code = await runSetupCommand(
      ["broken.json"],
      { ...env, INIT_CWD: work },
      { log: (l) => fromItsFolder.push(l), error: (l) => fromItsFolder.push(l) },
    );
    expect(code).toBe(1);
    expect(fromItsFolder.join("\n")).toContain("sites[1].nom : obligatoire");
    // Nothing on disk (PGlite: no DATA_DIR made), no table in the PostgreSQL database.
    if (env.DATA_DIR) expect(existsSync(env.DATA_DIR)).toBe(false);
    else {
      const migrated = await withDb(
        async (db) =>
          (await db.execute(
            sql`select to_regclass('public.structure') is not null as present`,
          )) as unknown as {
            rows: { present: boolean }[];
          },
      );
      expect(migrated.rows[0]?.present).toBe(false);
    }
  });

  let link = "";
  it("migrates, creates the structure, its services and sites, the catalogue and an invited direction", async () => {
    // Saved "UTF-8 with BOM", as some Windows editors do: the same JSON.
    const result = await run(fileWith("setup.json", `\uFEFF${JSON.stringify(description)}`));
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain("Aucun courriel n'a été envoyé");
    expect(result.out).toContain(
      env.DATA_DIR ? `créée dans PGlite (${path.join(work, "data")})` : "créée dans PostgreSQL",
    );
    link = /(https:\/\/passerelle\.test\.fr\/activation#[A-Za-z0-9_-]{20,})/.exec(result.out)?.[1] ?? "";
    expect(link).not.toBe("");
    await withDb(async (db) => {
      const c = await counts(db);
      expect(c).toMatchObject({
        structures: 1,
        services: 2,
        sites: 2,
        users: 1,
        memberships: 1,
        partners: partners.length,
        demarcheTypes: partners.reduce((n, p) => n + p.demarches.length, 0),
      });
      const [fs] = await db.select().from(structure);
      expect(fs).toMatchObject({ labelNumber: "FS-21-012", departement: "21", minLeadHours: 2 });
      const [direction] = await db
        .select({
          email: user.email,
          role: membership.role,
          acceptedAt: membership.acceptedAt,
          kind: service.kind,
        })
        .from(membership)
        .innerJoin(user, eq(user.id, membership.userId))
        .leftJoin(service, eq(service.id, membership.serviceId));
      expect(direction).toEqual({
        email: "direction.spip21@justice.test.fr",
        role: "service_manager",
        acceptedAt: null,
        kind: "spip",
      });
      const actions = await db
        .select({ action: auditEvent.action, actor: auditEvent.actorUserId })
        .from(auditEvent);
      expect(actions.every((a) => a.actor === null)).toBe(true);
      const byAction = (name: string) => actions.filter((a) => a.action === name).length;
      expect([
        byAction("structure.created"),
        byAction("site.created"),
        byAction("membership.granted"),
      ]).toEqual([1, 2, 1]);
      expect(byAction("catalogue.partner_added")).toBe(partners.length);
    });
  }, 240_000);

  let lostLink = "";
  it("--nouveau-lien prints a new link for the invited direction, cancels the previous one, journals it with no actor", async () => {
    const users = await withDb(async (db) => {
      const [fs] = await db.select({ id: structure.id }).from(structure);
      return structureUsers(db, fs?.id ?? "", {
        userId: randomUUID(),
        platformAdmin: false,
        direction: true,
      });
    });
    // The users page tells the truth: no e-mail was sent, the link was printed.
    expect(users).toMatchObject([{ invitationPending: true, invitationEmailed: false }]);
    const result = await run("--nouveau-lien", " Direction.Spip21@justice.test.fr ");
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain("le lien précédent ne fonctionne plus");
    const fresh =
      /(https:\/\/passerelle\.test\.fr\/activation#[A-Za-z0-9_-]{20,})/.exec(result.out)?.[1] ?? "";
    expect(fresh).not.toBe("");
    expect(fresh).not.toBe(link);
    [lostLink, link] = [link, fresh];
    const journaled = await withDb((db) =>
      db
        .select({ actor: auditEvent.actorUserId, target: auditEvent.targetId, action: auditEvent.action })
        .from(auditEvent)
        .where(eq(auditEvent.action, "account.activation_link_reissued")),
    );
    expect(journaled).toHaveLength(1);
    expect(journaled[0]?.actor).toBeNull();
    const unknown = await run("--nouveau-lien", "personne@justice.test.fr");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("Aucun compte n'a l'adresse personne@justice.test.fr");
    const malformed = await run("--nouveau-lien", "pas-une-adresse");
    expect([malformed.code, malformed.err.includes("--nouveau-lien <adresse électronique>")]).toEqual([
      1,
      true,
    ]);
  }, 240_000);

  it("the printed link activates the account through the HTTP route; the direction must then enrol TOTP", async () => {
    const handle = await open();
    const deps: Deps = {
      db: handle.db,
      clock: systemClock,
      config: { SESSION_IDLE_MINUTES: 30, SESSION_ABSOLUTE_HOURS: 12, PUBLIC_URL, EXPORT_TIMEOUT_MS: 60_000 },
      figureCache: createFigureCache(),
    };
    const app = await buildApp({ deps, publicUrl: PUBLIC_URL });
    try {
      const token = link.split("#")[1] ?? "";
      const password = "une phrase de passe assez longue";
      const lost = await app.inject({
        method: "POST",
        url: "/api/auth/activate",
        remoteAddress: "203.0.113.21",
        payload: { token: lostLink.split("#")[1] ?? "", password },
      });
      expect(lost.statusCode).not.toBe(200);
      const activated = await app.inject({
        method: "POST",
        url: "/api/auth/activate",
        remoteAddress: "203.0.113.21",
        payload: { token, password },
      });
      expect(activated.statusCode).toBe(200);
      const again = await app.inject({
        method: "POST",
        url: "/api/auth/activate",
        remoteAddress: "203.0.113.21",
        payload: { token, password },
      });
      expect(again.statusCode).not.toBe(200);
      const login = await app.inject({
        method: "POST",
        url: "/api/auth/login",
        remoteAddress: "203.0.113.21",
        payload: { email: "direction.spip21@justice.test.fr", password },
      });
      expect(login.statusCode).toBe(200);
      expect(login.json()).toEqual({ stage: "enrolment_required" });
      const [accepted] = await handle.db.select({ at: membership.acceptedAt }).from(membership);
      expect(accepted?.at).not.toBeNull();
    } finally {
      await app.close();
      await handle.close();
    }
    const active = await run("--nouveau-lien", "direction.spip21@justice.test.fr");
    expect(active.code).toBe(1);
    expect(active.err).toContain("est déjà activé : aucun lien créé");
  }, 240_000);

  it("a second run with the same label number is refused and writes nothing", async () => {
    const before = await withDb(counts);
    const result = await run(fileWith("setup.json", description));
    expect(result.code).toBe(1);
    expect(result.err).toContain("numéro de label FS-21-012");
    expect(result.err).toContain("rien n'a été écrit");
    expect(await withDb(counts)).toEqual(before);
    const alike = await run(
      fileWith("alike.json", {
        ...description,
        structure: { ...description.structure, numeroLabel: "fs 21 012" },
      }),
    );
    expect(alike.code).toBe(1);
    expect(alike.err).toContain("Une structure porte déjà le numéro de label fs 21 012");
    expect(await withDb(counts)).toEqual(before);
  }, 240_000);

  it("a second structure leaves the catalogue as it is, edited rows included", async () => {
    await withDb((db) => db.update(partner).set({ name: "CAF (nom local)" }).where(eq(partner.code, "caf")));
    const before = await withDb(counts);
    const second = {
      ...description,
      structure: { ...description.structure, numeroLabel: "FS-21-013", nom: "France services Beaune" },
      direction: { email: "direction.beaune@justice.test.fr", nom: "Luc Martin" },
      administrateur: { email: "admin@justice.test.fr", nom: "Marc Leroy" },
    };
    const result = await run(fileWith("second.json", second));
    expect(result.code).toBe(0);
    expect(result.out).toContain("Catalogue national : déjà présent, inchangé.");
    expect(result.out.match(/activation#/g)).toHaveLength(2);
    const after = await withDb(counts);
    expect(after).toMatchObject({
      structures: before.structures + 1,
      partners: before.partners,
      demarcheTypes: before.demarcheTypes,
      users: before.users + 2,
    });
    const [caf] = await withDb((db) =>
      db.select({ name: partner.name }).from(partner).where(eq(partner.code, "caf")),
    );
    expect(caf?.name).toBe("CAF (nom local)");
  }, 240_000);
});

describe("setupStructure on a database holding the catalogue already (the demo's)", () => {
  it("adds no partner nor démarche type", async () => {
    const db = await openTestDb();
    cleanups.push(() => db.close());
    const before = await counts(db.db);
    const result = await setupStructure(
      db.db,
      setupFileSchema.parse({
        ...description,
        structure: { ...description.structure, numeroLabel: "FS-99-001" },
      }),
      { publicUrl: PUBLIC_URL, clock: systemClock },
    );
    expect(result.catalogue).toEqual({ partnersAdded: 0, demarcheTypesAdded: 0 });
    const after = await counts(db.db);
    expect([after.partners, after.demarcheTypes]).toEqual([before.partners, before.demarcheTypes]);
    expect(after.structures).toBe(before.structures + 1);
  }, 120_000);
});
