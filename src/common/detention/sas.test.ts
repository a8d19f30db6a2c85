import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, parisDay } from "../calendar";
import {
  placesInSas,
  sasLatestRelease,
  sasReleaseError,
  sasReleaseHint,
  sasReleaseMessage,
  sasReleaseProblem,
} from "./sas";

/** Any real calendar day from 1990 to 2100 (leap days included, 2000 and 2100 too). */
const day = fc
  .integer({ min: 0, max: 40_175 })
  .map((n) => new Date(Date.UTC(1990, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const isRealDay = (d: string): boolean => new Date(`${d}T12:00:00Z`).toISOString().slice(0, 10) === d;
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);

describe("the SAS rule: a reliquat of two years at most", () => {
  it("accepts exactly two years (same day, inclusive) and refuses one day more", () => {
    expect(sasLatestRelease("2026-12-04")).toBe("2028-12-04");
    expect(sasReleaseProblem("2028-12-04", "2026-12-04")).toBeNull();
    expect(sasReleaseProblem("2028-12-05", "2026-12-04")).toBe("tooLate");
    expect(sasReleaseProblem(null, "2026-12-04")).toBe("missing");
    // A release already past (recorded late) is within two years.
    expect(sasReleaseProblem("2026-11-01", "2026-12-04")).toBeNull();
  });

  it("from a 29 February, the 28th two years later; to a 29 February, only from the 29th", () => {
    expect(sasLatestRelease("2028-02-29")).toBe("2030-02-28");
    expect(sasReleaseProblem("2030-02-28", "2028-02-29")).toBeNull();
    expect(sasReleaseProblem("2030-03-01", "2028-02-29")).toBe("tooLate");
    // Two years from 28 February 2026 is 28 February 2028: the leap day after it is one day more.
    expect(sasLatestRelease("2026-02-28")).toBe("2028-02-28");
    expect(sasReleaseProblem("2028-02-29", "2026-02-28")).toBe("tooLate");
    expect(sasLatestRelease("2026-03-01")).toBe("2028-03-01");
    // 2000 was a leap year, 2100 will not be.
    expect(sasLatestRelease("1998-02-28")).toBe("2000-02-28");
    expect(sasLatestRelease("2096-02-29")).toBe("2098-02-28");
    expect(sasLatestRelease("2098-02-28")).toBe("2100-02-28");
  });

  it("whatever the day: a real day, two calendar years later, the boundary in, the next day out (property)", () => {
    fc.assert(
      fc.property(day, (today) => {
        const latest = sasLatestRelease(today);
        expect(isRealDay(latest)).toBe(true);
        expect(Number(latest.slice(0, 4))).toBe(Number(today.slice(0, 4)) + 2);
        if (today.slice(5) !== "02-29") expect(latest.slice(5)).toBe(today.slice(5));
        else expect(latest.slice(5)).toBe("02-28");
        // 730 days, or 731 with a 29 February in between; never more.
        expect([730, 731]).toContain(daysBetween(today, latest));
        expect(sasReleaseProblem(latest, today)).toBeNull();
        expect(sasReleaseProblem(addDays(latest, 1), today)).toBe("tooLate");
        expect(sasReleaseProblem(today, today)).toBeNull();
      }),
    );
  });

  it("a later day never allows an earlier limit (property)", () => {
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(sasLatestRelease(early) <= sasLatestRelease(late)).toBe(true);
      }),
    );
  });

  it("says the limit in French under the field, in the import and in the form's hint", () => {
    const limit = "4\u00a0décembre\u00a02028";
    expect(sasReleaseMessage("tooLate", "2026-12-04")).toBe(
      `Une SAS accueille des personnes dont le reliquat de peine est de deux ans au plus : la sortie prévue doit être au plus tard le ${limit}.`,
    );
    expect(sasReleaseMessage("missing", "2026-12-04")).toContain(
      `indiquez la sortie prévue, au plus tard le ${limit}.`,
    );
    expect(sasReleaseHint("2026-12-04")).toContain(limit);
    expect(sasReleaseHint(parisDay(new Date("2026-12-04T23:30:00Z")))).toContain("5\u00a0décembre\u00a02028");
  });
});

describe("when a write places the person in a SAS", () => {
  const SAS = "sas";
  it("a new placement, or a new date in the SAS: checked; the same site and date again: not", () => {
    expect(placesInSas(null, { siteId: SAS, expectedReleaseDate: null }, true)).toBe(true);
    expect(
      placesInSas(
        { siteId: "prison", expectedReleaseDate: "2026-07-01" },
        { siteId: SAS, expectedReleaseDate: "2026-07-01" },
        true,
      ),
    ).toBe(true);
    expect(
      placesInSas(
        { siteId: SAS, expectedReleaseDate: "2030-01-01" },
        { siteId: SAS, expectedReleaseDate: "2030-01-02" },
        true,
      ),
    ).toBe(true);
    expect(
      placesInSas(
        { siteId: SAS, expectedReleaseDate: "2030-01-01" },
        { siteId: SAS, expectedReleaseDate: null },
        true,
      ),
    ).toBe(true);
    expect(
      placesInSas(
        { siteId: SAS, expectedReleaseDate: null },
        { siteId: SAS, expectedReleaseDate: null },
        true,
      ),
    ).toBe(false);
    expect(
      placesInSas(
        { siteId: SAS, expectedReleaseDate: "2030-01-01" },
        { siteId: SAS, expectedReleaseDate: "2030-01-01" },
        true,
      ),
    ).toBe(false);
    expect(placesInSas(null, { siteId: "prison", expectedReleaseDate: "2040-01-01" }, false)).toBe(false);
  });

  it("checked exactly when the site is a SAS and the site or the date changes (property)", () => {
    const site = fc.constantFrom(null, "a", "b");
    const date = fc.constantFrom(null, "2026-07-01", "2031-01-01");
    fc.assert(
      fc.property(site, date, site, date, fc.boolean(), (s0, d0, s1, d1, isSas) => {
        const checked = placesInSas(
          { siteId: s0, expectedReleaseDate: d0 },
          { siteId: s1, expectedReleaseDate: d1 },
          isSas,
        );
        expect(checked).toBe(isSas && s1 !== null && (s0 !== s1 || d0 !== d1));
      }),
    );
  });

  it("a write's error is the date's message exactly when the write places in a SAS a date that breaks the rule (property)", () => {
    const today = "2026-12-04";
    const site = fc.constantFrom(null, "a", "b");
    const date = fc.constantFrom(null, "2026-07-01", "2028-12-04", "2028-12-05");
    fc.assert(
      fc.property(site, date, site, date, fc.boolean(), (s0, d0, s1, d1, isSas) => {
        const current = { siteId: s0, expectedReleaseDate: d0 };
        const next = { siteId: s1, expectedReleaseDate: d1 };
        const problem = placesInSas(current, next, isSas) ? sasReleaseProblem(d1, today) : null;
        expect(sasReleaseError(current, next, isSas, today)).toBe(
          problem ? sasReleaseMessage(problem, today) : null,
        );
      }),
    );
    expect(sasReleaseError(null, { siteId: "a", expectedReleaseDate: "2028-12-05" }, true, today)).toMatch(
      /au plus tard le 4\sdécembre\s2028\.$/,
    );
  });
});
