import { describe, expect, it } from "vitest";
import { letterheadLines, renderLetter, whatToBring } from "./letter";

describe("convocation letter", () => {
  it("asks for the documents the planned démarches need", () => {
    expect(whatToBring([])).toHaveLength(4);
    const items = whatToBring(["Carte Vitale", "Aide personnalisée au logement (APL)"]);
    expect(items).toContain("votre carte Vitale ou attestation de droits");
    expect(items).toContain("un justificatif de domicile ou d'hébergement");
  });

  it("prints the structure's letterhead when configured, France services only otherwise (never the SPIP)", () => {
    expect(letterheadLines("")).toEqual(["France services", "Accès aux droits et aux services publics"]);
    expect(letterheadLines("Maison France services\n\n  12 rue Grande  ")).toEqual([
      "Maison France services",
      "12 rue Grande",
    ]);
  });

  it("renders a one-page A4 PDF", async () => {
    const pdf = await renderLetter({
      letterhead: "",
      personName: "Karim BENALI",
      referentName: "Camille Martin",
      startsAt: new Date("2026-06-02T07:00:00Z"),
      siteName: "Meaux",
      siteAddress: "5 rue du Palais de Justice, 77100 Meaux",
      accessInstructions: "Entrée par la cour.",
      sitePhone: "01 60 00 00 03",
      demarches: ["Carte Vitale"],
    });
    const text = pdf.toString("latin1");
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text.match(/\/Type \/Page\b/g)).toHaveLength(1);
    expect(text).toContain("/MediaBox [0 0 595.28 841.89]");
  });
});
