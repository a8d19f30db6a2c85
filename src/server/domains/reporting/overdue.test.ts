import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { OrientationRow } from "./aggregates";
import { asOfNow, type OverdueRow } from "./overdue";

const statuses = ["sent", "accepted", "refused", "expired", "completed"] as const;
const destinations = [
  { target: "mediation", partner: null },
  { target: "partner_back_office", partner: "CAF" },
  { target: "partner_back_office", partner: "CPAM" },
] as const;

const row = (r: { status: string; n: number; keySum: number }): OrientationRow => ({
  target: "mediation",
  partner: null,
  answered: 0,
  answeredKeySum: 0,
  answerHours: 0,
  ...r,
});

/** Counted rows (one per destination × status), and overdue ones taken among the "sent". */
const scenario = fc
  .array(fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20), fc.nat(20), fc.nat(20)), {
    minLength: destinations.length,
    maxLength: destinations.length,
  })
  .chain((counts) => {
    const rows: OrientationRow[] = destinations.flatMap((d, i) =>
      statuses
        .map((status, j) => ({
          ...d,
          status,
          n: counts[i]![j]!,
          answered: 0,
          answerHours: 0,
          keySum: 0,
          answeredKeySum: 0,
        }))
        .filter((r) => r.n > 0),
    );
    return fc.tuple(...destinations.map((_, i) => fc.nat(counts[i]![0]!))).map((taken) => ({
      rows,
      overdue: destinations
        .map((d, i) => ({ ...d, n: taken[i]!, k: taken[i]! * 7 }))
        .filter((o) => o.n > 0) as OverdueRow[],
    }));
  });

const sum = (rows: readonly OrientationRow[], pick: (r: OrientationRow) => boolean) =>
  rows.filter(pick).reduce((s, r) => s + r.n, 0);

describe("orientations as of now in the figures", () => {
  it("moves the overdue from sent to expired, per destination, and nothing else (property)", () => {
    fc.assert(
      fc.property(scenario, ({ rows, overdue }) => {
        const shifted = asOfNow(rows, overdue);
        for (const d of destinations) {
          const here = (r: OrientationRow) => r.target === d.target && r.partner === d.partner;
          const moved = overdue.find((o) => o.target === d.target && o.partner === d.partner)?.n ?? 0;
          expect(sum(shifted, here)).toBe(sum(rows, here));
          expect(sum(shifted, (r) => here(r) && r.status === "sent")).toBe(
            sum(rows, (r) => here(r) && r.status === "sent") - moved,
          );
          expect(sum(shifted, (r) => here(r) && r.status === "expired")).toBe(
            sum(rows, (r) => here(r) && r.status === "expired") + moved,
          );
          for (const status of ["accepted", "refused", "completed"])
            expect(sum(shifted, (r) => here(r) && r.status === status)).toBe(
              sum(rows, (r) => here(r) && r.status === status),
            );
        }
        expect(shifted.every((r) => r.n !== 0)).toBe(true);
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it("moves the record-key sums with the records when the rows carry them", () => {
    const rows = [row({ status: "sent", n: 5, keySum: 100 })];
    const shifted = asOfNow(rows, [{ target: "mediation", partner: null, n: 2, k: 30 }]);
    expect(shifted).toEqual([
      row({ status: "sent", n: 3, keySum: 70 }),
      row({ status: "expired", n: 2, keySum: 30 }),
    ]);
  });
});
