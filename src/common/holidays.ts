import joursFeries from "@socialgouv/jours-feries";

/**
 * French public holidays, isomorphic: the server leaves them out of the slots, the web skips them in
 * the agenda's day view and warns when an action is set on one. Département codes 57, 67 and 68
 * (Alsace-Moselle) have two more (Vendredi saint, Saint-Étienne).
 */
const alsaceMoselle = new Set(["57", "67", "68"]);

/**
 * The calendar day of a date the package made: a local midnight (`new Date(year, month, day)`), so
 * read with the local getters. Its UTC day is the day before east of Greenwich: in a browser set to
 * Paris, Ascension read as Wednesday.
 */
function localDay(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The holidays (YYYY-MM-DD → name, « Noël ») of the years covered, for the département. */
export function publicHolidayNames(years: readonly number[], departement: string): Map<string, string> {
  const days = new Map<string, string>();
  for (const year of years) {
    const byName = joursFeries(year, { alsace: alsaceMoselle.has(departement) });
    for (const [name, date] of Object.entries(byName)) days.set(localDay(date), name);
  }
  return days;
}

/** Public holidays (YYYY-MM-DD) of the years covered, for the département. */
export function publicHolidays(years: readonly number[], departement: string): Set<string> {
  return new Set(publicHolidayNames(years, departement).keys());
}

/** One year's holidays per département, built once: a form asks on every change of date. */
const yearCache = new Map<string, Map<string, string>>();

/** The name of the public holiday falling on a calendar day (« Noël »), or null on a working day. */
export function holidayName(day: string, departement: string): string | null {
  const year = Number(day.slice(0, 4));
  const region = alsaceMoselle.has(departement) ? "alsace" : "other";
  const key = `${year}:${region}`;
  let names = yearCache.get(key);
  if (!names) {
    names = publicHolidayNames([year], departement);
    yearCache.set(key, names);
  }
  return names.get(day) ?? null;
}
