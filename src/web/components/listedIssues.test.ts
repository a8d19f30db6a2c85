import { describe, expect, it } from "vitest";
import { errors } from "../../common/errors";
import { withoutListedIssues } from "./listedIssues";

const said = (error: { message: string; issues?: { message: string }[] }) =>
  withoutListedIssues(error.message, error.issues ?? []);

describe("withoutListedIssues", () => {
  it("drops from the sentence the convocations the list shows one by one", () => {
    const two = errors.convocation.openingsStrandBookings("deactivation", [
      "Ali B., mardi 9 juin 2026 à 9 h 00, Meaux, CPIP Camille Martin",
      "Léa C., vendredi 12 juin 2026 à 10 h 00, Meaux, CPIP Camille Martin",
    ]);
    expect(said(two)).toBe(
      "2 convocations prévues tombent dans les permanences que cet agent quitterait. Reprogrammez-les d'abord (le CPIP référent depuis le dossier de la personne), puis enregistrez à nouveau.",
    );
    const many = errors.convocation.openingsStrandBookings(
      "closure",
      Array.from({ length: 12 }, (_, i) => `Personne ${i}, lundi`),
    );
    expect(said(many)).toMatch(/^12 convocations prévues tombent dans la fermeture\. Reprogrammez-les/);
  });

  it("keeps a message that does not hold the list", () => {
    expect(withoutListedIssues("Choisissez une structure.", [{ message: "Choisissez une structure." }])).toBe(
      "Choisissez une structure.",
    );
    expect(withoutListedIssues("Refusé.", [])).toBe("Refusé.");
  });
});
