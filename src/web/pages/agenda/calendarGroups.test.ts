import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BASE_HOUR_PX,
  GROUP_ENTRY_PX,
  GROUP_HEADER_PX,
  hourHeight,
  MAX_HOUR_PX,
  overlapGroups,
  shortPersonName,
  type Timed,
} from "./calendarGroups";

const at = (hhmm: string): Date => new Date(`2026-12-08T${hhmm}:00Z`);
const slot = (from: string, to: string, name = ""): Timed & { name: string } => ({
  start: at(from),
  end: at(to),
  name,
});

describe("the week calendar's groups of simultaneous convocations", () => {
  it("puts the convocations of one slot together, apart from the next slot's", () => {
    const groups = overlapGroups([
      slot("09:00", "09:45", "Da Silva"),
      slot("10:00", "10:45", "Mercier"),
      slot("09:00", "09:45", "Marchal"),
      slot("10:00", "10:45", "Fontaine"),
      slot("13:30", "14:15", "Rivière"),
    ]);
    expect(groups.map((g) => g.map((i) => i.name))).toEqual([
      ["Da Silva", "Marchal"],
      ["Mercier", "Fontaine"],
      ["Rivière"],
    ]);
  });

  it("joins overlaps in a chain, and not times that only touch", () => {
    const groups = overlapGroups([
      slot("09:00", "10:00", "a"),
      slot("09:30", "10:30", "b"),
      slot("10:15", "11:00", "c"),
      slot("11:00", "11:45", "d"),
    ]);
    expect(groups.map((g) => g.map((i) => i.name))).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("keeps every item once, and no two groups share a moment", () => {
    const item = fc
      .tuple(fc.integer({ min: 8 * 4, max: 18 * 4 }), fc.integer({ min: 1, max: 8 }))
      .map(([quarter, length]) => ({
        start: new Date(Date.UTC(2026, 11, 8, 0, quarter * 15)),
        end: new Date(Date.UTC(2026, 11, 8, 0, (quarter + length) * 15)),
      }));
    fc.assert(
      fc.property(fc.array(item, { maxLength: 30 }), (items) => {
        const groups = overlapGroups(items);
        expect(groups.flat()).toHaveLength(items.length);
        for (const [i, group] of groups.entries()) {
          const next = groups[i + 1];
          if (!next) continue;
          const end = Math.max(...group.map((g) => g.end.getTime()));
          expect(Math.min(...next.map((g) => g.start.getTime()))).toBeGreaterThanOrEqual(end);
        }
      }),
    );
  });

  it("makes the hour taller only as far as a group's list needs, within a limit", () => {
    const block = (count: number) => ({ ...slot("09:00", "09:45"), count });
    expect(hourHeight([])).toBe(BASE_HOUR_PX);
    expect(hourHeight([block(1)])).toBe(BASE_HOUR_PX);
    // Four people in 45 minutes: their block (a line of time, then a line each) fits.
    const four = hourHeight([block(2), block(4)]);
    expect(four * 0.75).toBeGreaterThanOrEqual(GROUP_HEADER_PX + 4 * GROUP_ENTRY_PX);
    expect(four).toBeGreaterThan(hourHeight([block(2)]));
    expect(hourHeight([block(40)])).toBe(MAX_HOUR_PX);
  });
});

describe("shortPersonName", () => {
  it("keeps the family name whole and the first name's initial", () => {
    expect(shortPersonName("GUILLAUME Maud")).toBe("GUILLAUME M.");
    expect(shortPersonName("DE LA TOUR Jean-Pierre")).toBe("DE LA TOUR J.-P.");
    expect(shortPersonName("N'DIAYE Aïssatou Marie")).toBe("N'DIAYE A.");
    expect(shortPersonName("Élodie")).toBe("Élodie");
    expect(shortPersonName("DUPONT")).toBe("DUPONT");
  });
});
