import { and, desc, eq } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import {
  type NewOrientation,
  type OrientationTarget,
  type OrientationView,
  partnerFitsTarget,
  partnerNotForTargetMessage,
} from "../../../../common/orientations/orientations.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { alreadyCreated } from "../../../core/retriedCreation";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import { demarche, orientation, partner, person, structure, visit } from "../../../db/schema";
import { transitionAllowed } from "../../accompaniment/rules";
import { contactOfStructure } from "../../directory/queries";
import { enqueueAgentNotices } from "../../notifications/outbox";
import { assertFileOpen } from "../../people/openFile";
import { mayWorkOnFile, nominativeScope, visiblePeople } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { activeAgentsWithRole } from "../../structures/queries";
import { consentNamesPartner, expireOverdue, orientationViews } from "../queries";
import { expiryOf, mayMove } from "../rules";

/**
 * Orientations are made by the referent CPIP (or the direction) and the counselors whose own scope
 * holds the person (`mayWorkOnFile`), not by a CPIP who only reads a colleague's person.
 */
const mayOrient = (found: { edit: boolean; counselor: boolean }): boolean => mayWorkOnFile(found);

export async function listOrientations(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
): Promise<{ orientations: OrientationView[]; permissions: { create: boolean } }> {
  const scope = nominativeScope(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) throw errors.person.notFound();
    // A read writes nothing: an overdue orientation reads as expired (the scheduled job expires it).
    const may = found.person.closedAt === null && found.person.archivedAt === null && mayOrient(found);
    return {
      orientations: await orientationViews(tx, eq(orientation.personId, personId), may, ctx.clock.now()),
      permissions: { create: may },
    };
  });
}

/**
 * The receiving partner must exist and fit the target (ADR 0030, addendum): an IAE orientation reaches
 * an IAE employer, never the CAF's inbox; an IAE employer receives only IAE orientations.
 */
async function assertPartnerFitsTarget(tx: Db, target: OrientationTarget, partnerId: string): Promise<void> {
  const [known] = await tx.select({ kind: partner.kind }).from(partner).where(eq(partner.id, partnerId));
  if (!known) throw errors.orientation.unknownPartner();
  if (!partnerFitsTarget(target, known.kind))
    throw errors.orientation.partnerNotForTarget(partnerNotForTargetMessage(target));
}

/** Sends: the person's active consent must name the receiving organisation; its referents get an email. */
async function sendInTransaction(
  tx: Db,
  deps: Deps,
  ctx: RequestContext,
  o: typeof orientation.$inferSelect,
): Promise<void> {
  // A draft kept from before the rule is checked again: it never reaches an organisation not meant for it.
  if (o.partnerId) await assertPartnerFitsTarget(tx, o.target, o.partnerId);
  if (o.partnerId && !(await consentNamesPartner(tx, o.personId, o.partnerId))) {
    throw errors.orientation.consentRequired();
  }
  const now = ctx.clock.now();
  await tx
    .update(orientation)
    .set({ status: "sent", sentAt: now, expiresAt: expiryOf(now) })
    .where(eq(orientation.id, o.id));
  const recipients =
    o.target === "mediation"
      ? await activeAgentsWithRole(tx, o.structureId, "mediator")
      : o.partnerId
        ? await activeAgentsWithRole(tx, o.structureId, "partner_referent", o.partnerId)
        : [];
  if (recipients.length > 0) {
    const [from] = await tx
      .select({ name: structure.name })
      .from(structure)
      .where(eq(structure.id, o.structureId));
    await enqueueAgentNotices(tx, {
      structureId: o.structureId,
      kind: "orientation_sent",
      recipients,
      subject: "Passerelle : une nouvelle orientation vous est adressée",
      body: `Bonjour,\n\n${from?.name ?? "Une structure France services"} vous adresse une orientation. Merci d'y répondre sous 30 jours :\n\n${deps.config.PUBLIC_URL}/\n\nPasserelle`,
      now,
    });
  }
  await journalFor(tx, ctx, {
    action: "orientation.sent",
    targetType: "orientation",
    targetId: o.id,
    structureId: o.structureId,
  });
}

/**
 * The site of the person's latest recorded visit, if any. Every recorded visit is behind the moment
 * of the orientation, even when its appointment time is not: a person who came early is seen, and
 * the visit recorded, before the slot begins (the visit is dated by its appointment).
 */
async function latestVisitSite(tx: Db, personId: string): Promise<string | null> {
  const [latest] = await tx
    .select({ siteId: visit.siteId })
    .from(visit)
    .where(eq(visit.personId, personId))
    .orderBy(desc(visit.startedAt))
    .limit(1);
  return latest?.siteId ?? null;
}

