import { and, count, eq, isNull, like } from "drizzle-orm";
import type { MeasureType, PersonStatus, Role } from "../../../common/roles";
import { hashPassword } from "../../domains/identity/passwords";
import type { Db } from "../createDb";
import {
  counselorTraining,
  measure,
  membership,
  openingRule,
  openingRuleCounselor,
  partner,
  person,
  referent,
  service,
  site,
  structure,
  user,
} from "../schema";
import { seedCatalogue } from "./catalogue";
import { DEMO_IAE_PARTNER, seedDemoDirectory } from "./demoDirectory";
import { seedDemoLocalPartners } from "./demoLocalPartners";

const asciiSlug = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();

export const DEMO_PASSWORD = "Passerelle77-demo";

export interface DemoAccount {
  email: string;
  displayName: string;
  roles: Role[];
  service: "spip" | "association" | null;
  partner?: string;
  /** Printed for the accounts of the demo's other structures (Essonne). */
  structureName?: string;
}

/**
 * One account per role of DESIGN §2, and a second CPIP who also holds permanences as a counselor
 * (service-wide read access, simultaneous permanences).
 */
export const demoAccounts: DemoAccount[] = [
  {
    email: "cpip@demo.passerelle.fr",
    displayName: "Camille Martin",
    roles: ["probation_officer"],
    service: "spip",
  },
  {
    email: "cpip2@demo.passerelle.fr",
    displayName: "Nicolas Petit",
    // A CPIP trained as France services counselor, holding permanences at the same time as Inès.
    roles: ["probation_officer", "counselor"],
    service: "spip",
  },
  {
    email: "conseiller@demo.passerelle.fr",
    displayName: "Inès Moreau",
    roles: ["counselor"],
    service: "association",
  },
  {
    email: "direction@demo.passerelle.fr",
    displayName: "Hélène Bernard",
    roles: ["service_manager"],
    service: "spip",
  },
  { email: "pilotage@demo.passerelle.fr", displayName: "Paul Lefebvre", roles: ["steering"], service: null },
  {
    email: "partenaire@demo.passerelle.fr",
    displayName: "Sophie Garnier",
    roles: ["partner_referent"],
    service: null,
    partner: "caf",
  },
  {
    // The IAE employer of the catalogue (ADR 0030, addendum): receives the IAE orientations.
    email: "iae@demo.passerelle.fr",
    displayName: "Hugo Marchand",
    roles: ["partner_referent"],
    service: null,
    partner: DEMO_IAE_PARTNER.code,
  },
  {
    // The association's general mediation service: answers the reorientations of complex files.
    email: "mediation@demo.passerelle.fr",
    displayName: "Yasmine Haddad",
    roles: ["mediator"],
    service: "association",
  },
  { email: "admin@demo.passerelle.fr", displayName: "Alex Durand", roles: ["admin"], service: null },
];

