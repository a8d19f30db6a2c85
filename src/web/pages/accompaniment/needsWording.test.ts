import { describe, expect, it } from "vitest";
import { needsWording } from "./needsWording";

describe("needsWording", () => {
  it("a visit recorded on its day: « aujourd'hui »", () => {
    const words = needsWording("2026-12-08T12:30:00.000Z", new Date("2026-12-08T17:00:00.000Z"));
    expect(words.column).toBe("Aujourd'hui");
    expect(words.label("Santé")).toBe("Besoin aujourd'hui : Santé");
    expect(words.intro).toContain("abordés aujourd'hui");
  });

  it("a visit recorded late (the next day): the visit's day, never « aujourd'hui »", () => {
    const words = needsWording("2026-12-08T12:30:00.000Z", new Date("2026-12-09T09:00:00.000Z"));
    expect(words.column).toBe("Lors de la visite");
    expect(words.label("Santé")).toBe("Besoin lors de la visite : Santé");
    expect(words.intro).toContain("abordés lors de la visite");
    expect(`${words.column} ${words.intro}`).not.toMatch(/aujourd'hui/i);
  });

  it("the day is the Paris day: 23 h 30 in Paris is still the visit's day", () => {
    // 8 December 2026, 23 h 30 in Paris = 22 h 30 UTC.
    const words = needsWording("2026-12-08T08:00:00.000Z", new Date("2026-12-08T22:30:00.000Z"));
    expect(words.column).toBe("Aujourd'hui");
  });
});
