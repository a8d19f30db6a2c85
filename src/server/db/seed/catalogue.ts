import { inArray } from "drizzle-orm";
import type { DemarcheCategory } from "../../../common/roles";
import type { Db } from "../createDb";
import { demarcheType, partner } from "../schema";

/** France services national partners (DESIGN §4) and the starting démarche catalogue. */
export const partners: {
  code: string;
  name: string;
  description: string;
  demarches: [string, string, DemarcheCategory][];
}[] = [
  {
    code: "caf",
    name: "CAF (Caisse d'allocations familiales)",
    description: "Prestations familiales et sociales",
    demarches: [
      ["caf-rsa", "Demande de RSA", "social-sante"],
      ["caf-prime-activite", "Prime d'activité", "travail-formation"],
      ["caf-apl", "Aide personnalisée au logement (APL)", "logement"],
      ["caf-declaration-trimestrielle", "Déclaration trimestrielle de ressources", "social-sante"],
      ["caf-compte", "Création du compte en ligne CAF", "social-sante"],
    ],
  },
  {
    code: "cnav",
    name: "CNAV (Assurance retraite)",
    description: "Retraite du régime général",
    demarches: [
      ["cnav-releve-carriere", "Relevé de carrière", "travail-formation"],
      ["cnav-demande-retraite", "Demande de retraite", "travail-formation"],
      ["cnav-aspa", "Allocation de solidarité aux personnes âgées (ASPA)", "social-sante"],
    ],
  },
  {
    code: "cpam",
    name: "CPAM (Assurance maladie)",
    description: "Couverture santé",
    demarches: [
      ["cpam-affiliation", "Affiliation à l'Assurance maladie", "social-sante"],
      ["cpam-css", "Complémentaire santé solidaire (CSS)", "social-sante"],
      ["cpam-ame", "Aide médicale de l'État (AME)", "social-sante"],
      ["cpam-carte-vitale", "Carte Vitale", "social-sante"],
      ["cpam-compte-ameli", "Compte ameli", "social-sante"],
    ],
  },
  {
    code: "dgfip",
    name: "DGFiP (Finances publiques)",
    description: "Impôts",
    demarches: [
      ["dgfip-declaration-revenus", "Déclaration de revenus", "argent-impots-consommation"],
      ["dgfip-espace-particulier", "Espace particulier impots.gouv.fr", "argent-impots-consommation"],
      ["dgfip-avis-imposition", "Avis d'imposition ou de non-imposition", "argent-impots-consommation"],
    ],
  },
  {
    code: "france-travail",
    name: "France Travail",
    description: "Emploi et indemnisation",
    demarches: [
      ["ft-inscription", "Inscription à France Travail", "travail-formation"],
      ["ft-actualisation", "Actualisation mensuelle", "travail-formation"],
      [
        "ft-iae-orientation",
        "Orientation vers l'insertion par l'activité économique (IAE, Plateforme de l'inclusion)",
        "travail-formation",
      ],
    ],
  },
  {
    code: "msa",
    name: "MSA (Mutualité sociale agricole)",
    description: "Protection sociale agricole",
    demarches: [
      ["msa-affiliation", "Affiliation à la MSA", "social-sante"],
      ["msa-espace-prive", "Création de l'espace privé MSA", "social-sante"],
      ["msa-prime-activite", "Prime d'activité (MSA)", "travail-formation"],
      ["msa-rsa", "Demande de RSA (MSA)", "social-sante"],
    ],
  },
  {
    code: "justice",
    name: "Ministère de la Justice",
    description: "Points justice, aide juridictionnelle, casier judiciaire",
    demarches: [
      ["justice-aide-juridictionnelle", "Aide juridictionnelle", "justice"],
      ["justice-bulletin-3", "Bulletin n° 3 du casier judiciaire", "justice"],
    ],
  },
  {
    code: "interieur",
    name: "Ministère de l'Intérieur (ANTS, préfecture)",
    description: "Titres d'identité, permis, carte grise, titres de séjour",
    demarches: [
      ["ants-cni-passeport", "Pré-demande de carte d'identité ou de passeport", "papiers-citoyennete"],
      ["ants-permis", "Permis de conduire", "transports"],
      ["ants-carte-grise", "Certificat d'immatriculation (carte grise)", "transports"],
      ["prefecture-titre-sejour", "Titre de séjour", "etranger"],
    ],
  },
  {
    code: "la-poste",
    name: "La Poste",
    description: "L'Identité Numérique, droit au compte",
    demarches: [
      ["laposte-identite-numerique", "L'Identité Numérique La Poste", "papiers-citoyennete"],
      [
        "laposte-compte-bancaire",
        "Ouverture de compte (droit au compte, Banque de France)",
        "argent-impots-consommation",
      ],
    ],
  },
  {
    code: "france-renov",
    name: "France Rénov'",
    description: "Rénovation de l'habitat",
    demarches: [
      ["france-renov-maprimerenov", "Demande de MaPrimeRénov'", "logement"],
      ["france-renov-conseil", "Rendez-vous avec un conseiller France Rénov'", "logement"],
    ],
  },
  {
    code: "cheque-energie",
    name: "Chèque énergie",
    description: "Aide au paiement de l'énergie",
    demarches: [
      ["cheque-energie-reclamation", "Chèque énergie non reçu : réclamation", "logement"],
      [
        "cheque-energie-utilisation",
        "Utilisation ou pré-affectation du chèque énergie",
        "argent-impots-consommation",
      ],
    ],
  },
  {
    code: "urssaf",
    name: "Urssaf",
    description: "Cotisations sociales (depuis janvier 2025)",
    demarches: [
      ["urssaf-micro-entreprise", "Création d'une micro-entreprise", "travail-formation"],
      [
        "urssaf-declaration-ca",
        "Déclaration du chiffre d'affaires (micro-entrepreneur)",
        "travail-formation",
      ],
      ["urssaf-cesu", "Cesu : déclarer un salarié à domicile", "argent-impots-consommation"],
    ],
  },
  {
    code: "agirc-arrco",
    name: "Agirc-Arrco",
    description: "Retraite complémentaire (depuis janvier 2025)",
    demarches: [
      ["agirc-arrco-releve", "Relevé de points de retraite complémentaire", "travail-formation"],
      ["agirc-arrco-demande-retraite", "Demande de retraite complémentaire", "travail-formation"],
    ],
  },
  {
    code: "domiciliation",
    name: "Domiciliation (CCAS ou association agréée)",
    description: "Adresse administrative",
    demarches: [
      ["domiciliation-demande", "Demande de domiciliation", "logement"],
      ["domiciliation-siao", "Demande d'hébergement ou de logement (SIAO)", "logement"],
    ],
  },
];

