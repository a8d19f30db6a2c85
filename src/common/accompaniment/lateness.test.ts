import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DemarcheStatus, demarcheStatuses, isDemarcheLate } from "./accompaniment.schema";

const today = "2026-12-01";

describe("a démarche is late when its date has passed while the next step is ours", () => {
  // Past its due date, by status: a deposited one waits for the partner, a final one is over.
  const lateWhenPast: Record<DemarcheStatus, boolean> = {
    todo: true,
    in_progress: true,
    waiting_documents: true,
    submitted: false,
    granted: false,
    rejected: false,
    abandoned: false,
    reoriented: false,
  };

  it.each(demarcheStatuses.map((status) => [status, lateWhenPast[status]] as const))(
    "%s, due yesterday: late %s",
    (status, late) => {
      expect(isDemarcheLate({ status, dueDate: "2026-11-30" }, today)).toBe(late);
    },
  );

  it("never late on its due day, after it, or without a date, whatever the status", () => {
    const day = fc
      .date({
        min: new Date("2020-01-01T00:00:00Z"),
        max: new Date("2030-12-31T00:00:00Z"),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.constantFrom(...demarcheStatuses), day, day, (status, dueDate, on) => {
        const late = isDemarcheLate({ status, dueDate }, on);
        expect(late).toBe(dueDate < on && lateWhenPast[status]);
        expect(isDemarcheLate({ status, dueDate: null }, on)).toBe(false);
      }),
    );
  });
});
