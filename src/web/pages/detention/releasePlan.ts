import { isDemarcheLate } from "../../../common/accompaniment/accompaniment.schema";
import type { ReleasePlanItem } from "../../../common/detention/detention.schema";
import { frenchList } from "../../../common/frenchList";
import { plural, pluralWord } from "../../../common/plural";

/** The day a plan line is due: the démarche's own due date once started, else the plan's. */
export function dueDateOf(item: ReleasePlanItem): string {
  return item.demarche?.dueDate ?? item.dueDate;
}

/**
 * Late: not done, due before today (both Europe/Paris days, YYYY-MM-DD), and the next step ours
 * (`isDemarcheLate`): a deposited démarche waits for the partner. A line not started (or started
 * again after a refusal) is ours.
 */
export function isLate(item: ReleasePlanItem, today: string): boolean {
  if (item.state === "done") return false;
  const status = item.state === "in_progress" && item.demarche ? item.demarche.status : "todo";
  return isDemarcheLate({ status, dueDate: dueDateOf(item) }, today);
}

/**
 * The plan's summary: "Libération prévue dans 20 jours. Sur 9 démarches du plan : 8 à faire, 1 en
 * cours, 2 en retard." Each state counted apart, so a démarche in progress is not "to do".
 */
export function releasePlanSummary(items: ReleasePlanItem[], daysLeft: number | null, today: string): string {
  const release =
    daysLeft === null
      ? ""
      : daysLeft <= 0
        ? "Libération prévue aujourd'hui. "
        : `Libération prévue dans ${plural(daysLeft, "jour", "jours")}. `;
  if (items.length === 0) return `${release}Aucune démarche au plan.`.trim();
  const count = (state: ReleasePlanItem["state"]) => items.filter((i) => i.state === state).length;
  const todo = count("open");
  const inProgress = count("in_progress");
  const done = count("done");
  const late = items.filter((i) => isLate(i, today)).length;
  if (done === items.length)
    return `${release}${items.length === 1 ? "La démarche du plan est faite." : `Les ${items.length} démarches du plan sont faites.`}`;
  const parts = [
    todo > 0 ? `${todo} à faire` : "",
    inProgress > 0 ? `${inProgress} en cours` : "",
    done > 0 ? `${done} ${pluralWord(done, "faite", "faites")}` : "",
  ].filter(Boolean);
  const lateText = late > 0 ? ` (${late} en retard)` : "";
  return `${release}Sur ${plural(items.length, "démarche", "démarches")} du plan : ${frenchList(parts)}${lateText}.`;
}
