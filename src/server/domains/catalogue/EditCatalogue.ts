import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { type AppError, errors } from "../../../common/errors";
import type {
  Catalogue,
  demarcheTypeBodySchema,
  newDemarcheTypeSchema,
  newPartnerSchema,
} from "../../../common/structures/structures.schema";
import { journalFor } from "../../core/audit";
import { hasRole, type RequestContext } from "../../core/context";
import { isUniqueViolation, violatedUniqueConstraint } from "../../core/dbErrors";
import type { Deps } from "../../core/deps";
import { demarcheType, PARTNER_NAME_INDEX, partner, readAlike } from "../../db/schema";
import { loadCatalogue } from "./queries";

/** The catalogue is shared by every structure: only platform administrators change it. */
function assertAdmin(ctx: RequestContext): void {
  if (!hasRole(ctx.actor, "admin")) throw errors.access.forbidden();
}

/**
 * The refusal of a name the catalogue's name index turned down (another partner reads alike, case
 * and spaces aside), naming that partner; undefined for any other error.
 */
async function nameRefusal(deps: Deps, error: unknown, name: string): Promise<AppError | undefined> {
  if (violatedUniqueConstraint(error) !== PARTNER_NAME_INDEX) return undefined;
  const [same] = await deps.db
    .select({ name: partner.name })
    .from(partner)
    .where(eq(readAlike(partner.name), readAlike(sql`${name}::text`)))
    .limit(1);
  return errors.catalogue.partnerNameTaken(same?.name ?? name.trim());
}

/** A new partner: its code and its name are the catalogue's only (unique indexes, 409 otherwise). */
export async function addPartner(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof newPartnerSchema>,
): Promise<Catalogue> {
  assertAdmin(ctx);
  try {
    await deps.db.transaction(async (tx) => {
      const [created] = await tx.insert(partner).values(input).returning({ id: partner.id });
      await journalFor(tx, ctx, {
        action: "catalogue.partner_added",
        targetType: "partner",
        targetId: created!.id,
      });
    });
  } catch (error) {
    const refusal = await nameRefusal(deps, error, input.name);
    if (refusal) throw refusal;
    if (isUniqueViolation(error)) throw errors.catalogue.codeTaken();
    throw error;
  }
  return loadCatalogue(deps.db);
}

/**
 * A partner's new name (a typo fixed after its creation). Two partners never read alike, whatever
 * the case and the spaces: the name index refuses it, even to two renames or additions at once.
 */
export async function renamePartner(
  deps: Deps,
  ctx: RequestContext,
  partnerId: string,
  name: string,
): Promise<Catalogue> {
  assertAdmin(ctx);
  try {
    await deps.db.transaction(async (tx) => {
      const [renamed] = await tx
        .update(partner)
        .set({ name })
        .where(eq(partner.id, partnerId))
        .returning({ id: partner.id });
      if (!renamed) throw errors.catalogue.partnerNotFound();
      await journalFor(tx, ctx, {
        action: "catalogue.partner_renamed",
        targetType: "partner",
        targetId: partnerId,
      });
    });
  } catch (error) {
    throw (await nameRefusal(deps, error, name)) ?? error;
  }
  return loadCatalogue(deps.db);
}

export async function addDemarcheType(
  deps: Deps,
  ctx: RequestContext,
  input: z.infer<typeof newDemarcheTypeSchema>,
): Promise<Catalogue> {
  assertAdmin(ctx);
  await deps.db.transaction(async (tx) => {
    const [owner] = await tx
      .select({ code: partner.code })
      .from(partner)
      .where(eq(partner.id, input.partnerId));
    if (!owner) throw errors.catalogue.partnerNotFound();
    const [created] = await tx
      .insert(demarcheType)
      .values({
        partnerId: input.partnerId,
        code: `${owner.code}-${randomBytes(3).toString("hex")}`,
        label: input.label,
        category: input.category,
        documents: input.documents,
      })
      .returning({ id: demarcheType.id });
    await journalFor(tx, ctx, {
      action: "catalogue.demarche_added",
      targetType: "demarche_type",
      targetId: created!.id,
    });
  });
  return loadCatalogue(deps.db);
}

export async function updateDemarcheType(
  deps: Deps,
  ctx: RequestContext,
  demarcheTypeId: string,
  input: z.infer<typeof demarcheTypeBodySchema>,
): Promise<Catalogue> {
  assertAdmin(ctx);
  await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(demarcheType)
      .set({ label: input.label, category: input.category, documents: input.documents })
      .where(eq(demarcheType.id, demarcheTypeId))
      .returning({ id: demarcheType.id });
    if (!updated) throw errors.catalogue.demarcheTypeNotFound();
    await journalFor(tx, ctx, {
      action: "catalogue.demarche_changed",
      targetType: "demarche_type",
      targetId: demarcheTypeId,
    });
  });
  return loadCatalogue(deps.db);
}
