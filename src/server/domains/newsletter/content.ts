import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, ne, or } from "drizzle-orm";
import { parisDay } from "../../../common/calendar";
import { renderMarkdown } from "../../../common/newsletter/markdown";
import type { Block, IssueContent, ResolvedBlock } from "../../../common/newsletter/newsletter.schema";
import type { Deps } from "../../core/deps";
import { parisInstant } from "../../core/parisTime";
import type { Db } from "../../db/createDb";
import {
  collectiveAction,
  convention,
  conventionParty,
  directoryContact,
  directoryEntry,
  newsletterIssue,
  site,
  structure,
} from "../../db/schema";
import { monthBounds, presentDashboard } from "../reporting/rules";
import { computeFigures } from "../reporting/use-cases/GetDashboard";

const WEEK_MS = 7 * 86_400_000;

export const actionKindLabels: Record<string, string> = {
  forum_emploi: "Forum emploi",
  atelier: "Atelier",
  stage: "Stage",
  information_session: "Réunion d'information",
  plenary: "Réunion plénière",
  working_group: "Groupe de travail",
  steering_committee: "Comité de pilotage",
};

/** The figures of the quarter a partner reads: those of the steering committee, protected (ADR 0019). */
const KEY_FIGURES = ["accompanied", "demarches", "grantedShare", "answerDays"];

const frNumber = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

/** "moins de 5" where the protection hides a small count; the unit otherwise. */
export function shownFigure(kind: string, value: number | null): string {
  if (value === null) return kind === "count" ? "moins de 5" : "non diffusé (effectifs trop faibles)";
  const n = frNumber.format(value).replace(/\u202f/g, "\u00a0");
  if (kind === "percent") return `${n}\u00a0%`;
  if (kind === "days") return `${n}\u00a0jour${value >= 2 ? "s" : ""}`;
  return n;
}

async function upcomingActions(db: Db, structureId: string, weeks: number, now: Date) {
  const rows = await db
    .select({
      title: collectiveAction.title,
      kind: collectiveAction.kind,
      startsAt: collectiveAction.startsAt,
      address: collectiveAction.address,
      siteName: site.name,
      siteAddress: site.address,
    })
    .from(collectiveAction)
    .leftJoin(site, eq(site.id, collectiveAction.siteId))
    .where(
      and(
        eq(collectiveAction.structureId, structureId),
        eq(collectiveAction.status, "planned"),
        gte(collectiveAction.startsAt, now),
        lt(collectiveAction.startsAt, new Date(now.getTime() + weeks * WEEK_MS)),
      ),
    )
    .orderBy(asc(collectiveAction.startsAt))
    .limit(50);
  return rows.map((r) => ({
    title: r.title,
    kind: actionKindLabels[r.kind] ?? r.kind,
    startsAt: r.startsAt.toISOString(),
    place: r.address || (r.siteName ? `${r.siteName} — ${r.siteAddress}` : ""),
  }));
}

/** The first day counted by a conventions block: its own, or the day of the last issue sent, or 3 months back. */
async function conventionsSince(
  db: Db,
  structureId: string,
  since: string | null,
  now: Date,
): Promise<string> {
  if (since) return since;
  const [last] = await db
    .select({ sentAt: newsletterIssue.sentAt })
    .from(newsletterIssue)
    .where(and(eq(newsletterIssue.structureId, structureId), isNotNull(newsletterIssue.sentAt)))
    .orderBy(desc(newsletterIssue.sentAt))
    .limit(1);
  if (last?.sentAt) return parisDay(last.sentAt);
  const back = new Date(now);
  back.setUTCMonth(back.getUTCMonth() - 3);
  return parisDay(back);
}

