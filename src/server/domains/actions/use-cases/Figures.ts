import { sql } from "drizzle-orm";
import { type ActionFigures, type ActionKind, actionKinds } from "../../../../common/actions/actions.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import { hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { parisInstant } from "../../../core/parisTime";
import { count as cellOf, present } from "../../reporting/rules";

interface Cell {
  n: number;
  k: number;
}

function figure(cell: Cell, protect: boolean): { value: number | null; display: string } {
  const value = present(cellOf(cell.n, cell.k), protect);
  return { value, display: value === null ? "< 5" : value.toLocaleString("fr-FR") };
}

function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/**
 * The collective actions of a period (actions starting in it, cancelled ones left out): actions by
 * kind, people convoked and present, partners invited and present, forum outcomes. The direction
 * reads exact figures; steering reads them protected with the cell-key method (ADR 0019): each count
 * carries the sum of the record keys of what it counts (for an outcome total, the actions' keys).
 */
export async function actionFigures(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
  period: { from: string; to: string },
): Promise<ActionFigures> {
  const direction = hasRole(ctx.actor, "service_manager", structureId);
  if (!direction && !hasRole(ctx.actor, "steering", structureId)) throw errors.access.forbidden();
  if (period.to < period.from)
    throw errors.request.invalid([
      { path: "query.to", message: "La fin de la période doit suivre son début." },
    ]);
  const protect = !direction;
  const from = parisInstant(period.from, "00:00");
  const until = parisInstant(nextDay(period.to), "00:00");
  return deps.db.transaction(async (tx) => {
    const actions = sql`select id, kind, outcomes from collective_action
      where structure_id = ${structureId} and status <> 'cancelled'
        and starts_at >= ${from.toISOString()}::timestamptz and starts_at < ${until.toISOString()}::timestamptz`;
    const byKind = rowsOf<{ kind: string; n: number | string; k: number | string }>(
      await tx.execute(sql`select kind, count(*) as n, coalesce(sum(record_key(id)), 0) as k
        from (${actions}) a group by kind`),
    );
    const [people] = rowsOf<Record<string, number | string>>(
      await tx.execute(sql`select
          count(*) filter (where c.status <> 'cancelled') as convoked,
          coalesce(sum(record_key(c.id)) filter (where c.status <> 'cancelled'), 0) as convoked_k,
          count(*) filter (where c.status = 'honoured') as present,
          coalesce(sum(record_key(c.id)) filter (where c.status = 'honoured'), 0) as present_k
        from convocation c join (${actions}) a on a.id = c.collective_action_id`),
    );
    const [partners] = rowsOf<Record<string, number | string>>(
      await tx.execute(sql`select
          count(*) as invited, coalesce(sum(record_key(i.id)), 0) as invited_k,
          count(*) filter (where i.present) as present,
          coalesce(sum(record_key(i.id)) filter (where i.present), 0) as present_k
        from collective_action_invitation i join (${actions}) a on a.id = i.action_id`),
    );
    const outcome = async (key: string): Promise<Cell> => {
      const [row] = rowsOf<{ n: number | string; k: number | string }>(
        await tx.execute(sql`select coalesce(sum((outcomes ->> ${key})::int), 0) as n,
            coalesce(sum(record_key(id)) filter (where coalesce((outcomes ->> ${key})::int, 0) > 0), 0) as k
          from (${actions}) a`),
      );
      return { n: Number(row?.n ?? 0), k: Number(row?.k ?? 0) };
    };
    const cell = (n: unknown, k: unknown): Cell => ({ n: Number(n ?? 0), k: Number(k ?? 0) });
    const kindCells = new Map(byKind.map((r) => [r.kind, cell(r.n, r.k)]));
    const total = [...kindCells.values()].reduce((a, c) => ({ n: a.n + c.n, k: a.k + c.k }), { n: 0, k: 0 });
    await journalFor(tx, ctx, {
      action: "collective_action.figures_read",
      targetType: "structure",
      targetId: structureId,
      structureId,
      reason: `${period.from} – ${period.to}${protect ? " (protégés)" : " (exacts)"}`,
    });
    return {
      protected: protect,
      byKind: actionKinds.map((kind: ActionKind) => ({
        kind,
        actions: figure(kindCells.get(kind) ?? { n: 0, k: 0 }, protect),
      })),
      actions: figure(total, protect),
      peopleConvoked: figure(cell(people?.convoked, people?.convoked_k), protect),
      peoplePresent: figure(cell(people?.present, people?.present_k), protect),
      partnersInvited: figure(cell(partners?.invited, partners?.invited_k), protect),
      partnersPresent: figure(cell(partners?.present, partners?.present_k), protect),
      interviews: figure(await outcome("interviews"), protect),
      hires: figure(await outcome("hires"), protect),
      iaeOrientations: figure(await outcome("iaeOrientations"), protect),
    };
  });
}