export async function createOrientation(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  { id: chosenId, ...input }: NewOrientation,
): Promise<OrientationView> {
  const scope = nominativeScope(ctx.actor);
  // Sent twice at once under the same id: the second insert waits for the first, breaks the primary
  // key, and runs again: `alreadyCreated` then finds the first's orientation and answers it (ADR 0036).
  return inTransaction(
    deps.db,
    async (tx) => {
      const found = await findVisiblePerson(tx, scope, personId);
      if (!found) throw errors.person.notFound();
      await assertFileOpen(tx, personId);
      const structureId = found.person.structureId;
      if (!mayOrient(found)) throw errors.access.forbidden();
      // A retry of a creation already written (ADR 0036): the same orientation, not a second one.
      if (
        chosenId &&
        (await alreadyCreated(
          tx,
          ctx,
          {
            table: orientation,
            id: chosenId,
            scope: [orientation.personId, personId],
            creator: orientation.createdBy,
          },
          {
            target: input.target,
            partnerId: input.target === "mediation" ? null : input.partnerId,
            iaeKind: input.target === "iae_employer" ? input.iaeKind : null,
            directoryContactId: input.target === "mediation" ? null : input.directoryContactId,
            demarcheId: input.demarcheId,
            reason: input.reason,
            // Sent the first time (whatever its answer since), or kept as a draft.
            status: (row: Record<string, unknown>) => (row.status !== "draft") === input.send,
          },
          errors.orientation.retriedWithOtherValues,
        ))
      ) {
        const [view] = await orientationViews(tx, eq(orientation.id, chosenId), true, ctx.clock.now());
        return view!;
      }
      if (input.target !== "mediation" && input.partnerId) {
        await assertPartnerFitsTarget(tx, input.target, input.partnerId);
      }
      if (input.directoryContactId) {
        const contact = await contactOfStructure(tx, structureId, input.directoryContactId);
        if (!contact) throw errors.orientation.unknownContact();
        // A contact at the receiving organisation itself (an IAE employer's too: ADR 0030, addendum).
        const forTarget = input.target !== "mediation" && contact.partnerId === input.partnerId;
        if (!forTarget) throw errors.directory.contactNotForTarget();
      }
      // Where the orientation is decided (ADR 0018): its démarche's site, else the person's latest visit's.
      let siteId: string | null = null;
      if (input.demarcheId) {
        const [d] = await tx
          .select()
          .from(demarche)
          .where(and(eq(demarche.id, input.demarcheId), eq(demarche.personId, personId)));
        if (!d) throw errors.orientation.unknownDemarche();
        siteId = d.siteId;
        // An escalation keeps the démarche going at the partner's; any other orientation hands it over.
        if (input.target === "partner_back_office") {
          await tx
            .update(demarche)
            .set({ helpLevel: "escalated", updatedAt: ctx.clock.now() })
            .where(eq(demarche.id, d.id));
        } else {
          if (!transitionAllowed(d.status, "reoriented")) throw errors.accompaniment.invalidTransition();
          await tx
            .update(demarche)
            .set({ status: "reoriented", updatedAt: ctx.clock.now() })
            .where(eq(demarche.id, d.id));
        }
      }
      siteId ??= await latestVisitSite(tx, personId);
      const [created] = await tx
        .insert(orientation)
        .values({
          id: chosenId,
          structureId,
          personId,
          siteId,
          demarcheId: input.demarcheId,
          target: input.target,
          partnerId: input.target === "mediation" ? null : input.partnerId,
          iaeKind: input.target === "iae_employer" ? input.iaeKind : null,
          directoryContactId: input.target === "mediation" ? null : input.directoryContactId,
          reason: input.reason,
          status: "draft",
          createdBy: ctx.actor.userId,
          createdAt: ctx.clock.now(),
        })
        .returning();
      await journalFor(tx, ctx, {
        action: "orientation.created",
        targetType: "orientation",
        targetId: created!.id,
        structureId,
      });
      if (input.send) await sendInTransaction(tx, deps, ctx, created!);
      const [view] = await orientationViews(tx, eq(orientation.id, created!.id), true, ctx.clock.now());
      return view!;
    },
    { retryUniqueViolation: true },
  );
}

/** Sending a draft, or cancelling an orientation still without answer. */
export async function moveOrientation(
  deps: Deps,
  ctx: RequestContext,
  orientationId: string,
  move: "send" | "cancel",
): Promise<OrientationView> {
  const scope = nominativeScope(ctx.actor);
  // A write may expire it first, in its own transaction: a refused move rolls its own back.
  await expireOverdue(deps.db, eq(orientation.id, orientationId), ctx.clock.now(), ctx.requestId);
  return inTransaction(deps.db, async (tx) => {
    // Sent (or cancelled) twice at once: the second reads the status the first left.
    await lockRows(tx, orientation, [orientationId]);
    const [row] = await tx
      .select({ orientation })
      .from(orientation)
      .innerJoin(person, eq(person.id, orientation.personId))
      .where(and(eq(orientation.id, orientationId), visiblePeople(scope)));
    if (!row) throw errors.orientation.notFound();
    const o = row.orientation;
    const found = await findVisiblePerson(tx, scope, o.personId);
    if (found) await assertFileOpen(tx, o.personId);
    if (!found || !mayOrient(found)) throw errors.access.forbidden();
    if (o.status === "expired" && move === "cancel") throw errors.orientation.expired();
    if (!mayMove(o.status, move)) throw errors.orientation.invalidTransition();
    if (move === "send") await sendInTransaction(tx, deps, ctx, o);
    else {
      await tx.update(orientation).set({ status: "cancelled" }).where(eq(orientation.id, o.id));
      await journalFor(tx, ctx, {
        action: "orientation.cancelled",
        targetType: "orientation",
        targetId: o.id,
        structureId: o.structureId,
      });
    }
    const [view] = await orientationViews(tx, eq(orientation.id, o.id), true, ctx.clock.now());
    return view!;
  });
}
