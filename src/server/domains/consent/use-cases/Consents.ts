import { and, eq, inArray, isNull } from "drizzle-orm";
import type { z } from "zod";
import type { ConsentBody, consentsSchema, NewConsentBody } from "../../../../common/consent/consent.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { alreadyCreated } from "../../../core/retriedCreation";
import { lockRows } from "../../../core/rowLocks";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import { consent, partner, person } from "../../../db/schema";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope, visiblePeople } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { mayRecordConsent } from "../policies";
import { consentViews } from "../queries";

type Consents = z.infer<typeof consentsSchema>;

async function consentsOf(
  tx: Db,
  found: NonNullable<Awaited<ReturnType<typeof findVisiblePerson>>>,
): Promise<Consents> {
  const history = await consentViews(tx, found.person.id);
  return {
    active: history.find((c) => c.revokedAt === null) ?? null,
    history,
    // A closed file is read-only (assertFileOpen refuses the write; the page hides the action).
    permissions: {
      record: found.person.closedAt === null && found.person.archivedAt === null && mayRecordConsent(found),
    },
  };
}

export async function listConsents(deps: Deps, ctx: RequestContext, personId: string): Promise<Consents> {
  const scope = nominativeScope(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) throw errors.person.notFound();
    return consentsOf(tx, found);
  });
}

/** The person's choices as a consent row records them (a retry is compared on the same fields). */
function recordedFields(body: ConsentBody) {
  return {
    domains: body.domains,
    shareDemarcheDetails: body.shareDemarcheDetails,
    shareNotes: body.shareNotes,
    recipients: body.recipients,
    partnerIds: body.partnerIds,
    purpose: body.purpose,
  };
}

/**
 * Inside a transaction: the consent in force, if any, is revoked and the new one inserted (named
 * partners must exist). Used when recording a consent and when creating a person with one.
 */
export async function insertConsent(
  tx: Db,
  ctx: RequestContext,
  input: {
    structureId: string;
    personId: string;
    body: ConsentBody;
    id?: string | undefined;
    /** Where the consent sits in the request body, for a field-level refusal. */
    at?: string;
  },
): Promise<void> {
  const { body } = input;
  if (body.partnerIds.length > 0) {
    const known = await tx
      .select({ id: partner.id })
      .from(partner)
      .where(inArray(partner.id, body.partnerIds));
    if (known.length !== new Set(body.partnerIds).size)
      throw errors.consent.unknownPartner(`${input.at ?? "body"}.partnerIds`);
  }
  const now = ctx.clock.now();
  await tx
    .update(consent)
    .set({ revokedAt: now, revokedBy: ctx.actor.userId })
    .where(and(eq(consent.personId, input.personId), isNull(consent.revokedAt)));
  await tx.insert(consent).values({
    id: input.id,
    structureId: input.structureId,
    personId: input.personId,
    ...recordedFields(body),
    collectedBy: ctx.actor.userId,
    collectedAt: now,
  });
}

/**
 * Records the person's choice; the consent in force, if any, is revoked in the same transaction.
 * Two recordings at once: the second breaks the one-consent-in-force index and is answered 409
 * `consent.changedMeanwhile` (`http/errorHandler.ts`): it was chosen without seeing the first.
 * Sent again under the id its form chose (an answer lost, ADR 0036; twice at once, the second waits
 * for the id's lock and finds the first), the consent already recorded is answered: no second
 * consent, revocation of the first or journal row; other choices are a 409.
 */
export async function recordConsent(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  { id: chosenId, ...body }: NewConsentBody,
): Promise<Consents> {
  const scope = nominativeScope(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) throw errors.person.notFound();
    await assertFileOpen(tx, personId);
    if (!mayRecordConsent(found)) throw errors.access.forbidden();
    if (
      chosenId &&
      (await alreadyCreated(
        tx,
        ctx,
        { table: consent, id: chosenId, scope: [consent.personId, personId], creator: consent.collectedBy },
        recordedFields(body),
        errors.consent.retriedWithOtherValues,
      ))
    )
      return consentsOf(tx, found);
    await insertConsent(tx, ctx, { structureId: found.person.structureId, personId, body, id: chosenId });
    await journalFor(tx, ctx, {
      action: "consent.recorded",
      targetType: "person",
      targetId: personId,
      structureId: found.person.structureId,
    });
    return consentsOf(tx, found);
  });
}

export async function revokeConsent(deps: Deps, ctx: RequestContext, consentId: string): Promise<Consents> {
  const scope = nominativeScope(ctx.actor);
  return inTransaction(deps.db, async (tx) => {
    // Revoked twice at once: the second reads the consent the first revoked (409 alreadyRevoked).
    await lockRows(tx, consent, [consentId]);
    const [row] = await tx
      .select({ consent })
      .from(consent)
      .innerJoin(person, eq(person.id, consent.personId))
      .where(and(eq(consent.id, consentId), visiblePeople(scope)));
    if (!row) throw errors.consent.notFound();
    const found = await findVisiblePerson(tx, scope, row.consent.personId);
    if (!found) throw errors.consent.notFound();
    await assertFileOpen(tx, row.consent.personId);
    if (!mayRecordConsent(found)) throw errors.access.forbidden();
    if (row.consent.revokedAt) throw errors.consent.alreadyRevoked();
    await tx
      .update(consent)
      .set({ revokedAt: ctx.clock.now(), revokedBy: ctx.actor.userId })
      .where(eq(consent.id, consentId));
    await journalFor(tx, ctx, {
      action: "consent.revoked",
      targetType: "person",
      targetId: found.person.id,
      structureId: found.person.structureId,
      reason: consentId,
    });
    return consentsOf(tx, found);
  });
}
