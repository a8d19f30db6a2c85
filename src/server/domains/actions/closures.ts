import { and, asc, eq, gt, lt } from "drizzle-orm";
import { formatDateTime } from "../../../common/dateFormat";
import { errors } from "../../../common/errors";
import type { Db } from "../../db/createDb";
import { collectiveAction, site, siteClosure } from "../../db/schema";
import { lockSiteRules } from "../agenda/queries";

/** A planned collective action a site's closure would fall on. */
export interface ActionInClosure {
  id: string;
  title: string;
  startsAt: Date;
  siteName: string;
}

/** "Stage de citoyenneté — lundi 22 juin 2026 à 9 h 00, Meaux". */
export const actionInClosureLabel = (a: ActionInClosure): string =>
  `${a.title} — ${formatDateTime(a.startsAt)}, ${a.siteName}`;

/**
 * The planned collective actions still to come (after `now`) held at the site during [startsAt,
 * endsAt): a closure over them is refused until they are moved or cancelled, as for planned
 * convocations (ADR 0031 addendum). One already started is not counted: it can no longer be moved
 * nor cancelled, only its outcomes recorded. The caller holds the site rules' exclusive lock for a
 * write.
 */
export async function plannedActionsDuring(
  db: Db,
  input: { siteId: string; startsAt: Date; endsAt: Date; now: Date },
): Promise<ActionInClosure[]> {
  return db
    .select({
      id: collectiveAction.id,
      title: collectiveAction.title,
      startsAt: collectiveAction.startsAt,
      siteName: site.name,
    })
    .from(collectiveAction)
    .innerJoin(site, eq(site.id, collectiveAction.siteId))
    .where(
      and(
        eq(collectiveAction.siteId, input.siteId),
        eq(collectiveAction.status, "planned"),
        lt(collectiveAction.startsAt, input.endsAt),
        gt(collectiveAction.endsAt, input.startsAt),
        gt(collectiveAction.startsAt, input.now),
      ),
    )
    .orderBy(asc(collectiveAction.startsAt));
}

/**
 * An action created or moved at a site is refused while a closure of the site covers any of its
 * time (400, under « Date »). Takes the site rules' shared lock, so a closure being recorded (its
 * exclusive lock) cannot slip in between.
 */
export async function assertSiteOpenFor(
  tx: Db,
  input: { siteId: string; startsAt: Date; endsAt: Date },
): Promise<void> {
  await lockSiteRules(tx, input.siteId, "shared");
  const [closed] = await tx
    .select({ startsAt: siteClosure.startsAt, endsAt: siteClosure.endsAt, reason: siteClosure.reason })
    .from(siteClosure)
    .where(
      and(
        eq(siteClosure.siteId, input.siteId),
        lt(siteClosure.startsAt, input.endsAt),
        gt(siteClosure.endsAt, input.startsAt),
      ),
    )
    .orderBy(asc(siteClosure.startsAt))
    .limit(1);
  if (closed)
    throw errors.collectiveAction.siteClosed(
      `du ${formatDateTime(closed.startsAt)} au ${formatDateTime(closed.endsAt)}${closed.reason ? ` (${closed.reason})` : ""}`,
    );
}
