import { describe, expect, it } from "vitest";
import { cancellationText } from "./cancellationText";

describe("cancellationText", () => {
  it("a cancellation by a person told by SMS or e-mail: no correction once they are told", () => {
    const text = cancellationText("excused", null);
    expect(text).toContain("elle recevra un message d'annulation");
    expect(text).toContain(
      "Une fois la personne prévenue de l'annulation, le statut ne pourra plus être corrigé.",
    );
  });

  it("a cancellation by a person told of nothing: still correctable, as « Corriger le statut » offers", () => {
    for (const silence of ["detained", "noChannel"] as const) {
      const text = cancellationText("excused", silence);
      expect(text).toContain("Aucun message ne partira");
      expect(text).toContain("pourra encore être corrigé pendant 7 jours");
      expect(text).not.toContain("ne pourra plus être corrigé");
    }
  });

  it("a person held on the day: says the detention, and only it", () => {
    const text = cancellationText("excused", "detained");
    expect(text).toContain("la personne est détenue le jour du rendez-vous");
    expect(text).toContain("par l'établissement");
    expect(text).not.toMatch(/aucun envoi|ni SMS ni courriel n'a été choisi/);
    expect(text).not.toContain(" ou ");
  });

  it("no channel chosen: says so, and nothing of a detention", () => {
    const text = cancellationText("cancelled", "noChannel");
    expect(text).toContain("aucun SMS ni courriel n'a été choisi pour ce rendez-vous");
    expect(text).not.toMatch(/détenu|établissement/);
  });

  it("a cancellation by the service cannot be undone", () => {
    expect(cancellationText("cancelled", null)).toContain("Cette annulation ne peut pas être défaite");
  });
});
