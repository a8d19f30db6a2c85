import { describe, expect, it } from "vitest";
import { DEPARTEMENT_CODE, structureDetailsBodySchema } from "./structures.schema";

describe("the structure's details", () => {
  it("take a real département code only", () => {
    for (const code of ["01", "19", "21", "2A", "2B", "77", "95", "971", "976"])
      expect({ code, ok: DEPARTEMENT_CODE.test(code) }).toEqual({ code, ok: true });
    for (const code of ["00", "20", "96", "99", "970", "977", "999", "2C", "7", "077", "Seine-et-Marne"])
      expect({ code, ok: DEPARTEMENT_CODE.test(code) }).toEqual({ code, ok: false });
  });

  it("name each co-holder once", () => {
    const body = { name: "SPIP 77", labelNumber: "FS-1", departement: "77", minLeadHours: 0 };
    expect(structureDetailsBodySchema.safeParse({ ...body, coHolders: ["SPIP 77", "PIMMS"] }).success).toBe(
      true,
    );
    const twice = structureDetailsBodySchema.safeParse({ ...body, coHolders: ["SPIP 77", "spip 77"] });
    expect(twice.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["coHolders", "Chaque co-porteur ne figure qu'une fois."],
    ]);
  });
});
