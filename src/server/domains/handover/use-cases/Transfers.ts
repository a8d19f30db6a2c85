import { and, asc, desc, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { errors } from "../../../../common/errors";
import type { ProposeTransferBody, TransferInbox } from "../../../../common/handover/handover.schema";
import { journalFor } from "../../../core/audit";
import { type Actor, type RequestContext, structuresWithRole } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { handoverMeeting, measure, person, structure, transfer, user } from "../../../db/schema";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope } from "../../people/policies";
import { findVisiblePerson, referentCandidates } from "../../people/queries";
import { transferWordsOf } from "../journalWords";
import { notifyAcceptedTransfer } from "../transferNotices";
import { transmitFile } from "../transmit";

const fromStructure = alias(structure, "from_structure");
const toStructure = alias(structure, "to_structure");

async function personTransfersOf(db: Db, ctx: RequestContext, personId: string) {
  const found = await findVisiblePerson(db, nominativeScope(ctx.actor), personId);
  if (!found) throw errors.person.notFound();
  const rows = await db
    .select({ t: transfer, fromName: fromStructure.name, toName: toStructure.name, byName: user.displayName })
    .from(transfer)
    .innerJoin(fromStructure, eq(fromStructure.id, transfer.fromStructureId))
    .innerJoin(toStructure, eq(toStructure.id, transfer.toStructureId))
    .innerJoin(user, eq(user.id, transfer.proposedBy))
    .where(eq(transfer.personId, personId))
    .orderBy(desc(transfer.proposedAt))
    .limit(50);
  const structures = await db
    .select({ id: structure.id, name: structure.name })
    .from(structure)
    .where(sql`${structure.id} <> ${found.person.structureId}`)
    .orderBy(asc(structure.name));
  await journalFor(db, ctx, {
    action: "transfer.read",
    targetType: "person",
    targetId: personId,
    structureId: found.person.structureId,
  });
  const open = !found.person.closedAt && !found.person.archivedAt;
  return {
    transfers: rows.map(({ t, fromName, toName, byName }) => ({
      id: t.id,
      status: t.status as "proposed" | "accepted" | "refused" | "cancelled",
      fromStructureName: fromName,
      toStructureName: toName,
      reason: t.reason,
      consentGiven: t.consentGiven,
      proposedAt: t.proposedAt.toISOString(),
      proposedByName: byName,
      answeredAt: t.answeredAt?.toISOString() ?? null,
      refusalReason: t.refusalReason,
    })),
    structures,
    permissions: { propose: found.edit && open },
  };
}

export function listPersonTransfers(deps: Deps, ctx: RequestContext, personId: string) {
  return personTransfersOf(deps.db, ctx, personId);
}

/** The referent or the direction proposes the file to another (existing) structure. */
export async function proposeTransfer(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  body: ProposeTransferBody,
) {
  await deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, nominativeScope(ctx.actor), personId);
    if (!found) throw errors.person.notFound();
    if (!found.edit) throw errors.access.forbidden();
    await assertFileOpen(tx, personId);
    const [target] = await tx
      .select({ id: structure.id })
      .from(structure)
      .where(eq(structure.id, body.toStructureId));
    if (!target) throw errors.handover.unknownStructure("body.toStructureId");
    if (target.id === found.person.structureId) throw errors.handover.sameStructure();
    const open = await tx
      .select({ id: transfer.id })
      .from(transfer)
      .where(and(eq(transfer.personId, personId), eq(transfer.status, "proposed")));
    if (open.length > 0) throw errors.handover.transferOpen();
    await tx.insert(transfer).values({
      personId,
      fromStructureId: found.person.structureId,
      toStructureId: target.id,
      proposedBy: ctx.actor.userId,
      proposedAt: ctx.clock.now(),
      reason: body.reason,
      consentGiven: body.consent === "given",
      consentReference: body.consent === "given" ? body.consentReference : "",
      status: "proposed",
    });
    const words = await transferWordsOf(tx, found.person.structureId, target.id);
    for (const structureId of [found.person.structureId, target.id]) {
      await journalFor(tx, ctx, {
        action: "transfer.proposed",
        targetType: "person",
        targetId: personId,
        structureId,
        reason: `${words}, ${body.consent === "given" ? "avec consentement" : "sans consentement"}`,
      });
    }
  });
  return personTransfersOf(deps.db, ctx, personId);
}

/** The sending side withdraws a proposal not answered yet. */
export async function cancelTransfer(
  deps: Deps,
  ctx: RequestContext,
  transferId: string,
): Promise<{ ok: true }> {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(transfer).where(eq(transfer.id, transferId)).for("update");
    if (!row) throw errors.handover.transferNotFound();
    const found = await findVisiblePerson(tx, nominativeScope(ctx.actor), row.personId);
    if (!found || found.person.structureId !== row.fromStructureId) throw errors.handover.transferNotFound();
    if (!found.edit) throw errors.access.forbidden();
    if (row.status !== "proposed") throw errors.handover.transferAnswered();
    await tx
      .update(transfer)
      .set({ status: "cancelled", answeredAt: ctx.clock.now(), answeredBy: ctx.actor.userId })
      .where(eq(transfer.id, transferId));
    await journalFor(tx, ctx, {
      action: "transfer.cancelled",
      targetType: "person",
      targetId: row.personId,
      structureId: row.fromStructureId,
      reason: await transferWordsOf(tx, row.fromStructureId, row.toStructureId),
    });
    return { ok: true as const };
  });
}

