import { describe, expect, it } from "vitest";
import { orientationCancellationText } from "./cancelWording";

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