const demoPeople: {
  firstName: string;
  lastName: string;
  birthDate: string;
  birthPlace: string;
  status: PersonStatus;
  measure: MeasureType;
  startOffsetDays: number;
  endOffsetDays: number;
  offence: string;
  court: string;
  referent: "cpip@demo.passerelle.fr" | "cpip2@demo.passerelle.fr";
  /** E.164; by default +3360000NNNN after the person's rank. */
  phone?: string;
}[] = [
  {
    firstName: "Karim",
    lastName: "Benali",
    birthDate: "1988-03-14",
    birthPlace: "Melun",
    status: "milieu_ouvert",
    measure: "sursis_probatoire",
    startOffsetDays: -200,
    endOffsetDays: 45,
    offence: "Vol aggravé",
    court: "Tribunal judiciaire de Melun",
    referent: "cpip@demo.passerelle.fr",
    phone: "+33612345678",
  },
  {
    firstName: "Julien",
    lastName: "Roux",
    birthDate: "1992-07-02",
    birthPlace: "Meaux",
    status: "semi_liberte",
    measure: "semi_liberte",
    startOffsetDays: -90,
    endOffsetDays: 150,
    offence: "Conduite sans permis en récidive",
    court: "Tribunal judiciaire de Meaux",
    referent: "cpip@demo.passerelle.fr",
  },
  {
    firstName: "Sandrine",
    lastName: "Lemoine",
    birthDate: "1979-11-23",
    birthPlace: "Fontainebleau",
    status: "probation",
    measure: "sursis_probatoire",
    startOffsetDays: -400,
    endOffsetDays: 320,
    offence: "Escroquerie",
    court: "Tribunal judiciaire de Fontainebleau",
    referent: "cpip@demo.passerelle.fr",
  },
  {
    firstName: "Mehdi",
    lastName: "Haddad",
    birthDate: "1996-01-30",
    birthPlace: "Paris 19e",
    status: "sortant_detention",
    measure: "liberation_conditionnelle",
    startOffsetDays: -30,
    endOffsetDays: 400,
    offence: "Trafic de stupéfiants",
    court: "Tribunal judiciaire de Meaux",
    referent: "cpip@demo.passerelle.fr",
  },
  {
    firstName: "Laurent",
    lastName: "Girard",
    birthDate: "1970-05-09",
    birthPlace: "Nemours",
    status: "milieu_ouvert",
    measure: "travail_interet_general",
    startOffsetDays: -60,
    endOffsetDays: 20,
    offence: "Dégradations",
    court: "Tribunal judiciaire de Fontainebleau",
    referent: "cpip@demo.passerelle.fr",
  },
  {
    firstName: "Aurélie",
    lastName: "Fontaine",
    birthDate: "1985-09-17",
    birthPlace: "Montereau-Fault-Yonne",
    status: "milieu_ouvert",
    measure: "detention_domicile_surveillance_electronique",
    startOffsetDays: -120,
    endOffsetDays: 60,
    offence: "Abus de confiance",
    court: "Tribunal judiciaire de Melun",
    referent: "cpip@demo.passerelle.fr",
  },
  {
    firstName: "Thomas",
    lastName: "Mercier",
    birthDate: "1990-12-01",
    birthPlace: "Chelles",
    status: "probation",
    measure: "sursis_probatoire",
    startOffsetDays: -300,
    endOffsetDays: 500,
    offence: "Violences",
    court: "Tribunal judiciaire de Meaux",
    referent: "cpip2@demo.passerelle.fr",
  },
  {
    firstName: "Régine",
    lastName: "Chérif",
    birthDate: "1983-04-21",
    birthPlace: "Melun",
    status: "sortant_detention",
    measure: "liberation_conditionnelle",
    startOffsetDays: -15,
    endOffsetDays: 700,
    offence: "Vol",
    court: "Tribunal judiciaire de Melun",
    referent: "cpip2@demo.passerelle.fr",
  },
  {
    firstName: "Franck",
    lastName: "Dupuis",
    birthDate: "1975-08-11",
    birthPlace: "Provins",
    status: "milieu_ouvert",
    measure: "suivi_socio_judiciaire",
    startOffsetDays: -800,
    endOffsetDays: 900,
    offence: "Menaces",
    court: "Tribunal judiciaire de Melun",
    referent: "cpip2@demo.passerelle.fr",
  },
  {
    firstName: "Yasmine",
    lastName: "Bouzid",
    birthDate: "1999-02-05",
    birthPlace: "Torcy",
    status: "semi_liberte",
    measure: "semi_liberte",
    startOffsetDays: -45,
    endOffsetDays: 35,
    offence: "Recel",
    court: "Tribunal judiciaire de Meaux",
    referent: "cpip2@demo.passerelle.fr",
  },
  {
    firstName: "Patrick",
    lastName: "Lambert",
    birthDate: "1968-06-27",
    birthPlace: "Coulommiers",
    status: "milieu_ouvert",
    measure: "sursis_probatoire",
    startOffsetDays: -500,
    endOffsetDays: 200,
    offence: "Conduite en état alcoolique",
    court: "Tribunal judiciaire de Meaux",
    referent: "cpip2@demo.passerelle.fr",
  },
  {
    firstName: "Océane",
    lastName: "Perrin",
    birthDate: "2001-10-13",
    birthPlace: "Fontainebleau",
    status: "milieu_ouvert",
    measure: "travail_interet_general",
    startOffsetDays: -20,
    endOffsetDays: 250,
    offence: "Usage de stupéfiants",
    court: "Tribunal judiciaire de Fontainebleau",
    referent: "cpip@demo.passerelle.fr",
  },
];

function shiftDays(today: Date, days: number): string {
  const d = new Date(today);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Every demo account's domain (the national dataset's steering account too): never a real address. */
