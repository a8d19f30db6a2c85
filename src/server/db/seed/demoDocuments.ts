import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import PDFDocument from "pdfkit";
import sharp from "sharp";
import { documentKeyring, putStoredFile } from "../../core/fileStore";
import { parisInstant } from "../../core/parisTime";
import type { Db } from "../createDb";
import {
  consent,
  convocation,
  document,
  documentShare,
  orientation,
  partner,
  person,
  user,
  visit,
} from "../schema";
import { KARIM_VISIT_DAYS_AGO, lastPermanenceDay } from "./demoNamedVisits";

const DAY = 86_400_000;

/** A one-page PDF marked SPÉCIMEN (what a scanned proof looks like to the demo). */
function specimenPdf(title: string, lines: string[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", margin: 60, info: { Title: title } });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.fontSize(18).text(title);
  doc.moveDown();
  doc.fontSize(11);
  for (const line of lines) doc.text(line);
  doc.moveDown(2).fontSize(40).fillColor("#c9191e").text("SPÉCIMEN — données fictives", { align: "center" });
  doc.end();
  return done;
}

/** A photographed identity card (a drawing, marked SPÉCIMEN), as a phone would send it once reduced. */
function specimenCard(name: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="760">
  <rect width="1200" height="760" rx="40" fill="#e8eef8"/>
  <rect x="60" y="160" width="300" height="380" fill="#b8c4d8"/>
  <text x="420" y="120" font-family="sans-serif" font-size="44" fill="#000091">CARTE NATIONALE D'IDENTITÉ</text>
  <text x="420" y="260" font-family="sans-serif" font-size="40">${name}</text>
  <text x="420" y="340" font-family="sans-serif" font-size="32">Né(e) le 01.01.1990</text>
  <text x="300" y="680" font-family="sans-serif" font-size="72" fill="#c9191e">SPÉCIMEN</text>
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

/**
 * Documents for the demo (ADR 0027): Karim's file holds a photographed identity card (by the
 * counselor, at his visit of demoNamedVisits), a proof and a judgment extract (by his CPIP, hidden from counselors). When the demo
 * activity holds an orientation to the CAF still waiting for its answer (person without a consent in force),
 * its person agrees to share with the CAF and a proof is shared there, for the CAF referent
 * (partenaire@); when it holds none, one is sent to the CAF for a person of the generated activity
 * (never a named demo person, whose files the journeys start from).
 * Encrypted with the environment's keys (DOCUMENT_KEYS), as the server will read them.
 */
export async function seedDemoDocuments(db: Db, structureId: string, today: Date): Promise<void> {
  const keyring = documentKeyring({ DOCUMENT_KEYS: process.env.DOCUMENT_KEYS });
  const agents = await db
    .select({ id: user.id, email: user.email })
    .from(user)
    .where(inArray(user.email, ["cpip@demo.passerelle.fr", "conseiller@demo.passerelle.fr"]));
  const cpip = agents.find((a) => a.email.startsWith("cpip"))?.id;
  const counselor = agents.find((a) => a.email.startsWith("conseiller"))?.id;
  const [karim] = await db
    .select()
    .from(person)
    .where(and(eq(person.structureId, structureId), eq(person.firstName, "Karim")));
  if (!cpip || !counselor || !karim) return;
  const at = (daysAgo: number) => new Date(today.getTime() - daysAgo * DAY);
  const add = async (
    personId: string,
    d: {
      kind: typeof document.$inferInsert.kind;
      title: string;
      fileName: string;
      bytes: Buffer;
      mediaType: string;
      by: string;
      /** When it was filed: days before today, or an instant. */
      daysAgo: number | Date;
    },
  ): Promise<string> => {
    const storedFileId = await putStoredFile(db, keyring, { bytes: d.bytes, mediaType: d.mediaType });
    const [row] = await db
      .insert(document)
      .values({
        structureId,
        personId,
        kind: d.kind,
        title: d.title,
        fileName: d.fileName,
        mediaType: d.mediaType,
        size: d.bytes.length,
        uploadedBy: d.by,
        uploadedAt: typeof d.daysAgo === "number" ? at(d.daysAgo) : d.daysAgo,
        storedFileId,
      })
      .returning({ id: document.id });
    return row!.id;
  };
  const karimName = `${karim.lastName.toUpperCase()} ${karim.firstName}`;
  // During his visit at Inès's permanence (demoNamedVisits): the one that lets her see his file.
  const atKarimVisit = parisInstant(lastPermanenceDay(today, KARIM_VISIT_DAYS_AGO).day, "10:20");
  await add(karim.id, {
    kind: "identity",
    title: "Carte d'identité (recto)",
    fileName: "carte-identite.jpg",
    bytes: await specimenCard(karimName),
    mediaType: "image/jpeg",
    by: counselor,
    daysAgo: atKarimVisit,
  });
  await add(karim.id, {
    kind: "proof",
    title: "Attestation d'hébergement",
    fileName: "attestation-hebergement.pdf",
    bytes: await specimenPdf("Attestation d'hébergement", [
      `Je soussigné, certifie héberger ${karimName} à mon domicile depuis le 1er mars.`,
      "Fait à Melun.",
    ]),
    mediaType: "application/pdf",
    by: counselor,
    daysAgo: atKarimVisit,
  });
  await add(karim.id, {
    kind: "judgment_extract",
    title: "Extrait du jugement (sursis probatoire)",
    fileName: "extrait-jugement.pdf",
    bytes: await specimenPdf("Extrait de jugement", [
      `Tribunal judiciaire — ${karimName}`,
      "Réservé au SPIP : ce document n'est jamais montré aux conseillers France services.",
    ]),
    mediaType: "application/pdf",
    by: cpip,
    daysAgo: 20,
  });

  // A proof shared with the CAF under the person's consent: the CAF referent's inbox shows it.
  const [caf] = await db.select({ id: partner.id }).from(partner).where(eq(partner.code, "caf"));
  if (!caf) return;
  const [toCaf] = await db
    .select({ id: orientation.id, personId: orientation.personId })
    .from(orientation)
    .where(
      and(
        eq(orientation.structureId, structureId),
        eq(orientation.partnerId, caf.id),
        // Still waiting for the CAF's answer, so that its referent has one to accept in the demo.
        eq(orientation.status, "sent"),
        gt(orientation.expiresAt, today),
        sql`not exists (select 1 from ${consent} where ${consent.personId} = ${orientation.personId} and ${consent.revokedAt} is null)`,
      ),
    )
    .orderBy(sql`${orientation.sentAt} desc`)
    .limit(1);
  const target = toCaf ?? (await aCafOrientation(db, structureId, caf.id, counselor, at(4)));
  if (!target) return;
  await db.insert(consent).values({
    structureId,
    personId: target.personId,
    domains: ["acces-aux-droits", "budget"],
    shareDemarcheDetails: true,
    shareNotes: false,
    recipients: ["spip"],
    partnerIds: [caf.id],
    purpose: "Ouverture des droits CAF : transmettre les justificatifs au correspondant",
    collectedBy: counselor,
    collectedAt: at(3),
  });
  const [someone] = await db
    .select({ firstName: person.firstName, lastName: person.lastName })
    .from(person)
    .where(and(eq(person.id, target.personId), isNull(person.erasedAt)));
  const proofId = await add(target.personId, {
    kind: "proof",
    title: "Avis d'imposition 2025",
    fileName: "avis-imposition-2025.pdf",
    bytes: await specimenPdf("Avis d'impôt 2025 sur les revenus 2024", [
      `${someone?.lastName.toUpperCase() ?? ""} ${someone?.firstName ?? ""}`,
      "Revenu fiscal de référence : 0 €",
    ]),
    mediaType: "application/pdf",
    by: counselor,
    daysAgo: 3,
  });
  await db.insert(documentShare).values({
    documentId: proofId,
    target: "orientation",
    orientationId: target.id,
    legalBasis: "Consentement de la personne au partage (secret partagé)",
    reason: "Justificatif de ressources pour le dossier CAF",
    sharedBy: cpip,
    sharedAt: at(2),
  });
}

/** A CAF orientation sent a few days ago for a person of the generated activity without a consent. */
async function aCafOrientation(
  db: Db,
  structureId: string,
  cafId: string,
  counselor: string,
  sentAt: Date,
): Promise<{ id: string; personId: string } | undefined> {
  const [someone] = await db
    .select({ id: person.id })
    .from(person)
    .where(
      and(
        eq(person.structureId, structureId),
        isNull(person.closedAt),
        isNull(person.archivedAt),
        isNull(person.detentionSiteId),
        // A visit of the generated activity (its seats start at 1,000,000): never a named demo person,
        // though three of them have a visit too (demoNamedVisits).
        sql`exists (select 1 from ${visit} join ${convocation} on ${convocation.id} = ${visit.convocationId} where ${visit.personId} = ${person.id} and ${convocation.seat} >= 1000000)`,
        sql`not exists (select 1 from ${consent} where ${consent.personId} = ${person.id} and ${consent.revokedAt} is null)`,
        sql`not exists (select 1 from ${orientation} where ${orientation.personId} = ${person.id})`,
      ),
    )
    .orderBy(person.fileNumber)
    .limit(1);
  if (!someone) return undefined;
  const [row] = await db
    .insert(orientation)
    .values({
      structureId,
      personId: someone.id,
      target: "partner_back_office",
      partnerId: cafId,
      reason: "Instruire la demande de RSA : justificatif de ressources joint.",
      status: "sent",
      createdBy: counselor,
      createdAt: sentAt,
      sentAt,
      expiresAt: new Date(sentAt.getTime() + 30 * DAY),
    })
    .returning({ id: orientation.id, personId: orientation.personId });
  return row;
}
