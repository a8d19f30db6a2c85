import { describe, expect, it } from "vitest";
import { upcomingFirst } from "./convocationOrder";

describe("upcomingFirst", () => {
  it("lists the next convocation on top, then the later ones, then the past ones latest first", () => {
    const at = (startsAt: string) => ({ startsAt });
    const listed = upcomingFirst(
      [
        at("2026-11-02T09:00:00.000Z"),
        at("2026-11-20T09:00:00.000Z"),
        at("2026-12-10T09:00:00.000Z"),
        at("2026-12-05T09:00:00.000Z"),
      ],
      "2026-12-04T12:00:00.000Z",
    );
    expect(listed.map((c) => c.startsAt)).toEqual([
      "2026-12-05T09:00:00.000Z",
      "2026-12-10T09:00:00.000Z",
      "2026-11-20T09:00:00.000Z",
      "2026-11-02T09:00:00.000Z",
    ]);
  });
});