/** Documents usually required, the starting checklist of a démarche (editable with the catalogue). */
export const documentsByCode: Record<string, string[]> = {
  "caf-rsa": [
    "Pièce d'identité",
    "Relevé d'identité bancaire",
    "Justificatifs de ressources des 3 derniers mois",
  ],
  "caf-apl": ["Bail ou attestation d'hébergement", "Relevé d'identité bancaire", "Avis d'imposition"],
  "cpam-affiliation": [
    "Pièce d'identité",
    "Justificatif de domicile ou de domiciliation",
    "Relevé d'identité bancaire",
  ],
  "cpam-css": ["Avis d'imposition", "Justificatifs de ressources des 12 derniers mois"],
  "cpam-carte-vitale": ["Photo d'identité", "Pièce d'identité"],
  "ants-cni-passeport": [
    "Photo d'identité de moins de 6 mois",
    "Justificatif de domicile ou de domiciliation",
    "Ancien titre ou déclaration de perte",
    "Timbre fiscal (passeport ou perte)",
  ],
  "justice-aide-juridictionnelle": ["Avis d'imposition", "Justificatifs de ressources", "Pièce d'identité"],
  "domiciliation-demande": ["Pièce d'identité"],
  "domiciliation-siao": ["Pièce d'identité", "Justificatif de ressources", "Évaluation sociale du SPIP"],
  "ft-iae-orientation": ["Pièce d'identité", "Curriculum vitae si disponible"],
  "msa-affiliation": [
    "Pièce d'identité",
    "Relevé d'identité bancaire",
    "Contrat de travail ou attestation d'emploi",
  ],
  "france-renov-maprimerenov": ["Avis d'imposition", "Devis des travaux", "Justificatif de propriété"],
  "cheque-energie-reclamation": ["Avis d'imposition", "Facture d'énergie"],
  "urssaf-micro-entreprise": ["Pièce d'identité", "Justificatif de domicile ou de domiciliation"],
};

export interface CatalogueAdded {
  partners: { id: string; code: string }[];
  demarcheTypes: { id: string; code: string }[];
}

/**
 * The national catalogue: inserts the partners and démarche types missing by code, never touching
 * rows already there (their names, kinds and checklists may have been edited since). Idempotent:
 * the demo seed runs it on an empty database, `npm run setup` on any. Returns every partner's id by
 * code and what it added.
 */
export async function seedCatalogue(db: Db): Promise<Map<string, string>> {
  return (await ensureCatalogue(db)).ids;
}

export async function ensureCatalogue(db: Db): Promise<{ ids: Map<string, string>; added: CatalogueAdded }> {
  const addedPartners = await db
    .insert(partner)
    .values(
      partners.map((p) => ({
        code: p.code,
        name: p.name,
        kind: p.code === "domiciliation" ? ("local_correspondent" as const) : ("national_operator" as const),
        description: p.description,
      })),
    )
    .onConflictDoNothing({ target: partner.code })
    .returning({ id: partner.id, code: partner.code });
  const rows = await db
    .select({ id: partner.id, code: partner.code })
    .from(partner)
    .where(
      inArray(
        partner.code,
        partners.map((p) => p.code),
      ),
    );
  const ids = new Map(rows.map((r) => [r.code, r.id]));
  const types = partners.flatMap((p) =>
    p.demarches.map(([code, label, category]) => ({
      partnerId: ids.get(p.code) as string,
      code,
      label,
      category,
      documents: documentsByCode[code] ?? [],
    })),
  );
  const addedTypes = await db
    .insert(demarcheType)
    .values(types)
    .onConflictDoNothing({ target: demarcheType.code })
    .returning({ id: demarcheType.id, code: demarcheType.code });
  return { ids, added: { partners: addedPartners, demarcheTypes: addedTypes } };
}
