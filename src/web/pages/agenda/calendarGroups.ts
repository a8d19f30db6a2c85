/**
 * Convocations at the same time (simultaneous permanences: several counselors at once, so several
 * people at the same hour) are drawn in the week calendar as one block listing them one under the
 * other, each on its own full-width lines, rather than as narrow columns cutting their names. The
 * grid grows taller where such a list needs room.
 */

export interface Timed {
  start: Date;
  end: Date;
}

/**
 * The items in groups whose times overlap (one with the next, transitively), in start order: a
 * group of one is an item nobody shares its time with.
 */
export function overlapGroups<T extends Timed>(items: readonly T[]): T[][] {
  const sorted = [...items].sort(
    (a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime(),
  );
  const groups: T[][] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  for (const item of sorted) {
    const current = groups.at(-1);
    if (current && item.start.getTime() < groupEnd) {
      current.push(item);
      groupEnd = Math.max(groupEnd, item.end.getTime());
    } else {
      groups.push([item]);
      groupEnd = item.end.getTime();
    }
  }
  return groups;
}

/** A group's first line, its time (and place), in CSS pixels (calendar.css draws these sizes). */
export const GROUP_HEADER_PX = 26;
/** One person of a group: a line, their name then the status, 24 px high (a target) and a gap. */
export const GROUP_ENTRY_PX = 26;
/** The grid's height of an hour without groups (the calendar's 1,100 px for 8 h – 19 h). */
export const BASE_HOUR_PX = 90;
/** Beyond this a very long list scrolls inside its block rather than stretching the whole day. */
export const MAX_HOUR_PX = 320;

/** A block of the grid listing `count` items from `start` to `end`. */
export interface ListBlock extends Timed {
  count: number;
}

/**
 * The height of an hour in the grid so that every block listing several items shows them all: at
 * least the usual height, at most `MAX_HOUR_PX`.
 */
export function hourHeight(blocks: readonly ListBlock[]): number {
  let needed = BASE_HOUR_PX;
  for (const { start, end, count } of blocks) {
    if (count < 2) continue;
    const minutes = Math.max(15, (end.getTime() - start.getTime()) / 60_000);
    const pixels = GROUP_HEADER_PX + count * GROUP_ENTRY_PX;
    needed = Math.max(needed, Math.ceil((pixels * 60) / minutes));
  }
  return Math.min(needed, MAX_HOUR_PX);
}

/**
 * "NOM P." for "NOM Prénom" (the agenda writes the family name in capitals first): what a narrow
 * column of the week shows, where the whole name would be cut. Family names of several words stay
 * whole ("DE LA TOUR J.-P."); a name not written that way is kept as it is.
 */
export function shortPersonName(name: string): string {
  const words = name.trim().split(/\s+/);
  const first = words.findIndex((word) => word !== word.toUpperCase());
  if (first <= 0) return name;
  const initials = words[first]!.split("-")
    .map((part) => `${part.charAt(0)}.`)
    .join("-");
  return `${words.slice(0, first).join(" ")} ${initials}`;
}
