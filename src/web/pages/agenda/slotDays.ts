import type { SlotView } from "../../../common/agenda/agenda.schema";
import { formatAppointment, formatDay, parisDayOf } from "../../components/dates";

/** A slot's identity in the picker: two sites may open at the same time. */
export const slotKey = (s: SlotView): string => `${s.siteId}|${s.startsAt}`;

/** One day of free slots, as the day selector offers it. */
export interface SlotDay {
  /** The Paris calendar day, YYYY-MM-DD. */
  key: string;
  /** "mercredi 2 décembre". */
  label: string;
  slots: SlotView[];
}

/** The slots grouped by Paris day, in the order the server gives them (chronological). */
export function slotDays(slots: readonly SlotView[]): SlotDay[] {
  const days = new Map<string, SlotDay>();
  for (const slot of slots) {
    const key = parisDayOf(slot.startsAt);
    const day = days.get(key) ?? { key, label: formatDay(slot.startsAt), slots: [] };
    day.slots.push(slot);
    days.set(key, day);
  }
  return [...days.values()];
}

/** "mercredi 2 décembre (4 créneaux)": an option of the day selector. */
export function dayOptionLabel(day: SlotDay): string {
  const count = day.slots.length;
  return `${day.label} (${count} créneau${count > 1 ? "x" : ""})`;
}

/**
 * The day whose slots are shown: the one the user picked, else the chosen slot's day, else the
 * first day; a day no longer offered (another site, a refreshed list) falls back the same way.
 */
export function shownDay(
  days: readonly SlotDay[],
  picked: string,
  chosen: SlotView | null,
): SlotDay | undefined {
  const chosenDay = chosen ? parisDayOf(chosen.startsAt) : "";
  return days.find((d) => d.key === picked) ?? days.find((d) => d.key === chosenDay) ?? days[0];
}

/** "mardi 15 décembre 2026 à 9 h 00": the chosen slot's day and hour, written in full. */
export const slotWhen = (slot: SlotView): string => formatAppointment(slot.startsAt);