export const DEMO_EMAIL_DOMAIN = "demo.passerelle.fr";

/** Up to `limit` demo accounts still enabled: they share the published DEMO_PASSWORD. */
export async function enabledDemoAccounts(db: Db, limit = 3): Promise<string[]> {
  const rows = await db
    .select({ email: user.email })
    .from(user)
    .where(and(like(user.email, `%@${DEMO_EMAIL_DOMAIN}`), isNull(user.disabledAt)))
    .orderBy(user.email)
    .limit(limit);
  return rows.map((row) => row.email);
}

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(structure);
  return (row?.n ?? 0) === 0;
}

/** The Seine-et-Marne structure of the seeds, its three sites, demo agents and a dozen fictional people. */
export async function seedDemo(db: Db, today: Date): Promise<DemoAccount[]> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction(async (tx) => {
    const partnerIds = await seedCatalogue(tx);
    // One IAE employer of the directory is also a catalogue partner, as an administrator would add it.
    const [iae] = await tx
      .insert(partner)
      .values({ ...DEMO_IAE_PARTNER, kind: "iae_employer" })
      .returning({ id: partner.id });
    partnerIds.set(DEMO_IAE_PARTNER.code, iae!.id);
    const [fs77] = await tx
      .insert(structure)
      .values({
        name: "France services SPIP 77 – PIMM'S Médiation 77",
        labelNumber: "FS-77-035",
        departement: "77",
        coHolders: ["SPIP de Seine-et-Marne", "PIMM'S Médiation 77"],
      })
      .returning();
    if (!fs77) throw new Error("structure not inserted");
    const services = await tx
      .insert(service)
      .values([
        { structureId: fs77.id, name: "SPIP de Seine-et-Marne", kind: "spip" as const },
        { structureId: fs77.id, name: "PIMM'S Médiation 77", kind: "association" as const },
      ])
      .returning();
    const serviceId = (kind: "spip" | "association" | null) =>
      kind ? (services.find((s) => s.kind === kind)?.id ?? null) : null;
    const sites = await tx
      .insert(site)
      .values([
        {
          structureId: fs77.id,
          name: "Fontainebleau",
          kind: "spip_office",
          address: "10 rue de la Paroisse, 77300 Fontainebleau",
          accessInstructions: "Accueil au rez-de-chaussée, se présenter avec la convocation.",
          phone: "01 60 00 00 01",
        },
        {
          structureId: fs77.id,
          name: "La Rochette",
          kind: "spip_office",
          address: "2 avenue de la Libération, 77000 La Rochette",
          accessInstructions: "Bâtiment B, premier étage.",
          phone: "01 60 00 00 02",
        },
        {
          structureId: fs77.id,
          name: "Meaux",
          kind: "spip_office",
          address: "5 rue du Palais de Justice, 77100 Meaux",
          accessInstructions: "Entrée par la cour, interphone « France services ».",
          phone: "01 60 00 00 03",
        },
      ])
      .returning();
    const userIds = new Map<string, string>();
    for (const account of demoAccounts) {
      const [created] = await tx
        .insert(user)
        .values({ email: account.email, displayName: account.displayName, passwordHash })
        .returning({ id: user.id });
      if (!created) throw new Error("user not inserted");
      userIds.set(account.email, created.id);
      await tx.insert(membership).values(
        account.roles.map((role) => ({
          userId: created.id,
          structureId: fs77.id,
          role,
          serviceId: serviceId(account.service),
          partnerId: account.partner ? (partnerIds.get(account.partner) ?? null) : null,
          acceptedAt: new Date(`${shiftDays(today, -365)}T09:00:00Z`),
        })),
      );
    }
    const siteId = (name: string) => sites.find((x) => x.name === name)?.id as string;
    const ines = userIds.get("conseiller@demo.passerelle.fr") as string;
    const nicolas = userIds.get("cpip2@demo.passerelle.fr") as string;
    // Both hold permanences: trained as France services counselors (ADR 0038), Inès at the
    // association's recruitment, Nicolas as one of the volunteer CPIP (seed 001).
    await tx.insert(counselorTraining).values([
      {
        structureId: fs77.id,
        userId: ines,
        trainedOn: shiftDays(today, -300),
        organisation: "ANCT – Formation initiale France services",
        recordedBy: userIds.get("direction@demo.passerelle.fr") ?? null,
      },
      {
        structureId: fs77.id,
        userId: nicolas,
        trainedOn: shiftDays(today, -120),
        organisation: "CNFPT",
        recordedBy: userIds.get("direction@demo.passerelle.fr") ?? null,
      },
    ]);
    // About 24 h a week across the three sites (seed 001); Meaux has simultaneous permanences.
    const permanences: [string, number, string, string, string[]][] = [
      ["Fontainebleau", 1, "09:00", "12:30", [ines]],
      ["Fontainebleau", 1, "13:30", "17:00", [ines]],
      ["Meaux", 2, "09:00", "12:30", [ines, nicolas]],
      ["Meaux", 2, "13:30", "17:00", [ines, nicolas]],
      ["La Rochette", 3, "09:00", "12:30", [ines]],
      ["La Rochette", 3, "13:30", "17:00", [ines]],
      ["Meaux", 5, "09:00", "12:30", [nicolas]],
    ];
    for (const [name, weekday, startTime, endTime, pool] of permanences) {
      const [rule] = await tx
        .insert(openingRule)
        .values({
          structureId: fs77.id,
          siteId: siteId(name),
          weekday,
          startTime,
          endTime,
          slotMinutes: 45,
          bufferMinutes: 15,
          // Since the first month of the demo's past activity (demoActivity: 182 days), so the
          // hours held per month are not « 0 h » before the visits they received.
          validFrom: shiftDays(today, -200),
        })
        .returning({ id: openingRule.id });
      await tx.insert(openingRuleCounselor).values(pool.map((userId) => ({ ruleId: rule!.id, userId })));
    }
    await seedDemoDirectory(
      tx,
      fs77.id,
      partnerIds,
      userIds.get("direction@demo.passerelle.fr") as string,
      today,
    );
    await seedDemoLocalPartners(tx, today);
    for (const p of demoPeople) {
      const [created] = await tx
        .insert(person)
        .values({
          structureId: fs77.id,
          firstName: p.firstName,
          lastName: p.lastName,
          birthDate: p.birthDate,
          birthPlace: p.birthPlace,
          status: p.status,
          phone: p.phone ?? `+3360000${String(demoPeople.indexOf(p) + 1).padStart(4, "0")}`,
          // A reserved domain: demo emails can never reach anybody.
          email: `${asciiSlug(p.firstName)}.${asciiSlug(p.lastName)}@exemple.invalid`,
          address: "Adresse fictive, Seine-et-Marne",
          // Opened when their follow-up began, as the history's first line says (their measures end
          // ahead: this leaves the retention rules' last activity unchanged).
          createdAt: new Date(`${shiftDays(today, p.startOffsetDays)}T09:00:00Z`),
        })
        .returning({ id: person.id });
      if (!created) throw new Error("person not inserted");
      await tx.insert(measure).values({
        personId: created.id,
        type: p.measure,
        startDate: shiftDays(today, p.startOffsetDays),
        endDate: shiftDays(today, p.endOffsetDays),
        offence: p.offence,
        court: p.court,
        judgmentDate: shiftDays(today, p.startOffsetDays - 30),
      });
      await tx.insert(referent).values({
        personId: created.id,
        userId: userIds.get(p.referent) as string,
        serviceId: serviceId("spip") as string,
        startedAt: new Date(`${shiftDays(today, p.startOffsetDays)}T09:00:00Z`),
      });
    }
  });
  return demoAccounts;
}

/**
 * The demo's accounts in its other structures (Essonne: direction, CPIP, counselor), read back once
 * seeded so that the start-up list names every account the README's walkthrough uses.
 */
export async function otherStructureAccounts(db: Db): Promise<DemoAccount[]> {
  const main = new Set(demoAccounts.map((account) => account.email));
  const rows = await db
    .select({
      email: user.email,
      displayName: user.displayName,
      role: membership.role,
      structureName: structure.name,
    })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .innerJoin(structure, eq(structure.id, membership.structureId))
    .orderBy(user.email);
  const byEmail = new Map<string, DemoAccount>();
  for (const row of rows) {
    if (main.has(row.email)) continue;
    const account = byEmail.get(row.email) ?? {
      email: row.email,
      displayName: row.displayName,
      roles: [],
      service: null,
      structureName: row.structureName,
    };
    account.roles.push(row.role);
    byEmail.set(row.email, account);
  }
  return [...byEmail.values()];
}
