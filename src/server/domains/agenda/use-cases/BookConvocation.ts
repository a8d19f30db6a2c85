import { isDeepStrictEqual } from "node:util";
import { and, eq, inArray } from "drizzle-orm";
import type { BookBody, ConvocationView } from "../../../../common/agenda/agenda.schema";
import { sameHalfDayClash, thatHalfDay } from "../../../../common/agenda/halfDayClash";
import { formatDateTime } from "../../../../common/dateFormat";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import { isUniqueViolation } from "../../../core/dbErrors";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { convocation, demarcheType, site } from "../../../db/schema";
import { assertPlaceFits, assertSiteAccess, isThroughEstablishment } from "../../detention/queries";
import { enqueueBookingNotices, wasAnnounced } from "../../notifications/outbox";
import { assertFileOpen } from "../../people/openFile";
import { nominativeScope, type PeopleScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import {
  listConvocations,
  loadSlotInput,
  lockPersonHalfDay,
  lockSiteRules,
  lockSlot,
  plannedAround,
  takenSeats,
  toConvocationView,
} from "../queries";
import { computeSlots, freeSeat, parisDay } from "../rules";

/**
 * Runs a booking transaction; a unique violation on the seat index (a place taken meanwhile by
 * another instance) answers like a full slot.
 */
export async function inBookingTransaction<T>(deps: Deps, work: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await deps.db.transaction(work);
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.convocation.slotTaken();
    throw error;
  }
}

/**
 * The person's other planned convocation in the same half-day (the page's warning, one rule:
 * `sameHalfDayClash`) refuses the booking with 409 `convocation.sameHalfDay`, naming it, unless the
 * agent confirmed. Run under the per-person half-day lock (`lockPersonHalfDay`), so two such bookings
 * at once see each other; `bookedId` is the convocation just written, which is no clash.
 */
async function assertNoHalfDayClash(
  tx: Db,
  input: { personId: string; startsAt: Date; bookedId: string; confirmSameHalfDay?: boolean },
): Promise<void> {
  if (input.confirmSameHalfDay) return;
  const planned = await plannedAround(tx, input.personId, input.startsAt);
  const clash = sameHalfDayClash(planned, input.startsAt, input.bookedId);
  if (clash)
    throw errors.convocation
      .sameHalfDay({
        startsAt: clash.startsAt,
        siteName: clash.siteName,
        thatHalfDay: thatHalfDay(clash.startsAt),
      })
      .disclosing([input.personId]);
}

/**
 * Inside a transaction: checks that the actor may convoke the person, that the slot is open and
 * has a free seat (under a per-slot lock), then inserts the convocation and journals it.
 */
