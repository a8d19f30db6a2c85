import { asc, eq, inArray } from "drizzle-orm";
import type { Catalogue } from "../../../common/structures/structures.schema";
import type { Db } from "../../db/createDb";
import { demarcheType, partner } from "../../db/schema";

export async function loadCatalogue(db: Db): Promise<Catalogue> {
  const rows = await db
    .select({ partner, demarche: demarcheType })
    .from(partner)
    .leftJoin(demarcheType, eq(demarcheType.partnerId, partner.id))
    .orderBy(asc(partner.name), asc(demarcheType.label));
  const partners = new Map<string, Catalogue["partners"][number]>();
  for (const { partner: p, demarche } of rows) {
    const entry = partners.get(p.id) ?? {
      id: p.id,
      code: p.code,
      name: p.name,
      kind: p.kind,
      demarcheTypes: [],
    };
    partners.set(p.id, entry);
    if (demarche)
      entry.demarcheTypes.push({
        id: demarche.id,
        label: demarche.label,
        category: demarche.category,
        documents: demarche.documents,
      });
  }
  return { partners: [...partners.values()] };
}

/** The labels of démarche types, for a convocation's letter and messages. */
export async function demarcheLabels(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ label: demarcheType.label })
    .from(demarcheType)
    .where(inArray(demarcheType.id, ids));
  return rows.map((d) => d.label);
}
