/**
 * The demo's local partners and fundings (ADR 0039), from the seeds: the mairie of Meaux (contrat
 * local de sécurité, a stage de citoyenneté in its premises, which it cofunds), the préfecture (the
 * 40 000 € subvention for recruiting the médiateur France services, the FIPD), Cap emploi (the
 * regional convention for people under supervision with a disability, to be signed) and a Point
 * justice. Names of people are fictional; e-mails use the reserved `.invalid` domain.
 */
import { and, eq } from "drizzle-orm";
import { addDays, parisDay } from "../../../common/calendar";
import { parisInstant } from "../../core/parisTime";
import type { Db } from "../createDb";
import {
  collectiveAction,
  collectiveActionCofunder,
  collectiveActionOrganiser,
  convention,
  conventionParty,
  directoryContact,
  type directoryEntry,
  funding,
  structure,
  user,
} from "../schema";
import { parisDayAfter } from "./demoActions";
import { directoryEntryNamed } from "./directoryEntryNamed";

type Entry = Omit<typeof directoryEntry.$inferInsert, "structureId">;
const entries: (Entry & { contact: { name: string; function: string; email: string; phone: string } })[] = [
  {
    name: "Mairie de Meaux",
    kind: "local_authority",
    area: "Meaux",
    services: ["acces-aux-droits", "mobilite"],
    address: "Hôtel de ville, place de l'Hôtel de ville, 77100 Meaux",
    notes: "Contrat local de sécurité et de prévention de la délinquance ; prête ses locaux pour les stages.",
    contact: {
      name: "Isabelle Renaud",
      function: "Coordinatrice du CLSPD",
      email: "isabelle.renaud@meaux.exemple.invalid",
      phone: "+33160000301",
    },
  },
  {
    name: "Préfecture de Seine-et-Marne",
    kind: "state_service",
    area: "Seine-et-Marne (77)",
    services: ["acces-aux-droits"],
    address: "12 rue des Saints-Pères, 77000 Melun",
    notes: "Fonds interministériel de prévention de la délinquance (FIPD) ; labellisation France services.",
    contact: {
      name: "Laurent Mercier",
      function: "Chargé de mission prévention de la délinquance",
      email: "laurent.mercier@seine-et-marne.exemple.invalid",
      phone: "+33160000311",
    },
  },
  {
    name: "Cap emploi 77",
    kind: "cap_emploi",
    area: "Seine-et-Marne (77)",
    services: ["emploi", "se-former", "sante"],
    address: "Rue de la Rochette, 77000 Melun",
    contact: {
      name: "Émilie Caron",
      function: "Conseillère en insertion professionnelle",
      email: "emilie.caron@capemploi77.exemple.invalid",
      phone: "+33160000321",
    },
  },
  {
    name: "Point justice de Meaux",
    kind: "point_justice",
    area: "Meaux et pays de Meaux",
    services: ["acces-aux-droits", "famille"],
    address: "Rue du Palais de justice, 77100 Meaux",
    notes: "Consultations gratuites d'avocats et de juristes, aide juridictionnelle, médiation.",
    contact: {
      name: "Farid Haddad",
      function: "Coordinateur de l'accès au droit",
      email: "farid.haddad@cdad77.exemple.invalid",
      phone: "+33160000331",
    },
  },
];

/** The demo's Seine-et-Marne structure and its direction's account, if seeded. */
async function demoStructure(
  db: Db,
): Promise<{ structureId: string; direction: { id: string } | undefined } | null> {
  const [fs77] = await db
    .select({ id: structure.id })
    .from(structure)
    .where(eq(structure.labelNumber, "FS-77-035"));
  if (!fs77) return null;
  const [direction] = await db
    .select({ id: user.id })
    .from(user)
    .where(eq(user.email, "direction@demo.passerelle.fr"));
  return { structureId: fs77.id, direction };
}

