import { describe, expect, it } from "vitest";
import { errors } from "../errors";
import { openingRuleBodySchema, openingRuleFormSchema } from "./agenda.schema";

const site = "00000000-0000-4000-8000-000000000001";
const counselor = "00000000-0000-4000-8000-000000000002";
const weekly = {
  siteId: site,
  weekday: 2,
  onDate: null,
  startTime: "09:00",
  endTime: "12:30",
  slotMinutes: 45,
  bufferMinutes: 15,
  validFrom: "2027-01-05",
  validTo: null,
  counselorIds: [counselor],
};
const once = {
  ...weekly,
  weekday: null,
  onDate: "2027-01-07",
  validFrom: "2027-01-07",
  validTo: "2027-01-07",
};

function problems(body: object): string[] {
  return (
    openingRuleBodySchema.safeParse(body).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? []
  );
}

describe("openingRuleBodySchema checks only the fields shown for the kind chosen", () => {
  it("asks a one-off opening for its date only, not for the hidden « À partir du »", () => {
    expect(problems({ ...once, onDate: "", validFrom: "", validTo: "" })).toEqual([
      "onDate: Saisissez une date.",
    ]);
    expect(problems(once)).toEqual([]);
  });

  it("asks a weekly permanence for its first day", () => {
    expect(problems({ ...weekly, validFrom: "" })).toEqual(["validFrom: Saisissez une date."]);
    expect(problems({ ...weekly, validTo: "2027-02-30" })).toEqual([
      "validTo: Date invalide : une date réelle au format AAAA-MM-JJ est attendue.",
    ]);
    expect(problems(weekly)).toEqual([]);
  });

  it("does not read a one-off opening's hidden validity (the server takes its date)", () => {
    expect(problems({ ...once, validTo: null })).toEqual([]);
    expect(problems({ ...once, validFrom: "2027-01-06" })).toEqual([]);
  });
});

describe("openingRuleFormSchema", () => {
  it("refuses a start in the past with the server's message, together with the other problems", () => {
    const result = openingRuleFormSchema("2027-02-01").safeParse({ ...weekly, siteId: "", counselorIds: [] });
    const issues = (result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]);
    const server = errors.convocation.ruleStartsInPast("validFrom").issues?.[0]?.message;
    expect(issues).toContainEqual(["validFrom", server]);
    expect(issues.map(([path]) => path)).toEqual(
      expect.arrayContaining(["siteId", "counselorIds", "validFrom"]),
    );
  });

  it("checks a one-off opening's date, and accepts today", () => {
    const result = openingRuleFormSchema("2027-02-01").safeParse(once);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain("onDate");
    expect(openingRuleFormSchema("2027-01-05").safeParse(weekly).success).toBe(true);
  });
});
