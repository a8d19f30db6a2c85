/** What the structure holds on one person, section by section (the data export, ADR 0024). */
import { and, asc, desc, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../../../db/createDb";
import {
  auditEvent,
  consent,
  convocation,
  demarche,
  demarcheEvent,
  demarcheType,
  document,
  measure,
  needAssessment,
  note,
  notification,
  orientation,
  partner,
  person,
  personChange,
  referent,
  site,
  user,
  visit,
} from "../../../db/schema";
import { readableNotes } from "../../consent/policies";

export type Row = Record<string, unknown>;
export interface PersonData {
  generatedAt: string;
  structureName: string;
  sections: { key: string; title: string; rows: Row[] }[];
}

/** Dates as ISO strings, everything else as is: what JSON and the PDF print. */
function plain(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
}

/**
 * `readerServiceIds`: the exporting direction's services. Notes follow the secret partagé (ADR 0005)
 * here too: a direction exports its own service's notes and those shared with it, never the other
 * service's private notes (that service's direction exports them).
 */
export async function collect(
  db: Db,
  personId: string,
  readerServiceIds: string[],
): Promise<PersonData["sections"]> {
  const [identity] = await db.select().from(person).where(eq(person.id, personId));
  const {
    searchKey: _key,
    mergedIntoId: _merged,
    erasedAt: _erased,
    ...shown
  } = identity as typeof person.$inferSelect;
  const theirConvocations = db
    .select({ id: convocation.id })
    .from(convocation)
    .where(eq(convocation.personId, personId));
  const theirDemarches = db.select({ id: demarche.id }).from(demarche).where(eq(demarche.personId, personId));
  const sections: [string, string, Promise<Row[]> | Row[]][] = [
    ["person", "Identité et coordonnées", [shown]],
    [
      "measures",
      "Mesures judiciaires",
      db.select().from(measure).where(eq(measure.personId, personId)).orderBy(asc(measure.startDate)),
    ],
    [
      "referents",
      "CPIP référents",
      db
        .select({ referent: user.displayName, startedAt: referent.startedAt, endedAt: referent.endedAt })
        .from(referent)
        .innerJoin(user, eq(user.id, referent.userId))
        .where(eq(referent.personId, personId))
        .orderBy(asc(referent.startedAt)),
    ],
    [
      "convocations",
      "Convocations",
      db
        .select({
          startsAt: convocation.startsAt,
          site: site.name,
          status: convocation.status,
          needDomains: convocation.needDomains,
          comment: convocation.comment,
          notifySms: convocation.notifySms,
          notifyEmail: convocation.notifyEmail,
          arrivedAt: convocation.arrivedAt,
        })
        .from(convocation)
        .innerJoin(site, eq(site.id, convocation.siteId))
        .where(eq(convocation.personId, personId))
        .orderBy(asc(convocation.startsAt)),
    ],
    [
      "visits",
      "Passages à la permanence",
      db
        .select({
          startedAt: visit.startedAt,
          durationMinutes: visit.durationMinutes,
          autonomy: visit.autonomy,
          suggestion: visit.suggestion,
        })
        .from(visit)
        .where(eq(visit.personId, personId))
        .orderBy(asc(visit.startedAt)),
    ],
    [
      "needs",
      "Besoins évalués",
      db
        .select({
          domain: needAssessment.domain,
          hasNeed: needAssessment.hasNeed,
          priority: needAssessment.priority,
          situation: needAssessment.situation,
          comment: needAssessment.comment,
          assessedAt: needAssessment.assessedAt,
        })
        .from(needAssessment)
        .where(eq(needAssessment.personId, personId))
        .orderBy(asc(needAssessment.assessedAt)),
    ],
    [
      "demarches",
      "Démarches",
      db
        .select({
          demarche: demarcheType.label,
          partner: partner.name,
          helpLevel: demarche.helpLevel,
          status: demarche.status,
          outcome: demarche.outcome,
          nextStep: demarche.nextStep,
          dueDate: demarche.dueDate,
          documents: demarche.documents,
          createdAt: demarche.createdAt,
          outcomeAt: demarche.outcomeAt,
        })
        .from(demarche)
        .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
        .leftJoin(partner, eq(partner.id, demarcheType.partnerId))
        .where(eq(demarche.personId, personId))
        .orderBy(asc(demarche.createdAt)),
    ],
    [
      "demarcheEvents",
      "Étapes des démarches",
      db
        .select({ at: demarcheEvent.at, status: demarcheEvent.status })
        .from(demarcheEvent)
        .where(inArray(demarcheEvent.demarcheId, theirDemarches))
        .orderBy(asc(demarcheEvent.at)),
    ],
    [
      "orientations",
      "Orientations",
      db
        .select({
          target: orientation.target,
          partner: partner.name,
          reason: orientation.reason,
          status: orientation.status,
          refusalReason: orientation.refusalReason,
          outcome: orientation.outcome,
          createdAt: orientation.createdAt,
          answeredAt: orientation.answeredAt,
        })
        .from(orientation)
        .leftJoin(partner, eq(partner.id, orientation.partnerId))
        .where(eq(orientation.personId, personId))
        .orderBy(asc(orientation.createdAt)),
    ],
    [
      "consents",
      "Consentements (secret partagé)",
      db
        .select({
          domains: consent.domains,
          recipients: consent.recipients,
          shareDemarcheDetails: consent.shareDemarcheDetails,
          shareNotes: consent.shareNotes,
          purpose: consent.purpose,
          collectedAt: consent.collectedAt,
          revokedAt: consent.revokedAt,
        })
        .from(consent)
        .where(eq(consent.personId, personId))
        .orderBy(asc(consent.collectedAt)),
    ],
    [
      // The list only, never the content (the files are given on request, downloaded one by one).
      "documents",
      "Documents",
      db
        .select({
          kind: document.kind,
          judicial: document.judicial,
          title: document.title,
          fileName: document.fileName,
          mediaType: document.mediaType,
          size: document.size,
          uploadedBy: user.displayName,
          uploadedAt: document.uploadedAt,
          deletedAt: document.deletedAt,
        })
        .from(document)
        .innerJoin(user, eq(user.id, document.uploadedBy))
        .where(eq(document.personId, personId))
        .orderBy(asc(document.uploadedAt)),
    ],
    [
      "notes",
      "Notes de votre service et notes partagées avec lui (les notes réservées à l'autre service sont communiquées par sa direction)",
      db
        .select({
          author: user.displayName,
          visibility: note.visibility,
          body: note.body,
          createdAt: note.createdAt,
        })
        .from(note)
        .innerJoin(user, eq(user.id, note.authorUserId))
        .where(and(eq(note.personId, personId), readableNotes(db, readerServiceIds)))
        .orderBy(asc(note.createdAt)),
    ],
    [
      "messages",
      "SMS et courriels",
      db
        .select({
          kind: notification.kind,
          channel: notification.channel,
          recipient: notification.recipient,
          status: notification.status,
          subject: notification.subject,
          body: notification.body,
          sentAt: notification.sentAt,
          createdAt: notification.createdAt,
        })
        .from(notification)
        .where(
          or(eq(notification.personId, personId), inArray(notification.convocationId, theirConvocations)),
        )
        .orderBy(asc(notification.createdAt)),
    ],
    [
      "changes",
      "Modifications du dossier",
      db
        .select({
          field: personChange.field,
          before: personChange.before,
          after: personChange.after,
          at: personChange.at,
          reason: personChange.reason,
        })
        .from(personChange)
        .where(eq(personChange.personId, personId))
        .orderBy(asc(personChange.at)),
    ],
    [
      "accesses",
      "Consultations et actions journalisées",
      db
        .select({
          at: auditEvent.at,
          action: auditEvent.action,
          agent: user.displayName,
          outcome: auditEvent.outcome,
        })
        .from(auditEvent)
        .leftJoin(user, eq(user.id, auditEvent.actorUserId))
        .where(eq(auditEvent.targetId, personId))
        .orderBy(desc(auditEvent.at))
        .limit(2000),
    ],
  ];
  const out: PersonData["sections"] = [];
  for (const [key, title, rows] of sections) out.push({ key, title, rows: (await rows).map(plain) });
  return out;
}
