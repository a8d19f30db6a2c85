/**
 * What each steering figure and table counts, and which filters narrow it: the one source of the
 * definitions shown on the page ("ⓘ") and in the committee report's annex, written from the queries
 * (`server/domains/reporting/aggregates.ts`, `queries.ts`). `http/reporting.filters.test.ts` checks the
 * filters against the queries.
 */

import { frenchList } from "../frenchList";

/** The filters besides the period and the structure (which apply to everything). */
export const narrowingFilters = ["siteId", "partnerId", "counselorId"] as const;
export type NarrowingFilter = (typeof narrowingFilters)[number];
export const narrowingFilterLabels: Record<NarrowingFilter, string> = {
  siteId: "Site",
  partnerId: "Partenaire",
  counselorId: "Conseiller",
};

export interface FigureMeta {
  definition: string;
  /** The filters that narrow this figure; the others leave it as without them. */
  filters: NarrowingFilter[];
}
export interface TableMeta extends FigureMeta {
  /** What the rows are: the first column's header ("Mois", "Partenaire"…). */
  rows: string;
  /** Columns (by label) narrowed by other filters than the table's. */
  columnFilters?: Record<string, NarrowingFilter[]>;
}

const people: NarrowingFilter[] = ["siteId", "counselorId"];
const demarches: NarrowingFilter[] = ["siteId", "partnerId", "counselorId"];
const orientations: NarrowingFilter[] = ["siteId", "partnerId", "counselorId"];
const convocations: NarrowingFilter[] = ["siteId"];

const MONTHS = "Périodes en mois civils entiers, heure de Paris.";
const DEMARCHES_STARTED =
  "démarches créées dans la période (mois de leur création), quel que soit leur statut aujourd'hui";
/** Why the sites of a démarche figure need not add up to its total. */
const NO_SITE =
  "Une démarche commencée entre deux visites n'a pas de site : elle compte sans filtre Site, sous aucun site (« Hors permanence » dans l'export d'activité France services).";
const GRANTED =
  "droits ouverts dans la période : démarches passées au statut « Accordée » pendant la période (mois de ce changement de statut), quel que soit le mois où elles ont été engagées";

