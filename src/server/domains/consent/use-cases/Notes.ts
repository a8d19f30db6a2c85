import type { NoteView, NoteVisibility } from "../../../../common/consent/consent.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { alreadyCreated } from "../../../core/retriedCreation";
import { inTransaction } from "../../../core/transaction";
import { note } from "../../../db/schema";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { mayWriteNotes, servicesIn } from "../policies";
import { readableNotesOf } from "../queries";

/** The notes the actor may read on a person (the reading is journaled). */
export async function listNotes(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
): Promise<{ notes: NoteView[]; permissions: { write: boolean } }> {
  const scope = nominativeScope(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) throw errors.person.notFound();
    const services = servicesIn(ctx.actor, found.person.structureId);
    const notes = await readableNotesOf(tx, personId, services);
    await journalFor(tx, ctx, {
      action: "person.notes_read",
      targetType: "person",
      targetId: personId,
      structureId: found.person.structureId,
    });
    const write =
      services.length > 0 &&
      found.person.archivedAt === null &&
      found.person.closedAt === null &&
      mayWriteNotes(found);
    return { notes, permissions: { write } };
  });
}

/**
 * A note by an agent of the SPIP or the association, kept in their service unless shared; 403 for a
 * CPIP who only reads the person (referred by another CPIP of the service).
 */
export async function addNote(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  { id: chosenId, ...input }: { id?: string | undefined; visibility: NoteVisibility; body: string },
): Promise<NoteView> {
  const scope = nominativeScope(ctx.actor);
  // Sent twice at once under the same id: the second insert waits for the first, breaks the primary
  // key, and runs again: `alreadyCreated` then finds the first's note and answers it (ADR 0036).
  return inTransaction(
    deps.db,
    async (tx) => {
      const found = await findVisiblePerson(tx, scope, personId);
      if (!found) throw errors.person.notFound();
      await assertFileOpen(tx, personId);
      if (!mayWriteNotes(found)) throw errors.access.forbidden();
      const [serviceId] = servicesIn(ctx.actor, found.person.structureId);
      if (!serviceId) throw errors.consent.noService();
      const retried =
        chosenId !== undefined &&
        (await alreadyCreated(
          tx,
          ctx,
          { table: note, id: chosenId, scope: [note.personId, personId], creator: note.authorUserId },
          { visibility: input.visibility, body: input.body },
          errors.note.retriedWithOtherValues,
        ));
      const id = retried
        ? chosenId
        : (
            await tx
              .insert(note)
              .values({
                id: chosenId,
                structureId: found.person.structureId,
                personId,
                authorUserId: ctx.actor.userId,
                authorServiceId: serviceId,
                visibility: input.visibility,
                body: input.body,
                createdAt: ctx.clock.now(),
              })
              .returning({ id: note.id })
          )[0]!.id;
      if (!retried)
        await journalFor(tx, ctx, {
          action: "note.created",
          targetType: "person",
          targetId: personId,
          structureId: found.person.structureId,
          reason: input.visibility,
        });
      const [view] = (await readableNotesOf(tx, personId, [serviceId])).filter((n) => n.id === id);
      return view!;
    },
    { retryUniqueViolation: true },
  );
}
