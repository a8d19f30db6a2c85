import { and, asc, count, eq, exists, gte, isNotNull, isNull, lte, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { byFrench } from "../../../common/frenchOrder";
import type { Role } from "../../../common/roles";
import type {
  StructureOverview,
  StructureStats,
  StructureUser,
} from "../../../common/structures/structures.schema";
import type { Db } from "../../db/createDb";
import {
  counselorTraining,
  measure,
  membership,
  notification,
  person,
  service,
  site,
  structure,
  user,
} from "../../db/schema";
import { openFile } from "../people/policies";
import { count as cell, present } from "../reporting/rules";

/** A label number as compared: "FS-77-001", "fs 77 001" and "FS-77-001 " are one label. */
const labelKey = (text: string) => text.toLowerCase().replace(/[\s-]/g, "");

/**
 * The structure (other than `except`) that already holds this label number, whatever its case,
 * spaces or dashes; the caller has taken `lockLabel` first, so two holders cannot be written at once.
 */
export async function labelHolder(
  db: Db,
  labelNumber: string,
  except?: string,
): Promise<{ id: string; name: string } | undefined> {
  const [found] = await db
    .select({ id: structure.id, name: structure.name })
    .from(structure)
    .where(
      and(
        sql`lower(regexp_replace(${structure.labelNumber}, '[[:space:]-]', '', 'g')) = ${labelKey(labelNumber)}`,
        except ? sql`${structure.id} <> ${except}::uuid` : undefined,
      ),
    )
    .limit(1);
  return found;
}

/** Serializes the writes of one label number (no unique index: older data may hold duplicates). */
export async function lockLabel(db: Db, labelNumber: string): Promise<void> {
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`label|${labelKey(labelNumber)}`}, 0))`,
  );
}

/** The people followed: the structure's open files (`openFile`). */
const followedIn = (structureId: string) => and(eq(person.structureId, structureId), openFile());

/** The sum of the record keys of the people counted (cell-key method, ADR 0019). */
const personKeys = sql<number>`coalesce(sum(record_key(${person.id})), 0)`.mapWith(Number);

export async function structureOverview(db: Db, structureId: string): Promise<StructureOverview | undefined> {
  const [found] = await db.select().from(structure).where(eq(structure.id, structureId));
  if (!found) return undefined;
  const [services, sites] = await Promise.all([
    db
      .select({ id: service.id, name: service.name, kind: service.kind })
      .from(service)
      .where(eq(service.structureId, structureId))
      .orderBy(asc(service.name)),
    db
      .select({
        id: site.id,
        name: site.name,
        kind: site.kind,
        address: site.address,
        accessInstructions: site.accessInstructions,
        phone: site.phone,
        capacity: site.capacity,
      })
      .from(site)
      // An archived site is no longer offered (agenda, bookings, settings); its history stays.
      .where(and(eq(site.structureId, structureId), isNull(site.archivedAt)))
      .orderBy(asc(site.name)),
  ]);
  return {
    id: found.id,
    name: found.name,
    labelNumber: found.labelNumber,
    departement: found.departement,
    coHolders: found.coHolders,
    minLeadHours: found.minLeadHours,
    services,
    sites,
  };
}

/**
 * Counts of people of the structure. Who reads decides (ADR 0019): exact for its direction,
 * otherwise through the cell-key perturbation (each count moved by a function of the keys of the
 * people in it, so a total minus its parts gives noise) and shown "< 5" from 1 to 4.
 */
export async function structureStats(
  db: Db,
  structureId: string,
  today: string,
  exact: boolean,
): Promise<StructureStats> {
  const in60Days = new Date(`${today}T12:00:00Z`);
  in60Days.setUTCDate(in60Days.getUTCDate() + 60);
  const [byStatus, [ending], [sites], [agents]] = await Promise.all([
    db
      .select({ status: person.status, n: count(), k: personKeys })
      .from(person)
      .where(followedIn(structureId))
      .groupBy(person.status)
      .orderBy(person.status),
    db
      .select({
        n: sql<number>`count(*)`.mapWith(Number),
        k: personKeys,
      })
      .from(person)
      .where(
        and(
          followedIn(structureId),
          exists(
            db
              .select({ one: sql`1` })
              .from(measure)
              .where(
                and(
                  eq(measure.personId, person.id),
                  gte(measure.endDate, today),
                  lte(measure.endDate, in60Days.toISOString().slice(0, 10)),
                ),
              ),
          ),
        ),
      ),
    db
      .select({ n: count() })
      .from(site)
      .where(and(eq(site.structureId, structureId), isNull(site.archivedAt))),
    db
      .select({ n: sql<number>`count(distinct ${membership.userId})`.mapWith(Number) })
      .from(membership)
      .where(and(eq(membership.structureId, structureId), isNull(membership.endedAt))),
  ]);
  const shown = (n: number, k: number) => present(cell(n, k), !exact);
  const total = byStatus.reduce((sum, row) => sum + row.n, 0);
  const totalKeys = byStatus.reduce((sum, row) => sum + row.k, 0);
  return {
    peopleFollowed: shown(total, totalKeys),
    byStatus: byStatus.map((row) => ({ status: row.status, count: shown(row.n, row.k) })),
    measuresEndingWithin60Days: shown(ending?.n ?? 0, ending?.k ?? 0),
    sites: sites?.n ?? 0,
    agents: agents?.n ?? 0,
  };
}

/**
 * The name an agent is shown under in a structure (ADR 0009), for the agents list and every agent
 * picker of the structure: the account's own name once a membership there was accepted (signed in
 * since being added); until then the name the direction typed, or the e-mail, so that adding an
 * address never tells whether an account exists, nor its name. Reads the `user` table of the query.
 */
export function agentNameIn(structureId: string | SQL | AnyPgColumn): SQL<string> {
  // Qualified by hand: Drizzle may write a column of a one-table select unqualified, which inside
  // the subqueries would be read as the membership's own column.
  const of = (column: string) => sql`${user}.${sql.identifier(column)}`;
  return sql<string>`(case when exists (select 1 from ${membership} m where m.user_id = ${of("id")} and m.structure_id = ${structureId} and m.accepted_at is not null) then ${of("display_name")} else coalesce((select m.invited_name from ${membership} m where m.user_id = ${of("id")} and m.structure_id = ${structureId} and m.invited_name is not null order by m.role limit 1), ${of("email")}) end)`;
}

type UserRow = Omit<StructureUser, "permissions">;

/** What the viewer may do on a row (the use cases refuse the rest). */
function permissionsOn(
  row: UserRow & { heldAdmin: boolean },
  viewer: { userId: string; platformAdmin: boolean; direction: boolean },
): StructureUser["permissions"] {
  const onMembership = row.id !== viewer.userId && !row.heldAdmin;
  const onAccount = viewer.platformAdmin && row.id !== viewer.userId;
  return {
    changeRoles: onMembership,
    recordTraining: onMembership,
    deactivate: onMembership && row.activeInStructure,
    reactivate: onMembership && !row.activeInStructure,
    resendInvitation: onMembership && row.activeInStructure && row.invitationPending,
    resetPassword: viewer.direction && onMembership && row.activeInStructure && !row.invitationPending,
    disableAccount: onAccount && !row.accountDisabled,
    enableAccount: onAccount && row.accountDisabled,
  };
}

/**
 * Everyone who holds or held a membership of the structure: their roles there (the current ones,
 * or the last ones when the membership is ended), their status there, and whether the account is
 * disabled (by a platform administrator, for every structure). An invitation not yet accepted
 * shows the name the direction typed and no account-level flag, except to a platform
 * administrator. Each row carries what the viewer may do on it.
 */
export async function structureUsers(
  db: Db,
  structureId: string,
  /** `direction`: the viewer is the structure's direction (an administrator may be neither). */
  viewer: { userId: string; platformAdmin: boolean; direction: boolean },
): Promise<StructureUser[]> {
  const rows = await db
    .select({
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      disabledAt: user.disabledAt,
      totpSecret: user.totpSecret,
      role: membership.role,
      endedAt: membership.endedAt,
      shownName: agentNameIn(structureId),
      acceptedAt: membership.acceptedAt,
      serviceName: service.name,
      trainedOn: counselorTraining.trainedOn,
      trainingOrganisation: counselorTraining.organisation,
      heldAdmin: sql<boolean>`exists (select 1 from ${membership} m where m.user_id = ${user.id} and m.role = 'admin' and m.ended_at is null)`,
      // An account e-mail queued to this agent under this structure (the direction's invitation or a
      // resend); none for an account created by `npm run setup`, whose link was printed.
      emailed: sql<boolean>`exists (select 1 from ${notification} n where n.recipient_user_id = ${user.id} and n.structure_id = ${structureId} and n.kind = 'account_notice')`,
    })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .leftJoin(service, eq(service.id, membership.serviceId))
    .leftJoin(
      counselorTraining,
      and(eq(counselorTraining.structureId, structureId), eq(counselorTraining.userId, user.id)),
    )
    .where(eq(membership.structureId, structureId))
    .orderBy(asc(user.displayName), asc(membership.role));
  const byUser = new Map<string, UserRow & { ended: Role[]; heldAdmin: boolean; shownName: string }>();
  for (const row of rows) {
    const entry = byUser.get(row.id) ?? {
      id: row.id,
      email: row.email,
      displayName: row.displayName,
      roles: [],
      ended: [],
      serviceName: null,
      activeInStructure: false,
      invitationPending: true,
      invitationEmailed: row.emailed,
      accountDisabled: row.disabledAt !== null,
      totpEnabled: row.totpSecret !== null,
      training:
        row.trainedOn === null
          ? null
          : { trainedOn: row.trainedOn, organisation: row.trainingOrganisation ?? "" },
      heldAdmin: row.heldAdmin,
      shownName: row.shownName,
    };
    entry.serviceName ??= row.serviceName;
    if (row.acceptedAt !== null) entry.invitationPending = false;
    if (row.endedAt === null) {
      entry.roles.push(row.role);
      entry.activeInStructure = true;
    } else entry.ended.push(row.role);
    byUser.set(row.id, entry);
  }
  const users = [...byUser.values()].map(({ ended, shownName, ...u }) => {
    const listed = u.activeInStructure ? u : { ...u, roles: ended };
    const shown =
      u.invitationPending && !viewer.platformAdmin
        ? {
            ...listed,
            displayName: shownName,
            accountDisabled: false,
            totpEnabled: false,
            heldAdmin: false,
          }
        : listed;
    const { heldAdmin: _, ...view } = shown;
    return { ...view, permissions: permissionsOn(shown, viewer) };
  });
  // Sorted by the name shown, so the order says nothing of an account's own name.
  return users.sort((a, b) => byFrench(a.displayName, b.displayName));
}
/** Whether the user holds or held a membership of the structure (ended ones included). */
export async function wasEverMemberOf(db: Db, userId: string, structureId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(membership)
    .where(and(eq(membership.userId, userId), eq(membership.structureId, structureId)));
  return (row?.n ?? 0) > 0;
}

/** Whether the user accepted a membership of the structure (signed in since being added), ended or not. */
export async function acceptedMembershipOf(db: Db, userId: string, structureId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(membership)
    .where(
      and(
        eq(membership.userId, userId),
        eq(membership.structureId, structureId),
        isNotNull(membership.acceptedAt),
      ),
    );
  return (row?.n ?? 0) > 0;
}

/** Whether the user holds `admin` in any structure (a platform administrator). */
export async function holdsAdmin(db: Db, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(membership)
    .where(and(eq(membership.userId, userId), eq(membership.role, "admin"), isNull(membership.endedAt)));
  return (row?.n ?? 0) > 0;
}

/** Enabled agents holding a role in a structure (for a partner referent: of that partner). */
export async function activeAgentsWithRole(
  db: Db,
  structureId: string,
  role: Role,
  partnerId?: string,
): Promise<{ id: string; email: string }[]> {
  return db
    .selectDistinct({ id: user.id, email: user.email })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(
      and(
        eq(membership.structureId, structureId),
        eq(membership.role, role),
        partnerId ? eq(membership.partnerId, partnerId) : undefined,
        isNull(membership.endedAt),
        isNull(user.disabledAt),
      ),
    );
}
