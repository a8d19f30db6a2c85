import { and, eq } from "drizzle-orm";
import { parisDay } from "../../../common/calendar";
import { formatDate } from "../../../common/dateFormat";
import { errors } from "../../../common/errors";
import { TRAINING_IN_FUTURE, type TrainingBody } from "../../../common/structures/structures.schema";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { counselorTraining } from "../../db/schema";
import { assertMayManageMembership } from "./membershipTarget";

type Target = { structureId: string; userId: string };

/** "formation initiale du 12 mars 2026, CNFPT": the journal's words for a training. */
const trainingWords = (t: { trainedOn: string; organisation: string }): string =>
  `formation initiale du ${formatDate(t.trainedOn)}${t.organisation ? `, ${t.organisation}` : ""}`;

const ofTarget = (input: Target) =>
  and(eq(counselorTraining.structureId, input.structureId), eq(counselorTraining.userId, input.userId));

/**
 * The direction records (or corrects) an agent's "Formation initiale France services" in its
 * structure (ADR 0038): the same checks as any change of the agent's membership there (ADR 0009),
 * a day not after today by the server's clock, one transaction with its journal row. The same
 * training sent again (a retry after a lost answer, ADR 0036) is answered as the first, nothing
 * written.
 */
export async function recordTraining(
  deps: Deps,
  ctx: RequestContext,
  input: Target & TrainingBody,
): Promise<void> {
  await assertMayManageMembership(deps, ctx, { ...input, action: "membership.training_recorded" });
  if (input.trainedOn > parisDay(ctx.clock.now()))
    throw errors.request.invalid([{ path: "body.trainedOn", message: TRAINING_IN_FUTURE }]);
  await deps.db.transaction(async (tx) => {
    const values = {
      trainedOn: input.trainedOn,
      organisation: input.organisation,
      recordedBy: ctx.actor.userId,
      recordedAt: ctx.clock.now(),
    };
    // A first training is inserted before anything is read: with no row yet, `select … for update`
    // locks nothing, and two identical requests at once both recorded and journaled it (probe of
    // 2026-12-04). The second insert waits for the first and does nothing; the lock below then
    // reads what the first committed, the same training, and answers as a retry (ADR 0036).
    const [inserted] = await tx
      .insert(counselorTraining)
      .values({ structureId: input.structureId, userId: input.userId, ...values })
      .onConflictDoNothing()
      .returning({ userId: counselorTraining.userId });
    const [before] = inserted
      ? []
      : await tx.select().from(counselorTraining).where(ofTarget(input)).for("update");
    if (before && before.trainedOn === input.trainedOn && before.organisation === input.organisation) return;
    if (!inserted) await tx.update(counselorTraining).set(values).where(ofTarget(input));
    await journalFor(tx, ctx, {
      action: "membership.training_recorded",
      targetType: "user",
      targetId: input.userId,
      structureId: input.structureId,
      reason: before
        ? `${trainingWords(input)} (au lieu de : ${trainingWords(before)})`
        : trainingWords(input),
    });
  });
}

/**
 * Removes a training recorded by mistake; the agent stays in the pools they already stand in (the
 * direction's home lists them), and joins no other until trained. Nothing recorded (already
 * removed, a retry): answered the same, nothing journaled.
 */
export async function removeTraining(deps: Deps, ctx: RequestContext, input: Target): Promise<void> {
  await assertMayManageMembership(deps, ctx, { ...input, action: "membership.training_removed" });
  await deps.db.transaction(async (tx) => {
    const [removed] = await tx.delete(counselorTraining).where(ofTarget(input)).returning();
    if (!removed) return;
    await journalFor(tx, ctx, {
      action: "membership.training_removed",
      targetType: "user",
      targetId: input.userId,
      structureId: input.structureId,
      reason: trainingWords(removed),
    });
  });
}
