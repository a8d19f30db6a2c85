import { describe, expect, it } from "vitest";
import { gridHours } from "./calendarHours";

const at = (h: number, m = 0, day = 7) => new Date(2026, 11, day, h, m);

describe("gridHours", () => {
  it("shows 8 h – 19 h when everything happens inside", () => {
    expect(gridHours([{ start: at(9), end: at(9, 45) }], [{ startTime: "09:00", endTime: "17:00" }])).toEqual(
      {
        first: 8,
        last: 19,
      },
    );
  });

  it("widens to an evening convocation and to an early permanence", () => {
    expect(
      gridHours([{ start: at(22, 55), end: at(23, 25) }], [{ startTime: "07:30", endTime: "12:00" }]),
    ).toEqual({ first: 7, last: 24 });
  });

  it("widens to a permanence's end even before anyone is booked, and stops at midnight", () => {
    expect(gridHours([], [{ startTime: "18:00", endTime: "20:15" }])).toEqual({ first: 8, last: 21 });
    expect(gridHours([{ start: at(23), end: at(0, 30, 8) }], [])).toEqual({ first: 8, last: 24 });
  });
});