export async function seedDemoLocalPartners(db: Db, today: Date): Promise<void> {
  const demo = await demoStructure(db);
  if (!demo) return;
  const { structureId, direction } = demo;
  const ids = new Map<string, string>();
  for (const { contact, ...entry } of entries) {
    const e = await directoryEntryNamed(db, { structureId, ...entry });
    ids.set(e.name, e.id);
    const [known] = await db
      .select({ id: directoryContact.id })
      .from(directoryContact)
      .where(and(eq(directoryContact.entryId, e.id), eq(directoryContact.name, contact.name)));
    if (!known) await db.insert(directoryContact).values({ entryId: e.id, ...contact });
  }
  const pimms = await directoryEntryNamed(db, {
    structureId,
    name: "PIMM'S Médiation 77",
    kind: "association",
  });
  const mairie = ids.get("Mairie de Meaux")!;
  const prefecture = ids.get("Préfecture de Seine-et-Marne")!;
  const capEmploi = ids.get("Cap emploi 77")!;
  const day = (days: number) => addDays(parisDay(today), days);
  const year = Number(parisDay(today).slice(0, 4));

  const record = async (
    row: Omit<typeof convention.$inferInsert, "structureId">,
    parties: { entry?: string; label: string }[],
  ): Promise<string> => {
    const [created] = await db
      .insert(convention)
      .values({ ...row, structureId })
      .returning({ id: convention.id });
    await db.insert(conventionParty).values(
      parties.map((p) => ({
        conventionId: created!.id,
        directoryEntryId: p.entry ?? null,
        label: p.label,
      })),
    );
    return created!.id;
  };
  const cls = await record(
    {
      title: "Contrat local de sécurité et de prévention de la délinquance de Meaux",
      reference: "CLSPD-MEAUX",
      level: "local",
      scope: "milieu_ouvert",
      themes: ["acces-aux-droits", "mobilite"],
      status: "signed",
      signedOn: day(-200),
      startsOn: day(-200),
      endsOn: day(900),
      renewalTerms: "Révision annuelle en séance plénière du CLSPD.",
      referentUserId: direction?.id ?? null,
    },
    [
      { entry: mairie, label: "Mairie de Meaux" },
      { entry: prefecture, label: "Préfecture de Seine-et-Marne" },
      { label: "SPIP de Seine-et-Marne" },
    ],
  );
  const subvention = await record(
    {
      title: "Convention attributive de subvention – médiateur France services",
      reference: `FIPD-77-${year}-012`,
      level: "departmental",
      scope: "both",
      themes: ["acces-aux-droits", "numerique"],
      status: "signed",
      signedOn: day(-120),
      startsOn: day(-120),
      endsOn: day(245),
      renewalTerms: "Compte rendu financier à adresser à la préfecture dans les six mois suivant la fin.",
    },
    [
      { entry: prefecture, label: "Préfecture de Seine-et-Marne" },
      { entry: pimms.id, label: pimms.name },
      { label: "SPIP de Seine-et-Marne" },
    ],
  );
  await record(
    {
      title:
        "Convention régionale pour la réinsertion des personnes sous main de justice en situation de handicap",
      level: "regional",
      scope: "both",
      themes: ["emploi", "sante"],
      status: "draft",
      startsOn: day(45),
      endsOn: day(45 + 3 * 365),
    },
    [
      { label: "DREETS Île-de-France" },
      { label: "Direction interrégionale des services pénitentiaires de Paris" },
      { label: "Cheops Île-de-France (réseau des Cap emploi)" },
      { entry: capEmploi, label: "Cap emploi 77" },
    ],
  );

  await db.insert(funding).values([
    {
      structureId,
      funderEntryId: prefecture,
      amountEuros: 40_000,
      purpose: "Recrutement d'un médiateur France services",
      year,
      startsOn: day(-120),
      endsOn: day(245),
      conventionId: subvention,
    },
    {
      structureId,
      funderEntryId: mairie,
      amountEuros: 3_000,
      purpose: "Actions de prévention de la récidive du contrat local de sécurité",
      year: year - 1,
      conventionId: cls,
    },
  ]);
}

/**
 * The stage de citoyenneté, in three weeks, in the mairie's premises (lent), cofunded by the mairie
 * and the préfecture (FIPD): seeded with the other collective actions (not in the test template).
 */
export async function seedDemoStage(db: Db, today: Date): Promise<void> {
  const demo = await demoStructure(db);
  if (!demo) return;
  const { structureId, direction } = demo;
  const entryId = async (name: string) =>
    (await directoryEntryNamed(db, { structureId, name, kind: "other" })).id;
  const mairie = await entryId("Mairie de Meaux");
  const prefecture = await entryId("Préfecture de Seine-et-Marne");
  const year = Number(parisDay(today).slice(0, 4));
  const stageDay = parisDayAfter(today, 21);
  const [stage] = await db
    .insert(collectiveAction)
    .values({
      structureId,
      kind: "stage",
      title: "Stage de citoyenneté",
      theme: "Citoyenneté",
      description:
        "Stage d'une journée : valeurs de la République, droits et devoirs, rencontre avec des élus et un délégué du Défenseur des droits.",
      startsAt: parisInstant(stageDay, "09:00"),
      endsAt: parisInstant(stageDay, "16:30"),
      address: "Salle du conseil, hôtel de ville, place de l'Hôtel de ville, 77100 Meaux",
      capacity: 12,
      hostEntryId: mairie,
      createdBy: direction?.id ?? null,
    })
    .returning({ id: collectiveAction.id });
  if (direction)
    await db.insert(collectiveActionOrganiser).values({ actionId: stage!.id, userId: direction.id });
  await db.insert(collectiveActionCofunder).values([
    { actionId: stage!.id, entryId: mairie },
    { actionId: stage!.id, entryId: prefecture },
  ]);

  await db.insert(funding).values([
    {
      structureId,
      funderEntryId: prefecture,
      amountEuros: 6_000,
      purpose: "Stages de citoyenneté et de sécurité routière (FIPD)",
      year,
      collectiveActionId: stage!.id,
    },
    {
      structureId,
      funderEntryId: mairie,
      amountEuros: 1_500,
      purpose: "Cofinancement du stage de citoyenneté",
      year,
      collectiveActionId: stage!.id,
    },
  ]);
}
