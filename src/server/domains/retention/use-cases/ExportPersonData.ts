/**
 * A person's data export for an access request (GDPR art. 15; ADR 0024): everything the structure
 * holds on the person — identity, measures, referents, convocations, visits, needs, démarches,
 * orientations, consents, notes (of the direction's service and shared with it: ADR 0005), messages, changes of the file, and who read or changed it (the
 * journal) — as JSON and as a PDF. The structure's direction only; journaled.
 */
import { eq } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import { hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { person, structure } from "../../../db/schema";
import { servicesIn } from "../../consent/policies";
import { renderPersonData } from "./personDataPdf";
import { collect } from "./personDataSections";

export type { PersonData, Row } from "./personDataSections";

export interface DataFile {
  filename: string;
  type: string;
  body: Uint8Array;
}

/** Everything the structure holds on the person, journaled (`person.data_exported`) with the format. */
export async function exportPersonData(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  format: "json" | "pdf",
): Promise<DataFile> {
  if (!hasRole(ctx.actor, "service_manager")) throw errors.access.forbidden();
  const data = await deps.db.transaction(async (tx) => {
    const [found] = await tx
      .select({
        structureId: person.structureId,
        fileNumber: person.fileNumber,
        erasedAt: person.erasedAt,
        mergedIntoId: person.mergedIntoId,
      })
      .from(person)
      .where(eq(person.id, personId));
    if (
      !found ||
      found.erasedAt ||
      found.mergedIntoId ||
      !hasRole(ctx.actor, "service_manager", found.structureId)
    ) {
      throw errors.person.notFound();
    }
    await journalFor(tx, ctx, {
      action: "person.data_exported",
      targetType: "person",
      targetId: personId,
      structureId: found.structureId,
      reason: `droit d'accès, ${format.toUpperCase()}`,
    });
    const [structureRow] = await tx
      .select({ name: structure.name })
      .from(structure)
      .where(eq(structure.id, found.structureId));
    return {
      fileNumber: found.fileNumber,
      data: {
        generatedAt: ctx.clock.now().toISOString(),
        structureName: structureRow?.name ?? "",
        sections: await collect(tx, personId, servicesIn(ctx.actor, found.structureId)),
      },
    };
  });
  const base = `donnees-dossier-${data.fileNumber}`;
  if (format === "json") {
    return {
      filename: `${base}.json`,
      type: "application/json; charset=utf-8",
      body: new TextEncoder().encode(JSON.stringify(data.data, null, 2)),
    };
  }
  return { filename: `${base}.pdf`, type: "application/pdf", body: await renderPersonData(data.data) };
}
