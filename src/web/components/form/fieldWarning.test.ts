import { describe, expect, it } from "vitest";
import { withWarning } from "./fieldWarning";

describe("field warnings", () => {
  it("shows the warning when the field has no error", () => {
    expect(withWarning({ state: "default", stateRelatedMessage: undefined }, "Vérifiez.")).toEqual({
      state: "info",
      stateRelatedMessage: "Vérifiez.",
    });
  });

  it("lets the error win, and shows nothing without a warning", () => {
    const error = { state: "error" as const, stateRelatedMessage: "Saisissez une date." };
    expect(withWarning(error, "Vérifiez.")).toEqual(error);
    const none = { state: "default" as const, stateRelatedMessage: undefined };
    expect(withWarning(none, null)).toEqual(none);
  });
});
