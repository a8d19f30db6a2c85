import { describe, expect, it } from "vitest";
import "./zod-fr";
import {
  ageOn,
  birthDateWarning,
  dueDayBounds,
  dueDayFrom,
  plannedDayAround,
  plannedDayBounds,
} from "./dates";

const due = plannedDayAround(() => "2026-06-01");
const messages = (value: unknown): string[] =>
  due.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

describe("a due or planned day", () => {
  it("accepts a day from two years back to five years ahead", () => {
    for (const ok of ["2024-06-01", "2026-05-31", "2026-06-01", "2027-01-15", "2031-06-01"]) {
      expect(messages(ok), ok).toEqual([]);
    }
  });

  it("refuses an absurd year with a message that says the range", () => {
    expect(messages("1901-01-01")).toEqual([
      "Date trop ancienne : saisissez une date à partir du 01/06/2024.",
    ]);
    expect(messages("2024-05-31")).toHaveLength(1);
    expect(messages("2031-06-02")).toEqual(["Date trop lointaine : saisissez une date avant le 01/06/2031."]);
    expect(messages("2099-12-31")).toHaveLength(1);
  });

  it("still refuses a day that does not exist, with one message", () => {
    expect(messages("2027-02-30")).toEqual([
      "Date invalide : une date réelle au format AAAA-MM-JJ est attendue.",
    ]);
  });

  it("gives a date field the same range as its min and max", () => {
    const bounds = plannedDayBounds("2026-06-01");
    expect(bounds).toEqual({ min: "2024-06-01", max: "2031-06-01" });
    expect(messages(bounds.min)).toEqual([]);
    expect(messages(bounds.max)).toEqual([]);
  });
});

describe("dueDayFrom", () => {
  it("refuses a past due day with the field's French message, takes today and a later day", () => {
    const due = dueDayFrom(() => "2026-12-02");
    expect(due.safeParse("2026-12-02").success).toBe(true);
    expect(due.safeParse("2027-01-15").success).toBe(true);
    const past = due.safeParse("2026-11-01");
    expect(past.success).toBe(false);
    expect(past.error?.issues.map((i) => i.message)).toEqual([
      "Date déjà passée : choisissez une date à partir d'aujourd'hui (02/12/2026).",
    ]);
    expect(dueDayBounds("2026-12-02")).toEqual({ min: "2026-12-02", max: "2031-12-02" });
  });

  it("says « déjà passée » for a day years back too, and still refuses a day too far ahead", () => {
    const due = dueDayFrom(() => "2026-12-02");
    expect(due.safeParse("2020-01-15").error?.issues.map((i) => i.message)).toEqual([
      "Date déjà passée : choisissez une date à partir d'aujourd'hui (02/12/2026).",
    ]);
    expect(due.safeParse("2032-01-01").error?.issues.map((i) => i.message)).toEqual([
      "Date trop lointaine : saisissez une date avant le 02/12/2031.",
    ]);
    expect(due.safeParse("2027-02-30").error?.issues).toHaveLength(1);
  });
});

describe("birth date warnings", () => {
  const today = "2026-06-01";

  it("counts full years, the birthday included", () => {
    expect(ageOn("2010-06-01", today)).toBe(16);
    expect(ageOn("2010-06-02", today)).toBe(15);
    expect(ageOn("1926-06-02", today)).toBe(99);
  });

  it("says nothing for a likely age, 16 to 100 years", () => {
    expect(birthDateWarning("2010-06-01", today)).toBeNull();
    expect(birthDateWarning("1988-03-14", today)).toBeNull();
    expect(birthDateWarning("1925-06-02", today)).toBeNull();
  });

  it("asks to check an age from 13 to 15 or from 101 to 110", () => {
    expect(birthDateWarning("2010-06-02", today)).toBe(
      "Cette date donne 15 ans (moins de 16 ans) : vérifiez-la. Si elle est exacte, vous pouvez enregistrer.",
    );
    expect(birthDateWarning("2013-06-01", today)).toBe(
      "Cette date donne 13 ans (moins de 16 ans) : vérifiez-la. Si elle est exacte, vous pouvez enregistrer.",
    );
    expect(birthDateWarning("1920-01-01", today)).toBe(
      "Cette date donne 106 ans (plus de 100 ans) : vérifiez-la. Si elle est exacte, vous pouvez enregistrer.",
    );
  });

  it("leaves a refused date to the error under the field", () => {
    expect(birthDateWarning("1899-12-31", today)).toBeNull();
    expect(birthDateWarning("2026-06-02", today)).toBeNull();
    // Under 13 or over 110: refused (BIRTH_AGE), the error says it, not a warning.
    expect(birthDateWarning("2026-01-01", today)).toBeNull();
    expect(birthDateWarning("1900-01-01", today)).toBeNull();
    expect(birthDateWarning("", today)).toBeNull();
    expect(birthDateWarning("2026-02-30", today)).toBeNull();
  });
});
