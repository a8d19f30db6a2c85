import { describe, expect, it } from "vitest";
import { parisDayAfter } from "./demoActions";

describe("the demo's collective action days", () => {
  it("skip weekends and public holidays: three weeks after 4 December 2026 is Christmas, so the 28th", () => {
    expect(parisDayAfter(new Date("2026-12-04T09:00:00Z"), 21)).toBe("2026-12-28");
    expect(parisDayAfter(new Date("2026-12-04T09:00:00Z"), 1)).toBe("2026-12-07");
    expect(parisDayAfter(new Date("2026-04-30T09:00:00Z"), 1)).toBe("2026-05-04");
  });
});
