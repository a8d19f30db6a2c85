import { describe, expect, it } from "vitest";
import type { DemarcheView, VisitView } from "../../../common/accompaniment/accompaniment.schema";
import { demarchesOfVisitDay } from "./demarchesOfVisitDay";

const visit: VisitView = {
  id: "visit-1",
  convocationId: "c",
  // 10:30 in Paris on 3 November.
  startedAt: "2026-11-03T09:30:00.000Z",
  siteName: "Meaux",
  recordedAt: "2026-11-03T10:15:00.000Z",
  counselorName: "Conseillère",
  durationMinutes: 45,
  autonomy: "guided",
  demarchesTouched: 0,
  needsAssessed: 0,
  suggestNextInDays: null,
  suggestion: "",
};

const demarche = (id: string, events: { at: string; visitId?: string }[]): DemarcheView => ({
  id,
  demarcheTypeId: null,
  partnerName: "CAF",
  label: id,
  category: null,
  helpLevel: "guided",
  status: "in_progress",
  outcome: "",
  nextStep: "",
  dueDate: null,
  timeSpentMinutes: 0,
  documents: [],
  createdAt: events[0]?.at ?? "",
  updatedAt: events.at(-1)?.at ?? "",
  history: events.map((e) => ({
    at: e.at,
    status: "in_progress",
    byName: null,
    visitId: e.visitId ?? null,
  })),
});

describe("demarchesOfVisitDay", () => {
  it("counts the démarches recorded with the visit, even on a later day", () => {
    const list = [demarche("apl", [{ at: "2026-11-04T08:00:00.000Z", visitId: "visit-1" }])];
    expect(demarchesOfVisitDay(visit, list)).toBe(1);
  });

  it("counts those opened or updated from the file on the visit's day (Paris time), once each", () => {
    const list = [
      // Updated from the file that afternoon, twice.
      demarche("rsa", [{ at: "2026-11-03T14:00:00.000Z" }, { at: "2026-11-03T15:00:00.000Z" }]),
      // 23:30 UTC on 2 November is 00:30 on 3 November in Paris.
      demarche("cni", [{ at: "2026-11-02T23:30:00.000Z" }]),
      // The day before and the day after: not this visit's.
      demarche("css", [{ at: "2026-11-02T12:00:00.000Z" }, { at: "2026-11-04T12:00:00.000Z" }]),
      // Another visit's.
      demarche("vitale", [{ at: "2026-11-10T09:00:00.000Z", visitId: "visit-2" }]),
    ];
    expect(demarchesOfVisitDay(visit, list)).toBe(2);
  });

  it("is 0 when nothing was done that day", () => {
    expect(demarchesOfVisitDay(visit, [])).toBe(0);
  });
});
