import { isDeepStrictEqual } from "node:util";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import type { Duplicates, NewPersonBody } from "../../../../common/people/people.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { alreadyCreated } from "../../../core/retriedCreation";
import { inTransaction } from "../../../core/transaction";
import type { Db } from "../../../db/createDb";
import { auditEvent, consent, measure, person, referent } from "../../../db/schema";
import { insertConsent } from "../../consent/use-cases/Consents";
import { peopleScope, visiblePeople } from "../policies";
import { findDuplicateCandidates } from "../queries";
import { nameKey, normalizePhone } from "../rules";

/**
 * The CPIP membership (with its SPIP service) that makes the actor a possible referent here. A
 * structure the actor is no member of (or that does not exist) is a wrong value of the field, named
 * (`where`: the body or the query string), not a refusal of their role; a member without the CPIP
 * role is refused (403).
 */
function referentMembership(ctx: RequestContext, structureId: string, where: "body" | "query") {
  if (!ctx.actor.memberships.some((m) => m.structureId === structureId))
    throw errors.request.invalid([{ path: `${where}.structureId`, message: NOT_YOUR_STRUCTURE_MESSAGE }]);
  const found = ctx.actor.memberships.find(
    (m) => m.structureId === structureId && m.role === "probation_officer" && m.serviceId,
  );
  if (!found?.serviceId) throw errors.person.notAReferent();
  return { serviceId: found.serviceId };
}

export const NOT_YOUR_STRUCTURE_MESSAGE =
  "Structure inconnue ou dont vous n'êtes pas membre : choisissez l'une de vos structures.";

function phoneOrThrow(phone: string): string {
  const normalized = normalizePhone(phone);
  if (normalized === null) throw errors.person.invalidPhone();
  return normalized;
}

/** Possible duplicates: names of those the actor may see; only a count of the others. */
export async function findDuplicates(
  db: Db,
  ctx: RequestContext,
  input: {
    structureId: string;
    lastName: string;
    firstName: string;
    birthDate: string;
    phone?: string | undefined;
  },
): Promise<Duplicates> {
  referentMembership(ctx, input.structureId, "query");
  const phone = phoneOrThrow(input.phone ?? "");
  const candidates = await findDuplicateCandidates(db, {
    structureId: input.structureId,
    lastNameKey: nameKey(input.lastName),
    firstNameKey: nameKey(input.firstName),
    birthDate: input.birthDate,
    phone,
  });
  if (candidates.length === 0) return { visible: [], hiddenCount: 0 };
  const visibleIds = new Set(
    (
      await db
        .select({ id: person.id })
        .from(person)
        .where(
          and(
            inArray(
              person.id,
              candidates.map((c) => c.id),
            ),
            visiblePeople(peopleScope(ctx.actor)),
          ),
        )
    ).map((r) => r.id),
  );
  return {
    visible: candidates
      .filter((c) => visibleIds.has(c.id))
      .map((c) => ({
        id: c.id,
        name: `${c.lastName.toUpperCase()} ${c.firstName}`,
        birthDate: c.birthDate,
        reason: phone && c.phone === phone ? ("phone" as const) : ("identity" as const),
      })),
    hiddenCount: candidates.filter((c) => !visibleIds.has(c.id)).length,
  };
}

/** The namespace of the advisory locks below ("Pers"), apart from the migrations' single key. */
const IDENTITY_LOCKS = 0x50657273;

/**
 * Inside the creation's transaction, before looking for duplicates: a transaction-level advisory
 * lock on each key by which two files are duplicates (name and birth date, phone) in the structure.
 * Two creations of the same person at once (a double click) take turns: the second's search then
 * sees the first's file (READ COMMITTED) and is refused as if sent afterwards. Keys are taken in one
 * order (sorted) so that two creations sharing them cannot deadlock; released at commit or rollback.
 * PGlite runs one transaction at a time and takes them at once.
 */
async function lockIdentity(
  tx: Db,
  input: { structureId: string; lastName: string; firstName: string; birthDate: string; phone: string },
): Promise<void> {
  const keys = [
    `${input.structureId}|identity|${nameKey(input.lastName)}|${nameKey(input.firstName)}|${input.birthDate}`,
    ...(input.phone ? [`${input.structureId}|phone|${input.phone}`] : []),
  ].sort();
  for (const key of keys) {
    await tx.execute(sql`select pg_advisory_xact_lock(${IDENTITY_LOCKS}, hashtext(${key}))`);
  }
}

/**
 * What a file created under `personId` was given at creation besides its own row (a retry compares
 * them, ADR 0036): its measures, and the consent recorded by the same request, if any.
 */
