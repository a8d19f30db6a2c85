/**
 * Demo partners' directory and conventions (ADR 0030) for Seine-et-Marne: national operators and
 * their correspondents, a mission locale, a CCAS, the SIAO, the association, three IAE employers;
 * four conventions, one of which ends within the alert delay so the direction's home shows it.
 * Every name of a person here is fictional; e-mails use the reserved `.invalid` domain.
 */
import type { Db } from "../createDb";
import { convention, conventionParty, directoryContact, directoryEntry } from "../schema";

type Entry = typeof directoryEntry.$inferInsert;
type Contact = {
  name: string;
  function: string;
  email: string;
  phone: string;
  newsletterSubscribed?: boolean;
};

function shiftDays(today: Date, days: number): string {
  const d = new Date(today);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The directory's ACI, also a catalogue partner of kind `iae_employer` in the demo (ADR 0030, addendum). */
export const DEMO_IAE_PARTNER = {
  code: "jardins-de-la-brie",
  name: "Les Jardins de la Brie (ACI)",
  description: "Atelier et chantier d'insertion, au centre pénitentiaire de Meaux-Chauconin",
} as const;

const entries: (Omit<Entry, "structureId" | "partnerId"> & { partner?: string; contacts: Contact[] })[] = [
  {
    name: "CAF de Seine-et-Marne",
    kind: "national_operator",
    partner: "caf",
    area: "Seine-et-Marne (77)",
    services: ["acces-aux-droits", "budget", "famille", "logement-hebergement"],
    address: "21 allée des Écureuils, 77000 Melun",
    contacts: [
      {
        name: "Sophie Garnier",
        function: "Référente partenariats France services",
        email: "sophie.garnier@caf77.exemple.invalid",
        phone: "+33160000201",
        newsletterSubscribed: true,
      },
      {
        name: "Marc Dubois",
        function: "Correspondant back-office",
        email: "marc.dubois@caf77.exemple.invalid",
        phone: "+33160000202",
      },
    ],
  },
  {
    name: "CPAM de Seine-et-Marne",
    kind: "national_operator",
    partner: "cpam",
    area: "Seine-et-Marne (77)",
    services: ["acces-aux-droits", "sante"],
    address: "Rue des Meuniers, 77100 Meaux",
    contacts: [
      {
        name: "Nadia Ferreira",
        function: "Correspondante accès aux droits",
        email: "nadia.ferreira@cpam77.exemple.invalid",
        phone: "+33160000211",
        newsletterSubscribed: true,
      },
      {
        name: "Julien Roux",
        function: "Conseiller mission accompagnement santé",
        email: "julien.roux@cpam77.exemple.invalid",
        phone: "+33160000212",
      },
    ],
  },
  {
    name: "CPAM – accueil de Fontainebleau",
    kind: "local_correspondent",
    partner: "cpam",
    area: "Fontainebleau, Avon, Nemours",
    services: ["sante", "acces-aux-droits"],
    contacts: [
      {
        name: "Claire Vasseur",
        function: "Correspondante locale",
        email: "claire.vasseur@cpam77.exemple.invalid",
        phone: "+33160000213",
      },
    ],
  },
  {
    name: "France Travail – agence de Meaux",
    kind: "local_correspondent",
    partner: "france-travail",
    area: "Meaux et pays de Meaux",
    services: ["emploi", "se-former"],
    contacts: [
      {
        name: "Thomas Lambert",
        function: "Conseiller référent justice",
        email: "thomas.lambert@francetravail.exemple.invalid",
        phone: "+33160000221",
        newsletterSubscribed: true,
      },
    ],
  },
  {
    name: "Mission locale de Melun Val de Seine",
    kind: "mission_locale",
    area: "Melun, Dammarie-lès-Lys, Le Mée-sur-Seine",
    services: ["emploi", "se-former", "mobilite", "logement-hebergement"],
    contacts: [
      {
        name: "Aurélie Chevalier",
        function: "Conseillère insertion jeunes sous main de justice",
        email: "aurelie.chevalier@ml-melun.exemple.invalid",
        phone: "+33160000231",
      },
    ],
  },
  {
    name: "CCAS de Meaux",
    kind: "ccas",
    area: "Meaux",
    services: ["acces-aux-droits", "equipement-et-alimentation", "budget"],
    notes: "Domiciliation administrative des personnes sans domicile stable.",
    contacts: [
      {
        name: "Karine Morel",
        function: "Responsable domiciliation",
        email: "karine.morel@ccas-meaux.exemple.invalid",
        phone: "+33160000241",
      },
    ],
  },
  {
    name: "SIAO 77",
    kind: "siao",
    area: "Seine-et-Marne (77)",
    services: ["logement-hebergement"],
    phone: "+33160000250",
    contacts: [
      {
        name: "Olivier Girard",
        function: "Coordinateur hébergement insertion",
        email: "olivier.girard@siao77.exemple.invalid",
        phone: "+33160000251",
      },
    ],
  },
  {
    name: "PIMM'S Médiation 77",
    kind: "association",
    area: "Seine-et-Marne (77)",
    services: ["acces-aux-droits", "numerique", "budget"],
    contacts: [
      {
        name: "Léa Fontaine",
        function: "Directrice",
        email: "lea.fontaine@pimms77.exemple.invalid",
        phone: "+33160000261",
        newsletterSubscribed: true,
      },
    ],
  },
  {
    name: "Les Jardins de la Brie",
    kind: "iae_employer",
    partner: DEMO_IAE_PARTNER.code,
    iaeKind: "ACI",
    siret: "81234567800013",
    inPrison: true,
    area: "Centre pénitentiaire de Meaux-Chauconin",
    services: ["emploi", "remobilisation"],
    contacts: [
      {
        name: "Hugo Marchand",
        function: "Encadrant technique d'insertion",
        email: "hugo.marchand@jardins-brie.exemple.invalid",
        phone: "+33160000271",
      },
    ],
  },
  {
    name: "Brie Intérim Insertion",
    kind: "iae_employer",
    iaeKind: "ETTI",
    siret: "48912345600027",
    area: "Melun, Meaux, Chelles",
    services: ["emploi"],
    contacts: [
      {
        name: "Samia Benkirane",
        function: "Chargée de recrutement",
        email: "samia.benkirane@brie-interim.exemple.invalid",
        phone: "+33160000281",
        newsletterSubscribed: true,
      },
    ],
  },
  {
    name: "GEIQ BTP Seine-et-Marne",
    kind: "iae_employer",
    iaeKind: "GEIQ",
    siret: "79823456700013",
    area: "Seine-et-Marne (77)",
    services: ["emploi", "se-former"],
    contacts: [
      {
        name: "Pierre Gauthier",
        function: "Chargé de parcours",
        email: "pierre.gauthier@geiq-btp77.exemple.invalid",
        phone: "+33160000291",
      },
    ],
  },
];

/** The directory and the conventions of the demo structure (ids of the catalogue's partners by code). */
export async function seedDemoDirectory(
  tx: Db,
  structureId: string,
  partnerIds: Map<string, string>,
  directionUserId: string,
  today: Date,
): Promise<void> {
  const entryIds = new Map<string, string>();
  for (const { partner, contacts, ...entry } of entries) {
    const [created] = await tx
      .insert(directoryEntry)
      .values({ ...entry, structureId, partnerId: partner ? (partnerIds.get(partner) ?? null) : null })
      .returning({ id: directoryEntry.id });
    entryIds.set(entry.name, created!.id);
    await tx.insert(directoryContact).values(contacts.map((c) => ({ ...c, entryId: created!.id })));
  }
  const conventions: {
    row: Omit<typeof convention.$inferInsert, "structureId">;
    parties: { entry?: string; label: string }[];
  }[] = [
    {
      row: {
        title: "Convention de labellisation France services – structure itinérante SPIP 77",
        reference: "FS-77-035",
        level: "departmental",
        scope: "both",
        themes: ["acces-aux-droits", "numerique"],
        status: "signed",
        signedOn: shiftDays(today, -1035),
        startsOn: shiftDays(today, -1035),
        // Ends within the 90-day delay: the direction's home shows it to renew.
        endsOn: shiftDays(today, 60),
        renewalTerms:
          "Renouvellement sur demande de labellisation auprès de la préfecture, trois mois avant l'échéance.",
        referentUserId: directionUserId,
      },
      parties: [
        { label: "Préfecture de Seine-et-Marne" },
        { label: "SPIP de Seine-et-Marne" },
        { entry: "PIMM'S Médiation 77", label: "PIMM'S Médiation 77" },
      ],
    },
    {
      row: {
        title: "Convention-cadre régionale pour l'insertion par l'activité économique en détention",
        reference: "DISP-DREETS-IDF-IAE",
        level: "regional",
        scope: "milieu_ferme",
        themes: ["emploi", "se-former"],
        status: "signed",
        signedOn: shiftDays(today, -420),
        startsOn: shiftDays(today, -400),
        endsOn: shiftDays(today, 695),
        renewalTerms: "Reconduction expresse par avenant.",
      },
      parties: [
        { label: "Direction interrégionale des services pénitentiaires de Paris" },
        { label: "DREETS Île-de-France" },
        { label: "SPIP de Seine-et-Marne" },
        { entry: "Les Jardins de la Brie", label: "Les Jardins de la Brie" },
      ],
    },
    {
      row: {
        // The demo's one CAF convention, signed three weeks ago: the newsletter's "conventions
        // signed since the last issue" block (issue n° 1 left six weeks ago) shows it.
        title: "Convention d'accès aux droits CAF – SPIP 77",
        reference: "CONV-77-2026-04",
        level: "departmental",
        scope: "both",
        themes: ["acces-aux-droits", "budget", "famille"],
        status: "signed",
        signedOn: shiftDays(today, -21),
        startsOn: shiftDays(today, -21),
        endsOn: shiftDays(today, 3 * 365),
        tacitRenewal: true,
        renewalTerms: "Reconduction tacite d'un an, sauf dénonciation trois mois avant l'échéance.",
        referentUserId: directionUserId,
      },
      parties: [
        { label: "SPIP de Seine-et-Marne" },
        { entry: "CAF de Seine-et-Marne", label: "CAF de Seine-et-Marne" },
      ],
    },
    {
      row: {
        title: "Convention d'accompagnement des 16-25 ans suivis par le SPIP",
        level: "local",
        scope: "both",
        themes: ["emploi", "se-former", "mobilite"],
        status: "draft",
        startsOn: shiftDays(today, 30),
        endsOn: shiftDays(today, 760),
      },
      parties: [
        { label: "SPIP de Seine-et-Marne" },
        { entry: "Mission locale de Melun Val de Seine", label: "Mission locale de Melun Val de Seine" },
      ],
    },
  ];
  for (const { row, parties } of conventions) {
    const [created] = await tx
      .insert(convention)
      .values({ ...row, structureId })
      .returning({ id: convention.id });
    await tx.insert(conventionParty).values(
      parties.map((p) => ({
        conventionId: created!.id,
        directoryEntryId: p.entry ? (entryIds.get(p.entry) ?? null) : null,
        label: p.label,
      })),
    );
  }
}
