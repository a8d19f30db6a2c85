import { describe, expect, it } from "vitest";
import { auditActions, legacyAuditActions } from "./audit.actions";
import { auditActionLabel, auditActionLabels } from "./audit.labels";

/** The codes whose label is missing or is the code itself (what the journal page would show raw). */
const unlabelled = (codes: readonly string[]): string[] =>
  codes.filter((code) => {
    const label = auditActionLabel(code);
    return label === code || label.trim() === "";
  });

describe("journal action labels", () => {
  it("gives every action code the server journals a French label", () => {
    expect(unlabelled(auditActions)).toEqual([]);
  });

  it("still labels the codes older versions wrote", () => {
    expect(unlabelled(legacyAuditActions)).toEqual([]);
  });

  it("labels only codes the journal can hold, each with its own words (the filter lists them)", () => {
    const known: readonly string[] = [...auditActions, ...legacyAuditActions];
    expect(Object.keys(auditActionLabels).filter((code) => !known.includes(code))).toEqual([]);
    const labels = Object.values(auditActionLabels);
    expect(labels.filter((label, i) => labels.indexOf(label) !== i)).toEqual([]);
  });

  it("shows an unknown code as it is, never an inherited property", () => {
    expect(auditActionLabel("probe.unknown")).toBe("probe.unknown");
    expect(auditActionLabel("constructor")).toBe("constructor");
  });

  it("lists each code once", () => {
    expect(new Set(auditActions).size).toBe(auditActions.length);
  });
});
