import { describe, expect, it } from "vitest";
import { fileWords, sheetName } from "./files";

describe("sheetName", () => {
  it("keeps a title of 31 characters or fewer as it is, without the characters Excel refuses", () => {
    expect(sheetName("Convocations par statut")).toBe("Convocations par statut");
    expect(sheetName("Besoins : identifiés")).toBe("Besoins - identifiés");
  });

  it("cuts a long title between words, never on a dangling word or a half word", () => {
    const cases: [string, string][] = [
      ["Autonomie numérique constatée aux visites", "Autonomie numérique constatée"],
      ["Réorientations par destination, et délais de réponse", "Réorientations par destination"],
      ["Besoins par domaine : identifiés et résolus", "Besoins par domaine"],
      ["Résolution des besoins dans le temps", "Résolution des besoins"],
      [
        "Heures d'ouverture tenues par mois (permanences moins fermetures et absences)",
        "Heures d'ouverture tenues",
      ],
      [
        "Heures d'ouverture par semaine et par lieu (label France services : 24 h minimum par structure)",
        "Heures d'ouverture par semaine",
      ],
    ];
    for (const [title, name] of cases) {
      expect(sheetName(title)).toBe(name);
      expect(name.length).toBeLessThanOrEqual(31);
    }
  });
});

describe("fileWords", () => {
  it("writes a title as the words of a file's name, without accents nor the part in brackets", () => {
    expect(fileWords("Démarches par partenaire")).toBe("demarches-par-partenaire");
    expect(fileWords("Milieu fermé")).toBe("milieu-ferme");
    expect(fileWords("Heures d'ouverture tenues par mois (permanences moins fermetures et absences)")).toBe(
      "heures-d-ouverture-tenues-par-mois",
    );
  });
});
