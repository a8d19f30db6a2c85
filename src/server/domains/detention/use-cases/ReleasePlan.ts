import { and, desc, eq, inArray } from "drizzle-orm";
import type { DemarcheStatus } from "../../../../common/accompaniment/accompaniment.schema";
import { parisDay } from "../../../../common/calendar";
import { formatDate } from "../../../../common/dateFormat";
import type { ReleasePlan } from "../../../../common/detention/detention.schema";
import { errors } from "../../../../common/errors";
import { journalFor } from "../../../core/audit";
import { hasRole, type RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import type { Db } from "../../../db/createDb";
import { demarche, demarcheType } from "../../../db/schema";
import { needsOf } from "../../accompaniment/queries";
import { startDemarche } from "../../accompaniment/use-cases/RecordVisit";
import { assertFileOpen } from "../../people/openFile";
import { mayWorkOnFile, nominativeScope } from "../../people/policies";
import { findVisiblePerson } from "../../people/queries";
import { loadDetentionSettings } from "../queries";
import { planDueDate, planItemState, planWindow, releasePlanItems } from "../rules";

type Found = NonNullable<Awaited<ReturnType<typeof findVisiblePerson>>>;

/** The plan of a person already found, as of `today` (Paris): built from needs and existing démarches. */
export async function computeReleasePlan(
  tx: Db,
  found: Pick<Found, "person">,
  today: string,
  mayStart: boolean,
): Promise<ReleasePlan> {
  const p = found.person;
  const settings = await loadDetentionSettings(tx, p.structureId);
  const release = p.detentionSiteId && !p.releasedOn ? p.expectedReleaseDate : null;
  const window = planWindow(release, settings.releasePlanDays, today);
  const base = {
    active: window.active,
    expectedReleaseDate: release,
    showsFrom: window.showsFrom,
    daysLeft: window.daysLeft,
    today,
  };
  if (!window.active || !release) return { ...base, items: [], mayStart: false };
  const codes = releasePlanItems.map((i) => i.code);
  const types = await tx
    .select({ id: demarcheType.id, code: demarcheType.code, label: demarcheType.label })
    .from(demarcheType)
    .where(inArray(demarcheType.code, codes));
  const existing = await tx
    .select({
      id: demarche.id,
      typeId: demarche.demarcheTypeId,
      status: demarche.status,
      dueDate: demarche.dueDate,
    })
    .from(demarche)
    .where(
      and(
        eq(demarche.personId, p.id),
        inArray(
          demarche.demarcheTypeId,
          types.map((t) => t.id),
        ),
      ),
    )
    .orderBy(desc(demarche.createdAt));
  const { needs } = await needsOf(tx, p.id);
  const open = new Set(needs.filter((n) => n.hasNeed).map((n) => n.domain));
  const items = releasePlanItems.map((def) => {
    const type = types.find((t) => t.code === def.code);
    const latest = type ? existing.find((d) => d.typeId === type.id) : undefined;
    return {
      code: def.code,
      label: type?.label ?? def.code,
      domain: def.domain,
      needed: open.has(def.domain),
      demarcheTypeId: type?.id ?? null,
      dueDate: planDueDate(release, def.leadDays, today),
      demarche: latest
        ? { id: latest.id, status: latest.status as DemarcheStatus, dueDate: latest.dueDate }
        : null,
      state: planItemState((latest?.status as DemarcheStatus | undefined) ?? null),
    };
  });
  return { ...base, items, mayStart };
}

/** Who may start a plan démarche: the counselors and direction (as for visits), and the file's editors. */
function mayStartItems(ctx: RequestContext, found: Found): boolean {
  const s = found.person.structureId;
  const open = found.person.closedAt === null && found.person.archivedAt === null;
  return open && (mayWorkOnFile(found) || hasRole(ctx.actor, "service_manager", s));
}

/** The release plan of a person the actor may see; the read is journaled. */
export async function getReleasePlan(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
): Promise<ReleasePlan> {
  const scope = nominativeScope(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) throw errors.person.notFound();
    const plan = await computeReleasePlan(tx, found, parisDay(ctx.clock.now()), mayStartItems(ctx, found));
    await journalFor(tx, ctx, {
      action: "person.release_plan_read",
      targetType: "person",
      targetId: personId,
      structureId: found.person.structureId,
    });
    return plan;
  });
}

/** Starts the démarche of a plan item, due before release; an item already in progress is kept. */
export async function startPlanItem(
  deps: Deps,
  ctx: RequestContext,
  personId: string,
  code: string,
): Promise<ReleasePlan> {
  const scope = nominativeScope(ctx.actor);
  return deps.db.transaction(async (tx) => {
    const found = await findVisiblePerson(tx, scope, personId);
    if (!found) throw errors.person.notFound();
    await assertFileOpen(tx, personId);
    if (!mayStartItems(ctx, found)) throw errors.access.forbidden();
    const today = parisDay(ctx.clock.now());
    const plan = await computeReleasePlan(tx, found, today, true);
    if (!plan.active) throw errors.detention.planClosed();
    const item = plan.items.find((i) => i.code === code);
    if (!item?.demarcheTypeId) throw errors.detention.unknownPlanItem();
    if (item.state !== "open") return plan;
    await startDemarche(
      tx,
      ctx,
      { structureId: found.person.structureId, personId, siteId: found.person.detentionSiteId },
      {
        demarcheTypeId: item.demarcheTypeId,
        helpLevel: "guided",
        status: "todo",
        outcome: "",
        nextStep: "Préparer la sortie : à faire avant la libération.",
        dueDate: item.dueDate,
        timeSpentMinutes: 0,
      },
      null,
    );
    await journalFor(tx, ctx, {
      action: "demarche.created",
      targetType: "person",
      targetId: personId,
      structureId: found.person.structureId,
      reason: `plan de sortie : ${item.label}, à faire avant le ${formatDate(item.dueDate)}`,
    });
    return computeReleasePlan(tx, found, today, true);
  });
}