export const figureMeta: Record<string, FigureMeta> = {
  accompanied: {
    definition: `Personnes distinctes ayant eu au moins une visite dans la période (une personne venue plusieurs fois compte une fois). Avec un filtre Site ou Conseiller : les visites de ce site ou avec ce conseiller. ${MONTHS}`,
    filters: people,
  },
  newPeople: {
    definition:
      "Personnes dont la toute première visite dans la structure a eu lieu dans la période. Avec un filtre Site ou Conseiller : le site ou le conseiller de cette première visite.",
    filters: people,
  },
  returningPeople: {
    definition:
      "Personnes accompagnées dans la période moins les nouvelles personnes : celles dont la première visite est antérieure à la période (ou, avec un filtre, a eu lieu ailleurs ou avec un autre conseiller).",
    filters: people,
  },
  visits: {
    definition:
      "Visites enregistrées par les conseillers, comptées dans le mois où elles ont commencé. Avec un filtre Site ou Conseiller : les visites de ce site ou avec ce conseiller.",
    filters: people,
  },
  visitMinutes: {
    definition: "Durée totale des visites de la période divisée par le nombre de ces visites.",
    filters: people,
  },
  noShowRate: {
    definition:
      "Convocations « absence » divisées par les convocations « honorée » et « absence » dont le rendez-vous tombe dans la période ; les convocations excusées, annulées ou à venir ne comptent pas. Une convocation n'a pas de conseiller : le filtre Conseiller ne s'y applique pas.",
    filters: convocations,
  },
  demarches: {
    definition: `Démarches engagées : ${DEMARCHES_STARTED}. Avec un filtre Partenaire : les démarches dont le type relève de ce partenaire ; Conseiller : celles qu'il a créées ; Site : celles commencées lors d'une visite sur ce site. ${NO_SITE}`,
    filters: demarches,
  },
  demarchesPerPerson: {
    definition:
      "Démarches engagées divisées par les personnes accompagnées de la période. Avec un filtre Partenaire, seules les démarches sont restreintes à ce partenaire (les personnes accompagnées restent toutes celles de la période).",
    filters: demarches,
  },
  grantedShare: {
    definition: `Nombre de ${GRANTED}, divisé par le nombre de démarches terminées pendant la période (passées au statut « Accordée », « Refusée », « Abandonnée » ou « Réorientée », mois de ce changement de statut). Une période close ne change plus. ${NO_SITE}`,
    filters: demarches,
  },
  onSiteShare: {
    definition: `Part des ${DEMARCHES_STARTED}, qui ne sont ni transmises au partenaire (niveau d'aide « back-office ») ni réorientées.`,
    filters: demarches,
  },
  escalatedShare: {
    definition: `Part des ${DEMARCHES_STARTED}, dont le niveau d'aide est « transmise au partenaire (back-office) » ou le statut « réorientée ».`,
    filters: demarches,
  },
  orientations: {
    definition:
      "Orientations et sollicitations envoyées (brouillons exclus), comptées dans le mois de leur création et au site où elles ont été décidées, toutes destinations : partenaires, médiation de l'association, autres structures.",
    filters: orientations,
  },
  answerDays: {
    definition:
      "Moyenne, sur les orientations de la période qui ont reçu une réponse (acceptée ou refusée), du temps entre leur envoi et la réponse, en jours.",
    filters: orientations,
  },
  firstRightDays: {
    definition:
      "Médiane, sur les personnes dont le premier droit ouvert date de la période et qui ont eu une convocation, du nombre de jours entre leur première convocation et ce premier droit. Avec un filtre Site ou Conseiller : le site ou le conseiller de leur première visite.",
    filters: people,
  },
  measuresEnding: {
    definition:
      "Personnes dont la dernière mesure judiciaire se termine dans la période et qui ont encore au moins un besoin ouvert aujourd'hui. Avec un filtre Site ou Conseiller : le site ou le conseiller de leur première visite.",
    filters: people,
  },
  weeklyOpeningHours: {
    definition:
      "Somme, sur les sites de la structure ouverts au public, des heures d'ouverture hebdomadaires prévues par les règles de permanence en vigueur le dernier jour de la période, ou aujourd'hui si elle n'est pas finie (des permanences simultanées sur un même site comptent une fois). Les permanences tenues dans un établissement pénitentiaire ou une SAS ne sont pas ouvertes au public : elles ne comptent pas pour le label et figurent à part, sur leur propre ligne, dans le tableau des heures par lieu. Avec un filtre Site : ce site, s'il est ouvert au public.",
    filters: ["siteId"],
  },
  heldOpeningHours: {
    definition:
      "Heures d'ouverture effectivement tenues dans la période : les créneaux des règles de permanence (jours fériés exceptés), moins les fermetures du site et les moments où tous les conseillers de la permanence étaient absents ; seul le temps passé compte. Comme les heures par semaine, seuls les sites ouverts au public comptent : les heures tenues dans un établissement pénitentiaire ou une SAS ne sont pas comptées pour le label et figurent à part, dans leur colonne du tableau des heures tenues par mois. Avec un filtre Site : ce site, s'il est ouvert au public.",
    filters: ["siteId"],
  },
  trainedCounselors: {
    definition:
      "Agents de la structure dont la formation initiale France services est enregistrée par la direction (page « Agents de la structure »), datée au plus tard du dernier jour de la période, ou d'aujourd'hui si elle n'est pas finie, et qui étaient membres de la structure ce jour-là (invitation acceptée, accès non désactivé). Plusieurs structures : la somme de leurs agents formés. Un nombre d'agents, non de personnes accompagnées : il n'est pas modifié par la protection des petits effectifs (méthode des clés) et se lit exact pour tous les lecteurs.",
    filters: [],
  },
};

/** Every table of the dashboard (and the territories compared), by id: what the exports accept. */
export const tableIds = [
  "trend",
  "convocations",
  "demarchesByPartner",
  "demarchesByCategory",
  "demarchesByHelpLevel",
  "demarchesByStatus",
  "orientationsByDestination",
  "orientationsByStatus",
  "needsByDomain",
  "needsOverTime",
  "autonomy",
  "territories",
  "openingHoursWeekly",
  "openingHoursHeld",
] as const;
export type TableId = (typeof tableIds)[number];

/** The dashboard's sections beside its figures (ADR 0034): milieu fermé, transfers, actions, fundings. */
export const sectionIds = ["milieuFerme", "transfers", "actions", "fundings"] as const;
export type SectionId = (typeof sectionIds)[number];

