import { byFrenchLetters } from "../../../common/frenchOrder";

/**
 * A person's convocations as their file lists them: those to come first, the next one on top, then
 * those gone by, the latest first (as the history reads). `now`: an ISO instant.
 */
export function upcomingFirst<T extends { startsAt: string }>(convocations: readonly T[], now: string): T[] {
  const at = (c: T) => new Date(c.startsAt).getTime();
  const cut = new Date(now).getTime();
  const coming = convocations.filter((c) => at(c) >= cut).sort((a, b) => at(a) - at(b));
  const past = convocations.filter((c) => at(c) < cut).sort((a, b) => at(b) - at(a));
  return [...coming, ...past];
}

/**
 * A day or an agenda in time order; convocations at the same time by the person's name, then by id:
 * a row never changes place when its status changes (the server's order among equal times is not
 * fixed), so a second tap or Enter never lands on the next person's button (outside review).
 */
export function inTimeOrder<T extends { startsAt: string; personName: string; id: string }>(
  convocations: readonly T[],
): T[] {
  return [...convocations].sort(
    (a, b) =>
      new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime() ||
      byFrenchLetters(a.personName, b.personName) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
