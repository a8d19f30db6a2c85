import { and, eq, gte, inArray, isNull, or } from "drizzle-orm";
import { addDays, parisDay } from "../../../common/calendar";
import { formatDate } from "../../../common/dateFormat";
import { errors } from "../../../common/errors";
import { byFrench } from "../../../common/frenchOrder";
import { journalFor } from "../../core/audit";
import type { RequestContext } from "../../core/context";
import type { Db } from "../../db/createDb";
import { openingRule, openingRuleCounselor, site } from "../../db/schema";
import { lockAllSiteRules } from "./queries";
import { strandedConvocations, strandedLabel } from "./stranded";

/** A permanence an agent holds from today on, and what her leaving does to it. */
export interface HeldPermanence {
  ruleId: string;
  siteName: string;
  weekday: number | null;
  onDate: string | null;
  startTime: string;
  endTime: string;
  /** No other counselor: the permanence stops. Otherwise it goes on with the others. */
  alone: boolean;
}

/** The structure's permanences (weekly or one-off) the agent holds today or later. */
export async function heldPermanences(
  tx: Db,
  input: { structureId: string; userId: string; today: string },
): Promise<(HeldPermanence & { rule: typeof openingRule.$inferSelect; others: string[] })[]> {
  const held = await tx
    .select({ rule: openingRule, siteName: site.name })
    .from(openingRule)
    .innerJoin(site, eq(site.id, openingRule.siteId))
    .innerJoin(
      openingRuleCounselor,
      and(eq(openingRuleCounselor.ruleId, openingRule.id), eq(openingRuleCounselor.userId, input.userId)),
    )
    .where(
      and(
        eq(openingRule.structureId, input.structureId),
        or(isNull(openingRule.validTo), gte(openingRule.validTo, input.today)),
      ),
    );
  if (held.length === 0) return [];
  const pools = await tx
    .select()
    .from(openingRuleCounselor)
    .where(
      inArray(
        openingRuleCounselor.ruleId,
        held.map((h) => h.rule.id),
      ),
    );
  return held
    .map(({ rule, siteName }) => {
      const others = pools
        .filter((p) => p.ruleId === rule.id && p.userId !== input.userId)
        .map((p) => p.userId);
      return {
        rule,
        others,
        ruleId: rule.id,
        siteName,
        weekday: rule.weekday,
        onDate: rule.onDate,
        startTime: rule.startTime,
        endTime: rule.endTime,
        alone: others.length === 0,
      };
    })
    .sort(
      (a, b) =>
        byFrench(a.siteName, b.siteName) ||
        (a.weekday ?? 9) - (b.weekday ?? 9) ||
        (a.onDate ?? "").localeCompare(b.onDate ?? "") ||
        a.startTime.localeCompare(b.startTime),
    );
}

/**
 * An agent deactivated in the structure stops holding its permanences from today (ADR 0016 addendum):
 * each rule she holds from today on gets the change the direction would make by hand — a rule that
 * started before today ends yesterday and, when other counselors remain, a rule with the same hours
 * goes on from today without her; a rule that starts today or later loses her, or is removed when she
 * held it alone. Past days keep their rules (their slots, the hours held). Refused (409, each listed)
 * when planned convocations from now on would lose their slot. Runs in the deactivation's
 * transaction, under every site's rules lock of the structure (as an absence).
 */
export async function releaseCounselorPermanences(
  tx: Db,
  ctx: RequestContext,
  input: { structureId: string; userId: string; name: string },
): Promise<void> {
  const now = ctx.clock.now();
  const today = parisDay(now);
  const first = await heldPermanences(tx, { ...input, today });
  if (first.length === 0) return;
  await lockAllSiteRules(tx, input.structureId);
  // Read again under the lock: a change of one of them may have been written meanwhile.
  const held = await heldPermanences(tx, { ...input, today });
  const ids = new Set(held.map((h) => h.ruleId));
  const stranded = await strandedConvocations(tx, {
    structureId: input.structureId,
    siteIds: [...new Set(held.map((h) => h.rule.siteId))],
    from: now,
    change: (openings) => ({
      ...openings,
      rules: openings.rules.map((r) =>
        ids.has(r.id) ? { ...r, counselorIds: r.counselorIds.filter((u) => u !== input.userId) } : r,
      ),
    }),
  });
  if (stranded.length > 0)
    throw errors.convocation
      .openingsStrandBookings("deactivation", stranded.map(strandedLabel))
      .disclosing(stranded.map((c) => c.personId));
  const journal = (action: "opening_rule.changed" | "opening_rule.ended", ruleId: string, reason: string) =>
    journalFor(tx, ctx, {
      action,
      targetType: "opening_rule",
      targetId: ruleId,
      structureId: input.structureId,
      reason: `${reason} (départ de ${input.name})`,
    });
  for (const { rule, others } of held) {
    if (rule.validFrom >= today) {
      // Not started: nothing of it is past. Without her, or gone when she held it alone.
      if (others.length === 0) {
        await tx.delete(openingRule).where(eq(openingRule.id, rule.id));
        await journal("opening_rule.ended", rule.id, "retirée avant son premier jour");
      } else {
        await tx
          .delete(openingRuleCounselor)
          .where(
            and(eq(openingRuleCounselor.ruleId, rule.id), eq(openingRuleCounselor.userId, input.userId)),
          );
        await journal("opening_rule.changed", rule.id, "sans elle ou lui");
      }
      continue;
    }
    const yesterday = addDays(today, -1);
    await tx.update(openingRule).set({ validTo: yesterday }).where(eq(openingRule.id, rule.id));
    if (others.length === 0) {
      await journal("opening_rule.ended", rule.id, `dernier jour ${yesterday}`);
      continue;
    }
    const { id: _id, createdAt: _createdAt, ...fields } = rule;
    const [created] = await tx
      .insert(openingRule)
      .values({ ...fields, validFrom: today })
      .returning({ id: openingRule.id });
    await tx.insert(openingRuleCounselor).values(others.map((userId) => ({ ruleId: created!.id, userId })));
    await journal("opening_rule.changed", rule.id, `à partir du ${formatDate(today)}`);
  }
}
