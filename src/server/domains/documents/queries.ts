import { and, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { DocumentView, ShareView } from "../../../common/documents/documents.schema";
import type { Db } from "../../db/createDb";
import {
  consent,
  demarche,
  demarcheType,
  document,
  documentShare,
  orientation,
  partner,
  person,
  structure,
  user,
} from "../../db/schema";
import { isoTime } from "../../db/sqlJson";
import { consentCovers } from "../orientations/queries";
import { counselorSees, editablePeople, judicialFieldsVisible, type PeopleScope } from "../people/policies";
import { staffSees } from "./access";

const recipientName = sql<string>`case
  when ${documentShare.target} = 'orientation' then coalesce(${partner.name}, case when ${orientation.target} = 'mediation' then 'Médiation de l''association' else 'Orientation' end)
  when ${documentShare.target} = 'structure' then coalesce(${structure.name}, '')
  else ${documentShare.recipientLabel} end`;

const consentStillCovers = sql<boolean>`(${documentShare.target} <> 'orientation' or exists (select 1 from ${consent} where ${consent.personId} = ${orientation.personId} and ${consent.revokedAt} is null and ${consentCovers}))`;

/** The shares of some documents, newest first, each saying whether it is still live on `today`. */
export async function sharesOf(
  db: Db,
  documentIds: string[],
  today: string,
): Promise<Map<string, ShareView[]>> {
  const byDocument = new Map<string, ShareView[]>();
  if (documentIds.length === 0) return byDocument;
  const rows = await db
    .select({
      share: documentShare,
      recipient: recipientName,
      sharedByName: user.displayName,
      covered: consentStillCovers.mapWith(Boolean),
    })
    .from(documentShare)
    .innerJoin(user, eq(user.id, documentShare.sharedBy))
    .leftJoin(orientation, eq(orientation.id, documentShare.orientationId))
    .leftJoin(partner, eq(partner.id, orientation.partnerId))
    .leftJoin(structure, eq(structure.id, documentShare.recipientStructureId))
    .where(inArray(documentShare.documentId, documentIds))
    .orderBy(desc(documentShare.sharedAt));
  for (const r of rows) {
    const s = r.share;
    const live = s.withdrawnAt === null && (s.until === null || s.until >= today) && r.covered;
    const list = byDocument.get(s.documentId) ?? [];
    list.push({
      id: s.id,
      to: s.target,
      recipient: r.recipient,
      legalBasis: s.legalBasis,
      reason: s.reason,
      sharedByName: r.sharedByName,
      sharedAt: s.sharedAt.toISOString(),
      until: s.until,
      withdrawnAt: s.withdrawnAt?.toISOString() ?? null,
      live,
    });
    byDocument.set(s.documentId, list);
  }
  return byDocument;
}

/** The documents the actor sees, as the person's file shows them (with their shares). */
export async function documentViews(
  db: Db,
  scope: PeopleScope,
  where: SQL | undefined,
  today: string,
): Promise<DocumentView[]> {
  const rows = await db
    .select({
      doc: document,
      demarcheLabel: demarcheType.label,
      uploadedByName: user.displayName,
      full: sql<boolean>`(${judicialFieldsVisible(scope)})`.mapWith(Boolean),
      edit: sql<boolean>`(${editablePeople(scope)})`.mapWith(Boolean),
      counselor: sql<boolean>`(${counselorSees(scope)})`.mapWith(Boolean),
    })
    .from(document)
    .innerJoin(person, eq(person.id, document.personId))
    .innerJoin(user, eq(user.id, document.uploadedBy))
    .leftJoin(demarche, eq(demarche.id, document.demarcheId))
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .where(and(where, staffSees(scope)))
    .orderBy(desc(document.uploadedAt))
    .limit(500);
  const shares = await sharesOf(
    db,
    rows.map((r) => r.doc.id),
    today,
  );
  return rows.map(({ doc, demarcheLabel, uploadedByName, full, edit, counselor }) => ({
    id: doc.id,
    personId: doc.personId,
    demarcheId: doc.demarcheId,
    demarcheLabel: demarcheLabel ?? null,
    kind: doc.kind,
    judicial: doc.judicial,
    title: doc.title,
    fileName: doc.fileName,
    mediaType: doc.mediaType,
    size: doc.size,
    uploadedByName,
    uploadedAt: doc.uploadedAt.toISOString(),
    permissions: {
      // Those who edit the file; an uploader only while they still work on it (a counselor whose
      // scope holds the person, as for the upload), never a CPIP who now only reads it.
      delete: edit || (doc.uploadedBy === scope.actorUserId && counselor),
      share: full,
    },
    shares: shares.get(doc.id) ?? [],
  }));
}

/** The orientations of a person a document may be shared with: to a partner or the mediation, sent or taken on. */
export async function shareTargets(
  db: Db,
  personId: string,
): Promise<{ orientationId: string; label: string; consent: boolean }[]> {
  const rows = await db
    .select({
      id: orientation.id,
      target: orientation.target,
      partnerName: partner.name,
      sentAt: orientation.sentAt,
      covered:
        sql<boolean>`exists (select 1 from ${consent} where ${consent.personId} = ${orientation.personId} and ${consent.revokedAt} is null and ${consentCovers})`.mapWith(
          Boolean,
        ),
    })
    .from(orientation)
    .leftJoin(partner, eq(partner.id, orientation.partnerId))
    .where(
      and(
        eq(orientation.personId, personId),
        inArray(orientation.status, ["sent", "accepted"]),
        or(eq(orientation.target, "mediation"), sql`${orientation.partnerId} is not null`),
      ),
    )
    .orderBy(desc(orientation.sentAt));
  return rows.map((r) => ({
    orientationId: r.id,
    label: r.target === "mediation" ? "Médiation de l'association" : (r.partnerName ?? "Partenaire"),
    consent: r.covered,
  }));
}

/** The other structures of Passerelle a document may be shared with (under a legal basis). */
export async function shareStructures(
  db: Db,
  ownerStructureId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: structure.id, name: structure.name })
    .from(structure)
    .where(sql`${structure.id} <> ${ownerStructureId}`)
    .orderBy(structure.name);
}

/** "Prénom NOM" of a person. */
export function personName(firstName: string, lastName: string): string {
  return `${firstName} ${lastName.toUpperCase()}`.trim();
}

/** A document as the person's history reads it: its upload and, if removed, its removal. */
export interface DocumentHistoryRow {
  kind: string;
  title: string;
  uploadedAt: string;
  uploadedByName: string | null;
  deletedAt: string | null;
  deletedByName: string | null;
}

/**
 * The documents of a person, newest first (at most 500), removed ones included, as a JSON array of
 * `DocumentHistoryRow` (people/fileReads.ts). A judicial one only where `full` (the reader sees
 * judicial fields): to a counselor it does not exist, in the history as in the list (ADR 0027).
 */
export function documentHistoryJson(personId: SQL, full: SQL): SQL {
  return sql`(select coalesce(json_agg(x.row order by x.n), '[]'::json) from (
    select row_number() over (order by d.uploaded_at desc) as n, json_build_object(
      'kind', d.kind, 'title', d.title,
      'uploadedAt', ${isoTime(sql`d.uploaded_at`)}, 'uploadedByName', uu.display_name,
      'deletedAt', ${isoTime(sql`d.deleted_at`)}, 'deletedByName', du.display_name
    ) as row
    from document d
    left join "user" uu on uu.id = d.uploaded_by
    left join "user" du on du.id = d.deleted_by
    where d.person_id = ${personId} and (not d.judicial or ${full})
    order by d.uploaded_at desc
    limit 500) x)`;
}
