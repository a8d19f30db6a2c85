import { and, asc, desc, eq, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { NeedDomain } from "../../../common/agenda/agenda.schema";
import type { AuditAction } from "../../../common/audit/audit.actions";
import type { InboxItem, OrientationView } from "../../../common/orientations/orientations.schema";
import type { Actor } from "../../core/context";
import type { Db } from "../../db/createDb";
import {
  auditEvent,
  consent,
  demarche,
  demarcheType,
  directoryContact,
  orientation,
  partner,
  person,
  structure,
  user,
} from "../../db/schema";
import { isoTime } from "../../db/sqlJson";
import { effectiveStatus, mayMove, responseHours } from "./rules";

/**
 * The person's consent in force covers the receiving side: for a partner, it names the partner; for
 * the association's mediation, it lists the association among the recipients.
 */
export const consentCovers = sql`case when ${orientation.target} = 'mediation'
  then 'association' = any(${consent.recipients})
  else ${orientation.partnerId} = any(${consent.partnerIds}) end`;

/** Whether the person's consent in force covers who receives the orientation (partner or mediation). */
export async function consentCoversReceiver(
  db: Db,
  o: { personId: string; target: string; partnerId: string | null },
): Promise<boolean> {
  if (o.target === "mediation") {
    const [agreed] = await db
      .select({ id: consent.id })
      .from(consent)
      .where(
        and(
          eq(consent.personId, o.personId),
          isNull(consent.revokedAt),
          sql`'association' = any(${consent.recipients})`,
        ),
      )
      .limit(1);
    return agreed !== undefined;
  }
  return o.partnerId !== null && consentNamesPartner(db, o.personId, o.partnerId);
}

/** Whether the person's consent in force names the partner (what a partner's work on the file needs). */
export async function consentNamesPartner(db: Db, personId: string, partnerId: string): Promise<boolean> {
  const [agreed] = await db
    .select({ id: consent.id })
    .from(consent)
    .where(
      and(
        eq(consent.personId, personId),
        isNull(consent.revokedAt),
        sql`${partnerId} = any(${consent.partnerIds})`,
      ),
    )
    .limit(1);
  return agreed !== undefined;
}

const EXPIRY_BATCH = 500;

/**
 * Sent orientations past their 30 days become expired, each journaled once ("orientation.expired",
 * no actor: time did it). Only the scheduled job and writes call this, never a read (a read computes
 * `effectiveStatus`). Rows are taken with SKIP LOCKED and re-checked by the UPDATE, so two callers at
 * once expire each orientation once. Returns how many it expired.
 */
export async function expireOverdue(
  db: Db,
  where: SQL | undefined,
  now: Date,
  requestId = "",
): Promise<number> {
  let expired = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const due = tx
        .select({ id: orientation.id })
        .from(orientation)
        .where(and(where, eq(orientation.status, "sent"), lte(orientation.expiresAt, now)))
        .orderBy(asc(orientation.expiresAt))
        .limit(EXPIRY_BATCH)
        .for("update", { skipLocked: true });
      const rows = await tx
        .update(orientation)
        .set({ status: "expired" })
        .where(
          and(inArray(orientation.id, due), eq(orientation.status, "sent"), lte(orientation.expiresAt, now)),
        )
        .returning({ id: orientation.id, structureId: orientation.structureId });
      if (rows.length > 0)
        await tx.insert(auditEvent).values(
          rows.map((r) => ({
            at: now,
            actorUserId: null,
            action: "orientation.expired" satisfies AuditAction,
            targetType: "orientation",
            targetId: r.id,
            structureId: r.structureId,
            requestId,
            outcome: "success" as const,
            reason: "30 jours sans réponse",
          })),
        );
      return rows.length;
    });
    expired += batch;
    if (batch < EXPIRY_BATCH) return expired;
  }
}

/** An orientation as the history reads it (timestamps as ISO strings, status as stored). */
export interface OrientationHistoryRow {
  target: OrientationView["target"];
  partnerName: string | null;
  reason: string;
  status: OrientationView["status"];
  refusalReason: string;
  createdByName: string | null;
  sentAt: string | null;
  expiresAt: string | null;
  answeredAt: string | null;
  /** Who answered for the receiving side (a partner referent or a mediator). */
  answeredByName: string | null;
  outcome: string;
  completedAt: string | null;
}

/**
 * The orientations of a person, newest first (at most 200), as a JSON array of
 * `OrientationHistoryRow` (people/fileReads.ts); `effectiveStatus` gives the status as of now.
 */
export function orientationHistoryJson(personId: SQL): SQL {
  return sql`(select coalesce(json_agg(x.row order by x.n), '[]'::json) from (
    select row_number() over (order by o.created_at desc) as n, json_build_object(
      'target', o.target, 'partnerName', op.name, 'reason', o.reason, 'status', o.status,
      'refusalReason', o.refusal_reason, 'createdByName', ou.display_name, 'sentAt', ${isoTime(sql`o.sent_at`)},
      'expiresAt', ${isoTime(sql`o.expires_at`)}, 'answeredAt', ${isoTime(sql`o.answered_at`)},
      'answeredByName', oa.display_name, 'outcome', o.outcome, 'completedAt', ${isoTime(sql`o.completed_at`)}
    ) as row
    from orientation o
    left join partner op on op.id = o.partner_id
    left join "user" ou on ou.id = o.created_by
    left join "user" oa on oa.id = o.answered_by
    where o.person_id = ${personId}
    order by o.created_at desc
    limit 200) x)`;
}

