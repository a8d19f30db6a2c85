import { describe, expect, it } from "vitest";
import { atPlace, ofName, ofPlace } from "./placeName";

describe("atPlace", () => {
  it("puts the article the place's first word calls for", () => {
    expect(atPlace("Centre pénitentiaire de Meaux-Chauconin")).toBe(
      "au Centre pénitentiaire de Meaux-Chauconin",
    );
    expect(atPlace("SAS de Meaux")).toBe("à la SAS de Meaux");
    expect(atPlace("Maison d'arrêt de Melun")).toBe("à la Maison d'arrêt de Melun");
    expect(atPlace("Antenne SPIP de Melun")).toBe("à l'Antenne SPIP de Melun");
    expect(atPlace("Espace France services")).toBe("à l'Espace France services");
    expect(atPlace("SPIP de Seine-et-Marne")).toBe("au SPIP de Seine-et-Marne");
  });

  it("keeps a town's own article, contracting le and les", () => {
    expect(atPlace("La Rochette")).toBe("à La Rochette");
    expect(atPlace("Meaux")).toBe("à Meaux");
    expect(atPlace("Fontainebleau")).toBe("à Fontainebleau");
    expect(atPlace("Le Mée-sur-Seine")).toBe("au Mée-sur-Seine");
    expect(atPlace("Les Mureaux")).toBe("aux Mureaux");
  });
});

describe("ofPlace", () => {
  it("contracts de with the place's article", () => {
    expect(ofPlace("Centre pénitentiaire de Meaux-Chauconin")).toBe(
      "du Centre pénitentiaire de Meaux-Chauconin",
    );
    expect(ofPlace("SAS de Meaux")).toBe("de la SAS de Meaux");
    expect(ofPlace("Antenne SPIP de Melun")).toBe("de l'Antenne SPIP de Melun");
    expect(ofPlace("Le Mée-sur-Seine")).toBe("du Mée-sur-Seine");
    expect(ofPlace("Les Mureaux")).toBe("des Mureaux");
    expect(ofPlace("Locaux du SPIP")).toBe("des Locaux du SPIP");
  });

  it("keeps a town's own feminine article and elides before a vowel", () => {
    expect(ofPlace("La Rochette")).toBe("de La Rochette");
    expect(ofPlace("Meaux")).toBe("de Meaux");
    expect(ofPlace("Avon")).toBe("d'Avon");
    expect(ofPlace("Évry-Courcouronnes")).toBe("d'Évry-Courcouronnes");
  });
});

describe("ofName", () => {
  it("elides de before a vowel, whatever the case, and before a y read as a vowel", () => {
    expect(ofName("AUBERT Jean")).toBe("d'AUBERT Jean");
    expect(ofName("Émilie Roux")).toBe("d'Émilie Roux");
    expect(ofName("  Yves ")).toBe("d'Yves");
    expect(ofName("YANN Léa")).toBe("de YANN Léa");
  });

  it("keeps de before an h, mute or aspirated alike", () => {
    expect(ofName("HADDAD Mehdi")).toBe("de HADDAD Mehdi");
    expect(ofName("Hubert")).toBe("de Hubert");
  });

  it("keeps de before a consonant", () => {
    expect(ofName("BOURGEOIS Aristide")).toBe("de BOURGEOIS Aristide");
    expect(ofName("Martin")).toBe("de Martin");
  });
});
