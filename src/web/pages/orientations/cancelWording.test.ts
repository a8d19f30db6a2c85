import { describe, expect, it } from "vitest";
import { answeredNotice, orientationCancellationText } from "./cancelWording";

describe("the confirmation before cancelling an orientation", () => {
  it("says a sent orientation is withdrawn, seen cancelled by the partner, with no message and no undo", () => {
    const text = orientationCancellationText({
      status: "sent",
      partnerName: "Mission locale de Meaux",
      target: "partner_back_office",
    });
    expect(text).toContain("Mission locale de Meaux la verra « Annulée » et ne pourra plus y répondre");
    expect(text).toContain("Aucun message ne lui est envoyé");
    expect(text).toContain("ne peut pas être défaite");
  });

  it("says a draft was never seen by the partner", () => {
    const text = orientationCancellationText({
      status: "draft",
      partnerName: null,
      target: "partner_back_office",
    });
    expect(text).toContain("il n'a pas été envoyé");
    expect(text).not.toContain("Aucun message");
  });
});

describe("answeredNotice", () => {
  it("a partner's page says « Orientation », the mediation's « Réorientation »", () => {
    expect(answeredNotice("partner_back_office", "accept")).toBe("Orientation acceptée.");
    expect(answeredNotice("iae_employer", "refuse")).toBe("Orientation refusée.");
    expect(answeredNotice("mediation", "accept")).toBe("Réorientation acceptée.");
  });
});
