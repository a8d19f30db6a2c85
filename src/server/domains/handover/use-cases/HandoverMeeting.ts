import { and, eq, exists, inArray, or } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import type { HandoverMeetingPage } from "../../../../common/handover/handover.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { handoverMeeting, handoverParticipant, person } from "../../../db/schema";
import { nominativeScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { meetingWords } from "../journalWords";
import { meetingViews } from "../queries";

/**
 * The meeting, if the actor is one of its invited agents and still holds a role in the sending or
 * the receiving structure: the scope is in the statement (a former member, or an agent of a third
 * structure named by mistake, reads nothing).
 */
async function meetingAsParticipant(db: Db, ctx: RequestContext, handoverId: string) {
  const structures = [...new Set(ctx.actor.memberships.map((m) => m.structureId))];
  if (structures.length === 0) return null;
  const [row] = await db
    .select({ meeting: handoverMeeting })
    .from(handoverMeeting)
    .where(
      and(
        eq(handoverMeeting.id, handoverId),
        or(
          inArray(handoverMeeting.structureId, structures),
          inArray(handoverMeeting.targetStructureId, structures),
        ),
        exists(
          db
            .select({ one: handoverParticipant.id })
            .from(handoverParticipant)
            .where(
              and(
                eq(handoverParticipant.meetingId, handoverMeeting.id),
                eq(handoverParticipant.userId, ctx.actor.userId),
              ),
            ),
        ),
      ),
    );
  return row?.meeting ?? null;
}

/**
 * One meeting (`GET /api/handovers/:handoverId`), for the readers of the person's file and for the
 * agents invited to it: what the meeting page shows of it (date, place, participants, agenda, and
 * once held its minutes) and the person's name — never the file itself, which an invited counselor
 * may not read before the person is convoked to her. Anyone else: 404. Journaled (`handover.read`).
 */
export async function getHandoverMeeting(
  deps: Deps,
  ctx: RequestContext,
  handoverId: string,
): Promise<HandoverMeetingPage> {
  const db = deps.db;
  const invited = await meetingAsParticipant(db, ctx, handoverId);
  const [stored] = invited
    ? [invited]
    : await db.select().from(handoverMeeting).where(eq(handoverMeeting.id, handoverId));
  if (!stored) throw errors.handover.notFound();
  const found = await findVisiblePerson(db, nominativeScope(ctx.actor), stored.personId);
  if (!found && !invited) throw errors.handover.notFound();
  const [who] = await db
    .select({ firstName: person.firstName, lastName: person.lastName })
    .from(person)
    .where(eq(person.id, stored.personId));
  const meeting = (await meetingViews(db, deps, stored.personId)).find((m) => m.id === stored.id);
  if (!who || !meeting) throw errors.handover.notFound();
  await journalFor(db, ctx, {
    action: "handover.read",
    targetType: "person",
    targetId: stored.personId,
    structureId: stored.structureId,
    reason: `${meetingWords(stored.startsAt)}${found ? "" : " (agent invité à la réunion)"}`,
  });
  return {
    personId: stored.personId,
    personName: `${who.lastName.toUpperCase()} ${who.firstName}`,
    fileVisible: Boolean(found),
    meeting,
  };
}