export const tableMeta: Record<TableId, TableMeta> = {
  trend: {
    rows: "Mois",
    definition: `Par mois : convocations dont le rendez-vous tombe dans le mois (hors annulées, par le service ou par la personne), absences, visites commencées dans le mois, démarches créées dans le mois, ${GRANTED.replace("dans la période", "dans le mois").replace("pendant la période", "pendant le mois")}.`,
    filters: ["siteId"],
    columnFilters: {
      Visites: people,
      "Démarches engagées": demarches,
      "Droits ouverts": demarches,
    },
  },
  convocations: {
    rows: "Statut",
    definition:
      "Convocations dont le rendez-vous tombe dans la période, par statut actuel. Une convocation n'a pas de conseiller : le filtre Conseiller ne s'y applique pas.",
    filters: convocations,
  },
  demarchesByPartner: {
    rows: "Partenaire",
    definition: `Par partenaire du type de démarche : ${DEMARCHES_STARTED}, et ${GRANTED}. « Sans partenaire » : types de démarche sans partenaire.`,
    filters: demarches,
  },
  demarchesByCategory: {
    rows: "Catégorie",
    definition: `Par catégorie du type de démarche : ${DEMARCHES_STARTED}.`,
    filters: demarches,
  },
  demarchesByHelpLevel: {
    rows: "Niveau d'aide",
    definition: `Par niveau d'aide apporté : ${DEMARCHES_STARTED}.`,
    filters: demarches,
  },
  demarchesByStatus: {
    rows: "Statut",
    definition: `Par statut actuel : ${DEMARCHES_STARTED}.`,
    filters: demarches,
  },
  orientationsByDestination: {
    rows: "Destination",
    definition:
      "Orientations envoyées dans la période (brouillons exclus, mois de création, site où elles ont été décidées), par destination et partenaire ; acceptées (y compris terminées) et refusées selon leur statut actuel ; délai moyen entre l'envoi et la réponse de celles qui en ont reçu une.",
    filters: orientations,
  },
  orientationsByStatus: {
    rows: "Statut",
    definition:
      "Orientations envoyées dans la période (brouillons exclus, mois de création), par statut actuel. Une orientation sans réponse après sa date d'expiration est « expirée ».",
    filters: orientations,
  },
  needsByDomain: {
    rows: "Domaine",
    definition:
      "Par domaine : besoins identifiés (évaluation qui fait apparaître un besoin absent de l'évaluation précédente de la personne dans ce domaine) et résolus (évaluation qui clôt un besoin), datés du jour de l'évaluation. Avec un filtre Site : le site de la visite de l'évaluation ; Conseiller : son auteur.",
    filters: people,
  },
  needsOverTime: {
    rows: "Mois",
    definition:
      "Par mois : besoins identifiés et besoins résolus, datés du jour de l'évaluation (mêmes règles que le tableau par domaine).",
    filters: people,
  },
  autonomy: {
    rows: "Mois",
    definition:
      "Par mois : visites commencées dans le mois, selon l'autonomie numérique constatée par le conseiller à la visite.",
    filters: people,
  },
  territories: {
    rows: "Structure",
    definition:
      "Une ligne par structure lue, chacune calculée seule avec les mêmes règles que le tableau de bord : personnes accompagnées, démarches engagées par personne accompagnée, part des démarches ayant ouvert un droit, taux d'absence aux convocations, délai moyen de réponse des partenaires et orientations envoyées. Seul le filtre Partenaire s'applique à la comparaison, et seulement aux démarches et aux orientations (comme au tableau de bord, il ne s'applique ni aux personnes accompagnées ni au taux d'absence).",
    // As the dashboard's own figures (outside review): the partner narrows the démarches and the
    // orientations, never the people accompanied nor the convocations' no-show rate.
    filters: [],
    columnFilters: {
      "Démarches par personne": ["partnerId"],
      "Part des démarches ayant ouvert un droit": ["partnerId"],
      "Délai moyen de réponse des partenaires": ["partnerId"],
      "Orientations et sollicitations": ["partnerId"],
    },
  },
  openingHoursWeekly: {
    rows: "Lieu",
    definition:
      "Par site : heures d'ouverture hebdomadaires prévues par les règles de permanence en vigueur, et leur total par structure comparé aux 24 heures par semaine demandées par le label France services. Le total ne compte que les lieux ouverts au public : les heures d'un établissement pénitentiaire ou d'une SAS sont montrées sur leur ligne, « hors accueil du public, non compté pour le label ». Avec un filtre Site : ce site, et le total de toute sa structure, tous lieux ouverts au public confondus, car le seuil se juge pour la structure entière.",
    filters: ["siteId"],
  },
  openingHoursHeld: {
    rows: "Mois",
    definition:
      "Par mois : heures prévues par les règles de permanence (jours fériés exceptés) et heures tenues (moins les fermetures du site et les absences de tous les conseillers de la permanence ; seul le temps passé compte) des lieux ouverts au public, qui comptent pour le label. Les heures tenues dans un établissement pénitentiaire ou une SAS, hors accueil du public, sont dans une colonne à part, « Tenues en détention (hors label) » : elles ne comptent pas pour le label. La colonne de chaque site, quand il y en a plusieurs, dit les siennes.",
    filters: ["siteId"],
  },
};

/** Metadata of an id the list does not know yet: no definition, every filter assumed to apply. */
const unknown: TableMeta = { definition: "", rows: "Libellé", filters: [...narrowingFilters] };
export const metaOfFigure = (id: string): FigureMeta => figureMeta[id] ?? unknown;
export const metaOfTable = (id: string): TableMeta => (tableMeta as Record<string, TableMeta>)[id] ?? unknown;

