import { randomBytes } from "node:crypto";
import { and, eq, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import { errors } from "../../../common/errors";
import type {
  Catalogue,
  demarcheTypeBodySchema,
  newDemarcheTypeSchema,
  newPartnerSchema,
} from "../../../common/structures/structures.schema";
import { journalFor } from "../../core/audit";
import { hasRole, type RequestContext } from "../../core/context";
import { isUniqueViolation } from "../../core/dbErrors";
import type { Deps } from "../../core/deps";
import { demarcheType, partner } from "../../db/schema";
import { loadCatalogue } from "./queries";

/** The catalogue is shared by every structure: only platform administrators change it. */
function assertAdmin(ctx: RequestContext): void {
  if (!hasRole(ctx.actor, "admin")) throw errors.access.forbidden();
}

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
    if (isUniqueViolation(error)) throw errors.catalogue.codeTaken();
    throw error;
  }
  return loadCatalogue(deps.db);
}

/**
 * A partner's new name (a typo fixed after its creation). Two partners never read alike, whatever
 * the case and the spaces: the table is locked against another rename or addition meanwhile.
 */
export async function renamePartner(
  deps: Deps,
  ctx: RequestContext,
  partnerId: string,
  name: string,
): Promise<Catalogue> {
  assertAdmin(ctx);
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${partner} in share row exclusive mode`);
    const [same] = await tx
      .select({ name: partner.name })
      .from(partner)
      .where(
        and(
          ne(partner.id, partnerId),
          sql`lower(regexp_replace(trim(${partner.name}), ${"\\s+"}, ' ', 'g')) = lower(${name.replace(/\s+/g, " ")})`,
        ),
      )
      .limit(1);
    if (same) throw errors.catalogue.partnerNameTaken(same.name);
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
