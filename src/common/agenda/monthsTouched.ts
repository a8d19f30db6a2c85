/** The months a closure or an absence recorded after the fact changes the hours held of. Isomorphic. */
const monthWords = new Intl.DateTimeFormat("fr-FR", {
  month: "long",
  year: "numeric",
  timeZone: "Europe/Paris",
});

/**
 * The months whose hours held a period before now changes: "mai 2026", "mai et juin 2026"… (from its
 * start to its end or now, whichever comes first).
 */
export function monthsTouched(startsAt: string, endsAt: string, now: Date = new Date()): string {
  const last = Math.min(Date.parse(endsAt), now.getTime());
  const months: string[] = [];
  const at = new Date(startsAt);
  at.setUTCDate(1);
  for (let i = 0; i < 14 && at.getTime() <= last; i++) {
    const words = monthWords.format(new Date(Math.max(at.getTime(), Date.parse(startsAt))));
    if (!months.includes(words)) months.push(words);
    at.setUTCMonth(at.getUTCMonth() + 1);
  }
  const words = months.length > 0 ? months : [monthWords.format(new Date(startsAt))];
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(", ")} et ${words[words.length - 1]}`;
}
