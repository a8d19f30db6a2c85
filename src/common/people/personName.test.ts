import { describe, expect, it } from "vitest";
import { personDisplayName } from "./personName";

describe("personDisplayName", () => {
  it("writes the surname in capitals first", () => {
    expect(personDisplayName({ firstName: "Aristide", lastName: "Bourgeois" })).toBe("BOURGEOIS Aristide");
  });

  it("leaves no stray space when a part is missing", () => {
    expect(personDisplayName({ firstName: "", lastName: "Dormant" })).toBe("DORMANT");
  });
});
