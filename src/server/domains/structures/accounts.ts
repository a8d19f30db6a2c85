import { sql } from "drizzle-orm";
import type { Role } from "../../../common/roles";
import {
  ACCOUNTS_PAGE_SIZE,
  type Account,
  type Accounts,
  type AccountsQuery,
} from "../../../common/structures/accounts.schema";
import { type Db, rowsOf } from "../../db/createDb";

/** The sign-in steps the journal records as succeeded: password, second factor, ProConnect. */
const SIGN_IN = sql`('auth.login', 'auth.second_factor', 'auth.proconnect')`;

interface AccountRow {
  id: string;
  display_name: string;
  email: string;
  disabled: boolean;
  activation_pending: boolean;
  last_login_at: string | null;
  total: number;
}

interface MembershipRow {
  user_id: string;
  structure_id: string;
  structure_name: string;
  role: Role;
  ended: boolean;
}

/**
 * Accounts of every structure whose name or e-mail holds what was typed (accents and case ignored),
 * by name, a page at a time: for the platform administrator, who disables or enables an account
 * everywhere. Agents' data only — no person is read, so nothing is journaled (as the list of a
 * structure's agents).
 */
export async function searchAccounts(
  db: Db,
  viewer: { userId: string },
  query: AccountsQuery,
): Promise<Accounts> {
  const search = query.search ?? "";
  // Folded as the people search folds (letters and digits only: `%` and `_` typed are dropped).
  const typed = sql`public.search_fold(${search})`;
  const matches =
    search === ""
      ? sql`true`
      : sql`(public.search_fold(u.display_name) like '%' || ${typed} || '%'
          or public.search_fold(u.email) like '%' || ${typed} || '%')`;
  const offset = (query.page - 1) * ACCOUNTS_PAGE_SIZE;
  const rows = await rowsOf<AccountRow>(
    db,
    sql`select u.id, u.display_name, u.email, u.disabled_at is not null as disabled,
        u.activation_token_hash is not null as activation_pending,
        (select to_char(max(a.at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from audit_event a
          where a.actor_user_id = u.id and a.action in ${SIGN_IN} and a.outcome = 'success') as last_login_at,
        count(*) over () as total
      from "user" u
      where ${matches}
      order by public.search_fold(u.display_name), u.email
      limit ${ACCOUNTS_PAGE_SIZE} offset ${offset}`,
  );
  const ids = rows.map((r) => r.id);
  const memberships =
    ids.length === 0
      ? []
      : await rowsOf<MembershipRow>(
          db,
          sql`select m.user_id, m.structure_id, s.name as structure_name, m.role, m.ended_at is not null as ended
            from membership m join structure s on s.id = m.structure_id
            where m.user_id in (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})
            order by s.name, m.role`,
        );
  const accounts = rows.map(
    (r): Account => ({
      id: r.id,
      displayName: r.display_name,
      email: r.email,
      disabled: r.disabled,
      activationPending: r.activation_pending,
      lastLoginAt: r.last_login_at,
      memberships: membershipsOf(memberships.filter((m) => m.user_id === r.id)),
      permissions: {
        disable: r.id !== viewer.userId && !r.disabled,
        enable: r.id !== viewer.userId && r.disabled,
      },
    }),
  );
  return {
    accounts,
    total: rows.length > 0 ? Number(rows[0]!.total) : await countAll(db, matches),
    page: query.page,
    pageSize: ACCOUNTS_PAGE_SIZE,
  };
}

/** Past the last page: the total still says how many accounts match. */
async function countAll(db: Db, matches: ReturnType<typeof sql>): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    db,
    sql`select count(*)::int as n from "user" u where ${matches}`,
  );
  return Number(row?.n ?? 0);
}

/** One line per structure: its current roles, or the roles that ended when none is left. */
function membershipsOf(rows: MembershipRow[]): Account["memberships"] {
  const byStructure = new Map<string, { name: string; current: Role[]; ended: Role[] }>();
  for (const row of rows) {
    const entry = byStructure.get(row.structure_id) ?? { name: row.structure_name, current: [], ended: [] };
    (row.ended ? entry.ended : entry.current).push(row.role);
    byStructure.set(row.structure_id, entry);
  }
  return [...byStructure.values()].map(({ name, current, ended }) => ({
    structureName: name,
    roles: current.length > 0 ? current : [...new Set(ended)],
    active: current.length > 0,
  }));
}
