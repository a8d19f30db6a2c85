import { and, eq, inArray, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { demarcheStatusLabels } from "../../../common/accompaniment/accompaniment.schema";
import {
  auditActionLabel,
  auditJournalReadLabels,
  auditOutcomeLabels,
} from "../../../common/audit/audit.labels";
import { formatDate, formatDayRange, formatLongDate, monthNames } from "../../../common/dateFormat";
import { AppError, errors } from "../../../common/errors";
import { notificationStatusLabels } from "../../../common/notifications/notifications.schema";
import { notificationChannelLabels } from "../../../common/notifications/templates";
import { fileStateLabels } from "../../../common/people/people.schema";
import { ofPlace } from "../../../common/placeName";
import { plural } from "../../../common/plural";
import { personStatusLabels } from "../../../common/roles";
import { allRoutes } from "../../../common/routes";
import type { Db } from "../../db/createDb";
import {
  collectiveAction,
  demarche,
  demarcheType,
  handoverMeeting,
  partner,
  site,
  structure,
  transfer,
  user,
} from "../../db/schema";
import { visitWords } from "../accompaniment/journalWords";
import { documentWords, shareTargetWords } from "../documents/journalWords";
import { meetingWords, transferWords } from "../handover/journalWords";
import { periodWords } from "../reporting/rules";
import { knownToAny } from "./auditQuery";

/**
 * A journal row's detail as the direction reads it (the "Détail" column and the CSV): French
 * sentences, names rather than ids, dates as the app writes them. The journal is append-only
 * (migration 0001): rows written before the writers spoke French are never rewritten, they are
 * rendered here when read; a detail already in French passes through unchanged.
 */

/** The name of a structure, site, agent or partner an id stands for; undefined when unknown. */
export type NameOf = (id: string) => string | undefined;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const fromStructure = alias(structure, "from_structure");
const toStructure = alias(structure, "to_structure");

/**
 * The structures, sites, agents and partners named by these ids (people never: see subjectName),
 * and what older rows quoted by id: a handover meeting by its date ("réunion du …"), a transfer by
 * its structures ("transfert de … vers …"), a démarche by its type, a collective action or a
 * working group's series by its title.
 *
 * Only what `structureIds` (the journal's structure, or the reader's) know is named: their sites,
 * démarches, actions, meetings and transfers, and the agents they know (`knownUserName`); an id of
 * anything else stays unnamed, so that an id typed in a filter never reads back another structure's
 * agent or site (outside review, 2026-12-06). Structures and catalogue partners are named for all.
 */
export async function namesOf(
  db: Db,
  ids: Iterable<string>,
  structureIds: readonly string[],
): Promise<NameOf> {
  const wanted = [...new Set(ids)].filter((id) => new RegExp(`^${UUID.source}$`, "i").test(id));
  const names = new Map<string, string>();
  // An empty list would be `in ()`: a structure id that matches nothing stands for "none".
  const ours = structureIds.length > 0 ? [...structureIds] : [NO_STRUCTURE];
  if (wanted.length > 0) {
    const [structures, sites, agents, partners, meetings, transfers, demarches, actions] = await Promise.all([
      db
        .select({ id: structure.id, name: structure.name })
        .from(structure)
        .where(inArray(structure.id, wanted)),
      db
        .select({ id: site.id, name: site.name })
        .from(site)
        .where(and(inArray(site.id, wanted), inArray(site.structureId, ours))),
      db
        .select({ id: user.id, name: user.displayName })
        .from(user)
        .where(and(inArray(user.id, wanted), knownToAny(user.id, ours))),
      db.select({ id: partner.id, name: partner.name }).from(partner).where(inArray(partner.id, wanted)),
      db
        .select({ id: handoverMeeting.id, startsAt: handoverMeeting.startsAt })
        .from(handoverMeeting)
        .where(
          and(
            inArray(handoverMeeting.id, wanted),
            or(inArray(handoverMeeting.structureId, ours), inArray(handoverMeeting.targetStructureId, ours)),
          ),
        ),
      db
        .select({ id: transfer.id, from: fromStructure.name, to: toStructure.name })
        .from(transfer)
        .innerJoin(fromStructure, eq(fromStructure.id, transfer.fromStructureId))
        .innerJoin(toStructure, eq(toStructure.id, transfer.toStructureId))
        .where(
          and(
            inArray(transfer.id, wanted),
            or(inArray(transfer.fromStructureId, ours), inArray(transfer.toStructureId, ours)),
          ),
        ),
      db
        .select({ id: demarche.id, name: demarcheType.label })
        .from(demarche)
        .innerJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
        .where(and(inArray(demarche.id, wanted), inArray(demarche.structureId, ours))),
      db
        .select({
          id: collectiveAction.id,
          seriesId: collectiveAction.seriesId,
          title: collectiveAction.title,
        })
        .from(collectiveAction)
        .where(and(inArray(collectiveAction.id, wanted), inArray(collectiveAction.structureId, ours))),
    ]);
    const series = await db
      .selectDistinctOn([collectiveAction.seriesId], {
        id: collectiveAction.seriesId,
        title: collectiveAction.title,
      })
      .from(collectiveAction)
      .where(and(inArray(collectiveAction.seriesId, wanted), inArray(collectiveAction.structureId, ours)));
    for (const row of [...structures, ...sites, ...agents, ...partners, ...demarches])
      names.set(row.id, row.name);
    for (const row of meetings) names.set(row.id, meetingWords(row.startsAt));
    for (const row of transfers) names.set(row.id, transferWords(row.from, row.to));
    for (const row of [...actions, ...series]) if (row.id) names.set(row.id, `« ${row.title} »`);
  }
  return (id) => names.get(id);
}

const NO_STRUCTURE = "00000000-0000-0000-0000-000000000000";

/** The ids a detail (or a query string) holds, to look their names up before rendering. */
export function idsIn(text: string): string[] {
  return text.match(UUID) ?? [];
}

/** "janvier 2026" for "2026-01". */
function monthLabel(month: string): string {
  const index = Number(month.slice(5, 7)) - 1;
  return `${monthNames[index] ?? month.slice(5, 7)} ${month.slice(0, 4)}`;
}

/** What the reader reads, by route: the French title of a nominative read. */
const readTitles: Record<string, string> = {
  "GET /api/audit/export": "Export du journal des accès",
  "GET /api/collective-actions/:actionId": "Fiche d'une action collective",
  "GET /api/convocations": "Liste des convocations",
  "GET /api/convocations/:convocationId/letter": "Lettre de convocation",
  "GET /api/documents/:documentId/file": "Téléchargement d'un document",
  "GET /api/home/news": "Accueil : nouveautés des personnes suivies",
  "GET /api/home/permanence": "Accueil : convocations du jour à la permanence",
  "GET /api/orientations/inbox": "Orientations reçues par le partenaire",
  "GET /api/people": "Liste des personnes",
  "GET /api/people/:personId": "Dossier de la personne",
  "GET /api/people/:personId/accompaniment": "Besoins, démarches et visites de la personne",
  "GET /api/people/:personId/closing": "Préparation de la clôture du dossier",
  "GET /api/people/:personId/consents": "Consentements de la personne",
  "GET /api/people/:personId/data-export/json": "Export des données de la personne (JSON)",
  "GET /api/people/:personId/data-export/pdf": "Export des données de la personne (PDF)",
  "GET /api/people/:personId/documents": "Documents de la personne",
  "GET /api/people/:personId/handover": "Passage de relais de la personne",
  "GET /api/people/:personId/notes": "Notes de la personne",
  "GET /api/people/:personId/orientations": "Orientations de la personne",
  "GET /api/people/:personId/referent-candidates": "CPIP à qui confier le dossier",
  "GET /api/people/:personId/release-plan": "Préparation à la sortie de la personne",
  "GET /api/people/:personId/timeline": "Historique de la personne",
  "GET /api/people/:personId/transfers": "Transferts du dossier",
  "GET /api/people/duplicates": "Recherche de doublons avant création",
  "GET /api/reporting/list": "Liste nominative derrière un chiffre",
  "GET /api/reporting/list/export": "Export nominatif derrière un chiffre",
  "GET /api/sites/:siteId/movements": "Liste des mouvements de l'établissement",
  "GET /api/sites/:siteId/movements.pdf": "Liste des mouvements de l'établissement (PDF)",
  "GET /api/structures/:structureId/slots": "Créneaux où convoquer la personne (lieu de détention)",
  "GET /api/structures/:structureId/notifications": "Journal des SMS et courriels",
  "GET /api/structures/:structureId/retention": "Dossiers à archiver et à effacer",
  "GET /api/transfers/inbox": "Transferts reçus en attente",
  "GET /api/transfers/received": "Dossiers reçus",
  "GET /api/transmissions": "Dossiers transmis",
};

const yes = (value: string) => (value === "true" ? "oui" : value === "false" ? "non" : value);

/** What a nominative list of the steering page holds (GET /api/reporting/list?kind=…). */
const nominativeKindWords: Record<string, string> = {
  people: "personnes accompagnées",
  demarches: "démarches engagées",
};

const labelIn = (labels: Readonly<Record<string, string>>, value: string): string =>
  Object.hasOwn(labels, value) ? (labels[value] as string) : value;

/**
 * How one criterion of a query reads, or "" for one the row already says (the person, the page 1)
 * or a default (open files only). `route` tells apart the criteria that share a name (a person's
 * situation and a message's status are both `status`).
 */
function criterion(key: string, value: string, nameOf: NameOf, route = ""): string {
  const named = (what: string) => `${what} : ${nameOf(value) ?? "non trouvé"}`;
  switch (key) {
    case "personId":
    case "structureId":
    case "sort":
    case "order":
    case "format":
      return "";
    case "page":
      return value === "1" ? "" : `page ${value}`;
    case "search":
    case "lastName":
    case "firstName":
      return value ? `recherche « ${value} »` : "";
    case "siteId":
    case "site":
      return named("lieu");
    case "referent":
    case "counselorId":
    case "actorUserId":
      return named("agent");
    case "partnerId":
      return named("partenaire");
    case "mine":
      return value === "true" ? "mes personnes seulement" : "";
    // The people list's filters, as its page names them.
    case "fileState":
      return value === "active" ? "" : labelIn(fileStateLabels, value).toLowerCase();
    case "openDemarche":
      return value === "true" ? "avec une démarche en cours" : "";
    case "upcoming":
      return value === "true" ? "avec une convocation à venir" : "";
    case "withoutConvocationWeeks":
      return `sans convocation depuis ${value} semaine${value === "1" ? "" : "s"}`;
    case "kind":
      return route.startsWith("GET /api/reporting/list")
        ? labelIn(nominativeKindWords, value)
        : `${key} : ${value}`;
    case "demarcheId":
      return named("démarche");
    case "days":
      return `sur ${value} jours`;
    case "toFillIn":
      return value === "true" ? "visites à saisir" : "";
    case "birthDate":
      return `né(e) le ${formatDate(value)}`;
    case "phone":
      return "même téléphone";
    case "date":
      return `du ${formatLongDate(value)}`;
    case "status":
      if (route === "GET /api/people") return `situation « ${labelIn(personStatusLabels, value)} »`;
      return `statut « ${notificationStatusLabels[value as keyof typeof notificationStatusLabels] ?? value} »`;
    case "channel":
      return `canal « ${notificationChannelLabels[value as keyof typeof notificationChannelLabels] ?? value} »`;
    // The journal's own filters (GET /api/audit): an action and a result by their labels, an
    // element by its name when it has one the direction could use.
    case "action":
      return `action : ${auditActionLabel(value)}`;
    case "outcome":
      return `résultat : ${auditOutcomeLabels[value as keyof typeof auditOutcomeLabels] ?? value}`;
    case "targetId":
      return `élément : ${nameOf(value) ?? "désigné par son identifiant"}`;
    default:
      return `${key} : ${yes(value)}`;
  }
}

/**
 * A nominative read in words: "Liste des convocations du lundi 30 novembre au dimanche 6 décembre
 * 2026". `route` is "METHOD /api/path/:param"; `query` the query string, "?" included or "".
 */
export function describeRead(route: string, query: string, nameOf: NameOf): string {
  const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const title =
    (route === "GET /api/audit"
      ? params.get("personId")
        ? auditJournalReadLabels.byPerson
        : auditJournalReadLabels.consulted
      : readTitles[route]) ??
    Object.values(allRoutes).find((r) => `${r.method} ${r.path}` === route)?.summary ??
    "Consultation de données de personnes";
  const from = params.get("from");
  const to = params.get("to");
  const isMonth = (v: string | null) => v !== null && /^\d{4}-\d{2}$/.test(v);
  const period =
    from && to
      ? isMonth(from)
        ? periodWords(from, to)
        : formatDayRange(from, to)
      : from
        ? `à partir du ${isMonth(from) ? monthLabel(from) : formatDate(from)}`
        : to
          ? `jusqu'au ${isMonth(to) ? monthLabel(to) : formatDate(to)}`
          : "";
  const rest = [...params.entries()]
    .filter(([key]) => key !== "from" && key !== "to")
    .map(([key, value]) => criterion(key, value, nameOf, route))
    .filter(Boolean);
  const date = params.get("date");
  const head = date
    ? [title, criterion("date", date, nameOf)].join(" ")
    : [title, period].filter(Boolean).join(" ");
  const others = rest.filter((part) => !part.startsWith("du "));
  return others.length > 0 ? `${head} (${others.join(", ")})` : head;
}

/** Every error's French message by its code (a refused read's reason names the code). */
const errorMessages: ReadonlyMap<string, string> = (() => {
  const found = new Map<string, string>();
  for (const group of Object.values(errors))
    for (const make of Object.values(group as Record<string, unknown>)) {
      if (typeof make !== "function" || make.length > 0) continue;
      try {
        const error = (make as () => unknown)();
        if (error instanceof AppError) found.set(error.code, error.message);
      } catch {
        // A factory that needs arguments says nothing here.
      }
    }
  return found;
})();

/** The technical words older rows (and a few writers) put alone in a detail. */
export const auditCodeWords: Record<string, string> = {
  bad_credentials: "identifiant ou mot de passe incorrect",
  disabled: "compte désactivé",
  not_activated: "compte pas encore activé",
  rate_limited: "trop de tentatives depuis cette adresse : essais bloqués un moment",
  rate_limited_account: "trop de tentatives sur ce compte : essais bloqués un moment",
  slowed_down: "trop de tentatives : essais ralentis",
  wrong_current_password: "mot de passe actuel incorrect",
  password: "avec le mot de passe",
  totp: "avec le code de l'application",
  recovery_code: "avec un code de secours",
  proconnect: "session ouverte avec ProConnect",
  mfa: "double authentification faite chez ProConnect",
  report: "rendez-vous reporté",
  "stage:enrolment_required": "double authentification à configurer avant d'accéder au service",
  "stage:totp_pending": "code de double authentification demandé",
  email_missing: "ProConnect n'a pas donné d'adresse électronique",
  email_unverified: "adresse électronique non vérifiée par ProConnect",
  id_token_expired: "jeton ProConnect expiré",
  id_token_invalid: "jeton ProConnect invalide",
  id_token_signature: "signature du jeton ProConnect invalide",
  issuer_mismatch: "réponse d'un autre fournisseur que ProConnect",
  nonce_mismatch: "réponse ProConnect rejouée ou altérée",
  provider_error: "ProConnect a répondu une erreur",
  provider_unreachable: "ProConnect injoignable",
  state_mismatch: "réponse ProConnect inattendue",
  state_unknown: "connexion ProConnect expirée ou inconnue",
  token_exchange_failed: "échange avec ProConnect échoué",
  unknown_account: "aucun compte Passerelle pour cette adresse",
};

/** How a nominative list or export was journaled until 2026-12-06: "csv, 2026-06..2026-11, 18 lignes, à supprimer…". */
const OLDER_LIST =
  /^(?:(csv|xlsx), )?(\d{4}-\d{2})\.\.(\d{4}-\d{2}), (\d+) lignes(?:, (à supprimer au plus tard le .+))?$/;
/** A visit's detail until 2026-12-06: "0 démarche(s) mise(s) à jour, 2 créée(s), 1 besoin(s) évalué(s)". */
const OLDER_VISIT = /^(\d+) démarche\(s\) mise\(s\) à jour, (\d+) créée\(s\), (\d+) besoin\(s\) évalué\(s\)$/;

const ROUTE_REASON = /^(GET|POST|PUT|PATCH|DELETE) (\/api\/\S+)(?: ; (\?[^;]*))?((?: ; [^;]+)*)$/;
const NOTIFICATION_FILTER = /^filtre : structure (\S+), statut (\w+), canal (\w+)( ; .*)?$/;
const MONTH_RANGE = /^(\d{4}-\d{2}) – (\d{4}-\d{2}) \((exacts|protégés)\)$/;

/**
 * A stored detail in French: rows of the older formats (a route and its query string, codes, ids,
 * ISO dates) rendered, the rest unchanged. Pure: the names come from `namesOf`. `targetId`, the
 * row's target when the caller has it, tells an older read of the journal that named nobody.
 */
export function renderAuditReason(action: string, reason: string, nameOf: NameOf, targetId?: string): string {
  if (!reason) return reason;
  // Reads of the journal were all titled "filtré sur une personne" until 2026-12-02, whatever
  // their filter: one that names nobody was not filtered on a person.
  if (action === "person.data_read" && targetId === "" && reason.startsWith(auditJournalReadLabels.byPerson))
    return `${auditJournalReadLabels.consulted}${reason.slice(auditJournalReadLabels.byPerson.length)}`;
  const route = ROUTE_REASON.exec(reason);
  if (route) {
    const tail = (route[4] ?? "")
      .split(" ; ")
      .filter(Boolean)
      .map((part) => (errorMessages.has(part) ? `refusé : ${errorMessages.get(part)}` : part));
    return [describeRead(`${route[1]} ${route[2]}`, route[3] ?? "", nameOf), ...tail].join(" ; ");
  }
  const filter = NOTIFICATION_FILTER.exec(reason);
  if (filter) {
    const [, structureId, status, channel, tail] = filter;
    return `${notificationsReadDetail(nameOf(structureId!) ?? null, status === "tous" ? undefined : status, channel === "tous" ? undefined : channel)}${tail ?? ""}`;
  }
  const months = MONTH_RANGE.exec(reason);
  if (months) return `${periodWords(months[1]!, months[2]!)} (chiffres ${months[3]})`;
  const list = OLDER_LIST.exec(reason);
  if (list && (action === "reporting.list" || action === "reporting.nominativeExport")) {
    const [, format, from, to, lines, purge] = list;
    const what = format ? `Export nominatif ${format.toUpperCase()}` : "Liste nominative derrière un chiffre";
    return [
      `${what}, ${periodWords(from!, to!)}`,
      plural(Number(lines), "ligne", "lignes"),
      ...(purge ? [purge] : []),
    ].join(" ; ");
  }
  const visit = OLDER_VISIT.exec(reason);
  if (visit) return visitWords(Number(visit[1]), Number(visit[2]), Number(visit[3]));
  if (action === "audit.exported")
    return withoutIds(olderExportFilters(reason, nameOf), nameOf)
      .replace(ISO_DAY, formatDate)
      .replace(/^csv, ([01]) lignes\b/, "csv, $1 ligne");
  if (action === "demarche.updated" && reason in demarcheStatusLabels)
    return `nouveau statut : ${demarcheStatusLabels[reason as keyof typeof demarcheStatusLabels]}`;
  const tokens = reason.split(" ");
  if (tokens.every((token) => token in auditCodeWords))
    return tokens.map((token) => auditCodeWords[token]).join(", ");
  return withoutIds(reason, nameOf).replace(ISO_DAY, formatDate);
}

const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/g;

/** An export's filters as older rows wrote them ("personne <id>, agent <id>, action person.read"). */
function olderExportFilters(reason: string, nameOf: NameOf): string {
  return reason
    .replace(new RegExp(`personne ${ID}`, "gi"), "personne concernée")
    .replace(new RegExp(`agent (${ID})`, "gi"), (_m, id: string) => `agent : ${nameOf(id) ?? "non trouvé"}`)
    .replace(/\baction ([a-z_]+\.[a-z_.]+)/g, (_m, code: string) => `action : ${auditActionLabel(code)}`)
    .replace(
      /\brésultat (success|denied|failure)\b/g,
      (_m, code: keyof typeof auditOutcomeLabels) => `résultat : ${auditOutcomeLabels[code]}`,
    );
}

const ID = UUID.source;
/** Older rows' phrasings that quoted an id, and how they read now (`nameOf` gives its words). */
const idPhrases: [RegExp, (nameOf: NameOf, ...ids: string[]) => string][] = [
  // Release plan: "plan de sortie : caf-rsa (démarche <id>)".
  [
    new RegExp(`plan de sortie : (\\S+) \\(démarche (${ID})\\)`, "gi"),
    (n, code, id) => `plan de sortie : ${n(id!) ?? code}`,
  ],
  // Handover and transfer: "réunion <id>", "passage de relais <id>", "transfert <id>".
  [new RegExp(`réunion (${ID})`, "gi"), (n, id) => n(id!) ?? "réunion"],
  [
    new RegExp(`passage de relais (${ID})`, "gi"),
    (n, id) => (n(id!) ? `passage de relais (${n(id!)})` : "passage de relais"),
  ],
  [new RegExp(`transfert (${ID})`, "gi"), (n, id) => n(id!) ?? "transfert"],
  [
    new RegExp(`dossier reçu de la structure (${ID}) \\(dossier d'origine ${ID}\\)`, "gi"),
    (n, id) => `dossier reçu de ${n(id!) ?? "une autre structure"}`,
  ],
  // Collective actions: "personne <id> ; action collective <id>", "série <id> ; …".
  [
    new RegExp(`personne ${ID} ; action collective (${ID})`, "gi"),
    (n, id) => `action collective ${n(id!) ?? ""}`.trim(),
  ],
  [
    new RegExp(`(réunion suivante de la )?série (${ID})`, "gi"),
    (n, next, id) => `${next ? "réunion suivante du " : ""}groupe de travail ${n(id!) ?? ""}`.trim(),
  ],
  // Convocations: "report de <id>", "personne <id>" (the page names the person).
  [new RegExp(`report de ${ID}`, "gi"), () => "rendez-vous reporté"],
  [new RegExp(`^personne ${ID}$`, "gi"), () => ""],
  // Documents: "document <id> (identity), …", "… → structure ; …", "…, partage <id> (outside)".
  [
    new RegExp(`document ${ID} \\((\\w+)(\\)|, )`, "gi"),
    (_n, kind, end) => `${documentWords(kind!)}${end === ")" ? "" : " ("}`,
  ],
  [
    / → (orientation|structure|outside)\b/g,
    (_n, to) => ` ${shareTargetWords[to as keyof typeof shareTargetWords]}`,
  ],
  [
    new RegExp(`, partage ${ID} \\((orientation|structure|outside)\\)`, "gi"),
    (_n, to) => ` : fin du partage (${shareTargetWords[to as keyof typeof shareTargetWords]})`,
  ],
  // Opening rules: "à partir du 2026-06-01, remplacée par <id>".
  [new RegExp(`, remplacée par ${ID}`, "gi"), () => ""],
];

/**
 * A detail with its ids put in words: the phrasings above, then any other id by its name. An id
 * with no name the direction could use (a file, a document) is left out rather than printed.
 */
function withoutIds(reason: string, nameOf: NameOf): string {
  let text = reason;
  for (const [pattern, words] of idPhrases)
    text = text.replace(pattern, (...match: unknown[]) => {
      const groups = match.slice(1, -2) as (string | undefined)[];
      return words(nameOf, ...(groups as string[]));
    });
  return text
    .replace(new RegExp(` ?${ID}`, "gi"), (spaced) => {
      const name = nameOf(spaced.trim());
      return name ? spaced.replace(spaced.trim(), name) : "";
    })
    .replace(/ ?\(\)/g, "")
    .trim();
}

/** The detail of a read of the structure's SMS and e-mail log: whose log, which filters. */
export function notificationsReadDetail(
  structureName: string | null,
  status: string | undefined,
  channel: string | undefined,
): string {
  const statusWords = status
    ? `statut « ${notificationStatusLabels[status as keyof typeof notificationStatusLabels] ?? status} »`
    : "tous les statuts";
  const channelWords = channel
    ? `canal « ${notificationChannelLabels[channel as keyof typeof notificationChannelLabels] ?? channel} »`
    : "tous les canaux";
  return `Messages ${structureName ? ofPlace(structureName) : "de la structure"} : ${statusWords}, ${channelWords}`;
}
