import { and, asc, eq, gt, inArray, notInArray } from "drizzle-orm";
import { finalDemarcheStatuses } from "../../../../common/accompaniment/accompaniment.schema";
import { parisDay } from "../../../../common/calendar";
import { formatDate } from "../../../../common/dateFormat";
import { errors } from "../../../../common/errors";
import { orientationTargetLabels } from "../../../../common/orientations/orientations.schema";
import {
  type CloseBody,
  type ClosingPreview,
  closingReasonLabels,
  type ReopenBody,
} from "../../../../common/people/closing.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import {
  convocation,
  demarche,
  demarcheType,
  measure,
  notification,
  orientation,
  partner,
  person,
  site,
} from "../../../db/schema";
import { changeDemarche } from "../../accompaniment/use-cases/RecordVisit";
import { applyConvocationStatus } from "../../agenda/use-cases/SetConvocationStatus";
import { detentionColumns } from "../../detention/queries";
import { heldOnConvocationDay, messagesReach } from "../../notifications/reach";
import { retargetPendingMessages } from "../../notifications/retarget";
import { effectiveStatus } from "../../orientations/rules";
import { recordChanges } from "../changes";
import { assertFileOpen } from "../openFile";
import { nominativeScope } from "../policies";
import { findVisiblePerson } from "../queries";

/** The file, for the active referent or the direction (who close and reopen files). */
async function findClosable(db: Db, ctx: RequestContext, personId: string) {
  const found = await findVisiblePerson(db, nominativeScope(ctx.actor), personId);
  if (!found) throw errors.person.notFound();
  if (!found.edit) throw errors.access.forbidden();
  return found;
}

/** What closing would touch: future planned convocations, pending messages, open démarches and orientations. */
async function openItems(db: Db, personId: string, now: Date) {
  const convocations = await db
    .select({ convocation, siteName: site.name, detention: detentionColumns })
    .from(convocation)
    .innerJoin(site, eq(site.id, convocation.siteId))
    .innerJoin(person, eq(person.id, convocation.personId))
    .where(
      and(
        eq(convocation.personId, personId),
        eq(convocation.status, "planned"),
        gt(convocation.startsAt, now),
      ),
    )
    .orderBy(asc(convocation.startsAt));
  const pending = await db
    .select({ id: notification.id })
    .from(notification)
    .where(and(eq(notification.personId, personId), eq(notification.status, "pending")));
  const demarches = await db
    .select({ demarche, label: demarcheType.label })
    .from(demarche)
    .leftJoin(demarcheType, eq(demarcheType.id, demarche.demarcheTypeId))
    .where(and(eq(demarche.personId, personId), notInArray(demarche.status, [...finalDemarcheStatuses])));
  const orientations = (
    await db
      .select({ orientation, partnerName: partner.name })
      .from(orientation)
      .leftJoin(partner, eq(partner.id, orientation.partnerId))
      .where(
        and(eq(orientation.personId, personId), inArray(orientation.status, ["draft", "sent", "accepted"])),
      )
  ).filter((o) => effectiveStatus(o.orientation.status, o.orientation.expiresAt, now) !== "expired");
  return { convocations, pending: pending.length, demarches, orientations };
}

export async function previewClosing(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
): Promise<ClosingPreview> {
  await findClosable(deps.db, ctx, personId);
  const items = await openItems(deps.db, personId, ctx.clock.now());
  return {
    convocations: items.convocations.map((c) => {
      const held = heldOnConvocationDay(c.detention, c.convocation.startsAt);
      return {
        id: c.convocation.id,
        startsAt: c.convocation.startsAt.toISOString(),
        siteName: c.siteName,
        // How the cancellation reaches the person: by the messages the outbox sends, through the
        // establishment holding them that day, or by nobody but the agent (no channel was chosen).
        notice: messagesReach(c.convocation, c.detention) ? "message" : held ? "establishment" : "agent",
      };
    }),
    pendingMessages: items.pending,
    demarches: items.demarches.map((d) => ({
      id: d.demarche.id,
      label: d.label ?? "Démarche",
      status: d.demarche.status,
    })),
    orientations: items.orientations.map((o) => ({
      id: o.orientation.id,
      label: o.partnerName ?? orientationTargetLabels[o.orientation.target],
      status: o.orientation.status,
      cancellable: o.orientation.status !== "accepted",
    })),
  };
}

function unknownItem(path: string): never {
  throw errors.request.invalid([{ path, message: "Cet élément n'est pas ouvert dans ce dossier." }]);
}

/**
 * Closes a file in one transaction: messages not yet sent are withdrawn, each future planned
 * convocation is cancelled through the status path (the person told once, on the channels where
 * they heard of it), the démarches and orientations are abandoned or cancelled as decided (the
 * others stay open, e.g. with the partner), then the file is marked closed: it leaves the active
 * lists and every write on it answers 409 until it is reopened.
 */
