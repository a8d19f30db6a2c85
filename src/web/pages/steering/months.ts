export { monthNames } from "../../../common/dateFormat";

/** How many years back the year select goes: the files a structure keeps, and their history. */
export const YEARS_BACK = 10;

/** The years offered: `YEARS_BACK` years before this one to this one, and `value`'s if outside. */
export function yearChoices(currentYear: number, value: string): number[] {
  const years = new Set<number>();
  for (let y = currentYear - YEARS_BACK; y <= currentYear; y++) years.add(y);
  const chosen = Number(value.slice(0, 4));
  if (Number.isInteger(chosen) && chosen > 0) years.add(chosen);
  return [...years].sort((a, b) => b - a);
}