async function createdWith(tx: Db, personId: string) {
  // An import may add a measure later: the one created with the file is among them.
  const measures = await tx.select().from(measure).where(eq(measure.personId, personId));
  const creation = tx
    .select({ requestId: auditEvent.requestId })
    .from(auditEvent)
    .where(and(eq(auditEvent.action, "person.created"), eq(auditEvent.targetId, personId)));
  const [consentJournaled] = await tx
    .select({ id: auditEvent.id })
    .from(auditEvent)
    .where(
      and(
        eq(auditEvent.action, "consent.recorded"),
        eq(auditEvent.targetId, personId),
        inArray(auditEvent.requestId, creation),
      ),
    )
    .limit(1);
  const [firstConsent] = consentJournaled
    ? await tx
        .select()
        .from(consent)
        .where(eq(consent.personId, personId))
        .orderBy(asc(consent.collectedAt))
        .limit(1)
    : [];
  return { measures, firstConsent };
}

/**
 * Creates a person, their measure and the actor as active referent, in one transaction. Refused
 * with 409 while possible duplicates exist and the agent has not confirmed it is someone else.
 * Sent again under the id its form chose (a lost answer, ADR 0036), the file already created is
 * answered, before any duplicate search (which would find it).
 */
export async function createPerson(
  deps: Deps,
  ctx: RequestContext,
  { id: chosenId, ...input }: NewPersonBody,
): Promise<{ id: string }> {
  const { serviceId } = referentMembership(ctx, input.structureId, "body");
  const phone = phoneOrThrow(input.phone);
  // The file's own columns, as written and as a retry must find them.
  const identity = {
    firstName: input.firstName,
    lastName: input.lastName,
    birthDate: input.birthDate,
    birthPlace: input.birthPlace,
    phone,
    email: input.email,
    address: input.address,
    domiciliation: input.domiciliation,
    preferredLanguage: input.preferredLanguage,
    readsFrench: input.readsFrench,
    status: input.status,
  };
  // Sent twice at once: the identity locks make the second wait and find the first's file; under
  // other identity keys, it breaks the primary key and runs again (`alreadyCreated` then a 409).
  return inTransaction(
    deps.db,
    async (tx) => {
      // Also when the agent confirmed it is someone else: a creation without that confirmation running
      // at the same moment then waits and sees this file.
      await lockIdentity(tx, { ...input, phone });
      if (chosenId) {
        // Read once the file's row is seen (`alreadyCreated`), so from the same committed write.
        let created: ReturnType<typeof createdWith> | undefined;
        const stored = () => {
          created ??= createdWith(tx, chosenId);
          return created;
        };
        const sentConsent = input.consent;
        const retried = await alreadyCreated(
          tx,
          ctx,
          {
            table: person,
            id: chosenId,
            scope: [person.structureId, input.structureId],
            creator: { journaled: "person.created" },
          },
          {
            ...identity,
            measure: async () =>
              (await stored()).measures.some((m) =>
                isDeepStrictEqual(
                  {
                    type: m.type,
                    startDate: m.startDate,
                    endDate: m.endDate,
                    offence: m.offence,
                    court: m.court,
                  },
                  input.measure,
                ),
              ),
            consent: async () => {
              const { firstConsent } = await stored();
              return sentConsent === null
                ? firstConsent === undefined
                : firstConsent !== undefined &&
                    isDeepStrictEqual(
                      {
                        domains: firstConsent.domains,
                        shareDemarcheDetails: firstConsent.shareDemarcheDetails,
                        shareNotes: firstConsent.shareNotes,
                        recipients: firstConsent.recipients,
                        partnerIds: firstConsent.partnerIds,
                        purpose: firstConsent.purpose,
                      },
                      sentConsent,
                    );
            },
          },
          errors.person.retriedWithOtherValues,
        );
        if (retried) return { id: chosenId };
      }
      if (!input.confirmNotDuplicate) {
        const duplicates = await findDuplicates(tx, ctx, { ...input, phone });
        if (duplicates.visible.length + duplicates.hiddenCount > 0) throw errors.person.possibleDuplicate();
      }
      const [created] = await tx
        .insert(person)
        .values({
          id: chosenId,
          structureId: input.structureId,
          ...identity,
        })
        .returning({ id: person.id });
      const personId = created!.id;
      await tx.insert(measure).values({ personId, ...input.measure });
      await tx
        .insert(referent)
        .values({ personId, userId: ctx.actor.userId, serviceId, startedAt: ctx.clock.now() });
      await journalFor(tx, ctx, {
        action: "person.created",
        targetType: "person",
        targetId: personId,
        structureId: input.structureId,
        reason: input.confirmNotDuplicate ? "doublon écarté par l'agent" : "",
      });
      if (input.consent) {
        await insertConsent(tx, ctx, {
          structureId: input.structureId,
          personId,
          body: input.consent,
          at: "body.consent",
        });
        await journalFor(tx, ctx, {
          action: "consent.recorded",
          targetType: "person",
          targetId: personId,
          structureId: input.structureId,
        });
      }
      return { id: personId };
    },
    { retryUniqueViolation: true },
  );
}
