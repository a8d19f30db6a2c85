import { describe, expect, it } from "vitest";
import { currentMeasureTypes, measureTypeLabels } from "../roles";
import { newPersonBodySchema } from "./people.schema";

const body = (type: string) => ({
  structureId: "6f1c2a7e-8b5d-4c3e-9a1f-2b3c4d5e6f70",
  lastName: "Benali",
  firstName: "Karim",
  birthDate: "1988-03-14",
  status: "milieu_ouvert",
  measure: { type, startDate: "2026-01-01", endDate: "2027-12-31" },
});

describe("retired measures", () => {
  it("a new record cannot carry the contrainte pénale (abolished in 2020), the sursis probatoire it can", () => {
    const refused = newPersonBodySchema.safeParse(body("contrainte_penale"));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => i.path.join("."))).toEqual(["measure.type"]);
    expect(newPersonBodySchema.safeParse(body("sursis_probatoire")).success).toBe(true);
  });

  it("is not offered for new records, and says so where an existing record shows it", () => {
    expect(currentMeasureTypes).not.toContain("contrainte_penale");
    expect(currentMeasureTypes).toContain("sursis_probatoire");
    expect(currentMeasureTypes).toContain("controle_judiciaire");
    expect(measureTypeLabels.controle_judiciaire).toBe("Contrôle judiciaire");
    expect(measureTypeLabels.contrainte_penale).toBe("Contrainte pénale (supprimée en 2020)");
  });
});