/** Structures where the actor answers transfers: their direction's. */
const receivingStructures = (actor: Actor): string[] => structuresWithRole(actor, "service_manager");

/**
 * The receiving direction's inbox: the proposals addressed to its structures, with the minimum to
 * decide (name, birth date, measure type and end, reason, whether the person consented).
 */
export async function transferInbox(deps: Deps, ctx: RequestContext): Promise<TransferInbox> {
  const mine = receivingStructures(ctx.actor);
  if (mine.length === 0) throw errors.access.forbidden();
  const rows = await deps.db
    .select({
      t: transfer,
      firstName: person.firstName,
      lastName: person.lastName,
      birthDate: person.birthDate,
      fromName: fromStructure.name,
      toName: toStructure.name,
      byName: user.displayName,
      measureType: sql<
        string | null
      >`(select ${measure.type}::text from ${measure} where ${measure.personId} = ${person.id} order by ${measure.endDate} desc limit 1)`,
      measureEnd: sql<
        string | null
      >`(select ${measure.endDate}::text from ${measure} where ${measure.personId} = ${person.id} order by ${measure.endDate} desc limit 1)`,
    })
    .from(transfer)
    .innerJoin(person, eq(person.id, transfer.personId))
    .innerJoin(fromStructure, eq(fromStructure.id, transfer.fromStructureId))
    .innerJoin(toStructure, eq(toStructure.id, transfer.toStructureId))
    .innerJoin(user, eq(user.id, transfer.proposedBy))
    .where(and(inArray(transfer.toStructureId, mine), eq(transfer.status, "proposed")))
    .orderBy(asc(transfer.proposedAt))
    .limit(200);
  for (const r of rows) {
    await journalFor(deps.db, ctx, {
      action: "transfer.inbox_read",
      targetType: "person",
      targetId: r.t.personId,
      structureId: r.t.toStructureId,
    });
  }
  const referents = [];
  for (const structureId of mine) {
    for (const c of await referentCandidates(deps.db, structureId)) {
      referents.push({ structureId, id: c.userId, name: c.displayName });
    }
  }
  return {
    items: rows.map((r) => ({
      id: r.t.id,
      personId: r.t.personId,
      firstName: r.firstName,
      lastName: r.lastName,
      birthDate: r.birthDate,
      measureType: r.measureType,
      measureEnd: r.measureEnd,
      reason: r.t.reason,
      consentGiven: r.t.consentGiven,
      fromStructureName: r.fromName,
      toStructureId: r.t.toStructureId,
      toStructureName: r.toName,
      proposedAt: r.t.proposedAt.toISOString(),
      proposedByName: r.byName,
    })),
    referents,
  };
}

async function findAnswerable(tx: Db, ctx: RequestContext, transferId: string) {
  const [row] = await tx.select().from(transfer).where(eq(transfer.id, transferId)).for("update");
  const mine = receivingStructures(ctx.actor);
  // Another structure's transfer is not found, whatever the actor's roles there.
  if (!row || !mine.includes(row.toStructureId)) {
    if (row && structuresWithRole(ctx.actor, "probation_officer", "counselor").includes(row.toStructureId))
      throw errors.access.forbidden();
    throw errors.handover.transferNotFound();
  }
  if (row.status !== "proposed") throw errors.handover.transferAnswered();
  return row;
}

/**
 * Accepts, choosing the new referent: the file passes to the receiving structure (`transmitFile`),
 * and the sending file's referent and the new referent are told (`notifyAcceptedTransfer`), in the
 * same transaction. The same acceptance sent again by the direction that made it (a lost answer, a
 * double click: ADR 0036) answers the file already opened and changes or sends nothing; any other
 * answer to a transfer already answered stays a 409 `transfer.answered`.
 */
