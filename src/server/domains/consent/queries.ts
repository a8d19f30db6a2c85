import { and, desc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { NeedDomain } from "../../../common/agenda/agenda.schema";
import type { ConsentView, NoteView } from "../../../common/consent/consent.schema";
import type { ServiceKind } from "../../../common/roles";
import type { Db } from "../../db/createDb";
import { consent, note, partner, service, user } from "../../db/schema";
import { readableNotes } from "./policies";

const revoker = alias(user, "revoker");

export async function consentViews(db: Db, personId: string): Promise<ConsentView[]> {
  const rows = await db
    .select({ consent, collectedByName: user.displayName, revokedByName: revoker.displayName })
    .from(consent)
    .leftJoin(user, eq(user.id, consent.collectedBy))
    .leftJoin(revoker, eq(revoker.id, consent.revokedBy))
    .where(eq(consent.personId, personId))
    .orderBy(desc(consent.collectedAt))
    .limit(100);
  const partnerIds = [...new Set(rows.flatMap((r) => r.consent.partnerIds))];
  const partners =
    partnerIds.length === 0
      ? []
      : await db
          .select({ id: partner.id, name: partner.name })
          .from(partner)
          .where(inArray(partner.id, partnerIds));
  return rows.map(({ consent: c, collectedByName, revokedByName }) => ({
    id: c.id,
    domains: c.domains as NeedDomain[],
    shareDemarcheDetails: c.shareDemarcheDetails,
    shareNotes: c.shareNotes,
    recipients: c.recipients as ServiceKind[],
    partners: partners.filter((p) => c.partnerIds.includes(p.id)),
    purpose: c.purpose,
    collectedByName,
    collectedAt: c.collectedAt.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
    revokedByName,
  }));
}

export async function readableNotesOf(
  db: Db,
  personId: string,
  readerServiceIds: string[],
): Promise<NoteView[]> {
  const rows = await db
    .select({ note, authorName: user.displayName, authorServiceName: service.name })
    .from(note)
    .innerJoin(user, eq(user.id, note.authorUserId))
    .innerJoin(service, eq(service.id, note.authorServiceId))
    .where(and(eq(note.personId, personId), readableNotes(db, readerServiceIds)))
    .orderBy(desc(note.createdAt))
    .limit(300);
  return rows.map(({ note: n, authorName, authorServiceName }) => ({
    id: n.id,
    body: n.body,
    visibility: n.visibility,
    authorName,
    authorServiceName,
    createdAt: n.createdAt.toISOString(),
  }));
}
