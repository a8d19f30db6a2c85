import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DemarcheStatus,
  demarcheStatuses,
  finalDemarcheStatuses,
  statusChoices,
} from "../../../common/accompaniment/accompaniment.schema";
import { creationAllowed, isFinal, needsProgress, transitionAllowed, visitStartedAt } from "./rules";

const status = fc.constantFrom(...demarcheStatuses);

describe("démarche transitions", () => {
  it("follow the lifecycle", () => {
    expect(transitionAllowed("todo", "in_progress")).toBe(true);
    expect(transitionAllowed("in_progress", "submitted")).toBe(true);
    expect(transitionAllowed("submitted", "granted")).toBe(true);
    expect(transitionAllowed("submitted", "waiting_documents")).toBe(true);
    expect(transitionAllowed("todo", "granted")).toBe(false);
    expect(transitionAllowed("granted", "in_progress")).toBe(false);
    expect(transitionAllowed("rejected", "rejected")).toBe(false);
    expect(creationAllowed("reoriented")).toBe(false);
    expect(creationAllowed("granted")).toBe(true);
  });

  it("agree with the final statuses the web app shows", () => {
    expect(demarcheStatuses.filter(isFinal)).toEqual(finalDemarcheStatuses);
  });

  it("never leave a final status, and every status can reach one (property)", () => {
    fc.assert(
      fc.property(status, fc.array(status, { maxLength: 20 }), (start, attempts) => {
        let current: DemarcheStatus = start;
        for (const next of attempts) {
          const wasFinal = isFinal(current);
          if (transitionAllowed(current, next)) {
            expect(wasFinal).toBe(false);
            current = next;
          }
        }
      }),
    );
    for (const from of demarcheStatuses) {
      const reachable = new Set<DemarcheStatus>([from]);
      for (let i = 0; i < demarcheStatuses.length; i += 1)
        for (const s of [...reachable])
          for (const to of demarcheStatuses) if (transitionAllowed(s, to)) reachable.add(to);
      expect([...reachable].some(isFinal), from).toBe(true);
    }
  });
});

describe("the statuses a form offers", () => {
  it("are the démarche's own and exactly those the server accepts from it", () => {
    for (const from of demarcheStatuses) {
      const accepted = demarcheStatuses.filter((to) => to === from || transitionAllowed(from, to));
      expect(statusChoices(from)).toEqual(accepted);
    }
    expect(statusChoices("submitted")).toEqual([
      "waiting_documents",
      "submitted",
      "granted",
      "rejected",
      "abandoned",
    ]);
    expect(statusChoices("in_progress")).not.toContain("rejected");
  });
});

describe("needs progress", () => {
  const at = (day: number) => new Date(Date.UTC(2026, 5, day));
  it("counts needs opened, resolved and still open", () => {
    expect(
      needsProgress([
        { domain: "sante", hasNeed: true, assessedAt: at(1) },
        { domain: "logement-hebergement", hasNeed: true, assessedAt: at(1) },
        { domain: "emploi", hasNeed: false, assessedAt: at(1) },
        { domain: "sante", hasNeed: false, assessedAt: at(10) },
        { domain: "sante", hasNeed: true, assessedAt: at(20) },
        { domain: "logement-hebergement", hasNeed: false, assessedAt: at(15) },
      ]),
    ).toEqual({ opened: 3, resolved: 2, open: 1 });
  });

  it("does not depend on the order records come in (property)", () => {
    const record = fc.record({
      domain: fc.constantFrom("sante", "emploi", "budget"),
      hasNeed: fc.boolean(),
      assessedAt: fc.integer({ min: 0, max: 1_000_000 }).map((n) => new Date(n * 60_000)),
    });
    fc.assert(
      fc.property(fc.uniqueArray(record, { selector: (r) => r.assessedAt.getTime() }), (records) => {
        const progress = needsProgress(records);
        expect(needsProgress([...records].reverse())).toEqual(progress);
        expect(progress.opened - progress.resolved).toBe(progress.open);
      }),
    );
  });
});

describe("visitStartedAt", () => {
  const minute = 60_000;
  const startsAt = new Date("2026-06-01T08:00:00Z");
  it("the booked time when nobody was noted arrived before it; else between the arrival and the booked time, the duration before the recording when it fits", () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: -180, max: 60 }), { nil: null }),
        fc.integer({ min: -120, max: 600 }),
        fc.integer({ min: 5, max: 480 }),
        (arrivedOffset, recordedOffset, duration) => {
          const arrivedAt =
            arrivedOffset === null ? null : new Date(startsAt.getTime() + arrivedOffset * minute);
          // Recorded after the arrival, as the server allows it (honoured needs the arrival first).
          const recordedAt = new Date(
            Math.max(startsAt.getTime() + recordedOffset * minute, arrivedAt?.getTime() ?? 0),
          );
          const began = visitStartedAt({ startsAt, arrivedAt }, recordedAt, duration);
          if (!arrivedAt || arrivedAt >= startsAt) {
            expect(began).toEqual(startsAt);
            return;
          }
          expect(began.getTime()).toBeLessThanOrEqual(startsAt.getTime());
          expect(began.getTime()).toBeGreaterThanOrEqual(arrivedAt.getTime());
          expect(began.getTime()).toBeLessThanOrEqual(recordedAt.getTime());
          const latest = recordedAt.getTime() - duration * minute;
          if (latest >= arrivedAt.getTime() && latest <= startsAt.getTime())
            expect(began.getTime()).toBe(latest);
        },
      ),
    );
  });

  it("a person arrived at 9 h 30 for 10 h, seen 20 minutes and recorded at 9 h 55: the visit began at 9 h 35", () => {
    const booked = new Date("2026-06-01T08:00:00Z");
    expect(
      visitStartedAt(
        { startsAt: booked, arrivedAt: new Date("2026-06-01T07:30:00Z") },
        new Date("2026-06-01T07:55:00Z"),
        20,
      ).toISOString(),
    ).toBe("2026-06-01T07:35:00.000Z");
  });
});