async function recentConventions(db: Db, structureId: string, since: string) {
  const rows = await db
    .select({
      id: convention.id,
      title: convention.title,
      signedOn: convention.signedOn,
      renewedOn: convention.renewedOn,
    })
    .from(convention)
    .where(
      and(
        eq(convention.structureId, structureId),
        eq(convention.status, "signed"),
        or(gte(convention.signedOn, since), gte(convention.renewedOn, since)),
      ),
    )
    .orderBy(asc(convention.title))
    .limit(50);
  const parties =
    rows.length === 0
      ? []
      : await db
          .select({ conventionId: conventionParty.conventionId, label: conventionParty.label })
          .from(conventionParty)
          .where(
            inArray(
              conventionParty.conventionId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(asc(conventionParty.label));
  return rows.map((r) => {
    const renewed = r.renewedOn !== null && r.renewedOn >= since;
    return {
      title: r.title,
      parties: parties.filter((p) => p.conventionId === r.id).map((p) => p.label),
      event: renewed ? ("renewed" as const) : ("signed" as const),
      on: (renewed ? r.renewedOn : r.signedOn) as string,
    };
  });
}

async function keyFigures(deps: Deps, structureId: string, quarter: string) {
  const [year, q] = quarter.split("-Q").map(Number) as [number, number];
  const from = `${year}-${String(q * 3 - 2).padStart(2, "0")}`;
  const to = `${year}-${String(q * 3).padStart(2, "0")}`;
  const { fromMonth, untilMonth } = monthBounds(from, to);
  const computed = await computeFigures(
    deps,
    {
      allowedStructureIds: [structureId],
      structureIds: [structureId],
      fromMonth,
      untilMonth,
      fromAt: parisInstant(fromMonth, "00:00"),
      untilAt: parisInstant(untilMonth, "00:00"),
      // Partners read what a steering member reads: always protected.
      protect: true,
    },
    { from, to },
  );
  const { figures } = presentDashboard(computed, true);
  return KEY_FIGURES.flatMap((id) => {
    const f = figures.find((x) => x.id === id);
    return f ? [{ label: f.label, value: shownFigure(f.kind, f.value) }] : [];
  });
}

/** Every block filled from the data of the day (the preview), or of the send (frozen then). */
export async function resolveIssue(
  deps: Deps,
  issue: { structureId: string; number: number; title: string; blocks: Block[] },
): Promise<IssueContent> {
  const now = deps.clock.now();
  const [owner] = await deps.db
    .select({ name: structure.name })
    .from(structure)
    .where(eq(structure.id, issue.structureId));
  const blocks: ResolvedBlock[] = [];
  for (const block of issue.blocks) {
    switch (block.type) {
      case "text":
        blocks.push({ type: "text", html: renderMarkdown(block.markdown) });
        break;
      case "upcoming_actions":
        blocks.push({
          type: "upcoming_actions",
          weeks: block.weeks,
          actions: await upcomingActions(deps.db, issue.structureId, block.weeks, now),
        });
        break;
      case "conventions": {
        const since = await conventionsSince(deps.db, issue.structureId, block.since, now);
        blocks.push({
          type: "conventions",
          since,
          conventions: await recentConventions(deps.db, issue.structureId, since),
        });
        break;
      }
      case "key_figures":
        blocks.push({
          type: "key_figures",
          quarter: block.quarter,
          figures: await keyFigures(deps, issue.structureId, block.quarter),
        });
        break;
    }
  }
  return { structureName: owner?.name ?? "", number: issue.number, title: issue.title, blocks };
}

/**
 * The contacts an issue sent now goes to: subscribed, not unsubscribed, with an address that did
 * not bounce, of the structure's directory entries still in use; one message per address.
 */
export async function subscribedContacts(
  db: Db,
  structureId: string,
): Promise<{ id: string; email: string }[]> {
  const rows = await db
    .select({ id: directoryContact.id, email: directoryContact.email })
    .from(directoryContact)
    .innerJoin(directoryEntry, eq(directoryEntry.id, directoryContact.entryId))
    .where(
      and(
        eq(directoryEntry.structureId, structureId),
        isNull(directoryEntry.archivedAt),
        isNull(directoryContact.archivedAt),
        eq(directoryContact.newsletterSubscribed, true),
        isNull(directoryContact.unsubscribedAt),
        // A hard bounce (synchronous 5xx or a delivery status notification) until the address changes.
        isNull(directoryContact.emailBouncedAt),
        ne(directoryContact.email, ""),
      ),
    )
    .orderBy(asc(directoryContact.createdAt), asc(directoryContact.id));
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = r.email.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
