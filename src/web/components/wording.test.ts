import { describe, expect, it } from "vitest";
import { convokedCell, needsProgressText, pendingMessagesText, placesText, providedText } from "./wording";

describe("person file and collective actions wording", () => {
  it("writes the needs' progress with agreeing words, or says there is none", () => {
    expect(needsProgressText({ opened: 2, resolved: 1, open: 1 })).toBe(
      "2 besoins repérés depuis le début : 1 résolu, 1 en cours.",
    );
    expect(needsProgressText({ opened: 1, resolved: 0, open: 1 })).toBe(
      "1 besoin repéré depuis le début : 0 résolu, 1 en cours.",
    );
    expect(needsProgressText({ opened: 3, resolved: 2, open: 1 })).toContain(": 2 résolus,");
    expect(needsProgressText({ opened: 0, resolved: 0, open: 0 })).toBe(
      "Aucun besoin repéré pour l'instant.",
    );
  });

  it("says nothing about reminders when none is waiting", () => {
    expect(pendingMessagesText(0)).toBeNull();
    expect(pendingMessagesText(1)).toBe("retire le message pas encore envoyé (rappel) ;");
    expect(pendingMessagesText(3)).toBe("retire les 3 messages pas encore envoyés (rappels) ;");
  });

  it("writes a collective action's places with and without a limit", () => {
    expect(placesText(0, 12)).toBe("0 personne convoquée sur 12 places");
    expect(placesText(2, null)).toBe("2 personnes convoquées, places sans limite");
    expect(convokedCell(0, null)).toBe("0 (sans limite)");
    expect(convokedCell(3, 10)).toBe("3 / 10");
  });

  it("agrees the documents provided", () => {
    expect(providedText(1, 3)).toBe("1 / 3 fournie");
    expect(providedText(2, 3)).toBe("2 / 3 fournies");
  });
});
