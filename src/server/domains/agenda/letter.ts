import PDFDocument from "pdfkit";
import { formatLongDate, formatTime } from "../../../common/dateFormat";
import { formatPhone } from "../../../common/phone";

export interface LetterData {
  /** The structure's own letterhead lines; empty: France services only (`letterheadLines`). */
  letterhead: string;
  personName: string;
  referentName: string | null;
  startsAt: Date;
  siteName: string;
  siteAddress: string;
  accessInstructions: string;
  sitePhone: string;
  demarches: string[];
  /**
   * Milieu fermé (ADR 0028): the letter is handed to the person by the establishment; no phone, no
   * SMS mention, the establishment's staff accompanies them to the permanence.
   */
  inDetention?: boolean;
}

/** What to bring: always the basics, plus what the planned démarches usually need. */
export function whatToBring(demarches: string[], inDetention = false): string[] {
  const items = inDetention
    ? [
        "cette convocation",
        "une pièce d'identité, même périmée, ou tout document d'identité déposé au vestiaire (demandez-le au greffe)",
        "les courriers administratifs que vous avez reçus",
      ]
    : [
        "cette convocation",
        "une pièce d'identité, même périmée, ou tout document d'identité",
        "votre téléphone portable, si vous en avez un",
        "vos identifiants (adresse électronique, mots de passe) si vous en avez",
      ];
  const text = demarches.join(" ").toLowerCase();
  if (/caf|rsa|apl|prime|impôt|revenus|imposition/.test(text))
    items.push("vos derniers justificatifs de ressources");
  if (/cpam|vitale|css|ame|ameli|affiliation/.test(text))
    items.push("votre carte Vitale ou attestation de droits");
  if (/logement|apl|domiciliation/.test(text)) items.push("un justificatif de domicile ou d'hébergement");
  if (/compte|banque/.test(text)) items.push("un relevé d'identité bancaire si vous en avez un");
  return items;
}

const DEFAULT_LETTERHEAD_TITLE = "France services";

/**
 * The top of the letter: the structure's configured letterhead, or France services only — a letter
 * may be read by anyone at the person's home, so by default it never names the probation service
 * (the structure's name and co-holders may; doc/product.md).
 */
export function letterheadLines(letterhead: string): string[] {
  const configured = letterhead
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  if (configured.length > 0) return configured;
  return [DEFAULT_LETTERHEAD_TITLE, "Accès aux droits et aux services publics"];
}

/** The convocation letter, in plain French, as a one-page A4 PDF. */
export function renderLetter(data: LetterData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: 56,
    info: { Title: "Convocation France services", Author: DEFAULT_LETTERHEAD_TITLE },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));

  const day = formatLongDate(data.startsAt);
  const time = formatTime(data.startsAt);
  const sitePhone = data.sitePhone ? formatPhone(data.sitePhone) : "";

  const [title, ...lines] = letterheadLines(data.letterhead);
  doc
    .font("Helvetica-Bold")
    .fontSize(11)
    .text(title ?? "");
  for (const line of lines) doc.font("Helvetica").fontSize(9).text(line);
  doc.moveDown(2);
  doc.font("Helvetica-Bold").fontSize(18).text("Convocation", { align: "center" });
  doc.moveDown();
  doc.font("Helvetica").fontSize(12).text(`${data.personName},`);
  doc.moveDown(0.5);
  doc.text(
    `${data.referentName ? `${data.referentName}, votre conseiller·ère référent·e,` : "Votre conseiller·ère référent·e"} vous donne rendez-vous à la permanence France services pour vous aider dans vos démarches administratives.`,
  );
  doc.moveDown();
  doc.font("Helvetica-Bold").fontSize(14).text(`Le ${day} à ${time}`);
  doc.font("Helvetica-Bold").fontSize(12).text(data.siteName);
  doc.font("Helvetica").text(data.siteAddress);
  if (data.accessInstructions) doc.text(data.accessInstructions);
  doc.moveDown();
  if (data.demarches.length > 0) {
    doc.font("Helvetica-Bold").text("Ce que nous ferons ensemble");
    doc.font("Helvetica").list(data.demarches, { bulletRadius: 2 });
    doc.moveDown(0.5);
  }
  doc.font("Helvetica-Bold").text("Ce qu'il faut apporter");
  doc.font("Helvetica").list(whatToBring(data.demarches, data.inDetention), { bulletRadius: 2 });
  doc.moveDown();
  doc.font("Helvetica-Bold").text("Si vous ne pouvez pas venir");
  if (data.inDetention) {
    doc
      .font("Helvetica")
      .text(
        "Cette convocation vous est remise par l'établissement, qui organise votre déplacement jusqu'à la permanence. Si vous ne pouvez pas venir, prévenez le surveillant de votre bâtiment ou votre conseiller·ère référent·e. Ce rendez-vous vous aide à préparer votre sortie et à faire valoir vos droits : il est gratuit.",
      );
    doc.end();
    return done;
  }
  doc
    .font("Helvetica")
    .text(
      `Prévenez le plus tôt possible${sitePhone ? ` au ${sitePhone}` : ""} ou votre conseiller·ère référent·e. Un autre rendez-vous vous sera proposé. Ce rendez-vous vous aide à faire valoir vos droits : il est gratuit.`,
    );
  doc.end();
  return done;
}
