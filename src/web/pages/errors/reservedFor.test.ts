import { describe, expect, it } from "vitest";
import { reservedFor } from "./reservedFor";

/** The sentence as read: the guillemets hold non-breaking spaces. */
const read = (text: string | null): string | null => text?.replace(/\u00a0/g, " ") ?? null;

describe("reservedFor", () => {
  it("names the one role a page is for", () => {
    expect(read(reservedFor(["mediator"]))).toBe(
      "Cette page est réservée au rôle « Médiateur de l'association (réorientations) ».",
    );
  });

  it("names every role a page is for, the last after « ou »", () => {
    expect(read(reservedFor(["steering", "service_manager"]))).toBe(
      "Cette page est réservée aux rôles « Comité de pilotage » ou « Direction de service ».",
    );
    expect(read(reservedFor(["probation_officer", "counselor", "service_manager"]))).toBe(
      "Cette page est réservée aux rôles « CPIP (conseiller pénitentiaire d'insertion et de probation) », « Conseiller France services » ou « Direction de service ».",
    );
  });

  it("keeps each role's guillemets on the line of its name", () => {
    expect(reservedFor(["mediator"])).toContain("«\u00a0Médiateur de l'association (réorientations)\u00a0»");
  });

  it("says nothing when the page does not know (a refusal from the server)", () => {
    expect(reservedFor(undefined)).toBeNull();
    expect(reservedFor([])).toBeNull();
  });
});
