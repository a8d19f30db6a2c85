import { describe, expect, it } from "vitest";
import { inTimeOrder, upcomingFirst } from "./convocationOrder";

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

describe("inTimeOrder", () => {
  const row = (id: string, startsAt: string, personName: string) => ({ id, startsAt, personName });
  const rows = [
    row("c", "2026-12-05T21:55:00.000Z", "BRUNET Léa"),
    row("a", "2026-12-05T21:55:00.000Z", "BLANCHARD Éric"),
    row("d", "2026-12-05T21:40:00.000Z", "ZOLA Anne"),
    row("b", "2026-12-05T21:55:00.000Z", "Blanchard Éric"),
  ];

  it("orders by time, then by name (accents and case aside), then by id", () => {
    expect(inTimeOrder(rows).map((r) => r.id)).toEqual(["d", "a", "b", "c"]);
  });

  it("gives the same order whatever order the rows come in (all 24)", () => {
    const orders = (list: typeof rows): (typeof rows)[] =>
      list.length <= 1
        ? [list]
        : list.flatMap((r, i) => orders(list.filter((_, j) => j !== i)).map((o) => [r, ...o]));
    const all = orders(rows);
    expect(all).toHaveLength(24);
    for (const order of all) expect(inTimeOrder(order).map((r) => r.id)).toEqual(["d", "a", "b", "c"]);
  });
});