export async function bookInTransaction(
  tx: Db,
  ctx: RequestContext,
  scope: PeopleScope,
  input: Omit<BookBody, "confirmSameHalfDay"> & {
    /** The agent saw the person's other convocation in that half-day and books anyway (ADR 0003, addendum « same half-day »). */
    confirmSameHalfDay?: boolean;
    rescheduledFromId?: string;
    /** No message before this instant (a handover: the release morning). */
    messagesNotBefore?: Date;
    /**
     * A plain booking (not a reschedule nor a handover): the same booking sent again after a lost
     * answer — same person, site, time, agent and content — is answered with the convocation written.
     */
    answerOwnRetry?: boolean;
  },
): Promise<string> {
  const startsAt = new Date(input.startsAt);
  const target = await findVisiblePerson(tx, scope, input.personId);
  if (!target) throw errors.person.notFound();
  await assertFileOpen(tx, input.personId);
  if (!target.edit) throw errors.access.forbidden();
  const structureId = target.person.structureId;
  const [place] = await tx
    .select({ id: site.id })
    .from(site)
    .where(and(eq(site.id, input.siteId), eq(site.structureId, structureId)));
  if (!place) throw errors.convocation.siteNotInStructure();
  if (input.demarcheTypeIds.length > 0) {
    const known = await tx
      .select({ id: demarcheType.id })
      .from(demarcheType)
      .where(inArray(demarcheType.id, input.demarcheTypeIds));
    if (known.length !== new Set(input.demarcheTypeIds).size) {
      throw errors.request.invalid([{ path: "body.demarcheTypeIds", message: "Démarche inconnue." }]);
    }
  }

  const day = parisDay(startsAt);
  // Milieu fermé (ADR 0028): the booker needs an access authorisation valid on the day, and a person
  // held on the convocation's day gets no SMS or e-mail: the establishment hands the letter and reads
  // the movements list. A detainee only inside their establishment, anyone else never inside a prison
  // or SAS. "Held on that day" is the one rule (`heldIn`, expected release counted: the first
  // convocation of the milieu ouvert is booked before the release), as in the outbox.
  await assertPlaceFits(tx, { personId: input.personId, siteId: input.siteId, day });
  await assertSiteAccess(tx, { siteId: input.siteId, userId: ctx.actor.userId, day });
  const throughEstablishment = await isThroughEstablishment(tx, {
    personId: input.personId,
    siteId: input.siteId,
    day,
  });
  const notifySms = input.notifySms && !throughEstablishment;
  const notifyEmail = input.notifyEmail && !throughEstablishment;
  await lockSiteRules(tx, input.siteId, "shared");
  await lockSlot(tx, input.siteId, startsAt);
  // Never twice the same person at the same time: a booking sent again after a lost answer (the
  // first one written) must not take a second seat nor send a second message.
  const [twice] = await tx
    .select({
      id: convocation.id,
      siteId: convocation.siteId,
      bookedBy: convocation.bookedBy,
      rescheduledFromId: convocation.rescheduledFromId,
      needDomains: convocation.needDomains,
      demarcheTypeIds: convocation.demarcheTypeIds,
      comment: convocation.comment,
      notifySms: convocation.notifySms,
      notifyEmail: convocation.notifyEmail,
    })
    .from(convocation)
    .where(
      and(
        eq(convocation.personId, input.personId),
        eq(convocation.startsAt, startsAt),
        eq(convocation.status, "planned"),
      ),
    )
    .limit(1);
  if (twice) {
    // Its own booking, sent again after a lost answer (ADR 0036): the convocation already written,
    // nothing more (no second seat, message nor journal row). Anything else — another agent's, other
    // choices — is the person already convoked at that time.
    const ownRetry =
      input.answerOwnRetry === true &&
      twice.bookedBy === ctx.actor.userId &&
      twice.rescheduledFromId === null &&
      isDeepStrictEqual(
        {
          siteId: twice.siteId,
          needDomains: twice.needDomains,
          demarcheTypeIds: twice.demarcheTypeIds,
          comment: twice.comment,
          notifySms: twice.notifySms,
          notifyEmail: twice.notifyEmail,
        },
        {
          siteId: input.siteId,
          needDomains: input.needDomains,
          demarcheTypeIds: input.demarcheTypeIds,
          comment: input.comment,
          notifySms,
          notifyEmail,
        },
      );
    if (ownRetry) return twice.id;
    throw errors.convocation.alreadyBooked();
  }
  const slotInput = await loadSlotInput(tx, {
    structureId,
    siteId: input.siteId,
    fromDay: day,
    toDay: day,
    now: ctx.clock.now(),
  });
  const slot = slotInput && computeSlots(slotInput).find((s) => s.startsAt.getTime() === startsAt.getTime());
  if (!slot) throw errors.convocation.slotUnavailable();
  const seat = freeSeat(slot.capacity, await takenSeats(tx, input.siteId, startsAt));
  if (seat === null) throw errors.convocation.slotTaken();
  await lockPersonHalfDay(tx, input.personId, startsAt);

  const [created] = await tx
    .insert(convocation)
    .values({
      structureId,
      siteId: input.siteId,
      personId: input.personId,
      startsAt,
      endsAt: slot.endsAt,
      seat,
      needDomains: input.needDomains,
      demarcheTypeIds: input.demarcheTypeIds,
      comment: input.comment,
      notifySms,
      notifyEmail,
      bookedBy: ctx.actor.userId,
      rescheduledFromId: input.rescheduledFromId ?? null,
    })
    .returning({ id: convocation.id });
  await enqueueBookingNotices(
    tx,
    {
      id: created!.id,
      structureId,
      personId: input.personId,
      startsAt,
      notifySms,
      notifyEmail,
      rescheduled: input.rescheduledFromId ? await wasAnnounced(tx, input.rescheduledFromId) : false,
      notBefore: input.messagesNotBefore,
    },
    ctx.clock.now(),
  );
  // Last, once every other refusal (a 400: no phone for the SMS…) is said: the clash is confirmed,
  // and the transaction, its row and messages, rolled back when it is not.
  await assertNoHalfDayClash(tx, { ...input, startsAt, bookedId: created!.id });
  await journalFor(tx, ctx, {
    action: "convocation.booked",
    targetType: "convocation",
    targetId: created!.id,
    structureId,
    reason: `${input.rescheduledFromId ? "rendez-vous reporté au" : "rendez-vous du"} ${formatDateTime(startsAt)}`,
  });
  return created!.id;
}

/** Books a slot for a person the actor refers (or directs). */
export async function bookConvocation(
  deps: Deps,
  ctx: RequestContext,
  input: BookBody,
): Promise<ConvocationView> {
  const scope = nominativeScope(ctx.actor);
  return inBookingTransaction(deps, async (tx) => {
    const id = await bookInTransaction(tx, ctx, scope, { ...input, answerOwnRetry: true });
    const [row] = await listConvocations(tx, scope, { id });
    return toConvocationView(row!, ctx.clock.now(), ctx.actor);
  });
}
