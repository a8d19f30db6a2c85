import { formatDateTime } from "./dateFormat";
import { atPlace } from "./placeName";
/**
 * The error catalogue: one stable code and HTTP status per error, a French message for the user.
 * The server throws `AppError`s built here; the web client shows `message`; tests assert on `code`.
 */
export interface AppErrorBody {
  code: string;
  message: string;
  requestId?: string;
  issues?: { path: string; message: string }[];
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
    /** Sent as the Retry-After header (429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }

  /**
   * The people whose data the message names (a refusal listing convocations): the server journals
   * the answer as a read of their files before it leaves, like a nominative route's answer.
   */
  disclosed: readonly string[] = [];

  /** This error, naming these people's data in its message. */
  disclosing(personIds: readonly string[]): this {
    this.disclosed = personIds;
    return this;
  }
}

/** "dans 30 secondes", "dans 1 minute", "dans 12 minutes". */
function waitInFrench(seconds: number): string {
  if (seconds < 60) return `dans ${seconds} seconde${seconds > 1 ? "s" : ""}`;
  const minutes = Math.ceil(seconds / 60);
  return `dans ${minutes} minute${minutes > 1 ? "s" : ""}`;
}

const make = (status: number, code: string, message: string) => (): AppError =>
  new AppError(status, code, message);

/**
 * An id of the body that names nothing the agent may choose (an organisation, a démarche, a
 * contact the form no longer offers): a 400 whose message is also the issue of that field, so the
 * form says it under the field. A refusal given for several fields may be raised with the field's
 * own message; one with no field (no `defaultPath`, none given) is said in general, with no issue.
 */
const unknownChoice =
  (code: string, message: string, defaultPath?: string) =>
  (path: string | undefined = defaultPath, said: string = message): AppError =>
    new AppError(400, code, said, path ? [{ path, message: said }] : undefined);

/**
 * A file refused for what its content is (read from its bytes): the message names that content
 * when it was recognised (`contentWords`, "une image PNG") and is also the issue of `body.file`.
 */
const fileRefusal = (status: number, code: string, message: string): AppError =>
  new AppError(status, code, message, [{ path: "body.file", message }]);

