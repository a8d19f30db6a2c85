import { and, eq, gt, inArray, isNull, notInArray } from "drizzle-orm";
import { finalDemarcheStatuses } from "../../../common/accompaniment/accompaniment.schema";
import { parisDay } from "../../../common/calendar";
import { errors } from "../../../common/errors";
import { atPlace } from "../../../common/placeName";
import type { PersonStatus } from "../../../common/roles";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Db } from "../../db/createDb";
import {
  consent,
  convocation,
  demarche,
  measure,
  needAssessment,
  note,
  orientation,
  person,
  referent,
  structure,
} from "../../db/schema";
import { applyConvocationStatus } from "../agenda/use-cases/SetConvocationStatus";
import { shareDocumentsWithReceivingStructure } from "../documents/transmission";
import { retargetPendingMessages } from "../notifications/retarget";
import { recordChanges } from "../people/changes";
import { RECEIVED_FILE_WORDS } from "../people/creation";
import { referentCandidates } from "../people/queries";

export interface Transmission {
  /** "handover" (meeting before release) or "transfer" (between structures). */
  via: "handover" | "transfer";
  /** What the journal rows and the file's history name it by ("réunion du …"), besides its kind. */
  refWords?: string;
  personId: string;
  fromStructureId: string;
  toStructureId: string;
  referentUserId: string;
  /** The person consented to their accompaniment file following them. */
  consentGiven: boolean;
  /** The status of the file once passed (milieu_ouvert after a handover; unchanged by a transfer). */
  status?: PersonStatus;
}

/**
 * The documents follow a file passed to another structure as shares carrying their legal basis
 * (judicial documents always, the others with the person's consent: documents/transmission.ts).
 */
async function shareDocumentsOnTransmission(
  tx: Db,
  ctx: RequestContext,
  input: { fromPersonId: string; toPersonId: string; toStructureId: string; consentGiven: boolean },
): Promise<void> {
  await shareDocumentsWithReceivingStructure(tx, {
    ...input,
    sharedBy: ctx.actor.userId,
    at: ctx.clock.now(),
    reason: "Dossier transmis à la structure qui reprend le suivi",
  });
}

/**
 * Passes a file to a referent of a target structure, in the caller's transaction, and answers the
 * id of the file in the target structure.
 *
 * - Same structure: the referent changes (and the status, after a handover); the file is the same.
 * - Another structure: a new file opens there (identity, contacts, measures — what the receiving
 *   SPIP is entitled to — and the referent). With consent, the accompaniment continues: needs,
 *   open démarches, orientations in progress, shared notes and the active sharing consent move to
 *   the new file (their `structure_id` stays the structure where they were recorded, so every
 *   figure of the sending structure, past or present, is unchanged). The sending file is closed
 *   ("transfert"): future convocations cancelled, pending messages withdrawn; it stays read-only
 *   for the sending structure. Without consent, nothing of the accompaniment moves.
 * Journaled on both sides (a row with each structure id).
 */
