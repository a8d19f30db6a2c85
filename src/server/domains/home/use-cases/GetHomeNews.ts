import { eq } from "drizzle-orm";
import { addDays, parisDay } from "../../../../common/calendar";
import { errors } from "../../../../common/errors";
import type { HomeNews, NewsEvent, Reconvoke } from "../../../../common/home/home.schema";
import { type RequestContext, structuresWithRole } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { homeMarker } from "../../../db/schema";
import { nextOpeningDay } from "../../agenda/rules";
import {
  orientationAnswersSince,
  pendingReconvocations,
  referredBy,
  statusesSince,
  structureOpenings,
  visitsSince,
} from "../queries";

/** Without a "Marquer comme vu" yet, the home shows the last two weeks. */
export const DEFAULT_NEWS_DAYS = 14;

/**
 * The CPIP's home (ADR 0014): what changed for the people they refer since they last marked the
 * news as seen — visits recorded, absences and cancellations by the person, partners' answers to
 * orientations — one block per person, and the counselor's suggestion to convoke again when no
 * convocation was booked since. Only the people the CPIP refers, in the SQL.
 */
export async function getHomeNews(deps: Deps, ctx: RequestContext): Promise<HomeNews> {
  const structures = structuresWithRole(ctx.actor, "probation_officer");
  if (structures.length === 0) throw errors.access.forbidden();
  const now = ctx.clock.now();
  const db = deps.db;
  const [marker] = await db.select().from(homeMarker).where(eq(homeMarker.userId, ctx.actor.userId));
  const since = marker?.seenUpTo ?? new Date(now.getTime() - DEFAULT_NEWS_DAYS * 86_400_000);
  const people = referredBy(ctx.actor.userId, structures);
  const visits = await visitsSince(db, people, since);
  const statuses = await statusesSince(db, people, since, ctx.actor.userId);
  const answers = await orientationAnswersSince(db, people, since);
  const reconvokes = await pendingReconvocations(db, people);

  const byPerson = new Map<
    string,
    { personId: string; personName: string; events: NewsEvent[]; reconvoke: Reconvoke | null }
  >();
  const entry = (personId: string, personName: string) => {
    const found = byPerson.get(personId) ?? { personId, personName, events: [], reconvoke: null };
    byPerson.set(personId, found);
    return found;
  };
  for (const v of visits) {
    entry(v.personId, v.personName).events.push({
      kind: "visit",
      at: v.at.toISOString(),
      appointmentAt: v.startedAt.toISOString(),
      byName: v.byName,
      place: v.place ?? "",
      detail: "",
    });
  }
  for (const s of statuses) {
    entry(s.personId, s.personName).events.push({
      kind: s.status === "missed" ? "missed" : "excused",
      at: (s.at ?? s.startsAt).toISOString(),
      appointmentAt: s.startsAt.toISOString(),
      byName: s.byName,
      place: s.place,
      detail: "",
    });
  }
  for (const o of answers) {
    const at = o.completedAt ?? o.answeredAt;
    entry(o.personId, o.personName).events.push({
      kind:
        o.status === "completed"
          ? "orientation_completed"
          : o.status === "accepted"
            ? "orientation_accepted"
            : "orientation_refused",
      at: (at ?? now).toISOString(),
      appointmentAt: null,
      byName: o.byName,
      place: o.partnerName ?? (o.target === "mediation" ? "Médiation de l'association" : ""),
      detail: o.status === "completed" ? o.outcome : o.status === "refused" ? o.refusalReason : "",
    });
  }
  // The suggested day is one when a permanence of the person's structure can take place: never a
  // Saturday, a Sunday, a public holiday or a day without any opening.
  const openings = reconvokes.length > 0 ? await structureOpenings(db, structures, parisDay(now)) : new Map();
  for (const r of reconvokes) {
    const ofStructure = openings.get(r.structureId);
    entry(r.personId, r.personName).reconvoke = {
      visitAt: r.visitAt.toISOString(),
      counselorName: r.counselorName,
      inDays: r.inDays,
      suggestedFor: nextOpeningDay(
        addDays(parisDay(r.visitAt), r.inDays),
        ofStructure?.rules ?? [],
        ofStructure?.departement ?? "",
      ),
      suggestion: r.suggestion,
    };
  }
  const list = [...byPerson.values()];
  for (const p of list) p.events.sort((a, b) => b.at.localeCompare(a.at));
  // Latest news first; people with only a suggestion come after, soonest suggested day first.
  list.sort(
    (a, b) =>
      (b.events[0]?.at ?? "").localeCompare(a.events[0]?.at ?? "") ||
      (a.reconvoke?.suggestedFor ?? "").localeCompare(b.reconvoke?.suggestedFor ?? ""),
  );
  return { since: since.toISOString(), asOf: now.toISOString(), people: list };
}
