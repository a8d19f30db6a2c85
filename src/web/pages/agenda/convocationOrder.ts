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
