import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Figure } from "../../../common/reporting/reporting.schema";
import { toCsv } from "./files";
import { count, monthsOf, ofMonth, periodWords, present, ratio, writeSummary } from "./rules";

describe("small-count protection", () => {
  it("a protected count is never between 1 and 4; anything else is shown as is", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.boolean(), (n, protect) => {
        const shown = present(count(n), protect);
        if (protect && n >= 1 && n <= 4) expect(shown).toBeNull();
        else expect(shown).toBe(n);
      }),
    );
  });

  it("a protected ratio is hidden when it rests on fewer than 5, or when its part is between 1 and 4", () => {
    fc.assert(
      fc.property(fc.nat({ max: 500 }), fc.nat({ max: 500 }), (part, base) => {
        const shown = present(ratio(part, base, 100), true);
        const hidden = base < 5 || (part >= 1 && part <= 4);
        if (hidden) expect(shown).toBeNull();
        else expect(shown).toBe(Math.round((part / base) * 100 * 10) / 10);
      }),
    );
    expect(present(ratio(3, 0), false)).toBeNull();
    expect(present(ratio(1, 3, 100), false)).toBe(33.3);
  });
});

describe("months of a period", () => {
  it("every month from the first to the last, across years", () => {
    expect(monthsOf("2025-11", "2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(monthsOf("2026-03", "2026-03")).toEqual(["2026-03"]);
  });
});

describe("CSV files", () => {
  it('hidden counts read "< 5", decimals take a comma, formulas and separators are neutralised', () => {
    const csv = toCsv({
      name: "t",
      preamble: ["Titre"],
      header: ["Nom", "Valeur"],
      rows: [
        ['=HYPERLINK("http://x")', null],
        ["Dupont; Jean", 12.5],
        ["-2+3", 7],
      ],
    })
      .toString("utf8")
      .replace(/^\uFEFF/, "");
    expect(csv.split("\r\n")).toEqual([
      "Titre",
      "Nom;Valeur",
      '"\'=HYPERLINK(""http://x"")";< 5',
      '"Dupont; Jean";12,5',
      "'-2+3;7",
      "",
    ]);
  });
});

describe("the committee's summary in French", () => {
  const figure = (id: string, value: number | null, kind: Figure["kind"] = "count"): Figure => ({
    id,
    label: id,
    kind,
    value,
    definition: "",
    filters: [],
  });
  const figures = (values: Record<string, number | null>): Figure[] =>
    Object.entries(values).map(([id, value]) => figure(id, value));

  it("elides \"de\" before a vowel: d'avril, d'août, d'octobre, de mars", () => {
    expect(ofMonth("2026-04")).toBe("d'avril 2026");
    expect(ofMonth("2026-08")).toBe("d'août 2026");
    expect(ofMonth("2026-10")).toBe("d'octobre 2026");
    expect(ofMonth("2026-03")).toBe("de mars 2026");
    expect(periodWords("2026-04", "2026-06")).toBe("d'avril 2026 à juin 2026");
    const [first] = writeSummary({ from: "2026-02", to: "2026-04" }, figures({ accompanied: 0 }), []);
    expect(first).toBe(
      "Du début de février 2026 à la fin d'avril 2026, aucune personne n'a été accompagnée.",
    );
  });

  it("reads well whatever is hidden: no value word where a number was expected", () => {
    const ids = [
      "accompanied",
      "newPeople",
      "visits",
      "demarches",
      "demarchesPerPerson",
      "grantedShare",
      "onSiteShare",
      "escalatedShare",
      "noShowRate",
      "answerDays",
    ];
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.nat({ max: 40 }), { nil: null }), {
          minLength: ids.length,
          maxLength: ids.length,
        }),
        (values) => {
          const lines = writeSummary(
            { from: "2026-08", to: "2026-10" },
            figures(Object.fromEntries(ids.map((id, i) => [id, values[i] ?? null]))),
            [],
          );
          const text = lines.join(" ");
          expect(text).not.toMatch(
            /non significatif|< 5|de août|de octobre| 1 personnes| 1 démarches|NaN|undefined/,
          );
          expect(text).toMatch(/^Du début d'août 2026 à la fin d'octobre 2026, /);
          for (const line of lines) expect(line).toMatch(/^[A-ZÉ0-9].*\.$/);
        },
      ),
      { seed: 12 },
    );
  });

  it("says a hidden count as « moins de 5 » and a hidden rate as not significant", () => {
    const lines = writeSummary(
      { from: "2026-04", to: "2026-04" },
      figures({
        accompanied: null,
        newPeople: null,
        visits: 7,
        demarches: 9,
        demarchesPerPerson: null,
        grantedShare: null,
        onSiteShare: 66.7,
        escalatedShare: 33.3,
        noShowRate: 12.5,
        answerDays: null,
      }),
      [],
    );
    expect(lines).toEqual([
      "En avril 2026, moins de 5 personnes ont été accompagnées (dont moins de 5 nouvelles) au cours de 7 visites.",
      "9 démarches ont été engagées ; 66,7\u00a0% ont été traitées sur place et 33,3\u00a0% transmises ou réorientées.",
      "La part des droits ouverts n'est pas significative sur si peu de démarches.",
      "Le taux d'absence aux convocations est de 12,5\u00a0%.",
      "Le délai moyen de réponse aux orientations n'est pas significatif sur si peu de réponses.",
    ]);
  });
});
