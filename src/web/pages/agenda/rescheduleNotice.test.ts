import { describe, expect, it } from "vitest";
import { rescheduleNotice } from "./rescheduleNotice";

describe("rescheduleNotice", () => {
  it("a link to a convocation the file does not hold: says so, not « ne peut plus être reportée »", () => {
    const text = rescheduleNotice(undefined, undefined);
    expect(text).toContain("Cette convocation n'existe pas dans le dossier de la personne");
    expect(text).not.toContain("ne peut plus être reportée");
  });

  it("an already reported convocation: where it went", () => {
    // The date is written with non-breaking spaces.
    expect(
      rescheduleNotice(
        { status: "cancelled" },
        { startsAt: "2026-12-08T08:00:00.000Z", siteName: "Meaux" },
      ).replace(/\s/g, " "),
    ).toBe(
      "Cette convocation a déjà été reportée : nouveau rendez-vous le mardi 8 décembre 2026 à 9 h 00 à Meaux.",
    );
  });

  it("a cancelled or past convocation: its status says why it cannot be reported", () => {
    expect(rescheduleNotice({ status: "cancelled" }, undefined)).toBe(
      "Cette convocation est annulée par le service : elle ne peut plus être reportée. Pour revoir la personne, convoquez-la à nouveau.",
    );
    expect(rescheduleNotice({ status: "honoured" }, undefined)).toBe(
      "Cette convocation est honorée : elle ne peut plus être reportée. Pour revoir la personne, convoquez-la à nouveau.",
    );
  });

  it("a planned convocation the agent may not move: the plain refusal", () => {
    expect(rescheduleNotice({ status: "planned" }, undefined)).toBe(
      "Cette convocation ne peut plus être reportée.",
    );
  });
});
