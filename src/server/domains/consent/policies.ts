import { and, eq, exists, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../core/context";
import type { Db } from "../../db/createDb";
import { consent, note, service } from "../../db/schema";
import { mayWorkOnFile } from "../people/policies";

/**
 * A consent is collected by the referent CPIP, the direction (both edit the file) or a counselor
 * whose own scope holds the person (`people/policies.ts#mayWorkOnFile`). Holding the counselor role
 * somewhere in the structure is not enough: a CPIP who is also a counselor only reads a colleague's
 * person they never met at a permanence.
 */
export function mayRecordConsent(found: { edit: boolean; counselor: boolean }): boolean {
  return mayWorkOnFile(found);
}

/**
 * Notes are written by those who work with the person: the referent CPIP, the direction, or a
 * counselor whose scope holds the person. A CPIP reads the other CPIPs' people of the service
 * without writing on them (doc/product.md, roles), notes included.
 */
export function mayWriteNotes(found: { edit: boolean; counselor: boolean }): boolean {
  return mayRecordConsent(found);
}

/** The services (SPIP, association) the actor belongs to in a structure. */
export function servicesIn(actor: Actor, structureId: string): string[] {
  return [
    ...new Set(
      actor.memberships
        .filter((m) => m.structureId === structureId && m.serviceId)
        .map((m) => m.serviceId as string),
    ),
  ];
}

/**
 * Notes a reader may see, as SQL: those of their own service, and those shared while the person's
 * active consent includes notes and names the reader's kind of service.
 */
export function readableNotes(db: Db, readerServiceIds: string[]): SQL {
  const sharedWithReader = exists(
    db
      .select({ one: sql`1` })
      .from(consent)
      .innerJoin(service, sql`${service.kind}::text = any(${consent.recipients})`)
      .where(
        and(
          eq(consent.personId, note.personId),
          isNull(consent.revokedAt),
          eq(consent.shareNotes, true),
          inArray(service.id, readerServiceIds),
        ),
      ),
  );
  return or(
    inArray(note.authorServiceId, readerServiceIds),
    and(eq(note.visibility, "shared"), sharedWithReader),
  ) as SQL;
}
