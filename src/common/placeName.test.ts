import { describe, expect, it } from "vitest";
import { atPlace } from "./placeName";

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
