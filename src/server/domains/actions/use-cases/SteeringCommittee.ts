/**
 * The steering committee's meetings as its members read them (seed: « la mise en place d'un comité
 * de pilotage comprenant … la préfecture et le SPIP, les représentants des opérateurs nationaux »).
 * Its meetings are collective actions of kind `steering_committee`, a series with members like a
 * working group, convened and minuted by the direction. The structure's steering accounts read here
 * when it meets and what it decided; nothing about a person is in these rows, so nothing is journaled.
 */
import { and, asc, desc, eq, gte, lt, ne } from "drizzle-orm";
import type { SteeringCommittee } from "../../../../common/actions/workingGroup.schema";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { collectiveAction, site } from "../../../db/schema";
import { assertMayReadCommittee } from "../policies";
import { meetingColumns, meetingView } from "./WorkingGroup";

const UPCOMING = 3;
const PAST = 5;

export async function steeringCommittee(
  deps: Deps,
  ctx: RequestContext,
  structureId: string,
): Promise<SteeringCommittee> {
  assertMayReadCommittee(ctx.actor, structureId);
  const now = ctx.clock.now();
  const meetings = (when: "upcoming" | "past") =>
    deps.db
      .select(meetingColumns)
      .from(collectiveAction)
      .leftJoin(site, eq(site.id, collectiveAction.siteId))
      .where(
        and(
          eq(collectiveAction.structureId, structureId),
          eq(collectiveAction.kind, "steering_committee"),
          ne(collectiveAction.status, "cancelled"),
          when === "upcoming" ? gte(collectiveAction.endsAt, now) : lt(collectiveAction.endsAt, now),
        ),
      )
      .orderBy(when === "upcoming" ? asc(collectiveAction.startsAt) : desc(collectiveAction.startsAt))
      .limit(when === "upcoming" ? UPCOMING : PAST);
  return {
    upcoming: (await meetings("upcoming")).map(meetingView),
    past: (await meetings("past")).map(meetingView),
  };
}
