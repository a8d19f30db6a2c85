import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DemarcheStatus,
  demarcheStatuses,
  finalDemarcheStatuses,
  statusChoices,
} from "../../../common/accompaniment/accompaniment.schema";
import { creationAllowed, isFinal, needsProgress, transitionAllowed } from "./rules";

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
