import { and, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { NeedDomain } from "../../../common/agenda/agenda.schema";
import type { ConsentView, NoteView } from "../../../common/consent/consent.schema";
import type { ServiceKind } from "../../../common/roles";
import type { Db } from "../../db/createDb";
import { consent, note, partner, service, user } from "../../db/schema";
import { isoTime } from "../../db/sqlJson";
import { readableNotes } from "./policies";

const revoker = alias(user, "revoker");

/** A consent as the history reads it (timestamps as ISO strings). */
export interface ConsentHistoryRow {
  purpose: string;
  collectedAt: string;
  collectedByName: string | null;
  revokedAt: string | null;
  revokedByName: string | null;
}

/** The consents of a person, newest first (at most 100), as a JSON array of `ConsentHistoryRow`. */
export function consentHistoryJson(personId: SQL): SQL {
  return sql`(select coalesce(json_agg(x.row order by x.n), '[]'::json) from (
    select row_number() over (order by c.collected_at desc) as n, json_build_object(
      'purpose', c.purpose, 'collectedAt', ${isoTime(sql`c.collected_at`)}, 'collectedByName', cu.display_name,
      'revokedAt', ${isoTime(sql`c.revoked_at`)}, 'revokedByName', ru.display_name
    ) as row
    from consent c
    left join "user" cu on cu.id = c.collected_by
    left join "user" ru on ru.id = c.revoked_by
    where c.person_id = ${personId}
    order by c.collected_at desc
    limit 100) x)`;
}

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
