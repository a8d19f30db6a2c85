import { and, eq, exists, gte, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { parisDay } from "../../../common/calendar";
import type { Actor } from "../../core/context";
import { structuresWithRole } from "../../core/context";
import type { Db } from "../../db/createDb";
import { consent, document, documentShare, orientation, person } from "../../db/schema";
import { addressedTo, consentCovers } from "../orientations/queries";
import { judicialFieldsVisible, type PeopleScope, visiblePeople } from "../people/policies";

/**
 * Who reads which document (DESIGN §2, ADR 0027), as SQL over `document` joined to `person`:
 * - the person's structure: whoever sees the person, and a judicial document only those who see
 *   judicial fields (the referent's CPIP side and the direction) — never a counselor;
 * - an orientation's receiving side (partner, mediation): the documents shared with that
 *   orientation, while the share is live and the person's consent in force covers the receiver;
 * - a receiving structure's CPIP and direction: the documents shared with it under a legal basis.
 * A removed document is read by nobody; an erased or archived file as the people policies say.
 */
export function staffSees(scope: PeopleScope): SQL {
  return and(
    isNull(document.deletedAt),
    visiblePeople(scope),
    or(eq(document.judicial, false), judicialFieldsVisible(scope)),
  ) as SQL;
}

/** A share still in force on `today` (Paris day): not withdrawn, not past its last day. */
export function liveShare(today: string): SQL {
  return and(
    isNull(documentShare.withdrawnAt),
    or(isNull(documentShare.until), gte(documentShare.until, today)),
  ) as SQL;
}

/** The person's consent in force covers the orientation's receiver (the inbox's own rule). */
const consentInForce = exists(
  sql`(select 1 from ${consent} where ${consent.personId} = ${orientation.personId} and ${consent.revokedAt} is null and ${consentCovers})`,
);

/** Shares (joined to their orientation) the receiving side may read. */
export function orientationSharesFor(actor: Actor, today: string): SQL {
  return and(
    eq(documentShare.target, "orientation"),
    liveShare(today),
    addressedTo(actor),
    consentInForce,
    eq(document.judicial, false),
    isNull(document.deletedAt),
  ) as SQL;
}

/**
 * How many documents each of these orientations shares with the actor (its receiving side), as
 * `orientationDocuments` would list them: the inbox says so on each card, and only a card with
 * documents asks for them (each such read is journaled, naming the person).
 */
export async function sharedDocumentCounts(
  db: Db,
  actor: Actor,
  orientationIds: string[],
  today: string,
): Promise<Map<string, number>> {
  if (orientationIds.length === 0) return new Map();
  const rows = await db
    .select({ orientationId: orientation.id, n: sql<number>`count(*)::int` })
    .from(documentShare)
    .innerJoin(document, eq(document.id, documentShare.documentId))
    .innerJoin(orientation, eq(orientation.id, documentShare.orientationId))
    .where(and(inArray(orientation.id, orientationIds), orientationSharesFor(actor, today)))
    .groupBy(orientation.id);
  return new Map(rows.map((r) => [r.orientationId, r.n]));
}

/** The structures whose CPIP or direction the actor is: where shares under a legal basis are read. */
export function receivingStructures(actor: Actor): string[] {
  return structuresWithRole(actor, "probation_officer", "service_manager");
}

/** Shares (joined to document and person) made to one of the actor's structures. */
export function structureSharesFor(actor: Actor, today: string): SQL {
  const structures = receivingStructures(actor);
  if (structures.length === 0) return sql`false`;
  return and(
    eq(documentShare.target, "structure"),
    inArray(documentShare.recipientStructureId, structures),
    liveShare(today),
    isNull(document.deletedAt),
    isNull(person.erasedAt),
    isNull(person.archivedAt),
  ) as SQL;
}

export function today(now: Date): string {
  return parisDay(now);
}

/**
 * How the actor reaches a document, for a download: "staff" (the person's structure), "orientation"
 * or "structure" (a live share), or undefined (404, whatever the reason).
 */
export async function reachDocument(
  db: Db,
  actor: Actor,
  scope: PeopleScope | null,
  documentId: string,
  now: Date,
): Promise<
  | { doc: typeof document.$inferSelect; via: "staff" | "orientation" | "structure"; structureId: string }
  | undefined
> {
  const day = today(now);
  if (scope) {
    const [row] = await db
      .select({ doc: document })
      .from(document)
      .innerJoin(person, eq(person.id, document.personId))
      .where(and(eq(document.id, documentId), staffSees(scope)));
    if (row) return { doc: row.doc, via: "staff", structureId: row.doc.structureId };
  }
  const [shared] = await db
    .select({ doc: document, structureId: orientation.structureId })
    .from(documentShare)
    .innerJoin(document, eq(document.id, documentShare.documentId))
    .innerJoin(orientation, eq(orientation.id, documentShare.orientationId))
    .where(and(eq(document.id, documentId), orientationSharesFor(actor, day)))
    .limit(1);
  if (shared) return { doc: shared.doc, via: "orientation", structureId: shared.structureId };
  const [received] = await db
    .select({ doc: document, structureId: documentShare.recipientStructureId })
    .from(documentShare)
    .innerJoin(document, eq(document.id, documentShare.documentId))
    .innerJoin(person, eq(person.id, document.personId))
    .where(and(eq(document.id, documentId), structureSharesFor(actor, day)))
    .limit(1);
  if (received) return { doc: received.doc, via: "structure", structureId: received.structureId as string };
  return undefined;
}
