import { describe, expect, it } from "vitest";
import { personFieldLabels } from "../../../common/people/personEdit.schema";
import { type ChangeRow, changeEvents, dateFields } from "./changes";

const row = (field: string, before: string, after: string, judicial = false): ChangeRow => ({
  field,
  before,
  after,
  judicial,
  at: "2026-06-01T09:00:00.000Z",
  reason: "",
  actorName: "Camille CPIP",
});

describe("the history's values read as the file writes them", () => {
  it("every date field shows « 01/06/2027 », never the stored 2027-06-01; an empty one shows —", () => {
    for (const field of [
      "birthDate",
      "measure.startDate",
      "measure.endDate",
      "measure.judgmentDate",
      "detention.expectedReleaseDate",
      "detention.releasedOn",
    ]) {
      const [event] = changeEvents([row(field, "2027-06-01", "1901-01-01")], true);
      expect(event, field).toMatchObject({
        title: `Modification : ${personFieldLabels[field]}`,
        detail: "01/06/2027 → 01/01/1901",
      });
      expect(changeEvents([row(field, "", "2026-12-25")], true)[0]?.detail, field).toBe("— → 25/12/2026");
      expect(changeEvents([row(field, "2026-12-25", "")], true)[0]?.detail, field).toBe("25/12/2026 → —");
    }
  });

  it("every field labelled as a date is formatted (a new date field cannot be forgotten)", () => {
    const labelledDates = Object.entries(personFieldLabels)
      .filter(([, label]) => /date|début|fin de mesure|archivé le/i.test(label))
      .map(([field]) => field);
    expect(labelledDates.filter((field) => !dateFields.has(field))).toEqual([]);
  });

  it("a phone as 06 12 34 56 78, other values as recorded, judicial values hidden from counselors", () => {
    expect(changeEvents([row("phone", "+33612345678", "")], true)[0]?.detail).toBe(
      "06\u00a012\u00a034\u00a056\u00a078 → —",
    );
    // A text that looks like a day stays as typed outside date fields.
    expect(changeEvents([row("birthPlace", "2027-06-01", "Melun")], true)[0]?.detail).toBe(
      "2027-06-01 → Melun",
    );
    expect(
      changeEvents([row("measure.judgmentDate", "2020-01-02", "2020-02-01", true)], false)[0]?.detail,
    ).toBe("(donnée judiciaire)");
  });
});