export async function closeFile(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  body: CloseBody,
): Promise<{ ok: true }> {
  const now = ctx.clock.now();
  if (body.closedOn > parisDay(now)) {
    throw errors.request.invalid([
      { path: "body.closedOn", message: "La date de clôture ne peut pas être dans le futur." },
    ]);
  }
  return inTransaction(deps.db, async (tx) => {
    // The person's row first, and for update: two closings at once no longer both take the shared
    // lock of assertFileOpen and then deadlock upgrading it; the second waits, then finds the file
    // closed (409 person.closed).
    await lockRows(tx, person, [personId]);
    const found = await findClosable(tx, ctx, personId);
    await assertFileOpen(tx, personId);
    // Closed before it began: a date typed a few years off ("1990" for "2026") is refused.
    const [first] = await tx
      .select({ startDate: measure.startDate })
      .from(measure)
      .where(eq(measure.personId, personId))
      .orderBy(asc(measure.startDate))
      .limit(1);
    const followedFrom = first ? first.startDate : found.person.birthDate;
    if (body.closedOn < followedFrom) {
      throw errors.request.invalid([
        {
          path: "body.closedOn",
          message: `La date de clôture ne peut pas précéder le début du suivi (${formatDate(followedFrom)}) : vérifiez l'année.`,
        },
      ]);
    }
    const items = await openItems(tx, personId, now);
    const demarchesById = new Map(items.demarches.map((d) => [d.demarche.id, d.demarche]));
    const orientationsById = new Map(items.orientations.map((o) => [o.orientation.id, o.orientation]));
    for (const [i, d] of body.demarches.entries()) {
      if (!demarchesById.has(d.id)) unknownItem(`body.demarches.${i}.id`);
    }
    for (const [i, o] of body.orientations.entries()) {
      if (!orientationsById.has(o.id)) unknownItem(`body.orientations.${i}.id`);
    }

    for (const channel of ["sms", "email"] as const) {
      await retargetPendingMessages(tx, {
        personId,
        channel,
        newRecipient: null,
        reason: "Dossier clôturé : message retiré.",
        now,
      });
    }
    for (const { convocation: c } of items.convocations) {
      await applyConvocationStatus(tx, ctx, c, "cancelled", now);
    }
    for (const d of body.demarches.filter((d) => d.decision === "abandon")) {
      const current = demarchesById.get(d.id)!;
      await changeDemarche(
        tx,
        ctx,
        current,
        { status: "abandoned", outcome: current.outcome, nextStep: "", dueDate: null, timeSpentMinutes: 0 },
        null,
      );
    }
    for (const o of body.orientations.filter((o) => o.decision === "cancel")) {
      if (orientationsById.get(o.id)!.status === "accepted") throw errors.orientation.invalidTransition();
      await tx.update(orientation).set({ status: "cancelled" }).where(eq(orientation.id, o.id));
      await journalFor(tx, ctx, {
        action: "orientation.cancelled",
        targetType: "orientation",
        targetId: o.id,
        structureId: found.person.structureId,
        reason: "clôture du dossier",
      });
    }
    await tx
      .update(person)
      .set({ closedAt: now, closedOn: body.closedOn, closedReason: body.reason, closedNote: body.note })
      .where(eq(person.id, personId));
    await recordChanges(tx, ctx, {
      personId,
      structureId: found.person.structureId,
      changes: [
        {
          field: "closed",
          before: "",
          after: `${closingReasonLabels[body.reason]}, le ${body.closedOn.split("-").reverse().join("/")}`,
        },
      ],
      reason: body.note,
      action: "person.closed",
    });
    return { ok: true as const };
  });
}

/** Reopens a closed file (reason required): it is again in the lists and writable. */
export async function reopenFile(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  body: ReopenBody,
): Promise<{ ok: true }> {
  return inTransaction(deps.db, async (tx) => {
    // Reopened twice at once: the second reads the file the first reopened (409 person.notClosed).
    await lockRows(tx, person, [personId]);
    const found = await findClosable(tx, ctx, personId);
    const current = found.person;
    if (!current.closedAt) throw errors.person.notClosed();
    if (found.passedOn) throw errors.person.passedOn();
    await tx
      .update(person)
      .set({ closedAt: null, closedOn: null, closedReason: null, closedNote: "" })
      .where(eq(person.id, personId));
    await recordChanges(tx, ctx, {
      personId,
      structureId: current.structureId,
      changes: [
        {
          field: "reopened",
          before: closingReasonLabels[(current.closedReason ?? "other") as keyof typeof closingReasonLabels],
          after: "",
        },
      ],
      reason: body.reason,
      action: "person.reopened",
    });
    return { ok: true as const };
  });
}