/** « Conseiller » et « Partenaire »: the filters' names as the page shows them. */
const quoted = (filters: NarrowingFilter[]): string =>
  frenchList(filters.map((f) => `« ${narrowingFilterLabels[f]} »`));
const filterWord = (filters: NarrowingFilter[]): string =>
  filters.length > 1
    ? `Les filtres ${quoted(filters)} ne s'appliquent`
    : `Le filtre ${quoted(filters)} ne s'applique`;

/** The chosen filters that leave a figure or table as without them. */
export function filtersNotApplied(
  chosen: Partial<Record<NarrowingFilter, unknown>>,
  applies: NarrowingFilter[],
) {
  return narrowingFilters.filter((f) => chosen[f] && !applies.includes(f));
}

/**
 * What to say next to a figure or table when a chosen filter does not narrow it (or only some of
 * its columns): one sentence per case, none when every chosen filter applies.
 */
export function filterNotes(
  chosen: Partial<Record<NarrowingFilter, unknown>>,
  item: {
    filters: NarrowingFilter[];
    columns?: { label: string; filters?: NarrowingFilter[] | undefined }[];
  },
  what: "figure" | "table",
): string[] {
  const ignored = filtersNotApplied(chosen, item.filters);
  if (what === "figure") return ignored.length ? [`${filterWord(ignored)} pas à ce chiffre.`] : [];
  const columns = item.columns ?? [];
  const notes: string[] = [];
  const whole = ignored.filter((f) => columns.every((c) => !(c.filters ?? item.filters).includes(f)));
  if (whole.length) notes.push(`${filterWord(whole)} pas à ce tableau.`);
  for (const f of ignored.filter((x) => !whole.includes(x))) {
    const left = columns.filter((c) => !(c.filters ?? item.filters).includes(f)).map((c) => `« ${c.label} »`);
    if (left.length === 0) continue;
    notes.push(
      `Le filtre « ${narrowingFilterLabels[f]} » ne s'applique pas ${left.length > 1 ? "aux colonnes" : "à la colonne"} ${frenchList(left)} de ce tableau.`,
    );
  }
  return notes;
}

/**
 * The filters that narrow each section of the dashboard (ADR 0034): a collective action has a site
 * (where it is held); a released person, a transfer and a funding have no site, partner or counselor
 * of their own that the dashboard's filters name. A section's route refuses the others (400), so an
 * API reader never gets unfiltered figures under a filter; the page sends only those that apply.
 */
export const sectionFilters: Record<SectionId, NarrowingFilter[]> = {
  milieuFerme: [],
  transfers: [],
  actions: ["siteId"],
  fundings: [],
};

const sectionFigures: Record<SectionId, string> = {
  milieuFerme: "du milieu fermé",
  transfers: "des transferts et passages de relais",
  actions: "des actions collectives",
  fundings: "des financements",
};

/** The 400's message when a section's route is given a filter that does not narrow its figures. */
export function sectionFilterRefusal(id: SectionId, filter: NarrowingFilter): string {
  return `Le filtre « ${narrowingFilterLabels[filter]} » ne s'applique pas aux chiffres ${sectionFigures[id]} : retirez-le de la demande.`;
}

/** What an applied filter means for a section's figures, said in its note. */
const sectionFilterMeaning: Partial<Record<SectionId, string>> = {
  actions: "les actions tenues sur le site choisi",
};

/** Said under each section, on the page and in the files: which filters narrow its figures. */
export function sectionFiltersNote(id: SectionId): string {
  const applies = sectionFilters[id];
  const others = narrowingFilters.filter((f) => !applies.includes(f));
  const names = (filters: NarrowingFilter[]) => frenchList(filters.map((f) => narrowingFilterLabels[f]));
  const several = "avec plusieurs structures choisies, ces chiffres les couvrent toutes.";
  if (applies.length === 0)
    return `Les filtres ${names(others)} ne s'appliquent pas à ces chiffres ; ${several}`;
  const meaning = sectionFilterMeaning[id] ? ` (${sectionFilterMeaning[id]})` : "";
  return `${applies.length > 1 ? `Les filtres ${names(applies)} s'appliquent` : `Le filtre ${names(applies)} s'applique`} à ces chiffres${meaning} ; ${others.length > 1 ? `les filtres ${names(others)} ne s'y appliquent pas` : `le filtre ${names(others)} ne s'y applique pas`} ; ${several}`;
}

/** "Le filtre « Partenaire » ne s'applique pas aux chiffres de cette section", when such a filter is chosen. */
export function sectionFilterNotes(
  chosen: Partial<Record<NarrowingFilter, unknown>>,
  id: SectionId,
): string[] {
  const ignored = filtersNotApplied(chosen, sectionFilters[id]);
  return ignored.length
    ? [`${filterWord(ignored)} pas aux chiffres de cette section (filtre non applicable).`]
    : [];
}
