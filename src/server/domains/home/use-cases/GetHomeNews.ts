import { eq, or } from "drizzle-orm";
import { addDays, parisDay } from "../../../../common/calendar";
import { errors } from "../../../../common/errors";
import type { HomeNews, NewsEvent, Reconvoke } from "../../../../common/home/home.schema";
import { type Actor, type RequestContext, structuresWithRole } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { homeMarker } from "../../../db/schema";
import { nextOpeningDay } from "../../agenda/rules";
import {
  orientationAnswersSince,
  pendingReconvocations,
  referredBy,
  sentByCounselor,
  statusesSince,
  structureOpenings,
  transfersAcceptedSince,
  visitsSince,
} from "../queries";

/** Without a "Marquer comme vu" yet, the home shows the last two weeks. */
export const DEFAULT_NEWS_DAYS = 14;

/**
 * Who reads the home's news: a CPIP (their people's) and a counselor (the answers to the orientations
 * she sent), in the structures where they hold the role; 403 for anyone else.
 */
export function newsReaderStructures(actor: Actor): { officer: string[]; counselor: string[] } {
  const officer = structuresWithRole(actor, "probation_officer");
  const counselor = structuresWithRole(actor, "counselor");
  if (officer.length + counselor.length === 0) throw errors.access.forbidden();
  return { officer, counselor };
}

/**
 * The home's « Du nouveau » (ADR 0014), since the agent last marked the news as seen, one block per
 * person. For a CPIP: what changed for the people they refer — visits recorded, absences and
 * cancellations by the person, partners' answers to orientations — and the counselor's suggestion to
 * convoke again when no convocation was booked since. For a counselor: the answers (accepted,
 * refused, outcome) to the orientations she sent, about the people she follows. A CPIP also reads the
 * transfers accepted of the files they referred and of the files they received (ADR 0029). The scope is in the
 * SQL: the people the CPIP refers, the counselor's own orientations.
 */
export async function getHomeNews(deps: Deps, ctx: RequestContext): Promise<HomeNews> {
  const { officer: structures, counselor } = newsReaderStructures(ctx.actor);
  const now = ctx.clock.now();
  const db = deps.db;
  const [marker] = await db.select().from(homeMarker).where(eq(homeMarker.userId, ctx.actor.userId));
  const since = marker?.seenUpTo ?? new Date(now.getTime() - DEFAULT_NEWS_DAYS * 86_400_000);
  const referent = structures.length > 0;
  const people = referredBy(ctx.actor.userId, structures);
  const visits = referent ? await visitsSince(db, people, since) : [];
  const statuses = referent ? await statusesSince(db, people, since, ctx.actor.userId) : [];
  const answers = await orientationAnswersSince(
    db,
    or(referent ? people : undefined, sentByCounselor(ctx.actor.userId, counselor)),
    since,
  );
  const reconvokes = referent ? await pendingReconvocations(db, people) : [];
  const transfers = await transfersAcceptedSince(db, ctx.actor.userId, structures, since);

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
  for (const t of transfers) {
    entry(t.personId, t.personName).events.push({
      kind: t.side === "sent" ? "transfer_sent" : "transfer_received",
      at: (t.at ?? now).toISOString(),
      appointmentAt: null,
      byName: t.referentName,
      place: t.side === "sent" ? t.toName : t.fromName,
      detail: "",
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
