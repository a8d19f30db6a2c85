import { describe, expect, it } from "vitest";
import { figuresSheet, fileWords, labelWithUnit, sheetName } from "./files";

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

describe("labelWithUnit", () => {
  it("names the unit of a figure's bare number in a file, where the cell holds no « % » nor « j »", () => {
    expect(labelWithUnit("Taux d'absence aux convocations", "percent")).toBe(
      "Taux d'absence aux convocations (en %)",
    );
    expect(labelWithUnit("Durée moyenne d'une visite", "minutes")).toBe(
      "Durée moyenne d'une visite (en minutes)",
    );
    expect(labelWithUnit("Délai moyen de réponse des partenaires", "days")).toBe(
      "Délai moyen de réponse des partenaires (en jours)",
    );
    expect(labelWithUnit("Heures d'ouverture par semaine", "hours")).toBe(
      "Heures d'ouverture par semaine (en heures)",
    );
    expect(labelWithUnit("Montant des financements reçus", "euros")).toBe(
      "Montant des financements reçus (en euros)",
    );
  });

  it("leaves a count, a ratio and a label that already says its unit as they are", () => {
    expect(labelWithUnit("Personnes accompagnées", "count")).toBe("Personnes accompagnées");
    expect(labelWithUnit("Démarches par personne accompagnée", "decimal")).toBe(
      "Démarches par personne accompagnée",
    );
    const said = "Délai médian entre la sortie et la première visite en milieu ouvert (jours)";
    expect(labelWithUnit(said, "days")).toBe(said);
  });

  it("is how the key figures sheet labels its rows", () => {
    const sheet = figuresSheet(
      [
        { id: "noShowRate", label: "Taux d'absence aux convocations", value: 16.2, kind: "percent" },
      ] as Parameters<typeof figuresSheet>[0],
      [],
    );
    expect(sheet.rows).toEqual([["Taux d'absence aux convocations (en %)", 16.2]]);
  });
});
