import { parisDay } from "../../../../common/calendar";
import { errors } from "../../../../common/errors";
import type { ClosingReason } from "../../../../common/people/closing.schema";
import type { FilePermissions, PersonFile } from "../../../../common/people/people.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { detentionOf } from "../../detention/queries";
import { mayChangeReferent, mayEditContacts, nominativeScope, type PeopleScope } from "../policies";
import {
  findPersonStructure,
  findVisiblePerson,
  measuresFull,
  measuresRestricted,
  referentHistory,
} from "../queries";
import { fileSummary } from "../summary";

type Found = NonNullable<Awaited<ReturnType<typeof findVisiblePerson>>>;

function closureOf(p: Found["person"]): PersonFile["closure"] {
  if (!p.closedAt) return null;
  return {
    closedAt: p.closedAt.toISOString(),
    closedOn: p.closedOn ?? parisDay(p.closedAt),
    reason: (p.closedReason ?? "other") as ClosingReason,
    note: p.closedNote,
  };
}

/** What the actor may do; a closed file is read-only (the server refuses writes: `assertFileOpen`). */
function filePermissions(scope: PeopleScope, found: Found): FilePermissions {
  const open = found.person.closedAt === null && found.person.archivedAt === null;
  const structureId = found.person.structureId;
  return {
    edit: open && found.edit,
    editContacts: open && mayEditContacts(found),
    changeReferent: open && mayChangeReferent(scope, structureId, found.referentServiceId),
    close: open && found.edit,
    reopen:
      found.person.closedAt !== null && found.person.archivedAt === null && found.edit && !found.passedOn,
  };
}

/**
 * Opens a person's file. The read is journaled in the same transaction; a refused read is
 * journaled too. Out of scope and nonexistent answer the same 404, so existence does not leak.
 */
export async function getPersonFile(deps: Deps, ctx: RequestContext, personId: string): Promise<PersonFile> {
  const scope = nominativeScope(ctx.actor);
  const file = await deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) return undefined;
    const { person: p } = found;
    await journalFor(tx, ctx, {
      action: "person.read",
      targetType: "person",
      targetId: p.id,
      structureId: p.structureId,
      reason: found.full ? "dossier complet" : "dossier restreint (conseiller)",
    });
    const identity = {
      id: p.id,
      structureId: p.structureId,
      fileNumber: p.fileNumber,
      firstName: p.firstName,
      lastName: p.lastName,
      birthDate: p.birthDate,
      birthPlace: p.birthPlace,
      phone: p.phone,
      email: p.email,
      address: p.address,
      domiciliation: p.domiciliation,
      preferredLanguage: p.preferredLanguage,
      readsFrench: p.readsFrench as PersonFile["readsFrench"],
      status: p.status,
      referent:
        found.referentUserId && found.referentName && found.referentSince
          ? {
              userId: found.referentUserId,
              displayName: found.referentName,
              since: found.referentSince.toISOString(),
            }
          : null,
      referentHistory: await referentHistory(tx, p.id),
      sex: p.sex as PersonFile["sex"],
      detention: await detentionOf(tx, p),
      closure: closureOf(p),
      summary: await fileSummary(tx, p.id, ctx.clock.now()),
      permissions: filePermissions(scope, found),
      retention: {
        archivedAt: p.archivedAt?.toISOString() ?? null,
        mayRestore: p.archivedAt !== null && scope.managerStructures.includes(p.structureId),
        mayExportData: scope.managerStructures.includes(p.structureId),
      },
    };
    return found.full
      ? {
          view: "full" as const,
          ...identity,
          measures: await measuresFull(tx, p.id),
          prisonNumber: p.prisonNumber,
        }
      : { view: "restricted" as const, ...identity, measures: await measuresRestricted(tx, p.id) };
  });
  if (file) return file;
  const structureId = await findPersonStructure(deps.db, personId);
  if (structureId) {
    await journalFor(deps.db, ctx, {
      action: "person.read",
      targetType: "person",
      targetId: personId,
      structureId,
      outcome: "denied",
    });
  }
  throw errors.person.notFound();
}
