import { describe, expect, it } from "vitest";
import { reservedFor } from "./reservedFor";

describe("reservedFor", () => {
  it("names the one role a page is for", () => {
    expect(reservedFor(["mediator"])).toBe(
      "Cette page est réservée au rôle « Médiateur de l'association (réorientations) ».",
    );
  });

  it("names every role a page is for, the last after « ou »", () => {
    expect(reservedFor(["steering", "service_manager"])).toBe(
      "Cette page est réservée aux rôles « Comité de pilotage » ou « Direction de service ».",
    );
    expect(reservedFor(["probation_officer", "counselor", "service_manager"])).toBe(
      "Cette page est réservée aux rôles « CPIP (conseiller pénitentiaire d'insertion et de probation) », « Conseiller France services » ou « Direction de service ».",
    );
  });

  it("says nothing when the page does not know (a refusal from the server)", () => {
    expect(reservedFor(undefined)).toBeNull();
    expect(reservedFor([])).toBeNull();
  });
});
