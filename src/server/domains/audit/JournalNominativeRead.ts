import { inArray } from "drizzle-orm";
import type { AuditAction } from "../../../common/audit/audit.actions";
import { journalFor } from "../../core/audit";
import type { JournaledRow, RequestContext } from "../../core/context";
import type { Deps } from "../../core/deps";
import { person } from "../../db/schema";
import { describeRead, idsIn, namesOf, renderAuditReason } from "./auditReason";

/**
 * The journal actions that record a read of people's data. An action missing here only costs an
 * extra `person.data_read` row, never a missing one.
 */
export const READ_ACTIONS: ReadonlySet<string> = new Set<AuditAction>([
  "person.read",
  "person.data_read",
  "person.timeline_read",
  "person.notes_read",
  "person.accompaniment_read",
  "orientation.inbox_read",
  "notification.log_read",
  "convocation.letter_printed",
  "detention.movements_printed",
  "detention.movements_read",
  "reporting.list",
  "reporting.nominativeExport",
  "audit.exported",
  "retention.preview_read",
  "person.data_exported",
  "document.download",
]);

/**
 * Whether a request's journal rows already account for a nominative answer: a successful row of a
 * read action, or a successful row naming (target `person`) one of the people the answer or the
 * request concerns. Any other row — a change to a convocation, a refused attempt, a row about
 * someone else — does not stand in for the read.
 *
 * When neither the request nor the answer names anyone the mount can see (a route by a document's,
 * a transfer's or an orientation's id, a file), the use case's own successful row stands in: it
 * names its object, hence the person, where the mount's row could only name nobody (an empty
 * target, no structure: noise in the journal, ADR 0010). The mount's row remains for such a route
 * whose use case journaled nothing: the route and its filter are then all that says what was read.
 */
export function readIsJournaled(rows: readonly JournaledRow[], personIds: readonly string[]): boolean {
  return rows.some(
    (row) =>
      row.outcome === "success" &&
      (READ_ACTIONS.has(row.action) ||
        personIds.length === 0 ||
        (row.targetType === "person" && row.targetId.split(",").some((id) => personIds.includes(id)))),
  );
}

/** Ids named in one row; a longer list is cut and counted (the filter says how it was selected). */
export const MAX_IDS_PER_ROW = 50;

/**
 * A journal row's target naming the people a list returned (type `person`, ids comma-separated,
 * searchable one by one), cut at MAX_IDS_PER_ROW, with the counts to add to its reason.
 */
export function peopleTarget(personIds: readonly string[]): { targetId: string; counts: string[] } {
  const named = [...new Set(personIds)];
  const shown = named.slice(0, MAX_IDS_PER_ROW);
  const more = named.length - shown.length;
  return {
    targetId: shown.join(","),
    counts: [
      named.length > 1 ? `${named.length} personnes` : "",
      more > 0 ? `${more} non nommées` : "",
    ].filter(Boolean),
  };
}

export interface NominativeRead {
  /** The route read, e.g. "GET /api/people/:personId/consents". */
  route: string;
  /** The filter that selected the people (query string), "" when none: written in words. */
  filter: string;
  personIds: readonly string[];
}

/**
 * The detail in words of a read (ADR 0010): what was read, over which days, at which site, by name
 * (the ids its filter holds are named from the database). A row's reason starts with it.
 */
export async function describeNominativeRead(
  db: Deps["db"],
  ctx: RequestContext,
  read: Pick<NominativeRead, "route" | "filter">,
): Promise<string> {
  // Named as the reader's structures know them: an id typed in a filter names nothing of another's.
  const structureIds = ctx.actor.memberships.map((m) => m.structureId);
  return describeRead(read.route, read.filter, await namesOf(db, idsIn(read.filter), structureIds));
}

/**
 * The journal row of a read of people's data that its use case did not journal itself: one row
 * per structure whose people it returned, naming them (or the filter, when it returned many).
 */
export async function journalNominativeRead(
  deps: Deps,
  ctx: RequestContext,
  read: NominativeRead,
): Promise<void> {
  const ids = [...new Set(read.personIds)];
  const owners =
    ids.length === 0
      ? []
      : await deps.db
          .select({ id: person.id, structureId: person.structureId })
          .from(person)
          .where(inArray(person.id, ids));
  const byStructure = new Map<string | null, string[]>();
  for (const id of ids) {
    const structureId = owners.find((owner) => owner.id === id)?.structureId ?? null;
    byStructure.set(structureId, [...(byStructure.get(structureId) ?? []), id]);
  }
  if (byStructure.size === 0) byStructure.set(null, []);
  const described = await describeNominativeRead(deps.db, ctx, read);
  for (const [structureId, named] of byStructure) {
    const { targetId, counts } = peopleTarget(named);
    await journalFor(deps.db, ctx, {
      action: "person.data_read",
      targetType: "person",
      targetId,
      structureId,
      reason: [described, ...counts].join(" ; "),
    });
  }
}

/**
 * A refused read of a person's data (404 outside one's scope, 403 for one's role) leaves a `denied`
 * row naming the person, in the person's structure, so the direction sees who tried (doc/product.md).
 * Nothing is written when the use case journaled the refusal itself, nor for an id that names nobody.
 */
export async function journalRefusedRead(
  deps: Deps,
  ctx: RequestContext,
  read: { route: string; code: string; personIds: readonly string[] },
): Promise<void> {
  if ((ctx.journaled ?? []).some((row) => row.outcome === "denied")) return;
  const ids = [...new Set(read.personIds)];
  if (ids.length === 0) return;
  const owners = await deps.db
    .select({ id: person.id, structureId: person.structureId })
    .from(person)
    .where(inArray(person.id, ids));
  const reason = renderAuditReason("person.data_read", `${read.route} ; ${read.code}`, () => undefined);
  for (const owner of owners) {
    await journalFor(deps.db, ctx, {
      action: "person.data_read",
      targetType: "person",
      targetId: owner.id,
      structureId: owner.structureId,
      outcome: "denied",
      reason,
    });
  }
}
