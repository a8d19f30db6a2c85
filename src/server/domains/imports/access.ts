import { and, eq } from "drizzle-orm";
import { errors } from "../../../common/errors";
import type { RequestContext } from "../../core/context";
import type { Db } from "../../db/createDb";
import { caseloadImport } from "../../db/schema";
import { referentCandidates } from "../people/queries";
import { fold, type Referent, type ReferentFinder } from "./rules";

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
  if (!found) throw errors.imports.notFound();
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
