import { and, eq, inArray } from "drizzle-orm";
import { addDays, parisDay } from "../../../../common/calendar";
import { errors } from "../../../../common/errors";
import { byFrench } from "../../../../common/frenchOrder";
import type { Permanence } from "../../../../common/home/home.schema";
import { type RequestContext, structuresWithRole } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { openingRule, openingRuleCounselor, site } from "../../../db/schema";
import { listConvocations, ruleFields, toConvocationView } from "../../agenda/queries";
import { parisInstant, ruleAppliesOn } from "../../agenda/rules";
import { nominativeScope } from "../../people/policies";

/**
 * The counselor's home: today's convocations (Paris day) on the sites where they hold a permanence
 * today (a rule of their pool applies today), in time order, with the arrival. When none applies
 * today: the agenda's rows (`agenda/policies.ts#agendaRows`), which are every site's for the
 * direction and, for a counselor, those of the sites where she holds a permanence by the rule of the
 * statuses (in a pool of the site, not absent) — never another site's day.
 */
export async function getPermanence(deps: Deps, ctx: RequestContext): Promise<Permanence> {
  const structures = structuresWithRole(ctx.actor, "counselor", "service_manager");
  if (structures.length === 0) throw errors.access.forbidden();
  const scope = nominativeScope(ctx.actor);
  const now = ctx.clock.now();
  const day = parisDay(now);
  const rules = await deps.db
    .select({ rule: openingRule, siteName: site.name })
    .from(openingRule)
    .innerJoin(openingRuleCounselor, eq(openingRuleCounselor.ruleId, openingRule.id))
    .innerJoin(site, eq(site.id, openingRule.siteId))
    .where(and(eq(openingRuleCounselor.userId, ctx.actor.userId), inArray(site.structureId, structures)));
  const sites = new Map<string, string>();
  for (const { rule, siteName } of rules) {
    if (ruleAppliesOn(ruleFields(rule), day)) sites.set(rule.siteId, siteName);
  }
  const rows = await listConvocations(deps.db, scope, {
    agenda: true,
    from: parisInstant(day, "00:00"),
    to: parisInstant(addDays(day, 1), "00:00"),
  });
  const convocations = rows
    .filter((row) => structures.includes(row.convocation.structureId))
    .filter((row) => sites.size === 0 || sites.has(row.convocation.siteId))
    .map((row) => toConvocationView(row, now, ctx.actor));
  return {
    day,
    sites: [...sites].map(([id, name]) => ({ id, name })).sort((a, b) => byFrench(a.name, b.name)),
    convocations,
  };
}
