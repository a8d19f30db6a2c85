import type { DetentionSettingsBody } from "../../../../common/detention/detention.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import { hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { detentionSettings } from "../../../db/schema";
import { loadDetentionSettings } from "../queries";

/** The milieu fermé settings are the structure's direction's business (not the platform admin's). */
function assertDirects(ctx: RequestContext, structureId: string): void {
  if (!hasRole(ctx.actor, "service_manager", structureId)) throw errors.access.forbidden();
}

export async function getDetentionSettings(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
): Promise<DetentionSettingsBody> {
  assertDirects(ctx, structureId);
  const { releasePlanDays } = await loadDetentionSettings(deps.db, structureId);
  return { releasePlanDays };
}

/**
 * Sets how long before the expected release the "préparer la sortie" plan shows (and its alerts
 * run). The plan is computed at each read, so the change applies at once; journaled with the value
 * (before → after), and only when it changes.
 */
export async function saveDetentionSettings(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  body: DetentionSettingsBody,
): Promise<DetentionSettingsBody> {
  assertDirects(ctx, structureId);
  await deps.db.transaction(async (tx) => {
    const before = await loadDetentionSettings(tx, structureId);
    // Saved unchanged (the form sent again as it was): nothing changes, nothing is journaled.
    if (before.releasePlanDays === body.releasePlanDays) return;
    await tx
      .insert(detentionSettings)
      .values({ structureId, releasePlanDays: body.releasePlanDays })
      .onConflictDoUpdate({
        target: detentionSettings.structureId,
        set: { releasePlanDays: body.releasePlanDays },
      });
    await journalFor(tx, ctx, {
      action: "detention.settings_changed",
      targetType: "structure",
      targetId: structureId,
      structureId,
      reason: `plan de sortie ${before.releasePlanDays} → ${body.releasePlanDays} jours avant la libération`,
    });
  });
  return { releasePlanDays: body.releasePlanDays };
}
