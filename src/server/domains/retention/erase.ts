/**
 * Erasing a person's personal data (ADR 0024), in one transaction: the identity, contacts, free
 * texts, consents, notes, documents (and their encrypted files), messages' recipients and texts, the corrections' history and the free
 * text of the journal rows about them. What the figures count stays, anonymous: the person row as
 * a tombstone (its id, structure, status, file number), measures' types and dates, convocations,
 * visits, démarches, needs and orientations with their dates, sites, partners, statuses.
 */
import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../db/createDb";
import {
  consent,
  convocation,
  demarche,
  handoverMeeting,
  measure,
  needAssessment,
  note,
  notification,
  orientation,
  person,
  personChange,
  smsOptOut,
  transfer,
  visit,
} from "../../db/schema";
import { eraseDocumentsOf } from "../documents/erase";

/** What an erased person's row holds instead of a birth date (the column is required). */
export const ERASED_BIRTH_DATE = "1900-01-01";

/**
 * Erases one archived person if still due (archived before `archivedBefore`, not erased yet).
 * Returns false when there was nothing to do. Runs in its own transaction: all or nothing.
 */
export async function erasePerson(
  db: Db,
  personId: string,
  archivedBefore: Date,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [due] = await tx
      .select({ id: person.id })
      .from(person)
      .where(
        and(
          eq(person.id, personId),
          isNull(person.erasedAt),
          isNotNull(person.archivedAt),
          lt(person.archivedAt, archivedBefore),
        ),
      )
      .for("update");
    if (!due) return false;
    await eraseIdentity(tx, personId, now);
    await eraseAccompaniment(tx, personId);
    await eraseDocumentsOf(tx, personId);
    await tx.execute(sql`select audit_event_erase_person(${personId})`);
    return true;
  });
}

async function eraseIdentity(tx: Db, personId: string, now: Date): Promise<void> {
  await tx
    .update(person)
    .set({
      firstName: "",
      lastName: "",
      birthDate: ERASED_BIRTH_DATE,
      birthPlace: "",
      phone: "",
      email: "",
      address: "",
      domiciliation: "",
      preferredLanguage: "",
      readsFrench: "",
      sex: "",
      closedNote: "",
      // The case-management number identifies the person too (ADR 0025): a later import creates anew.
      sourceNumber: null,
      // The numéro d'écrou identifies the person (ADR 0028); the establishment and dates stay for figures.
      prisonNumber: null,
      erasedAt: now,
    })
    .where(eq(person.id, personId));
  await tx.delete(personChange).where(eq(personChange.personId, personId));
  await tx
    .update(measure)
    .set({ offence: "", court: "", judgmentDate: null })
    .where(eq(measure.personId, personId));
  await tx.delete(smsOptOut).where(eq(smsOptOut.personId, personId));
  await tx.delete(consent).where(eq(consent.personId, personId));
  await tx.delete(note).where(eq(note.personId, personId));
}

async function eraseAccompaniment(tx: Db, personId: string): Promise<void> {
  const theirConvocations = tx
    .select({ id: convocation.id })
    .from(convocation)
    .where(eq(convocation.personId, personId));
  await tx
    .update(notification)
    .set({
      recipient: "",
      subject: "",
      body: "",
      html: null,
      attachments: null,
      headers: null,
      lastError: "",
    })
    .where(or(eq(notification.personId, personId), inArray(notification.convocationId, theirConvocations)));
  await tx.update(convocation).set({ comment: "" }).where(eq(convocation.personId, personId));
  await tx.update(visit).set({ suggestion: "" }).where(eq(visit.personId, personId));
  await tx
    .update(demarche)
    .set({ outcome: "", nextStep: "", documents: [] })
    .where(eq(demarche.personId, personId));
  await tx
    .update(needAssessment)
    .set({ situation: "", comment: "" })
    .where(eq(needAssessment.personId, personId));
  await tx
    .update(orientation)
    .set({ reason: "", refusalReason: "", outcome: "" })
    .where(eq(orientation.personId, personId));
  // Handover meetings and transfers (ADR 0029): their free texts and frozen agenda speak of the person.
  await tx
    .update(handoverMeeting)
    .set({ minutes: "", decisions: "", consentReference: "", agenda: null, placeText: "" })
    .where(eq(handoverMeeting.personId, personId));
  await tx
    .update(transfer)
    .set({ reason: "", refusalReason: "", consentReference: "" })
    .where(eq(transfer.personId, personId));
}
