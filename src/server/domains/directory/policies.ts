/**
 * Who reads and edits the partners' directory (ADR 0030), as SQL conditions on `directory_entry`.
 * The structure's CPIP, counselors and direction read all of it (they choose a contact when
 * orienting); a partner referent reads only the entries of its own organisation (never another
 * partner's contacts); the direction edits. Steering, mediation and administrators: nothing.
 */
import { and, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../core/context";
import { directoryEntry } from "../../db/schema";

const READERS = ["probation_officer", "counselor", "service_manager"] as const;

/** The entries the actor may read, in every structure (false when none). */
export function readableEntries(actor: Actor): SQL {
  const conditions: SQL[] = [];
  const full = [
    ...new Set(
      actor.memberships
        .filter((m) => (READERS as readonly string[]).includes(m.role))
        .map((m) => m.structureId),
    ),
  ];
  if (full.length > 0) conditions.push(inArray(directoryEntry.structureId, full));
  for (const m of actor.memberships) {
    if (m.role === "partner_referent" && m.partnerId) {
      conditions.push(
        and(eq(directoryEntry.structureId, m.structureId), eq(directoryEntry.partnerId, m.partnerId)) as SQL,
      );
    }
  }
  return conditions.length > 0 ? (or(...conditions) as SQL) : sql`false`;
}

/** Whether the actor may open the directory of a structure at all (else 403). */
export function mayReadDirectory(actor: Actor, structureId: string): boolean {
  return actor.memberships.some(
    (m) =>
      m.structureId === structureId &&
      ((READERS as readonly string[]).includes(m.role) || (m.role === "partner_referent" && m.partnerId)),
  );
}

export function mayEditDirectory(actor: Actor, structureId: string): boolean {
  return actor.memberships.some((m) => m.structureId === structureId && m.role === "service_manager");
}
