import { and, desc, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { errors } from "../../../../common/errors";
import type { ReceivedTransfers } from "../../../../common/handover/handover.schema";
import { journalFor } from "../../../core/audit";
import { type RequestContext, structuresWithRole } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { handoverMeeting, person, structure, transfer, user } from "../../../db/schema";

const fromStructure = alias(structure, "from_structure");
const referentUser = alias(user, "referent_user");

/**
 * The files passed to the actor's structures: a transfer accepted or a handover held (from another
 * structure, or from the structure's milieu fermé). The direction reads all of its structure's; a CPIP only those where they were chosen as
 * the referent. Only the new file's identity, where it came from, when, who and whether the person
 * consented: the rest is in the file itself, under its own rules. Each row read is journaled.
 */
export async function listReceivedTransfers(deps: Deps, ctx: RequestContext): Promise<ReceivedTransfers> {
  const directed = structuresWithRole(ctx.actor, "service_manager");
  const referentIn = structuresWithRole(ctx.actor, "probation_officer").filter((s) => !directed.includes(s));
  if (directed.length === 0 && referentIn.length === 0) throw errors.access.forbidden();
  const none = sql`false`;
  const transferScope = or(
    directed.length > 0 ? inArray(transfer.toStructureId, directed) : none,
    referentIn.length > 0
      ? and(inArray(transfer.toStructureId, referentIn), eq(transfer.newReferentUserId, ctx.actor.userId))
      : none,
  );
  const handoverScope = or(
    directed.length > 0 ? inArray(handoverMeeting.targetStructureId, directed) : none,
    referentIn.length > 0
      ? and(
          inArray(handoverMeeting.targetStructureId, referentIn),
          eq(handoverMeeting.targetReferentUserId, ctx.actor.userId),
        )
      : none,
  );
  const transfers = await deps.db
    .select({
      t: transfer,
      firstName: person.firstName,
      lastName: person.lastName,
      birthDate: person.birthDate,
      fromName: fromStructure.name,
      referentName: referentUser.displayName,
    })
    .from(transfer)
    .innerJoin(person, eq(person.id, transfer.resultPersonId))
    .innerJoin(fromStructure, eq(fromStructure.id, transfer.fromStructureId))
    .leftJoin(referentUser, eq(referentUser.id, transfer.newReferentUserId))
    .where(and(eq(transfer.status, "accepted"), transferScope))
    .orderBy(desc(transfer.answeredAt))
    .limit(200);
  const handovers = await deps.db
    .select({
      m: handoverMeeting,
      firstName: person.firstName,
      lastName: person.lastName,
      birthDate: person.birthDate,
      fromName: fromStructure.name,
      referentName: referentUser.displayName,
    })
    .from(handoverMeeting)
    .innerJoin(person, eq(person.id, handoverMeeting.resultPersonId))
    .innerJoin(fromStructure, eq(fromStructure.id, handoverMeeting.structureId))
    .leftJoin(referentUser, eq(referentUser.id, handoverMeeting.targetReferentUserId))
    .where(and(isNotNull(handoverMeeting.heldAt), handoverScope))
    .orderBy(desc(handoverMeeting.heldAt))
    .limit(200);
  const items = [
    ...transfers.map((r) => ({
      kind: "transfer" as const,
      id: r.t.id,
      personId: r.t.resultPersonId!,
      structureId: r.t.toStructureId,
      firstName: r.firstName,
      lastName: r.lastName,
      birthDate: r.birthDate,
      fromStructureName: r.fromName,
      at: (r.t.answeredAt ?? r.t.proposedAt).toISOString(),
      referentName: r.referentName,
      consentGiven: r.t.consentGiven,
    })),
    ...handovers.map((r) => ({
      kind: "handover" as const,
      id: r.m.id,
      personId: r.m.resultPersonId!,
      structureId: r.m.targetStructureId,
      firstName: r.firstName,
      lastName: r.lastName,
      birthDate: r.birthDate,
      fromStructureName: r.fromName,
      at: r.m.heldAt!.toISOString(),
      referentName: r.referentName,
      consentGiven: r.m.consentGiven,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  await deps.db.transaction(async (tx) => {
    for (const item of items) {
      await journalFor(tx, ctx, {
        action: "transfer.received_read",
        targetType: "person",
        targetId: item.personId,
        structureId: item.structureId,
        reason: `${item.kind === "transfer" ? "transfert" : "passage de relais"} : dossier reçu de ${item.fromStructureName}`,
      });
    }
  });
  return {
    items: items.map(({ structureId: _structure, ...item }) => item),
    scope: directed.length > 0 ? "structure" : "mine",
  };
}
