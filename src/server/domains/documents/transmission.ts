import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/createDb";
import { document, documentShare } from "../../db/schema";

export const transferLegalBasis = {
  judicial:
    "Transmission au SPIP qui reprend le suivi de la mesure (continuité de la prise en charge judiciaire)",
  consent: "Consentement de la personne à la transmission de son dossier",
} as const;

/**
 * When a file passes to another structure (a transfer, a handover to another SPIP), its documents
 * are shared with the receiving structure, each share carrying its legal basis: judicial documents
 * always (the receiving SPIP takes over the measure), the others only with the person's consent.
 * The documents stay with the sending file; the receiving side reads them as shares (and the
 * sending side may withdraw one). Within one structure nothing changes: the file is the same.
 * Returns the number of documents shared.
 */
export async function shareDocumentsWithReceivingStructure(
  tx: Db,
  input: {
    fromPersonId: string;
    toPersonId: string;
    toStructureId: string;
    consentGiven: boolean;
    sharedBy: string;
    at: Date;
    reason: string;
  },
): Promise<number> {
  if (input.fromPersonId === input.toPersonId) return 0;
  const documents = await tx
    .select({ id: document.id, judicial: document.judicial, structureId: document.structureId })
    .from(document)
    .where(and(eq(document.personId, input.fromPersonId), isNull(document.deletedAt)));
  const shared = documents.filter(
    (d) => d.structureId !== input.toStructureId && (d.judicial || input.consentGiven),
  );
  if (shared.length === 0) return 0;
  await tx.insert(documentShare).values(
    shared.map((d) => ({
      documentId: d.id,
      target: "structure" as const,
      recipientStructureId: input.toStructureId,
      legalBasis: d.judicial ? transferLegalBasis.judicial : transferLegalBasis.consent,
      reason: input.reason,
      sharedBy: input.sharedBy,
      sharedAt: input.at,
    })),
  );
  return shared.length;
}
