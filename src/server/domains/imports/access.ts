import { and, asc, eq, gte, lt, type SQL } from "drizzle-orm";
import { errors } from "../../../common/errors";
import type { RequestContext } from "../../core/context";
import type { Db } from "../../db/createDb";
import { caseloadImport, caseloadImportRow } from "../../db/schema";
import { detentionSites } from "../detention/queries";
import { referentCandidates } from "../people/queries";
import { type DetentionSiteFinder, fold, type Referent, type ReferentFinder } from "./rules";

/** A CPIP or the direction of the structure may import into it; anyone else gets 403. */
export function assertMayImport(ctx: RequestContext, structureId: string): void {
  const allowed = ctx.actor.memberships.some(
    (m) => m.structureId === structureId && (m.role === "probation_officer" || m.role === "service_manager"),
  );
  if (!allowed) throw errors.imports.noReferent();
}

/** Whether the actor may import somewhere (403 before anything else for other roles). */
export function assertImporterSomewhere(ctx: RequestContext): void {
  if (!ctx.actor.memberships.some((m) => m.role === "probation_officer" || m.role === "service_manager"))
    throw errors.access.forbidden();
}

export type ImportRow = typeof caseloadImport.$inferSelect;

/** `rowCount` of an import whose rows are still being written (UploadImport): not found until done. */
export const UPLOADING = -1;

/** The import's stored rows at positions `from` to `from + count - 1`. */
export function rowRange(importId: string, from: number, count: number): SQL | undefined {
  return and(
    eq(caseloadImportRow.importId, importId),
    gte(caseloadImportRow.position, from),
    lt(caseloadImportRow.position, from + count),
  );
}

/** The stored rows of `rowRange`, in file order. */
export function rowsBetween(tx: Db, importId: string, from: number, count: number) {
  return tx
    .select({
      position: caseloadImportRow.position,
      line: caseloadImportRow.line,
      cells: caseloadImportRow.cells,
    })
    .from(caseloadImportRow)
    .where(rowRange(importId, from, count))
    .orderBy(asc(caseloadImportRow.position));
}

/**
 * An import of the actor's own, in a structure where they may still import: 404 otherwise (another
 * agent's import is not told apart from one that does not exist). `lock` takes it FOR UPDATE, so
 * two batches of the same import never run at once.
 */
export async function loadImport(
  db: Db,
  ctx: RequestContext,
  importId: string,
  lock = false,
): Promise<ImportRow> {
  assertImporterSomewhere(ctx);
  const query = db
    .select()
    .from(caseloadImport)
    .where(and(eq(caseloadImport.id, importId), eq(caseloadImport.createdBy, ctx.actor.userId)));
  const [found] = lock ? await query.for("update") : await query;
  if (!found || found.rowCount === UPLOADING) throw errors.imports.notFound();
  try {
    assertMayImport(ctx, found.structureId);
  } catch {
    throw errors.imports.notFound();
  }
  return found;
}

/**
 * Who a referent cell names, among the structure's active CPIP attached to a service: their e-mail,
 * or their name in either order ("DUPONT Marie", "Marie Dupont"), those `referentCandidates` lists (the same as a referent change). An empty cell names the importing
 * agent when they are such a CPIP.
 */
export async function referentFinder(
  db: Db,
  ctx: RequestContext,
  structureId: string,
): Promise<ReferentFinder> {
  const officers = await referentCandidates(db, structureId);
  const nameKey = (name: string) => name.split(/\s+/).map(fold).filter(Boolean).sort().join(" ");
  const byKey = new Map<string, Referent>();
  for (const o of officers) {
    const referent = { userId: o.userId, serviceId: o.serviceId as string };
    byKey.set(o.email.toLowerCase(), referent);
    byKey.set(nameKey(o.displayName), referent);
  }
  const self = officers.find((o) => o.userId === ctx.actor.userId);
  const fallback = self ? { userId: self.userId, serviceId: self.serviceId as string } : null;
  return (cell) => {
    if (cell.trim() === "") return fallback;
    return byKey.get(cell.trim().toLowerCase()) ?? byKey.get(nameKey(cell)) ?? null;
  };
}

/**
 * Whether each row must name its CPIP: the importing agent is not one of the structure's CPIP who
 * may be a referent (an empty cell would name them otherwise).
 */
export async function referentColumnRequired(
  db: Db,
  ctx: RequestContext,
  structureId: string,
): Promise<boolean> {
  const officers = await referentCandidates(db, structureId);
  return !officers.some((o) => o.userId === ctx.actor.userId);
}

/** The structure's prisons and SAS, found by their folded name (or a name that contains the cell). */
export async function detentionSiteFinder(db: Db, structureId: string): Promise<DetentionSiteFinder> {
  const sites = await detentionSites(db, structureId);
  const folded = sites.map((s) => ({ id: s.id, key: fold(s.name) }));
  const sas = new Set(sites.filter((s) => s.kind === "sas").map((s) => s.id));
  return {
    names: sites.map((s) => s.name),
    isSas: (siteId) => sas.has(siteId),
    find: (cell) => {
      const key = fold(cell);
      if (key === "") return null;
      const exact = folded.find((s) => s.key === key);
      if (exact) return exact.id;
      const partial = folded.filter((s) => s.key.includes(key) || key.includes(s.key));
      return partial.length === 1 ? partial[0]!.id : null;
    },
  };
}
