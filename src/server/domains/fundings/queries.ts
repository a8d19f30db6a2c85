import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { DirectoryKind } from "../../../common/directory/directory.schema";
import type { FundingView, FundingYear } from "../../../common/fundings/fundings.schema";
import { type Actor, hasRole, structuresWithRole } from "../../core/context";
import type { Db } from "../../db/createDb";
import { collectiveAction, convention, directoryEntry, funding } from "../../db/schema";

/**
 * Fundings are the direction's (ADR 0039): read and recorded by the structure's service managers
 * only; anyone else gets 403 on a structure's list and 404 on a funding (it does not exist for them).
 */
export function mayManageFundings(actor: Actor, structureId: string): boolean {
  return hasRole(actor, "service_manager", structureId);
}
export function managedStructures(actor: Actor): string[] {
  return structuresWithRole(actor, "service_manager");
}

/** Fundings as shown: funder (name and kind), what they are attached to; the latest year first. */
export async function fundingViews(
  db: Db,
  where: SQL | undefined,
): Promise<(FundingView & { structureId: string })[]> {
  const rows = await db
    .select({
      f: funding,
      funderName: directoryEntry.name,
      funderKind: directoryEntry.kind,
      conventionTitle: convention.title,
      actionTitle: collectiveAction.title,
      actionStartsAt: collectiveAction.startsAt,
      actionStatus: collectiveAction.status,
    })
    .from(funding)
    .innerJoin(directoryEntry, eq(directoryEntry.id, funding.funderEntryId))
    .leftJoin(convention, eq(convention.id, funding.conventionId))
    .leftJoin(collectiveAction, eq(collectiveAction.id, funding.collectiveActionId))
    .where(where)
    .orderBy(desc(funding.year), desc(funding.amountEuros), asc(directoryEntry.name));
  return rows.map(
    ({ f, funderName, funderKind, conventionTitle, actionTitle, actionStartsAt, actionStatus }) => ({
      id: f.id,
      structureId: f.structureId,
      funder: { id: f.funderEntryId, name: funderName, kind: funderKind as DirectoryKind },
      amountEuros: f.amountEuros,
      purpose: f.purpose,
      year: f.year,
      startsOn: f.startsOn,
      endsOn: f.endsOn,
      convention: f.conventionId && conventionTitle ? { id: f.conventionId, title: conventionTitle } : null,
      collectiveAction:
        f.collectiveActionId && actionTitle && actionStartsAt
          ? {
              id: f.collectiveActionId,
              title: actionTitle,
              startsAt: actionStartsAt.toISOString(),
              cancelled: actionStatus === "cancelled",
            }
          : null,
    }),
  );
}

/** Every year with a funding of the structure: total and count, the latest first. */
export async function fundingYears(db: Db, structureId: string): Promise<FundingYear[]> {
  const rows = await db
    .select({
      year: funding.year,
      totalEuros: sql<string>`sum(${funding.amountEuros})`,
      count: sql<string>`count(*)`,
    })
    .from(funding)
    .where(eq(funding.structureId, structureId))
    .groupBy(funding.year)
    .orderBy(desc(funding.year));
  return rows.map((r) => ({ year: r.year, totalEuros: Number(r.totalEuros), count: Number(r.count) }));
}

/** The funding, if one of the structures the actor directs holds it. */
export async function managedFunding(
  db: Db,
  actor: Actor,
  fundingId: string,
): Promise<typeof funding.$inferSelect | undefined> {
  const structures = managedStructures(actor);
  if (structures.length === 0) return undefined;
  const [row] = await db
    .select()
    .from(funding)
    .where(and(eq(funding.id, fundingId), inArray(funding.structureId, structures)));
  return row;
}
