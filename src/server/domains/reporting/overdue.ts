/**
 * Orientations "as of now" in the figures (ADR 0020). The rollups count an orientation under its
 * stored status and cannot know time: one still `sent` past its `expires_at` (the scheduled job
 * expires it within a minute or so) is moved here from "sent" to "expired", so the dashboard, the
 * exports and the report read the same figures before and after the job, and before and after anyone
 * opens a file. Few rows (those overdue and not expired yet), found by the partial index
 * `orientation_sent_expiry_idx`.
 */
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "../../db/createDb";
import { type OrientationRow, orientationColumns, rowsWhere } from "./aggregates";
import type { ReportScope } from "./queries";

/** Overdue orientations of the scope, by destination; `k`: the sum of their record keys (cellKey.ts). */
export type OverdueRow = { target: string; partner: string | null; n: number; k: number };

/**
 * The same scope as `orientationCounts`: structures, month of creation, site (the orientation's own),
 * counselor (the author), partner.
 */
export async function overdueOrientations(db: Db, scope: ReportScope, now: Date): Promise<OverdueRow[]> {
  const found = await rowsOf<{ target: string; partner: string | null; n: string; k: string }>(
    db,
    sql`select o.target::text as target, p.name as partner, count(*) as n,
        coalesce(sum(record_key(o.id)), 0) as k
      from orientation o
      left join partner p on p.id = o.partner_id
      where o.status = 'sent' and o.expires_at <= ${now.toISOString()}::timestamptz
        and ${rowsWhere(scope, orientationColumns)}
        ${scope.partnerId ? sql`and o.partner_id = ${scope.partnerId}::uuid` : sql``}
      group by o.target, p.name`,
  );
  return found.map((r) => ({ target: r.target, partner: r.partner, n: Number(r.n), k: Number(r.k) }));
}

/**
 * Moves the overdue orientations from "sent" to "expired" in the counted rows (same destination).
 * Their record-key sums move with the records. Rows left empty go.
 */
export function asOfNow<T extends OrientationRow>(rows: readonly T[], overdue: readonly OverdueRow[]): T[] {
  const out = rows.map((r) => ({ ...r }));
  const find = (o: OverdueRow, status: string) =>
    out.find((r) => r.target === o.target && r.partner === o.partner && r.status === status);
  const withKey = (row: T, delta: number): T => ({ ...row, keySum: row.keySum + delta });
  for (const o of overdue) {
    const sent = find(o, "sent");
    if (sent) out[out.indexOf(sent)] = withKey({ ...sent, n: sent.n - o.n }, -o.k);
    const expired = find(o, "expired");
    if (expired) out[out.indexOf(expired)] = withKey({ ...expired, n: expired.n + o.n }, o.k);
    else if (sent) {
      out.push({
        ...sent,
        status: "expired",
        n: o.n,
        keySum: o.k,
        answered: 0,
        answeredKeySum: 0,
        answerHours: 0,
      });
    }
  }
  return out.filter((r) => r.n !== 0 || r.answered !== 0);
}
