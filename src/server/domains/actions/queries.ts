import { and, count, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { errors } from "../../../common/errors";
import type { Actor } from "../../core/context";
import type { Db } from "../../db/createDb";
import { collectiveAction, collectiveActionInvitation, convocation, site, structure } from "../../db/schema";
import { viewableStructures } from "./policies";
import { placeLabel } from "./rules";

export type ActionRow = typeof collectiveAction.$inferSelect;
const ACTIVE = ["planned", "honoured", "missed"] as const;

/** An invitation still standing: not withdrawn from its invitee (see `cancelledAt`). */
export function standingInvitation(): SQL {
  return isNull(collectiveActionInvitation.cancelledAt);
}

/** An action of a structure where the agent sees actions; anything else is "not found". */
export async function loadVisibleAction(
  db: Db,
  actor: Actor,
  actionId: string,
  lock = false,
): Promise<ActionRow> {
  const structures = viewableStructures(actor);
  if (structures.length === 0) throw errors.access.forbidden();
  const query = db
    .select()
    .from(collectiveAction)
    .where(and(eq(collectiveAction.id, actionId), inArray(collectiveAction.structureId, structures)));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw errors.collectiveAction.notFound();
  return row;
}

export async function siteOf(
  db: Db,
  siteId: string | null,
): Promise<{ name: string; address: string } | null> {
  if (!siteId) return null;
  const [row] = await db
    .select({ name: site.name, address: site.address })
    .from(site)
    .where(eq(site.id, siteId));
  return row ?? null;
}

export async function placeOf(db: Db, action: Pick<ActionRow, "siteId" | "address">): Promise<string> {
  return placeLabel(await siteOf(db, action.siteId), action.address);
}

export async function structureName(db: Db, structureId: string): Promise<string> {
  const [row] = await db
    .select({ name: structure.name })
    .from(structure)
    .where(eq(structure.id, structureId));
  return row?.name ?? "France services";
}

/** Seats taken by the action's active convocations. */
export async function actionSeats(db: Db, actionId: string): Promise<number[]> {
  const rows = await db
    .select({ seat: convocation.seat })
    .from(convocation)
    .where(and(eq(convocation.collectiveActionId, actionId), inArray(convocation.status, [...ACTIVE])));
  return rows.map((r) => r.seat);
}

/** Per action: people convoked (active), partners invited and who said yes. */
export async function actionCounts(
  db: Db,
  actionIds: string[],
): Promise<Map<string, { convoked: number; invited: number; accepted: number }>> {
  const counts = new Map<string, { convoked: number; invited: number; accepted: number }>();
  if (actionIds.length === 0) return counts;
  for (const id of actionIds) counts.set(id, { convoked: 0, invited: 0, accepted: 0 });
  const convoked = await db
    .select({ id: convocation.collectiveActionId, n: count() })
    .from(convocation)
    .where(and(inArray(convocation.collectiveActionId, actionIds), inArray(convocation.status, [...ACTIVE])))
    .groupBy(convocation.collectiveActionId);
  for (const row of convoked) if (row.id) counts.get(row.id)!.convoked = row.n;
  const invited = await db
    .select({
      id: collectiveActionInvitation.actionId,
      n: count(),
      yes: sql<number>`count(*) filter (where ${collectiveActionInvitation.answer} = 'yes')`.mapWith(Number),
    })
    .from(collectiveActionInvitation)
    .where(and(inArray(collectiveActionInvitation.actionId, actionIds), standingInvitation()))
    .groupBy(collectiveActionInvitation.actionId);
  for (const row of invited) {
    const c = counts.get(row.id)!;
    c.invited = row.n;
    c.accepted = row.yes;
  }
  return counts;
}
