import { and, eq, gte, lt, sql } from "drizzle-orm";
import { addDays } from "../../../../common/calendar";
import { errors } from "../../../../common/errors";
import { type Actor, hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { parisInstant } from "../../../core/parisTime";
import { handoverMeeting, transfer } from "../../../db/schema";
import { perturbedCount, recordKey } from "../../reporting/cellKey";

export const TRANSFER_FIGURES_DEFINITION =
  "Transferts proposés pendant la période (par date de proposition), selon leur état aujourd'hui : sortants (proposés par la structure) et entrants (adressés à la structure) ; passages de relais : réunions tenues pendant la période dont la structure a transmis le dossier.";

/** Exact for the structure's direction; protected (cell-key perturbation, "< 5") for steering (ADR 0019). */
function protection(actor: Actor, structureId: string): boolean {
  if (hasRole(actor, "service_manager", structureId)) return false;
  if (hasRole(actor, "steering", structureId)) return true;
  throw errors.access.forbidden();
}

function shown(ids: string[], protect: boolean): string {
  const n = ids.length;
  if (!protect) return String(n);
  if (n === 0) return "0";
  const keySum = ids.reduce((sum, id) => sum + recordKey(id), 0);
  const p = perturbedCount(n, keySum);
  return p < 5 ? "< 5" : String(p);
}

/** Counts of transfers (proposed, accepted, refused, in and out) and handovers held, over [from, to]. */
export async function transferFigures(
  deps: Deps,
  ctx: RequestContext,
  query: { structureId: string; from: string; to: string },
) {
  const protect = protection(ctx.actor, query.structureId);
  const fromAt = parisInstant(query.from, "00:00");
  const untilAt = parisInstant(addDays(query.to, 1), "00:00");
  const rows = await deps.db
    .select({
      id: transfer.id,
      status: transfer.status,
      from: transfer.fromStructureId,
      to: transfer.toStructureId,
    })
    .from(transfer)
    .where(
      and(
        gte(transfer.proposedAt, fromAt),
        lt(transfer.proposedAt, untilAt),
        sql`(${transfer.fromStructureId} = ${query.structureId} or ${transfer.toStructureId} = ${query.structureId})`,
      ),
    );
  const held = await deps.db
    .select({ id: handoverMeeting.id })
    .from(handoverMeeting)
    .where(
      and(
        eq(handoverMeeting.structureId, query.structureId),
        eq(handoverMeeting.status, "held"),
        gte(handoverMeeting.heldAt, fromAt),
        lt(handoverMeeting.heldAt, untilAt),
      ),
    );
  const out = rows.filter((r) => r.from === query.structureId);
  const inn = rows.filter((r) => r.to === query.structureId);
  const ids = (list: typeof rows, status?: string) =>
    list.filter((r) => !status || r.status === status).map((r) => r.id);
  return {
    protected: protect,
    outProposed: shown(ids(out), protect),
    outAccepted: shown(ids(out, "accepted"), protect),
    outRefused: shown(ids(out, "refused"), protect),
    inProposed: shown(ids(inn), protect),
    inAccepted: shown(ids(inn, "accepted"), protect),
    inRefused: shown(ids(inn, "refused"), protect),
    handovers: shown(
      held.map((h) => h.id),
      protect,
    ),
    definition: TRANSFER_FIGURES_DEFINITION,
  };
}
