import { eq } from "drizzle-orm";
import { errors } from "../../../common/errors";
import type { Db } from "../../db/createDb";
import { person } from "../../db/schema";

/**
 * The one guard of every write on a person's file (booking, statuses, visits, démarches, needs,
 * consents, notes, orientations, corrections, referent): a closed file answers 409 `person.closed`,
 * an archived one 409 `person.archived` (ADR 0024).
 * Called inside the write's transaction; the row is locked FOR SHARE, so a closing running at the
 * same time waits for the write (or the write for the closing) and no write slips in after it.
 * The authorization tests iterate over every write route to prove none forgets it.
 */
export async function assertFileOpen(tx: Db, personId: string): Promise<void> {
  const [row] = await tx
    .select({ closedAt: person.closedAt, archivedAt: person.archivedAt })
    .from(person)
    .where(eq(person.id, personId))
    .for("share");
  if (row?.archivedAt) throw errors.person.archived();
  if (row?.closedAt) throw errors.person.closed();
}
