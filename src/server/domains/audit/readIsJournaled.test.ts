import { describe, expect, it } from "vitest";
import type { JournaledRow } from "../../core/context";
import { readIsJournaled } from "./JournalNominativeRead";

const row = (overrides: Partial<JournaledRow>): JournaledRow => ({
  action: "convocation.booked",
  targetType: "convocation",
  targetId: "c-1",
  outcome: "success",
  ...overrides,
});

describe("which journal rows stand in for a nominative answer's read", () => {
  it("a successful row of a read action, whoever it names", () => {
    expect(
      readIsJournaled([row({ action: "person.read", targetType: "person", targetId: "p-9" })], ["p-1"]),
    ).toBe(true);
    expect(readIsJournaled([row({ action: "reporting.list", targetType: "people", targetId: "" })], [])).toBe(
      true,
    );
  });

  it("a successful row naming one of the people concerned, alone or in a list", () => {
    expect(
      readIsJournaled([row({ action: "person.created", targetType: "person", targetId: "p-1" })], ["p-1"]),
    ).toBe(true);
    expect(
      readIsJournaled([row({ action: "person.merged", targetType: "person", targetId: "p-0,p-1" })], ["p-1"]),
    ).toBe(true);
  });

  it("not a row about something else, about someone else, or a refusal; not nothing", () => {
    expect(readIsJournaled([row({})], ["p-1"])).toBe(false);
    expect(
      readIsJournaled([row({ action: "person.created", targetType: "person", targetId: "p-2" })], ["p-1"]),
    ).toBe(false);
    expect(readIsJournaled([row({ action: "person.read", outcome: "denied" })], ["p-1"])).toBe(false);
    expect(readIsJournaled([row({ targetType: "convocation", targetId: "p-1" })], ["p-1"])).toBe(false);
    expect(readIsJournaled([], ["p-1"])).toBe(false);
  });

  it("a request naming nobody: the use case's own row stands in (its object names the person), not nothing", () => {
    expect(readIsJournaled([row({ action: "transfer.accepted", targetType: "transfer" })], [])).toBe(true);
    expect(readIsJournaled([row({ action: "orientation.completed", targetType: "orientation" })], [])).toBe(
      true,
    );
    expect(readIsJournaled([row({ action: "transfer.accepted", outcome: "denied" })], [])).toBe(false);
    expect(readIsJournaled([], [])).toBe(false);
  });

  it("a download is a read", () => {
    expect(
      readIsJournaled([row({ action: "document.download", targetType: "person", targetId: "p-9" })], ["p-1"]),
    ).toBe(true);
  });
});
