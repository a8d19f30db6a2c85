import { describe, expect, it } from "vitest";
import { cancellationText } from "./cancellationText";

describe("cancellationText", () => {
  it("a cancellation by a person told by SMS or e-mail: no correction once they are told", () => {
    const text = cancellationText("excused", true);
    expect(text).toContain("elle recevra un message d'annulation");
    expect(text).toContain(
      "Une fois la personne prévenue de l'annulation, le statut ne pourra plus être corrigé.",
    );
  });

  it("a cancellation by a person told of nothing: still correctable, as « Corriger le statut » offers", () => {
    const text = cancellationText("excused", false);
    expect(text).toContain("Aucun message ne partira");
    expect(text).toContain("pourra encore être corrigé pendant 7 jours");
    expect(text).not.toContain("ne pourra plus être corrigé");
  });

  it("a cancellation by the service cannot be undone", () => {
    expect(cancellationText("cancelled", true)).toContain("Cette annulation ne peut pas être défaite");
  });
});
