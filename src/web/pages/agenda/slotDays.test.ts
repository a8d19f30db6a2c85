import { describe, expect, it } from "vitest";
import type { SlotView } from "../../../common/agenda/agenda.schema";
import { dayOptionLabel, shownDay, slotDays, slotKey, slotWhen } from "./slotDays";

const NBSP = "\u00a0";
const slot = (startsAt: string, siteId = "meaux", siteName = "Meaux"): SlotView => ({
  siteId,
  siteName,
  startsAt,
  endsAt: startsAt,
  capacity: 1,
  free: 1,
});

// 15 December 2026 is a Tuesday; Paris is UTC+1 in winter.
const tue9 = slot("2026-12-15T08:00:00.000Z");
const tue9Other = slot("2026-12-15T08:00:00.000Z", "fontainebleau", "Fontainebleau");
const tue14 = slot("2026-12-15T13:30:00.000Z");
const wed9 = slot("2026-12-16T08:00:00.000Z");
// 23:30 UTC on the 16th is already the 17th in Paris.
const thuEarly = slot("2026-12-16T23:30:00.000Z");

describe("slotDays", () => {
  it("groups the slots by Paris day, in order, with the day written as in a week", () => {
    const days = slotDays([tue9, tue9Other, tue14, wed9, thuEarly]);
    expect(days.map((d) => d.key)).toEqual(["2026-12-15", "2026-12-16", "2026-12-17"]);
    expect(days[0]?.label).toBe(`mardi 15${NBSP}décembre`);
    expect(days[0]?.slots).toEqual([tue9, tue9Other, tue14]);
    expect(slotDays([])).toEqual([]);
  });

  it("labels a day option with its number of free slots", () => {
    const [tuesday, wednesday] = slotDays([tue9, tue14, wed9]);
    expect(dayOptionLabel(tuesday!)).toBe(`mardi 15${NBSP}décembre (2 créneaux)`);
    expect(dayOptionLabel(wednesday!)).toBe(`mercredi 16${NBSP}décembre (1 créneau)`);
  });

  it("shows the picked day, else the chosen slot's day, else the first day", () => {
    const days = slotDays([tue9, wed9, thuEarly]);
    expect(shownDay(days, "", null)?.key).toBe("2026-12-15");
    expect(shownDay(days, "", wed9)?.key).toBe("2026-12-16");
    expect(shownDay(days, "2026-12-17", wed9)?.key).toBe("2026-12-17");
    // A day no longer offered (another site chosen): back to the first.
    expect(shownDay(days, "2026-12-31", null)?.key).toBe("2026-12-15");
    expect(shownDay([], "", null)).toBeUndefined();
  });

  it("tells two sites' slots at the same hour apart, and writes the chosen one in full", () => {
    expect(slotKey(tue9)).not.toBe(slotKey(tue9Other));
    expect(slotWhen(tue9)).toBe(`mardi 15${NBSP}décembre${NBSP}2026 à 9${NBSP}h${NBSP}00`);
  });
});
