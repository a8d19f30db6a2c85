import { isDeepStrictEqual } from "node:util";
import { eq } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { errors } from "../../common/errors";
import type { Db } from "../db/createDb";
import type { RequestContext } from "./context";

/** A table of records about a person that a form creates under an id it chose (ADR 0036). */
type CreatedForPerson = PgTable & { id: PgColumn; personId: PgColumn; createdBy: PgColumn };

/** What a retry must have written the first time: a column's value, or a check of the stored row. */
export type ExpectedContent = Record<string, unknown | ((row: Record<string, unknown>) => boolean)>;

/**
 * A creation sent again with the id its form chose (an answer lost, ADR 0036): true when that record
 * exists already, for this person and by this agent, with the content sent again (the caller answers
 * it as it is, writing nothing); false when the id is new. An id already used for another person or
 * by another agent is a 400. A retry whose content differs from the record's (a field changed
 * before submitting again) is `differs()`, a 409 saying the first submission was recorded with its
 * values: answering the record as if the change had been saved would hide that it was not.
 */
export async function alreadyCreated(
  tx: Db,
  table: CreatedForPerson,
  id: string,
  personId: string,
  ctx: RequestContext,
  expected: ExpectedContent,
  differs: () => Error,
): Promise<boolean> {
  const [found] = (await tx.select().from(table).where(eq(table.id, id))) as Record<string, unknown>[];
  if (!found) return false;
  if (found.personId !== personId || found.createdBy !== ctx.actor.userId)
    throw errors.request.invalid([{ path: "body.id", message: "Cet identifiant est déjà utilisé." }]);
  const same = Object.entries(expected).every(([column, value]) =>
    typeof value === "function" ? value(found) : isDeepStrictEqual(found[column] ?? null, value ?? null),
  );
  if (!same) throw differs();
  return true;
}