/** The structure's view of orientations, each with its status as of `now` (`effectiveStatus`). */
export async function orientationViews(
  db: Db,
  where: SQL,
  mayChange: boolean,
  now: Date,
): Promise<OrientationView[]> {
  const rows = await db
    .select({
      orientation,
      partnerName: partner.name,
      demarcheLabel: demarcheType.label,
      createdByName: user.displayName,
      contactName: directoryContact.name,
      contactFunction: directoryContact.function,
      // Sending to a partner needs the person's consent in force to name it (sendInTransaction).
      needsConsent: sql<boolean>`(${orientation.partnerId} is not null and not exists (
        select 1 from ${consent} where ${consent.personId} = ${orientation.personId}
        and ${consent.revokedAt} is null and ${orientation.partnerId} = any(${consent.partnerIds})))`,
    })
    .from(orientation)
    .leftJoin(partner, eq(partner.id, orientation.partnerId))
    .leftJoin(demarche, eq(demarche.id, orientation.demarcheId))
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .leftJoin(user, eq(user.id, orientation.createdBy))
    .leftJoin(directoryContact, eq(directoryContact.id, orientation.directoryContactId))
    .where(where)
    .orderBy(desc(orientation.createdAt))
    .limit(200);
  return rows.map(
    ({
      orientation: o,
      partnerName,
      demarcheLabel,
      createdByName,
      contactName,
      contactFunction,
      needsConsent,
    }) => {
      const status = effectiveStatus(o.status, o.expiresAt, now);
      return {
        id: o.id,
        target: o.target,
        partnerName,
        iaeKind: o.iaeKind,
        contactName: contactName ? `${contactName}${contactFunction ? `, ${contactFunction}` : ""}` : null,
        demarcheLabel,
        reason: o.reason,
        status,
        refusalReason: o.refusalReason,
        refusalReasonForPerson: o.refusalReasonForPerson,
        outcome: o.outcome,
        createdByName,
        createdAt: o.createdAt.toISOString(),
        sentAt: o.sentAt?.toISOString() ?? null,
        expiresAt: o.expiresAt?.toISOString() ?? null,
        answeredAt: o.answeredAt?.toISOString() ?? null,
        responseHours: responseHours(o.sentAt, o.answeredAt),
        needsConsent: Boolean(needsConsent),
        permissions: {
          send: mayChange && mayMove(status, "send"),
          cancel: mayChange && mayMove(status, "cancel"),
        },
      };
    },
  );
}

/**
 * The receiving side's seats: a partner referent receives what is sent to their organisation, a
 * mediator the reorientations to the association's mediation, each in their own structure.
 */
export function receivingSeats(actor: Actor): Actor["memberships"] {
  return actor.memberships.filter(
    (m) => (m.role === "partner_referent" && m.partnerId) || m.role === "mediator",
  );
}

/** The orientations the receiving side may see: addressed to their organisation, in their structure. */
export function addressedTo(actor: Actor): SQL {
  const seats = receivingSeats(actor);
  if (seats.length === 0) return sql`false`;
  return and(
    or(
      ...seats.map((m) =>
        m.role === "mediator"
          ? and(eq(orientation.structureId, m.structureId), eq(orientation.target, "mediation"))
          : and(eq(orientation.structureId, m.structureId), eq(orientation.partnerId, m.partnerId!)),
      ),
    ),
    inArray(orientation.status, ["sent", "accepted", "refused", "expired", "completed"]),
    // An archived or erased file leaves the receiving side's inbox too (ADR 0024).
    sql`not exists (select 1 from ${person} where ${person.id} = ${orientation.personId} and (${person.archivedAt} is not null or ${person.erasedAt} is not null))`,
  ) as SQL;
}

/**
 * The receiving side's view: the person's identity and contact only while the person's active
 * consent covers it (names the partner, or the association for mediation), the shared need domains, the démarche only if its details are shared.
 * Never a judicial field, never a note.
 */
export async function inboxItems(db: Db, where: SQL, now: Date): Promise<Omit<InboxItem, "documentCount">[]> {
  const rows = await db
    .select({
      orientation,
      structureName: structure.name,
      firstName: person.firstName,
      lastName: person.lastName,
      birthDate: person.birthDate,
      fileNumber: person.fileNumber,
      phone: person.phone,
      email: person.email,
      consent,
      demarcheLabel: demarcheType.label,
    })
    .from(orientation)
    .innerJoin(structure, eq(structure.id, orientation.structureId))
    .innerJoin(person, eq(person.id, orientation.personId))
    .leftJoin(
      consent,
      and(eq(consent.personId, orientation.personId), isNull(consent.revokedAt), consentCovers),
    )
    .leftJoin(demarche, eq(demarche.id, orientation.demarcheId))
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .where(where)
    .orderBy(desc(orientation.sentAt))
    .limit(300);
  return rows.map((r) => {
    const o = r.orientation;
    const c = r.consent;
    return {
      id: o.id,
      structureName: r.structureName,
      target: o.target,
      iaeKind: o.iaeKind,
      reason: o.reason,
      status: effectiveStatus(o.status, o.expiresAt, now),
      sentAt: o.sentAt!.toISOString(),
      expiresAt: o.expiresAt!.toISOString(),
      person: c
        ? {
            firstName: r.firstName,
            lastName: r.lastName,
            birthDate: r.birthDate,
            fileNumber: r.fileNumber,
            phone: r.phone,
            email: r.email,
          }
        : null,
      sharedNeeds: (c?.domains ?? []) as NeedDomain[],
      demarcheLabel: c?.shareDemarcheDetails ? r.demarcheLabel : null,
      answeredAt: o.answeredAt?.toISOString() ?? null,
      completedAt: o.completedAt?.toISOString() ?? null,
      refusalReason: o.status === "refused" ? o.refusalReason : "",
      refusalReasonForPerson: o.status === "refused" && o.refusalReasonForPerson,
      outcome: o.outcome,
    };
  });
}
