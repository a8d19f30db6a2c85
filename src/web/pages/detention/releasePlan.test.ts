import { describe, expect, it } from "vitest";
import type { ReleasePlanItem } from "../../../common/detention/detention.schema";
import { isLate, releasePlanSummary } from "./releasePlan";

const item = (
  state: ReleasePlanItem["state"],
  dueDate: string,
  demarcheDue: string | null = null,
): ReleasePlanItem => ({
  code: `c-${state}-${dueDate}`,
  label: "Affiliation",
  domain: "sante",
  needed: false,
  demarcheTypeId: null,
  dueDate,
  demarche:
    state === "open"
      ? null
      : { id: "d", status: state === "done" ? "granted" : "in_progress", dueDate: demarcheDue },
  state,
});

describe("release plan wording", () => {
  it("counts a démarche in progress apart from those to do", () => {
    const items = [
      ...Array.from({ length: 8 }, () => item("open", "2026-12-20")),
      item("in_progress", "2026-12-20"),
    ];
    expect(releasePlanSummary(items, 20, "2026-12-01")).toBe(
      "Libération prévue dans 20 jours. Sur 9 démarches du plan : 8 à faire et 1 en cours.",
    );
  });

  it("marks late a line not done whose due date is before today, by the démarche's own date once started", () => {
    expect(isLate(item("open", "2026-11-30"), "2026-12-01")).toBe(true);
    expect(isLate(item("open", "2026-12-01"), "2026-12-01")).toBe(false);
    expect(isLate(item("done", "2026-11-01"), "2026-12-01")).toBe(false);
    expect(isLate(item("in_progress", "2026-11-01", "2026-12-15"), "2026-12-01")).toBe(false);
    expect(
      releasePlanSummary([item("open", "2026-11-30"), item("done", "2026-11-01")], 1, "2026-12-01"),
    ).toBe("Libération prévue dans 1 jour. Sur 2 démarches du plan : 1 à faire et 1 faite (1 en retard).");
  });

  it("a deposited démarche past its date waits for the partner: not late, nor counted late", () => {
    const deposited: ReleasePlanItem = {
      ...item("in_progress", "2026-11-20", "2026-11-25"),
      demarche: { id: "d", status: "submitted", dueDate: "2026-11-25" },
    };
    const missingDocuments: ReleasePlanItem = {
      ...deposited,
      demarche: { id: "d", status: "waiting_documents", dueDate: "2026-11-25" },
    };
    expect(isLate(deposited, "2026-12-01")).toBe(false);
    expect(isLate(missingDocuments, "2026-12-01")).toBe(true);
    expect(releasePlanSummary([deposited], 10, "2026-12-01")).toBe(
      "Libération prévue dans 10 jours. Sur 1 démarche du plan : 1 en cours.",
    );
  });

  it("says when everything is done", () => {
    expect(releasePlanSummary([item("done", "2026-11-01")], 5, "2026-12-01")).toBe(
      "Libération prévue dans 5 jours. La démarche du plan est faite.",
    );
  });
});
