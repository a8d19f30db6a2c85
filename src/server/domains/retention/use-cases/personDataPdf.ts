/** The PDF of a person's data export (ADR 0024): one section per kind of data, each row as lines. */
import PDFDocument from "pdfkit";
import { formatDate, formatDateTime } from "../../../../common/dateFormat";
import type { PersonData, Row } from "./personDataSections";

/** French labels of the exported fields; a field without one prints its code name. */
const labels: Record<string, string> = {
  id: "Identifiant",
  structureId: "Structure",
  firstName: "Prénom",
  lastName: "Nom",
  birthDate: "Date de naissance",
  birthPlace: "Lieu de naissance",
  phone: "Téléphone",
  email: "Adresse électronique",
  address: "Adresse",
  domiciliation: "Domiciliation",
  preferredLanguage: "Langue",
  readsFrench: "Lit le français",
  status: "Statut",
  sex: "Sexe",
  closedAt: "Clôturé le",
  closedOn: "Date de clôture",
  closedReason: "Motif de clôture",
  closedNote: "Note de clôture",
  fileNumber: "Numéro de dossier",
  archivedAt: "Archivé le",
  createdAt: "Créé le",
  type: "Type",
  startDate: "Début",
  endDate: "Fin",
  offence: "Infraction",
  court: "Juridiction",
  judgmentDate: "Date du jugement",
  personId: "Personne",
  referent: "Référent",
  startedAt: "Début",
  endedAt: "Fin",
  startsAt: "Date",
  site: "Lieu",
  needDomains: "Besoins",
  comment: "Commentaire",
  notifySms: "SMS",
  notifyEmail: "Courriel",
  arrivedAt: "Arrivée",
  durationMinutes: "Durée (min)",
  autonomy: "Autonomie numérique",
  suggestion: "Suggestion",
  domain: "Domaine",
  hasNeed: "Besoin",
  priority: "Priorité",
  situation: "Situation",
  assessedAt: "Évalué le",
  demarche: "Démarche",
  partner: "Partenaire",
  helpLevel: "Niveau d'aide",
  outcome: "Résultat",
  nextStep: "Prochaine étape",
  dueDate: "Échéance",
  documents: "Pièces",
  outcomeAt: "Résultat le",
  at: "Le",
  target: "Destination",
  reason: "Motif",
  refusalReason: "Motif du refus",
  answeredAt: "Réponse le",
  domains: "Domaines",
  recipients: "Destinataires",
  shareDemarcheDetails: "Partage du détail des démarches",
  shareNotes: "Partage des notes",
  purpose: "Finalité",
  collectedAt: "Recueilli le",
  revokedAt: "Retiré le",
  author: "Auteur",
  visibility: "Visibilité",
  body: "Texte",
  kind: "Nature",
  channel: "Canal",
  recipient: "Destinataire",
  subject: "Objet",
  sentAt: "Envoyé le",
  field: "Champ",
  before: "Avant",
  after: "Après",
  action: "Action",
  agent: "Agent",
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function printable(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "oui" : "non";
  if (typeof value === "string" && ISO_INSTANT.test(value)) return formatDateTime(value);
  if (typeof value === "string" && ISO_DAY.test(value)) return formatDate(value);
  if (Array.isArray(value)) {
    const items = value.map((item) =>
      item && typeof item === "object" && "label" in item
        ? `${String(item.label)} (${(item as { provided?: boolean }).provided ? "fournie" : "à fournir"})`
        : String(item),
    );
    return items.length > 0 ? items.join(", ") : "—";
  }
  return String(value);
}

function rowLines(row: Row): string[] {
  return Object.entries(row).map(([key, value]) => `${labels[key] ?? key} : ${printable(value)}`);
}

/** The export as an A4 PDF: a title, then every section with its rows (or "Aucune donnée"). */
export function renderPersonData(data: PersonData): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: "A4",
    margin: 50,
    info: { Title: "Données détenues sur la personne (droit d'accès)", Author: data.structureName },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.font("Helvetica-Bold").fontSize(16).text("Données détenues sur la personne");
  doc
    .font("Helvetica")
    .fontSize(10)
    .text(`${data.structureName} — document établi le ${formatDateTime(data.generatedAt)}`);
  doc.text(
    "Réponse à une demande d'accès (RGPD, article 15) : tout ce que la structure conserve sur la personne.",
  );
  for (const section of data.sections) {
    doc.moveDown();
    doc.font("Helvetica-Bold").fontSize(12).text(`${section.title} (${section.rows.length})`);
    doc.font("Helvetica").fontSize(9);
    if (section.rows.length === 0) doc.text("Aucune donnée.");
    for (const row of section.rows) {
      doc.moveDown(0.3);
      for (const line of rowLines(row)) doc.text(line);
    }
  }
  doc.end();
  return done;
}
