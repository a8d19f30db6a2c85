import { eq } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { errors } from "../../common/errors";
import type { Db } from "../db/createDb";
import type { RequestContext } from "./context";

/** A table of records about a person that a form creates under an id it chose (ADR 0036). */
type CreatedForPerson = PgTable & { id: PgColumn; personId: PgColumn; createdBy: PgColumn };

/**
 * A creation sent again with the id its form chose (an answer lost, ADR 0036): true when that record
 * exists already, for this person and by this agent (the caller answers it as it is, writing
 * nothing); false when the id is new. An id already used for another person or by another agent is
 * a 400.
 */
export async function alreadyCreated(
  tx: Db,
  table: CreatedForPerson,
  id: string,
  personId: string,
  ctx: RequestContext,
): Promise<boolean> {
  const [found] = await tx
    .select({ personId: table.personId, createdBy: table.createdBy })
    .from(table)
    .where(eq(table.id, id));
  if (!found) return false;
  if (found.personId !== personId || found.createdBy !== ctx.actor.userId)
    throw errors.request.invalid([{ path: "body.id", message: "Cet identifiant est déjà utilisé." }]);
  return true;
}