export async function acceptTransfer(
  deps: Deps,
  ctx: RequestContext,
  transferId: string,
  referentUserId: string,
) {
  return deps.db.transaction(async (tx) => {
    const [previous] = await tx.select().from(transfer).where(eq(transfer.id, transferId)).for("update");
    if (
      previous?.status === "accepted" &&
      previous.answeredBy === ctx.actor.userId &&
      previous.newReferentUserId === referentUserId &&
      previous.resultPersonId
    )
      return { ok: true as const, personId: previous.resultPersonId };
    const row = await findAnswerable(tx, ctx, transferId);
    await assertFileOpen(tx, row.personId);
    const newId = await transmitFile(tx, ctx, {
      via: "transfer",
      personId: row.personId,
      fromStructureId: row.fromStructureId,
      toStructureId: row.toStructureId,
      referentUserId,
      consentGiven: row.consentGiven,
    });
    await tx
      .update(transfer)
      .set({
        status: "accepted",
        answeredAt: ctx.clock.now(),
        answeredBy: ctx.actor.userId,
        newReferentUserId: referentUserId,
        resultPersonId: newId,
      })
      .where(eq(transfer.id, transferId));
    const words = await transferWordsOf(tx, row.fromStructureId, row.toStructureId);
    for (const structureId of [row.fromStructureId, row.toStructureId]) {
      await journalFor(tx, ctx, {
        action: "transfer.accepted",
        targetType: "person",
        targetId: structureId === row.toStructureId ? newId : row.personId,
        structureId,
        reason: words,
      });
    }
    await notifyAcceptedTransfer(tx, deps, {
      ...row,
      newPersonId: newId,
      newReferentUserId: referentUserId,
      now: ctx.clock.now(),
    });
    return { ok: true as const, personId: newId };
  });
}

/**
 * Refuses, with the reason the sending side will read. The same refusal sent again by the direction
 * that made it (a lost answer, a double click: ADR 0036) answers as the first did and writes nothing.
 */
export async function refuseTransfer(deps: Deps, ctx: RequestContext, transferId: string, reason: string) {
  return deps.db.transaction(async (tx) => {
    const [previous] = await tx.select().from(transfer).where(eq(transfer.id, transferId)).for("update");
    if (
      previous?.status === "refused" &&
      previous.answeredBy === ctx.actor.userId &&
      previous.refusalReason === reason
    )
      return { ok: true as const };
    const row = await findAnswerable(tx, ctx, transferId);
    await tx
      .update(transfer)
      .set({
        status: "refused",
        answeredAt: ctx.clock.now(),
        answeredBy: ctx.actor.userId,
        refusalReason: reason,
      })
      .where(eq(transfer.id, transferId));
    const words = await transferWordsOf(tx, row.fromStructureId, row.toStructureId);
    for (const structureId of [row.fromStructureId, row.toStructureId]) {
      await journalFor(tx, ctx, {
        action: "transfer.refused",
        targetType: "person",
        targetId: row.personId,
        structureId,
        reason: words,
      });
    }
    return { ok: true as const };
  });
}

/**
 * The sending side's read-only history: the files its structures passed on (handovers held,
 * transfers proposed or answered), for its CPIP and its direction.
 */
export async function listTransmissions(deps: Deps, ctx: RequestContext) {
  const mine = structuresWithRole(ctx.actor, "probation_officer", "service_manager");
  if (mine.length === 0) throw errors.access.forbidden();
  const referentUser = alias(user, "referent_user");
  const handovers = await deps.db
    .select({
      m: handoverMeeting,
      firstName: person.firstName,
      lastName: person.lastName,
      toName: structure.name,
      referentName: referentUser.displayName,
    })
    .from(handoverMeeting)
    .innerJoin(person, eq(person.id, handoverMeeting.personId))
    .innerJoin(structure, eq(structure.id, handoverMeeting.targetStructureId))
    .leftJoin(referentUser, eq(referentUser.id, handoverMeeting.targetReferentUserId))
    .where(and(inArray(handoverMeeting.structureId, mine), isNotNull(handoverMeeting.heldAt)))
    .orderBy(desc(handoverMeeting.heldAt))
    .limit(200);
  const transfers = await deps.db
    .select({
      t: transfer,
      firstName: person.firstName,
      lastName: person.lastName,
      toName: structure.name,
      referentName: referentUser.displayName,
    })
    .from(transfer)
    .innerJoin(person, eq(person.id, transfer.personId))
    .innerJoin(structure, eq(structure.id, transfer.toStructureId))
    .leftJoin(referentUser, eq(referentUser.id, transfer.newReferentUserId))
    .where(
      and(
        inArray(transfer.fromStructureId, mine),
        or(eq(transfer.status, "accepted"), eq(transfer.status, "refused"), eq(transfer.status, "proposed")),
      ),
    )
    .orderBy(desc(transfer.proposedAt))
    .limit(200);
  const items = [
    ...handovers.map((h) => ({
      kind: "handover" as const,
      id: h.m.id,
      personId: h.m.personId,
      personName: `${h.lastName.toUpperCase()} ${h.firstName}`,
      at: h.m.heldAt!.toISOString(),
      toStructureName: h.toName,
      toReferentName: h.referentName,
      consentGiven: h.m.consentGiven,
      status: "held",
    })),
    ...transfers.map((t) => ({
      kind: "transfer" as const,
      id: t.t.id,
      personId: t.t.personId,
      personName: `${t.lastName.toUpperCase()} ${t.firstName}`,
      at: (t.t.answeredAt ?? t.t.proposedAt).toISOString(),
      toStructureName: t.toName,
      toReferentName: t.referentName,
      consentGiven: t.t.consentGiven,
      status: t.t.status,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  for (const item of items) {
    await journalFor(deps.db, ctx, {
      action: "transmission.read",
      targetType: "person",
      targetId: item.personId,
    });
  }
  return { items };
}