export const errors = {
  request: {
    invalid: (issues: { path: string; message: string }[]): AppError =>
      new AppError(400, "request.invalid", "La requête contient des données invalides.", issues),
    notFound: make(404, "request.notFound", "Cette adresse n'existe pas."),
    csrf: make(403, "request.csrf", "La requête a été refusée (jeton de sécurité manquant ou invalide)."),
    internal: make(500, "request.internal", "Une erreur inattendue est survenue. Réessayez plus tard."),
    /** A body past the server's limit (1 MB of data; files have their own limits, per route). */
    tooLarge: make(
      413,
      "request.tooLarge",
      "La requête est trop volumineuse (au plus 1 Mo de données, hors fichier déposé) : raccourcissez le texte saisi.",
    ),
    tooManyParts: make(
      413,
      "request.tooManyParts",
      "Le formulaire envoyé contient trop de champs ou de fichiers : un seul fichier par envoi.",
    ),
    /** The address (query string included) and headers past Node's limit (16 KB), refused before routing. */
    headersTooLarge: make(
      431,
      "request.headersTooLarge",
      "L'adresse ou les en-têtes de la requête sont trop longs (16 Ko au plus, paramètres compris) : raccourcissez la recherche ou retirez des filtres.",
    ),
    /** A request Node could not read as HTTP (refused before routing). */
    malformed: make(400, "request.malformed", "La requête est mal formée et n'a pas pu être lue."),
    /** A request whose headers or body did not arrive in time (refused before routing). */
    timeout: make(408, "request.timeout", "La requête n'est pas arrivée à temps : réessayez."),
  },
  service: {
    /** The database is unreachable, restarting or too slow: nothing was lost, the session is kept. */
    unavailable: make(
      503,
      "service.unavailable",
      "Service momentanément indisponible, réessayez dans un instant.",
    ),
  },
  auth: {
    unauthenticated: make(401, "auth.unauthenticated", "Vous devez vous connecter."),
    proconnectDisabled: make(
      404,
      "auth.proconnectDisabled",
      "La connexion avec ProConnect n'est pas proposée ici : connectez-vous avec votre adresse électronique et votre mot de passe.",
    ),
    invalidCredentials: make(
      401,
      "auth.invalidCredentials",
      "Adresse électronique ou mot de passe incorrect.",
    ),
    tooManyAttempts: (retryAfterSeconds?: number): AppError =>
      new AppError(
        429,
        "auth.tooManyAttempts",
        `Trop de tentatives de connexion. Réessayez ${retryAfterSeconds ? waitInFrench(retryAfterSeconds) : "dans quelques minutes"}.`,
        undefined,
        retryAfterSeconds,
      ),
    invalidTotp: make(401, "auth.invalidTotp", "Code de vérification incorrect ou déjà utilisé."),
    secondFactorRequired: make(
      403,
      "auth.secondFactorRequired",
      "Terminez d'abord la vérification en deux étapes.",
    ),
    passwordChangeRequired: make(
      403,
      "auth.passwordChangeRequired",
      "Choisissez d'abord votre nouveau mot de passe : celui qui vous a été donné est provisoire.",
    ),
    wrongStage: make(409, "auth.wrongStage", "Cette étape de connexion n'est pas attendue."),
    weakPassword: (reason: string): AppError => new AppError(400, "auth.weakPassword", reason),
    wrongCurrentPassword: make(400, "auth.wrongCurrentPassword", "Le mot de passe actuel est incorrect."),
    totpNotStarted: make(409, "auth.totpNotStarted", "Commencez par générer un QR code."),
    invalidActivation: make(
      400,
      "auth.invalidActivation",
      "Ce lien d'activation n'est plus valable (déjà utilisé ou expiré) : demandez-en un nouveau à la direction de votre structure.",
    ),
    invalidRecovery: make(
      400,
      "auth.invalidRecovery",
      "Ce lien n'est plus valable (déjà utilisé ou expiré après 1 heure) : demandez-en un nouveau depuis la page « Mot de passe oublié ».",
    ),
    proofRequired: make(
      400,
      "auth.proofRequired",
      "Saisissez votre mot de passe actuel, ou un code de vérification, pour modifier la double authentification.",
    ),
    wrongProof: make(
      400,
      "auth.wrongProof",
      "Mot de passe, code de vérification ou code de secours incorrect.",
    ),
    tooManyProofAttempts: make(
      429,
      "auth.tooManyProofAttempts",
      "Trop d'essais incorrects : reconnectez-vous pour réessayer.",
    ),
  },
  access: {
    forbidden: make(403, "access.forbidden", "Vous n'avez pas accès à cette ressource."),
  },
  convocation: {
    alreadyBooked: make(
      409,
      "convocation.alreadyBooked",
      "La personne est déjà convoquée à cette heure : retrouvez la convocation dans son dossier.",
    ),
    /**
     * The person already has a planned convocation in that half-day (`sameHalfDayClash`, ADR 0003, addendum « same half-day »):
     * booked only once the agent confirms (`confirmSameHalfDay`). Names the person's convocation:
     * thrown `.disclosing([personId])`.
     */
    sameHalfDay: (existing: { startsAt: Date | string; siteName: string; thatHalfDay: string }): AppError =>
      new AppError(
        409,
        "convocation.sameHalfDay",
        `La personne est déjà convoquée ${existing.thatHalfDay} : le ${formatDateTime(existing.startsAt)} ${atPlace(existing.siteName)}. Vérifiez, puis confirmez pour la convoquer une seconde fois.`,
      ),
    slotTaken: make(
      409,
      "convocation.slotTaken",
      "Ce créneau vient d'être réservé : choisissez-en un autre.",
    ),
    /** A report to the very slot the convocation already holds: nothing to move. */
    sameSlot: make(
      409,
      "convocation.sameSlot",
      "C'est déjà le créneau de ce rendez-vous : choisissez-en un autre.",
    ),
    slotUnavailable: make(
      409,
      "convocation.slotUnavailable",
      "Ce créneau n'est pas ouvert (passé, trop proche, fermé ou inexistant) : choisissez-en un autre.",
    ),
    /** Said under the site field (a booking, a permanence, a closure). */
    siteNotInStructure: unknownChoice(
      "convocation.siteNotInStructure",
      "Ce lieu n'appartient pas à cette structure, ou il est archivé.",
      "body.siteId",
    ),
    notFound: make(404, "convocation.notFound", "Convocation introuvable."),
    ruleNotFound: make(404, "convocation.ruleNotFound", "Permanence introuvable."),
    ruleNotWeekly: make(
      409,
      "convocation.ruleNotWeekly",
      "Une ouverture ponctuelle ne se modifie pas à partir d'une date : arrêtez-la et ajoutez-en une autre.",
    ),
    ruleChangeInPast: make(
      409,
      "convocation.ruleChangeInPast",
      "La date d'effet doit être aujourd'hui ou plus tard, et pendant la validité de la permanence.",
    ),
    /** A permanence added from a day gone by would change the opening hours those days had. */
    ruleStartsInPast: (field: "onDate" | "validFrom"): AppError =>
      new AppError(
        409,
        "convocation.ruleStartsInPast",
        "Une permanence s'ajoute à partir d'aujourd'hui : les jours passés gardent les horaires qu'ils ont eus.",
        [{ path: `body.${field}`, message: "Choisissez aujourd'hui ou une date à venir." }],
      ),
    ruleOverlaps: make(
      409,
      "convocation.ruleOverlaps",
      "Une permanence de ce lieu réunit déjà l'un de ces conseillers ces jours-là à ces heures : modifiez-la plutôt, ou choisissez d'autres heures.",
    ),
    ruleEndInPast: make(
      409,
      "convocation.ruleEndInPast",
      "Le dernier jour de la permanence doit être hier ou plus tard : les jours passés ne changent pas.",
    ),
    /** The change would leave planned convocations outside the openings; each is listed. */
    ruleChangeStrandsBookings: (when: string[]): AppError =>
      new AppError(
        409,
        "convocation.ruleChangeStrandsBookings",
        `${when.length === 1 ? "Une convocation prévue ne serait plus" : `${when.length} convocations prévues ne seraient plus`} dans les horaires de la permanence : ${when.slice(0, 10).join(" ; ")}${when.length > 10 ? " ; …" : ""}. Reportez-les d'abord ou choisissez une autre date d'effet.`,
        when.map((message, i) => ({ path: `convocations.${i}`, message })),
      ),
    /**
     * Stopping a permanence, closing a site or declaring an absence would leave planned convocations
     * without their slot (ADR 0016): refused, each listed (person, when, where, referent CPIP).
     */
    openingsStrandBookings: (
      what: "ruleEnd" | "closure" | "absence" | "departement" | "deactivation",
      convocations: string[],
    ): AppError => {
      const n = convocations.length;
      const change = {
        ruleEnd: "l'arrêt de la permanence",
        closure: "la fermeture",
        absence: "l'absence",
        departement: "un jour férié du nouveau département",
        deactivation: "les permanences que cet agent quitterait",
      }[what];
      return new AppError(
        409,
        `convocation.${what}StrandsBookings`,
        `${n === 1 ? "Une convocation prévue tombe" : `${n} convocations prévues tombent`} dans ${change} : ${convocations.slice(0, 10).join(" ; ")}${n > 10 ? " ; …" : ""}. ${n === 1 ? "Reprogrammez-la" : "Reprogrammez-les"} d'abord (le CPIP référent depuis le dossier de la personne), puis enregistrez à nouveau.`,
        convocations.map((message, i) => ({ path: `convocations.${i}`, message })),
      );
    },
    /** Said under the pool of a permanence, or the counselor of an absence (`body.userId`). */
    notACounselor: unknownChoice(
      "convocation.notACounselor",
      "Choisissez des conseillers de la structure.",
      "body.counselorIds",
    ),
    /** A closure or an absence drawn over another one of the same site or counselor (ADR 0016). */
    periodOverlaps: (what: "closure" | "absence", other: string): AppError =>
      new AppError(
        409,
        `convocation.${what}Overlaps`,
        `${what === "closure" ? "Une fermeture de ce lieu" : "Une absence de ce conseiller"} couvre déjà une partie de cette période (${other}) : levez-la d'abord, ou choisissez d'autres dates.`,
      ),
    /** Lifting a closure or an absence that ended before today: the days gone by do not change. */
    periodOver: make(
      409,
      "convocation.periodOver",
      "Cette période est terminée : les jours passés ne changent pas.",
    ),
    periodTooOld: make(
      409,
      "convocation.periodTooOld",
      "Cette période commence il y a plus d'un an : vérifiez l'année.",
    ),
    periodTooFar: make(
      409,
      "convocation.periodTooFar",
      "Cette période commence dans plus de deux ans : vérifiez l'année.",
    ),
    periodNotFound: make(
      404,
      "convocation.periodNotFound",
      "Cette fermeture ou absence n'existe pas ou n'est plus en vigueur.",
    ),
    /** Seen (the person's service, read-only) but not theirs to change. */
    statusForbidden: make(
      403,
      "convocation.statusForbidden",
      "Vous pouvez consulter cette convocation mais pas la modifier : son statut est changé par le CPIP référent de la personne, les conseillers ou la direction de la structure.",
    ),
    invalidTransition: make(
      409,
      "convocation.invalidTransition",
      "Ce changement de statut n'est pas possible.",
    ),
    noPhone: make(
      400,
      "convocation.noPhone",
      "Cette personne n'a pas de numéro de téléphone : le SMS est impossible, remettez-lui la lettre de convocation.",
    ),
    noEmail: make(
      400,
      "convocation.noEmail",
      "Cette personne n'a pas d'adresse électronique : le courriel est impossible.",
    ),
    tooEarly: make(
      409,
      "convocation.tooEarly",
      "Une convocation ne peut être déclarée honorée ou manquée qu'une fois commencée.",
    ),
    arrivedNotExcused: make(
      409,
      "convocation.arrivedNotExcused",
      "La personne est notée arrivée : elle n'a pas annulé. Retirez d'abord l'arrivée si elle a été notée par erreur.",
    ),
    correctionTooLate: make(
      409,
      "convocation.correctionTooLate",
      "Ce statut a été enregistré il y a plus de 7 jours : il ne peut plus être corrigé. Adressez-vous à la direction.",
    ),
    personTold: make(
      409,
      "convocation.personTold",
      "La personne a déjà été prévenue de l'annulation : le statut ne peut plus être corrigé. Convoquez-la à nouveau si besoin.",
    ),
    visitRecorded: make(
      409,
      "convocation.visitRecorded",
      "Une visite a été saisie pour ce rendez-vous : il reste honoré.",
    ),
    letterCancelled: make(
      409,
      "convocation.letterCancelled",
      "Ce rendez-vous a été annulé ou reporté : sa lettre de convocation n'est plus valable et ne peut plus être imprimée.",
    ),
  },
  /** A site closure sent again under its id with other values (ADR 0036). */
  closure: {
    /** A closure over planned collective actions of the site (ADR 0031 addendum): moved or cancelled first. */
    strandsActions: (actions: string[]): AppError => {
      const n = actions.length;
      return new AppError(
        409,
        "closure.strandsActions",
        `${n === 1 ? "Une action collective prévue tombe" : `${n} actions collectives prévues tombent`} dans la fermeture : ${actions.slice(0, 10).join(" ; ")}${n > 10 ? " ; …" : ""}. ${n === 1 ? "Déplacez-la ou annulez-la" : "Déplacez-les ou annulez-les"} d'abord (depuis la page de l'action), puis enregistrez à nouveau.`,
        actions.map((message, i) => ({ path: `actions.${i}`, message })),
      );
    },
    retriedWithOtherValues: make(
      409,
      "closure.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les valeurs saisies alors : la fermeture figure déjà dans la liste et ce nouvel envoi n'a rien modifié. Levez-la si elle ne convient pas, puis déclarez-en une nouvelle.",
    ),
  },
  /** A counselor's absence sent again under its id with other values (ADR 0036). */
  absence: {
    retriedWithOtherValues: make(
      409,
      "absence.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les valeurs saisies alors : l'absence figure déjà dans la liste et ce nouvel envoi n'a rien modifié. Levez-la si elle ne convient pas, puis déclarez-en une nouvelle.",
    ),
  },
  person: {
    notFound: make(404, "person.notFound", "Personne introuvable."),
    possibleDuplicate: make(
      409,
      "person.possibleDuplicate",
      "Une personne avec le même nom et la même date de naissance, ou le même téléphone, existe déjà. Vérifiez avant de confirmer.",
    ),
    invalidPhone: make(400, "person.invalidPhone", "Numéro de téléphone invalide."),
    retriedWithOtherValues: make(
      409,
      "person.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les valeurs saisies alors : le dossier de la personne existe déjà et ce nouvel envoi n'a rien modifié. Ouvrez-le depuis la liste des personnes suivies pour corriger ce qui doit l'être.",
    ),
    cannotMergeItself: make(400, "person.cannotMergeItself", "Choisissez un autre dossier que celui-ci."),
    closed: make(
      409,
      "person.closed",
      "Ce dossier est clôturé : il est en lecture seule. Rouvrez-le pour le modifier.",
    ),
    notClosed: make(409, "person.notClosed", "Ce dossier n'est pas clôturé."),
    passedOn: make(
      409,
      "person.passedOn",
      "Ce dossier a été transmis à une autre structure, qui poursuit le suivi : il reste clôturé ici, en lecture seule.",
    ),
    merged: make(
      409,
      "person.merged",
      "Ce dossier vient d'être fusionné dans un autre : rechargez la page pour voir le dossier conservé.",
    ),
    /** A correction based on values another correction changed since the form was opened (issues name them). */
    editedMeanwhile: (issues: { path: string; message: string }[]): AppError =>
      new AppError(
        409,
        "person.editedMeanwhile",
        "Ce dossier a été modifié entre-temps par une autre saisie : rien n'a été enregistré. Vérifiez les champs signalés (leur valeur actuelle est indiquée), puis enregistrez à nouveau.",
        issues,
      ),
    referentChangedMeanwhile: make(
      409,
      "person.referentChangedMeanwhile",
      "Le référent de ce dossier vient d'être changé par une autre demande : rechargez la page pour voir le référent actuel.",
    ),
    archived: make(
      409,
      "person.archived",
      "Ce dossier est archivé (durée de conservation atteinte) : il est en lecture seule. La direction peut le restaurer.",
    ),
    notArchived: make(409, "person.notArchived", "Ce dossier n'est pas archivé."),
    unknownReferent: unknownChoice(
      "person.unknownReferent",
      "Choisissez un CPIP de la structure, rattaché à un service, autre que le référent actuel.",
      "body.userId",
    ),
    notAReferent: make(
      403,
      "person.notAReferent",
      "Seul un CPIP rattaché à un service peut créer une personne et en être référent.",
    ),
  },
  imports: {
    tooLarge: make(
      413,
      "import.tooLarge",
      "Le fichier dépasse 10 Mo : exportez les dossiers en plusieurs fichiers, ou seulement les colonnes utiles.",
    ),
    noFile: make(400, "import.noFile", "Choisissez un fichier CSV ou XLSX à importer."),
    encoding: make(
      400,
      "import.encoding",
      "Ce fichier n'est pas un texte lisible (encodage inconnu ou fichier binaire) : enregistrez-le en CSV (UTF-8 ou Windows) ou en XLSX.",
    ),
    /** `contentWords`: what the file's bytes are ("une image PNG"), read by `file-type`. */
    notASpreadsheet: (contentWords: string): AppError =>
      fileRefusal(
        400,
        "import.notASpreadsheet",
        `Le contenu de ce fichier est ${contentWords}, pas un tableau CSV ou XLSX : enregistrez l'export des dossiers dans l'un de ces formats (une ligne d'en-têtes puis une ligne par dossier), puis déposez-le à nouveau.`,
      ),
    notATable: make(
      400,
      "import.notATable",
      "Ce fichier ne contient pas de tableau lisible : une ligne d'en-têtes puis une ligne par dossier, colonnes séparées par « ; » ou « , », sont attendues.",
    ),
    /** `limitMb`: the unpacked size allowed, derived from the row limit (fileReading.ts). */
    unpackedTooLarge: (limitMb: number): AppError =>
      new AppError(
        413,
        "import.unpackedTooLarge",
        `Ce classeur XLSX dépasse ${limitMb} Mo une fois décompressé, bien plus que 50 000 lignes de dossiers : exportez seulement les colonnes utiles, ou enregistrez-le en CSV.`,
      ),
    tooManyRows: make(
      400,
      "import.tooManyRows",
      "Le fichier contient plus de 50 000 lignes : importez-le en plusieurs fois.",
    ),
    notFound: make(404, "import.notFound", "Import introuvable."),
    notPreviewed: make(409, "import.notPreviewed", "Choisissez d'abord les colonnes et vérifiez l'aperçu."),
    finished: make(
      409,
      "import.finished",
      "Cet import est terminé : déposez à nouveau le fichier pour recommencer.",
    ),
    noReferent: make(
      403,
      "import.noReferent",
      "Seuls un CPIP ou la direction de la structure peuvent importer des dossiers.",
    ),
  },
  accompaniment: {
    visitNeedsHonoured: make(
      409,
      "accompaniment.visitNeedsHonoured",
      "Marquez d'abord la convocation comme honorée pour saisir la visite.",
    ),
    visitExists: make(
      409,
      "accompaniment.visitExists",
      "La visite de cette convocation est déjà enregistrée, par un·e collègue ou depuis un autre onglet ou une autre fenêtre : ce nouvel envoi n'a rien modifié. La voici ; ouvrez le dossier pour mettre à jour une démarche ou un besoin.",
    ),
    visitRetriedWithOtherValues: make(
      409,
      "accompaniment.visitRetriedWithOtherValues",
      "La visite de cette convocation est déjà enregistrée, avec d'autres valeurs : depuis un autre onglet ou une autre fenêtre, ou par un envoi précédent. Ce nouvel envoi n'a rien modifié. La voici ; ouvrez le dossier pour mettre à jour une démarche ou un besoin.",
    ),
    demarcheNotFound: make(404, "accompaniment.demarcheNotFound", "Démarche introuvable."),
    invalidTransition: make(
      409,
      "accompaniment.invalidTransition",
      "Ce changement de statut n'est pas possible pour cette démarche.",
    ),
    unknownDemarcheType: unknownChoice(
      "accompaniment.unknownDemarcheType",
      "Démarche inconnue du catalogue : choisissez-en une dans la liste.",
      "body.demarcheTypeId",
    ),
    retriedWithOtherValues: make(
      409,
      "accompaniment.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les valeurs saisies alors : la démarche existe déjà et ce nouvel envoi n'a rien modifié. Ouvrez-la dans le dossier pour changer ce qui doit l'être.",
    ),
  },
  consent: {
    notFound: make(404, "consent.notFound", "Consentement introuvable."),
    alreadyRevoked: make(409, "consent.alreadyRevoked", "Ce consentement est déjà retiré."),
    changedMeanwhile: make(
      409,
      "consent.changedMeanwhile",
      "Un autre consentement vient d'être enregistré pour cette personne : rechargez la page avant de le remplacer.",
    ),
    unknownPartner: unknownChoice(
      "consent.unknownPartner",
      "Partenaire inconnu : cochez les partenaires dans la liste.",
      "body.partnerIds",
    ),
    /** A consent sent again under the id its form chose, with other choices (ADR 0036). */
    retriedWithOtherValues: make(
      409,
      "consent.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les choix saisis alors : le consentement figure déjà dans l'historique et ce nouvel envoi n'a rien modifié. Enregistrez un nouveau consentement s'il ne convient pas.",
    ),
    noService: make(
      403,
      "consent.noService",
      "Votre compte n'est rattaché à aucun service de cette structure : vous ne pouvez pas écrire de note.",
    ),
  },
  note: {
    retriedWithOtherValues: make(
      409,
      "note.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec le texte saisi alors : la note existe déjà et ce nouvel envoi n'a rien modifié. Écrivez une nouvelle note pour compléter.",
    ),
  },
  orientation: {
    notFound: make(404, "orientation.notFound", "Orientation introuvable."),
    consentRequired: make(
      409,
      "orientation.consentRequired",
      "La personne doit d'abord consentir au partage d'informations avec cette organisation.",
    ),
    invalidTransition: make(
      409,
      "orientation.invalidTransition",
      "Cette orientation ne peut plus changer ainsi.",
    ),
    unknownPartner: unknownChoice(
      "orientation.unknownPartner",
      "Organisation inconnue : choisissez-en une dans la liste.",
      "body.partnerId",
    ),
    /** The démarche named is not one of the person's. */
    unknownDemarche: unknownChoice(
      "orientation.unknownDemarche",
      "Cette démarche n'est pas une démarche de la personne : choisissez-en une dans la liste, ou « Aucune ».",
      "body.demarcheId",
    ),
    /** The contact named is not (or no longer) in the structure's directory. */
    unknownContact: unknownChoice(
      "orientation.unknownContact",
      "Ce contact n'est pas (ou plus) dans l'annuaire de la structure : choisissez-en un dans la liste, ou « Aucun en particulier ».",
      "body.directoryContactId",
    ),
    /** The receiving organisation's kind does not fit the target (ADR 0030, addendum). */
    partnerNotForTarget: (message: string): AppError =>
      new AppError(
        400,
        "orientation.partnerNotForTarget",
        "L'organisation destinataire ne correspond pas au type d'orientation choisi.",
        [{ path: "body.partnerId", message }],
      ),
    retriedWithOtherValues: make(
      409,
      "orientation.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les valeurs saisies alors : l'orientation existe déjà et ce nouvel envoi n'a rien modifié. Ouvrez-la dans le dossier : annulez-la si elle ne convient pas, puis créez-en une nouvelle.",
    ),
    expired: make(
      409,
      "orientation.expired",
      "Cette orientation a expiré (30 jours sans réponse) : elle ne peut plus recevoir de réponse.",
    ),
  },
  directory: {
    notFound: make(404, "directory.notFound", "Organisation ou contact introuvable dans l'annuaire."),
    archived: make(
      409,
      "directory.archived",
      "Cette organisation ou ce contact est archivé : restaurez-le avant de le modifier ou de le choisir.",
    ),
    /**
     * Another organisation of the structure's directory reads alike (case and spaces aside): the
     * pickers would offer both under one name. Said under the « Nom » field.
     */
    nameTaken: (name: string, archived: boolean): AppError => {
      const message = archived
        ? `L'annuaire a déjà une organisation nommée « ${name} », archivée : restaurez-la plutôt que d'en créer une autre, ou choisissez un autre nom.`
        : `L'annuaire a déjà une organisation nommée « ${name} » : choisissez un autre nom, ou complétez la fiche existante.`;
      return new AppError(409, "directory.nameTaken", message, [{ path: "body.name", message }]);
    },
    contactNotForTarget: make(
      400,
      "directory.contactNotForTarget",
      "Ce contact n'appartient pas à l'organisation destinataire : choisissez un contact de cette organisation dans l'annuaire.",
    ),
    /** An organisation or a contact sent again under its id with other values (ADR 0036). */
    retriedWithOtherValues: make(
      409,
      "directory.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les valeurs saisies alors : il figure déjà dans l'annuaire et ce nouvel envoi n'a rien modifié. Ouvrez-le dans l'annuaire pour changer ce qui doit l'être.",
    ),
  },
  funding: {
    notFound: make(404, "funding.notFound", "Financement introuvable."),
    retriedWithOtherValues: make(
      409,
      "funding.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les valeurs saisies alors : le financement existe déjà et ce nouvel envoi n'a rien modifié. Ouvrez-le dans la liste pour le corriger.",
    ),
  },
  convention: {
    notFound: make(404, "convention.notFound", "Convention introuvable."),
    ended: make(409, "convention.ended", "Cette convention est terminée : elle ne peut plus être modifiée."),
    notSigned: make(
      409,
      "convention.notSigned",
      "Seule une convention signée peut être renouvelée : enregistrez d'abord sa signature.",
    ),
    renewalNotLater: make(
      400,
      "convention.renewalNotLater",
      "La nouvelle date de fin doit être postérieure à la date de fin actuelle.",
    ),
    unknownReferent: unknownChoice(
      "convention.unknownReferent",
      "Le référent interne doit être un agent actif de la structure.",
      "body.referentUserId",
    ),
    unknownParty: make(
      400,
      "convention.unknownParty",
      "Une partie choisie n'est pas dans l'annuaire de la structure.",
    ),
    noFile: make(400, "convention.noFile", "Choisissez le fichier PDF de la convention signée."),
    /** `contentWords`: what the file's bytes are, when recognised ("une image PNG"). */
    notPdf: (contentWords?: string): AppError =>
      fileRefusal(
        415,
        "convention.notPdf",
        `${contentWords ? `Le contenu de ce fichier est ${contentWords}, pas un PDF` : "Ce fichier n'est pas un PDF"} : numérisez ou enregistrez la convention signée au format PDF.`,
      ),
    tooLarge: make(
      413,
      "convention.tooLarge",
      "Le fichier dépasse 10 Mo : réduisez la résolution de la numérisation.",
    ),
    noSignedFile: make(404, "convention.noSignedFile", "Aucune convention signée n'est jointe."),
    retriedWithOtherValues: make(
      409,
      "convention.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les valeurs saisies alors : la convention existe déjà et ce nouvel envoi n'a rien modifié. Ouvrez-la dans le registre pour la corriger.",
    ),
  },
  catalogue: {
    codeTaken: make(409, "catalogue.codeTaken", "Ce code est déjà utilisé dans le catalogue."),
    partnerNotFound: make(404, "catalogue.partnerNotFound", "Partenaire introuvable."),
    partnerNameTaken: (name: string): AppError => {
      const message = `Le catalogue a déjà un partenaire nommé « ${name} » : choisissez un autre nom.`;
      return new AppError(409, "catalogue.partnerNameTaken", message, [{ path: "body.name", message }]);
    },
    demarcheTypeNotFound: make(404, "catalogue.demarcheTypeNotFound", "Démarche introuvable au catalogue."),
  },
  notification: {
    /**
     * A delivery receipt that came while the database was unavailable: 429 with Retry-After, the
     * one answer on which Brevo retries (any 5xx or other 4xx makes it drop the receipt).
     */
    receiptLater: (retryAfterSeconds: number): AppError =>
      new AppError(
        429,
        "notification.receiptLater",
        `Accusé de réception non enregistré pour l'instant : renvoyez-le ${waitInFrench(retryAfterSeconds)}.`,
        undefined,
        retryAfterSeconds,
      ),
    unknownStopLink: make(
      404,
      "notification.unknownStopLink",
      "Ce lien n'est pas valide. Vérifiez qu'il est complet.",
    ),
    tooManyStopLinks: (retryAfterSeconds: number): AppError =>
      new AppError(
        429,
        "notification.tooManyStopLinks",
        `Trop de liens invalides depuis cette adresse. Réessayez ${waitInFrench(retryAfterSeconds)}.`,
        undefined,
        retryAfterSeconds,
      ),
  },
  reporting: {
    unknownFilter: make(
      404,
      "reporting.unknownFilter",
      "Un filtre désigne une structure, un site, un partenaire ou un conseiller introuvable.",
    ),
    nominativeForbidden: make(
      403,
      "reporting.nominativeForbidden",
      "Les listes nominatives sont réservées à la direction de la structure ; le pilotage ne voit que des agrégats.",
    ),
    unknownTable: make(400, "reporting.unknownTable", "Ce tableau n'existe pas."),
  },
  handover: {
    notFound: make(404, "handover.notFound", "Réunion de passage de relais introuvable."),
    transferNotFound: make(404, "transfer.notFound", "Transfert introuvable."),
    /** Given the body's field the structure was chosen in, said under it by the form. */
    unknownStructure: unknownChoice(
      "handover.unknownStructure",
      "Structure inconnue : choisissez une structure active de la liste.",
    ),
    sameStructure: make(
      400,
      "transfer.sameStructure",
      "Le dossier est déjà suivi par cette structure : choisissez une autre structure.",
    ),
    /** Under the form's field: the transfer's `body.referentUserId`, the handover's `body.targetReferentUserId`. */
    unknownReferent: unknownChoice(
      "handover.unknownReferent",
      "Choisissez un CPIP de la structure d'accueil, rattaché à un service.",
    ),
    unknownAgent: unknownChoice(
      "handover.unknownAgent",
      "Choisissez des agents de la structure ou de la structure d'accueil.",
      "body.agentUserIds",
    ),
    unknownSite: unknownChoice(
      "handover.unknownSite",
      "Ce lieu n'appartient pas à la structure, ou il est archivé.",
      "body.siteId",
    ),
    /** A contact picked from the directory that is not the structure's, archived, or has no address. */
    unknownContact: unknownChoice(
      "handover.unknownContact",
      "Ce contact n'est pas (ou plus) dans l'annuaire de la structure, ou n'y a pas d'adresse électronique : choisissez-en un dans la liste.",
      "body.contacts",
    ),
    notPlanned: make(
      409,
      "handover.notPlanned",
      "Cette réunion est déjà tenue ou annulée : elle ne change plus.",
    ),
    alreadyPlanned: make(
      409,
      "handover.alreadyPlanned",
      "Une réunion de passage de relais est déjà prévue pour cette personne : modifiez-la plutôt.",
    ),
    notDetained: make(
      409,
      "handover.notDetained",
      "Le passage de relais prépare la sortie d'une personne en détention : ce dossier n'est pas en détention. Pour confier le dossier à une autre structure, proposez un transfert.",
    ),
    notHeldYet: (startsAt: string): AppError =>
      new AppError(
        409,
        "handover.notHeldYet",
        `La réunion n'a pas encore eu lieu : vous pourrez transmettre le dossier une fois la réunion commencée (${startsAt}).`,
      ),
    outsideWindow: (days: number): AppError =>
      new AppError(
        400,
        "handover.outsideWindow",
        `La première convocation doit avoir lieu entre le jour de la sortie et ${days} jours après : choisissez un créneau dans cette période.`,
        [
          {
            path: "body.firstConvocation.startsAt",
            message: `Choisissez un créneau dans les ${days} jours suivant la sortie.`,
          },
        ],
      ),
    transferOpen: make(
      409,
      "transfer.alreadyProposed",
      "Un transfert est déjà proposé pour ce dossier : attendez la réponse ou retirez-le.",
    ),
    transferAnswered: make(409, "transfer.answered", "Ce transfert a déjà reçu une réponse ou a été retiré."),
  },
  structure: {
    notFound: make(404, "structure.notFound", "Structure introuvable."),
    labelTaken: make(409, "structure.labelTaken", "Une autre structure porte déjà ce numéro de label."),
    siteNotFound: make(404, "structure.siteNotFound", "Lieu introuvable (ou déjà archivé)."),
    siteNameTaken: (): AppError => {
      const message = "Un autre lieu de la structure porte déjà ce nom.";
      return new AppError(409, "structure.siteNameTaken", message, [{ path: "body.name", message }]);
    },
    /** A prison or a SAS stays one, and no other site becomes one (access authorisations, movements). */
    siteKindLocked: make(
      409,
      "structure.siteKindLocked",
      "Le type d'un établissement pénitentiaire ou d'une SAS ne se change pas, et un autre lieu ne peut pas en devenir un : ajoutez un nouveau lieu.",
    ),
    /**
     * Archiving a site still holding openings, actions, convocations or handover meetings to come,
     * or people held there; each is listed (the people by their number).
     */
    siteArchiveBlocked: (blockers: string[]): AppError => {
      const n = blockers.length;
      return new AppError(
        409,
        "structure.siteArchiveBlocked",
        // The list is in `issues` (shown under the message); the message says what to do.
        `Ce lieu ne peut pas être archivé : ${n === 1 ? "un élément en dépend" : `${n} éléments en dépendent`} (liste ci-dessous). Arrêtez les permanences (page Permanences), déplacez ou annulez les actions collectives, reprogrammez ou annulez les convocations et les réunions de passage de relais, enregistrez la libération ou le transfert des personnes détenues, puis archivez à nouveau.`,
        blockers.map((message, i) => ({ path: `blockers.${i}`, message })),
      );
    },
  },
  user: {
    notFound: make(404, "user.notFound", "Agent introuvable."),
    cannotChangeSelf: make(
      409,
      "user.cannotChangeSelf",
      "Vous ne pouvez pas modifier ni désactiver votre propre accès ou votre propre compte : demandez-le à une autre personne habilitée.",
    ),
    alreadyActive: make(409, "user.alreadyActive", "Cet agent est déjà actif dans la structure."),
    invitationAccepted: make(
      409,
      "user.invitationAccepted",
      "Cet agent s'est déjà connecté depuis son ajout : il n'y a pas d'invitation à renvoyer.",
    ),
    tooManyResends: (retryAfterSeconds: number): AppError =>
      new AppError(
        429,
        "user.tooManyResends",
        `L'invitation a déjà été renvoyée récemment. Réessayez ${waitInFrench(retryAfterSeconds)}.`,
        undefined,
        retryAfterSeconds,
      ),
    nothingToReactivate: make(
      409,
      "user.nothingToReactivate",
      "Aucun rôle à réactiver : attribuez les rôles de cet agent avec « Modifier les rôles ».",
    ),
    notSignedInYet: make(
      409,
      "user.notSignedInYet",
      "Cet agent n'est pas actif dans la structure ou ne s'est jamais connecté : renvoyez-lui plutôt l'invitation.",
    ),
    resetElsewhere: make(
      409,
      "user.resetElsewhere",
      "Ce compte sert aussi dans une autre structure : seul un administrateur peut en réinitialiser le mot de passe.",
    ),
    roleNotGrantable: make(403, "user.roleNotGrantable", "Seul un administrateur peut attribuer ce rôle."),
    /** Said under the service field (an invitation, a change of roles). */
    serviceNotInStructure: unknownChoice(
      "user.serviceNotInStructure",
      "Ce service n'appartient pas à la structure : choisissez-en un dans la liste.",
      "body.serviceId",
    ),
  },
  /** Milieu fermé (ADR 0028). */
  detention: {
    noAccessAuthorisation: (who: string, siteName: string, until: string | null): AppError =>
      new AppError(
        403,
        "detention.noAccessAuthorisation",
        until
          ? `${who} n'a plus d'autorisation d'accès valide ${atPlace(siteName)} (expirée le ${until}) : demandez son renouvellement à la direction.`
          : `${who} n'a pas d'autorisation d'accès ${atPlace(siteName)} : demandez-la à la direction.`,
      ),
    /** Said under the site field: `body.siteId` unless the caller names another. */
    siteNotDetention: unknownChoice(
      "detention.siteNotDetention",
      "Choisissez un établissement pénitentiaire ou une SAS de la structure (un lieu archivé ne reçoit plus personne).",
      "body.siteId",
    ),
    /** A person held today, convoked outside their establishment (ADR 0028, addendum "place"). */
    placeOutsideEstablishment: (establishment: string): AppError =>
      new AppError(
        409,
        "detention.placeOutsideEstablishment",
        `Cette personne est détenue ${atPlace(establishment)} : elle ne peut être convoquée qu'à une permanence ou une action tenue dans son établissement.`,
      ),
    /** A person not held there, convoked inside a prison or a SAS. */
    placeInsideEstablishment: (place: string): AppError =>
      new AppError(
        409,
        "detention.placeInsideEstablishment",
        `Seules les personnes détenues ${atPlace(place)} peuvent y être convoquées : choisissez un autre lieu pour cette personne.`,
      ),
    /**
     * A placement in a SAS whose expected release is missing or more than two years away (ADR 0028,
     * addendum "SAS"): the message under the release date, said once (it is the whole reason);
     * `alongside`, the other fields' problems of the same correction, said at once.
     */
    sasRelease: (message: string, alongside: { path: string; message: string }[] = []): AppError =>
      new AppError(400, "detention.sasRelease", message, [
        { path: "body.detention.expectedReleaseDate", message },
        ...alongside,
      ]),
    siteNotFound: make(404, "detention.siteNotFound", "Établissement introuvable."),
    authorisationNotFound: make(404, "detention.authorisationNotFound", "Autorisation introuvable."),
    planClosed: make(
      409,
      "detention.planClosed",
      "Le plan de sortie n'est pas ouvert pour cette personne (pas de date de libération prévue dans le délai).",
    ),
    unknownPlanItem: make(
      400,
      "detention.unknownPlanItem",
      "Cette démarche ne fait pas partie du plan de sortie.",
    ),
  },
  document: {
    notFound: make(404, "document.notFound", "Document introuvable."),
    noFile: make(400, "document.noFile", "Choisissez un fichier : une photo, un scan ou un PDF."),
    tooLarge: make(
      413,
      "document.tooLarge",
      "Le fichier dépasse 10 Mo : photographiez le document en qualité normale ou scannez-le en PDF plus léger.",
    ),
    /** `contentWords`: what the file's bytes are, when recognised ("un classeur Excel (XLSX)"). */
    typeNotAllowed: (contentWords?: string): AppError =>
      fileRefusal(
        400,
        "document.typeNotAllowed",
        contentWords
          ? `Le contenu de ce fichier est ${contentWords} : ce type de fichier n'est pas accepté. Déposez une photo (JPEG, PNG, WebP, HEIC) ou un PDF.`
          : "Ce type de fichier n'est pas accepté : déposez une photo (JPEG, PNG, WebP, HEIC) ou un PDF.",
      ),
    /**
     * The content is not what the name's extension says. `found`: what the bytes are, the name's
     * extension, and either the extension to rename it with (accepted content) or what the
     * extension announced (content not accepted).
     */
    typeMismatch: (found?: {
      contentWords: string;
      ext: string;
      renameTo?: string;
      announced?: string;
    }): AppError =>
      fileRefusal(
        400,
        "document.typeMismatch",
        !found
          ? "Le contenu du fichier ne correspond pas à son extension : vérifiez le fichier (un PDF doit finir par .pdf, une photo par .jpg, .png, .webp ou .heic)."
          : found.renameTo
            ? `Le contenu du fichier ne correspond pas à son extension : c'est ${found.contentWords}, et son nom finit par .${found.ext}. Renommez-le en .${found.renameTo} ou choisissez le bon fichier.`
            : `Le contenu du fichier ne correspond pas à son extension : c'est ${found.contentWords}, pas ${found.announced ?? "ce que dit son nom"} comme l'indique son nom (.${found.ext}). Déposez une photo (JPEG, PNG, WebP, HEIC) ou un PDF.`,
      ),
    imageTooLarge: (width: number, height: number, maxMegapixels: number): AppError => {
      const n = (v: number) => v.toLocaleString("fr-FR").replace(/\u202f/g, "\u00a0");
      return new AppError(
        413,
        "document.imageTooLarge",
        `Cette image est trop grande (${n(width)} × ${n(height)} pixels) : au plus ${maxMegapixels} millions de pixels sont acceptés. Reprenez la photo en qualité normale ou scannez le document en PDF.`,
      );
    },
    unreadableImage: make(
      400,
      "document.unreadableImage",
      "Cette image ne peut pas être lue (photo HEIC d'iPhone ou fichier abîmé) : reprenez la photo en JPEG (réglage « Le plus compatible ») ou scannez le document en PDF.",
    ),
    judicialForbidden: make(
      403,
      "document.judicialForbidden",
      "Seuls le CPIP référent et la direction déposent ou partagent un document judiciaire.",
    ),
    mayNotShare: make(
      403,
      "document.mayNotShare",
      "Seuls le CPIP et la direction partagent un document hors de la structure.",
    ),
    judicialNeedsLegalBasis: make(
      409,
      "document.judicialNeedsLegalBasis",
      "Un document judiciaire ne se partage pas sous consentement : partagez-le avec une structure sous une base légale.",
    ),
    shareNotFound: make(404, "document.shareNotFound", "Partage introuvable."),
    shareWithdrawn: make(409, "document.shareWithdrawn", "Ce partage est déjà retiré."),
    unknownDemarche: unknownChoice(
      "document.unknownDemarche",
      "Cette démarche n'appartient pas à la personne.",
      "body.demarcheId",
    ),
    /** A document sent again under the id its form chose, with another file or other fields (ADR 0036). */
    retriedWithOtherValues: make(
      409,
      "document.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec le fichier et les informations choisis alors : le document figure déjà dans la liste et ce nouvel envoi n'a rien ajouté. Envoyez à nouveau pour ajouter ce fichier comme un autre document.",
    ),
    unknownStructure: make(400, "document.unknownStructure", "Structure destinataire inconnue."),
    untilInPast: (): AppError =>
      new AppError(400, "document.untilInPast", "La date de fin du partage doit être à venir.", [
        { path: "body.until", message: "Choisissez aujourd'hui ou une date à venir." },
      ]),
    untilTooFar: (lastDay: string): AppError =>
      new AppError(400, "document.untilTooFar", "Un partage dure un an au plus.", [
        {
          path: "body.until",
          message: `Choisissez une date d'ici un an au plus (le ${lastDay.split("-").reverse().join("/")} au plus tard) : vous pourrez partager de nouveau ensuite.`,
        },
      ]),
  },
  collectiveAction: {
    /** An action placed at a site on a closure of the site (ADR 0031 addendum). */
    siteClosed: (closure: string): AppError =>
      new AppError(
        400,
        "collectiveAction.siteClosed",
        `Le lieu est fermé à cette date (fermeture ${closure}) : choisissez un autre jour ou un autre lieu, ou levez la fermeture.`,
        [
          {
            path: "body.day",
            message: `Le lieu est fermé ce jour-là (fermeture ${closure}) : choisissez un autre jour ou un autre lieu.`,
          },
        ],
      ),
    retriedWithOtherValues: make(
      409,
      "collectiveAction.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les valeurs saisies alors : l'action collective existe déjà et ce nouvel envoi n'a rien modifié. Ouvrez-la dans la liste des actions pour changer ce qui doit l'être.",
    ),
    notFound: make(404, "collectiveAction.notFound", "Action collective introuvable."),
    full: make(
      409,
      "collectiveAction.full",
      "L'action est complète : toutes les places sont prises. Augmentez la capacité ou convoquez à une autre action.",
    ),
    closed: make(
      409,
      "collectiveAction.closed",
      "Cette action est annulée ou déjà commencée : elle ne peut plus être modifiée ainsi.",
    ),
    noSiteForPeople: make(
      409,
      "collectiveAction.noSiteForPeople",
      "Les personnes suivies ne sont convoquées qu'à une action tenue dans un lieu de la structure : choisissez un lieu pour cette action.",
    ),
    peopleConvoked: make(
      409,
      "collectiveAction.peopleConvoked",
      "Des personnes sont convoquées à cette action : annulez leurs convocations avant d'en changer la date, l'heure ou le lieu.",
    ),
    alreadyConvoked: make(
      409,
      "collectiveAction.alreadyConvoked",
      "Cette personne est déjà convoquée à cette action.",
    ),
    capacityBelowConvoked: make(
      409,
      "collectiveAction.capacityBelowConvoked",
      "La capacité ne peut pas être inférieure au nombre de personnes déjà convoquées.",
    ),
    notWorkingGroup: make(
      409,
      "collectiveAction.notWorkingGroup",
      "Cette action n'est ni un groupe de travail ni une réunion du comité de pilotage : elle n'a ni membres ni série de réunions.",
    ),
    alreadyMember: make(
      409,
      "collectiveAction.alreadyMember",
      "Ce membre fait déjà partie du groupe de travail.",
    ),
    memberNotFound: make(
      404,
      "collectiveAction.memberNotFound",
      "Ce membre ne fait pas partie du groupe de travail.",
    ),
    meetingNotAfterLast: make(
      400,
      "collectiveAction.meetingNotAfterLast",
      "La prochaine réunion doit être à venir et après la dernière réunion de la série : choisissez une date plus tardive.",
    ),
    /** With a field (`path`), its own message is said under it; without, the general one. */
    unknownChoice: unknownChoice(
      "collectiveAction.unknownChoice",
      "Un lieu, un agent ou un contact choisi n'appartient pas à la structure.",
    ),
    invitationNotFound: make(
      404,
      "collectiveAction.invitationNotFound",
      "Cette invitation n'existe pas : vérifiez le lien reçu par courriel.",
    ),
    invitationClosed: make(
      409,
      "collectiveAction.invitationClosed",
      "Cette invitation est close : l'action a commencé ou a été annulée.",
    ),
    invitationWithdrawn: make(
      409,
      "collectiveAction.invitationWithdrawn",
      "Cette invitation a été annulée : vous ne faites plus partie des membres invités à cette réunion.",
    ),
    membersOnly: make(
      409,
      "collectiveAction.membersOnly",
      "Les invitations d'un groupe de travail ou du comité de pilotage passent par ses membres : ajoutez l'agent ou le contact aux membres, il sera invité à chaque réunion à venir.",
    ),
    noConvocationToWorkingGroup: make(
      409,
      "collectiveAction.noConvocationToWorkingGroup",
      "On ne convoque pas une personne suivie à une réunion de groupe de travail ou du comité de pilotage : ces réunions rassemblent des agents et des partenaires.",
    ),
    kindLockedToWorkingGroup: make(
      409,
      "collectiveAction.kindLockedToWorkingGroup",
      "Des partenaires sont invités ou des personnes convoquées à cette action : elle ne peut plus devenir un groupe de travail ni une réunion du comité de pilotage. Gardez son type, ou créez la réunion comme une nouvelle action.",
    ),
    kindLockedWorkingGroup: make(
      409,
      "collectiveAction.kindLockedWorkingGroup",
      "Ce groupe de travail a des membres, des invitations ou d'autres réunions : il ne peut plus changer de type. Gardez son type (groupe de travail ou comité de pilotage), ou créez une nouvelle action du type voulu.",
    ),
    /** `contentWords`: what the file's bytes are, when recognised ("un classeur Excel (XLSX)"). */
    notADocument: (contentWords?: string): AppError =>
      fileRefusal(
        400,
        "collectiveAction.notADocument",
        contentWords
          ? `Le contenu de ce fichier est ${contentWords} : seuls les fichiers PDF, PNG ou JPEG de 10 Mo au plus peuvent être joints.`
          : "Seuls les fichiers PDF, PNG ou JPEG de 10 Mo au plus peuvent être joints.",
      ),
    tooLarge: make(
      413,
      "collectiveAction.tooLarge",
      "Le fichier dépasse 10 Mo : réduisez la résolution de la numérisation ou de la photo.",
    ),
    tooManyAttempts: (retryAfterSeconds: number): AppError =>
      new AppError(
        429,
        "collectiveAction.tooManyAttempts",
        `Trop de liens d'invitation invalides depuis cette adresse. Réessayez ${waitInFrench(retryAfterSeconds)}.`,
        undefined,
        retryAfterSeconds,
      ),
  },
  newsletter: {
    notFound: make(404, "newsletter.notFound", "Lettre d'information introuvable."),
    notDraft: make(
      409,
      "newsletter.notDraft",
      "Cette lettre a déjà été envoyée (ou part en ce moment) : elle ne peut plus être modifiée ni renvoyée.",
    ),
    noRecipients: make(
      409,
      "newsletter.noRecipients",
      "Aucun contact de l'annuaire n'est abonné à la lettre : rien n'a été envoyé.",
    ),
    recipientsChanged: make(
      409,
      "newsletter.recipientsChanged",
      "Le nombre de contacts abonnés a changé depuis votre confirmation : vérifiez-le et confirmez de nouveau l'envoi.",
    ),
    unknownLink: make(
      404,
      "newsletter.unknownLink",
      "Ce lien de désabonnement n'est pas valable : utilisez le lien reçu dans votre dernier courriel.",
    ),
    retriedWithOtherValues: make(
      409,
      "newsletter.retriedWithOtherValues",
      "Votre premier envoi avait bien été enregistré, avec les valeurs saisies alors : le brouillon de la lettre existe déjà et ce nouvel envoi n'a rien modifié. Ouvrez-le dans la liste des lettres pour le compléter.",
    ),
  },
} as const;