export async function transmitFile(tx: Db, ctx: RequestContext, t: Transmission): Promise<string> {
  const now = ctx.clock.now();
  const [candidate] = (await referentCandidates(tx, t.toStructureId)).filter(
    (c) => c.userId === t.referentUserId,
  );
  if (!candidate?.serviceId)
    throw errors.handover.unknownReferent(
      t.via === "handover" ? "body.targetReferentUserId" : "body.referentUserId",
    );
  const [current] = await tx.select().from(person).where(eq(person.id, t.personId)).for("update");
  if (!current) throw errors.person.notFound();
  const [target] = await tx
    .select({ name: structure.name })
    .from(structure)
    .where(eq(structure.id, t.toStructureId));
  if (!target) throw errors.handover.unknownStructure();
  const [source] = await tx
    .select({ name: structure.name })
    .from(structure)
    .where(eq(structure.id, t.fromStructureId));
  const kind = t.via === "handover" ? "passage de relais" : "transfert";
  const label = t.refWords ? `${kind} (${t.refWords})` : kind;

  if (t.fromStructureId === t.toStructureId) {
    const [active] = await tx
      .select({ userId: referent.userId })
      .from(referent)
      .where(and(eq(referent.personId, t.personId), isNull(referent.endedAt)));
    const changes = [];
    if (active?.userId !== t.referentUserId) {
      await tx
        .update(referent)
        .set({ endedAt: now })
        .where(and(eq(referent.personId, t.personId), isNull(referent.endedAt)));
      await tx.insert(referent).values({
        personId: t.personId,
        userId: t.referentUserId,
        serviceId: candidate.serviceId,
        startedAt: now,
      });
      changes.push({ field: "referent", before: "", after: candidate.displayName });
    }
    if (t.status && t.status !== current.status) {
      await tx.update(person).set({ status: t.status }).where(eq(person.id, t.personId));
      changes.push({ field: "status", before: current.status, after: t.status });
    }
    await recordChanges(tx, ctx, {
      personId: t.personId,
      structureId: t.fromStructureId,
      changes,
      reason: label,
      action: `person.${t.via}`,
    });
    await journalFor(tx, ctx, {
      action: `${t.via}.transmitted`,
      targetType: "person",
      targetId: t.personId,
      structureId: t.toStructureId,
      reason: `${label} : dossier confié à ${candidate.displayName} (même structure)`,
    });
    await shareDocumentsOnTransmission(tx, ctx, {
      fromPersonId: t.personId,
      toPersonId: t.personId,
      toStructureId: t.toStructureId,
      consentGiven: t.consentGiven,
    });
    return t.personId;
  }

  const [created] = await tx
    .insert(person)
    .values({
      structureId: t.toStructureId,
      firstName: current.firstName,
      lastName: current.lastName,
      birthDate: current.birthDate,
      birthPlace: current.birthPlace,
      phone: current.phone,
      email: current.email,
      address: current.address,
      domiciliation: current.domiciliation,
      preferredLanguage: current.preferredLanguage,
      readsFrench: current.readsFrench,
      sex: current.sex,
      status: t.status ?? current.status,
      // Still in detention after a transfer between prisons' SPIP is not modelled here: the
      // detention fields belong to the sending establishment and do not follow.
    })
    .returning({ id: person.id });
  const newId = created!.id;
  const measures = await tx.select().from(measure).where(eq(measure.personId, t.personId));
  if (measures.length > 0) {
    await tx.insert(measure).values(
      measures.map((m) => ({
        personId: newId,
        type: m.type,
        startDate: m.startDate,
        endDate: m.endDate,
        offence: m.offence,
        court: m.court,
        judgmentDate: m.judgmentDate,
      })),
    );
  }
  await tx
    .insert(referent)
    .values({ personId: newId, userId: t.referentUserId, serviceId: candidate.serviceId, startedAt: now });

  if (t.consentGiven) {
    await tx.update(needAssessment).set({ personId: newId }).where(eq(needAssessment.personId, t.personId));
    await tx
      .update(demarche)
      .set({ personId: newId })
      .where(and(eq(demarche.personId, t.personId), notInArray(demarche.status, [...finalDemarcheStatuses])));
    await tx
      .update(orientation)
      .set({ personId: newId })
      .where(
        and(eq(orientation.personId, t.personId), inArray(orientation.status, ["draft", "sent", "accepted"])),
      );
    await tx
      .update(note)
      .set({ personId: newId })
      .where(and(eq(note.personId, t.personId), eq(note.visibility, "shared")));
    await tx
      .update(consent)
      .set({ personId: newId })
      .where(and(eq(consent.personId, t.personId), isNull(consent.revokedAt)));
  }

  // The sending file closes: future convocations there are cancelled, pending messages withdrawn.
  for (const channel of ["sms", "email"] as const) {
    await retargetPendingMessages(tx, {
      personId: t.personId,
      channel,
      newRecipient: null,
      reason: "Dossier transmis : message retiré.",
      now,
    });
  }
  const future = await tx
    .select()
    .from(convocation)
    .where(
      and(
        eq(convocation.personId, t.personId),
        eq(convocation.status, "planned"),
        gt(convocation.startsAt, now),
      ),
    );
  for (const c of future) await applyConvocationStatus(tx, ctx, c, "cancelled", now);
  await tx
    .update(person)
    .set({
      closedAt: now,
      closedOn: parisDay(now),
      closedReason: "transfer",
      closedNote: `Dossier transmis ${atPlace(target.name)} (${kind}).`,
    })
    .where(eq(person.id, t.personId));
  await recordChanges(tx, ctx, {
    personId: t.personId,
    structureId: t.fromStructureId,
    changes: [
      {
        field: "closed",
        before: "",
        after: `Transmis ${atPlace(target.name)}, le ${parisDay(now).split("-").reverse().join("/")}`,
      },
    ],
    reason: `${label} vers ${target.name}, ${t.consentGiven ? "avec consentement" : "sans consentement : identité et mesure seulement"}`,
    action: "person.closed",
  });
  await journalFor(tx, ctx, {
    action: `${t.via}.transmitted`,
    targetType: "person",
    targetId: newId,
    structureId: t.toStructureId,
    reason: `${label} : ${RECEIVED_FILE_WORDS} ${source?.name ?? "une autre structure"}, référent ${candidate.displayName}`,
  });
  await shareDocumentsOnTransmission(tx, ctx, {
    fromPersonId: t.personId,
    toPersonId: newId,
    toStructureId: t.toStructureId,
    consentGiven: t.consentGiven,
  });
  return newId;
}
