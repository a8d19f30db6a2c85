import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { impossibleSearchDateMessage } from "../../../common/people/searchDate";
import { normalizePhone } from "./rules";
import { FOLD_FROM, FOLD_TO, keyMatches, parseSearch, personSearchKey, searchFold } from "./search";

const accented: Record<string, string[]> = {
  a: ["a", "à", "â", "ä", "A", "À", "Â"],
  c: ["c", "ç", "C", "Ç"],
  e: ["e", "é", "è", "ê", "ë", "E", "É", "È", "Ê"],
  i: ["i", "î", "ï", "I", "Î"],
  o: ["o", "ô", "ö", "O", "Ô"],
  u: ["u", "ù", "û", "ü", "U", "Û"],
};
const plainLetter = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz");
/** A name as it may be written: letters, some accented, maybe a hyphen or an apostrophe inside. */
const nameArb = fc
  .tuple(
    fc.array(plainLetter, { minLength: 2, maxLength: 10 }),
    fc.constantFrom("", "-", "'", " "),
    fc.array(plainLetter, { maxLength: 6 }),
  )
  .map(([head, sep, tail]) => (tail.length > 0 ? `${head.join("")}${sep}${tail.join("")}` : head.join("")));
/** The same name typed differently: any case, with or without accents, punctuation dropped or kept. */
const variantOf = (name: string) =>
  fc
    .array(fc.nat(), { minLength: name.length, maxLength: name.length })
    .map((picks) =>
      [...name].map((c, i) => (accented[c] ? accented[c]![picks[i]! % accented[c]!.length] : c)).join(""),
    );

describe("people search rules", () => {
  it("folds accents, case, ligatures and punctuation with a one-to-one table", () => {
    expect([...FOLD_FROM]).toHaveLength([...FOLD_TO].length);
    expect(searchFold("Régine")).toBe("regine");
    expect(searchFold("N'Diaye-Émilie")).toBe("ndiayeemilie");
    expect(searchFold("Œdipe Lætitia Straße")).toBe("oedipelaetitiastrasse");
    expect(searchFold("ŁUKASZ Şahin")).toBe("lukaszsahin");
  });

  it("splits words, phone digits and a birth date", () => {
    expect(parseSearch("Karim  BENALI")).toEqual({
      words: ["karim", "benali"],
      phoneDigits: null,
      birthDate: null,
      impossibleDate: false,
    });
    expect(parseSearch("06 12 34 56 78").phoneDigits).toBe("0612345678");
    expect(parseSearch("06.12.34.56.78").phoneDigits).toBe("0612345678");
    expect(parseSearch("+33 6 12 34 56 78").phoneDigits).toBe("33612345678");
    expect(parseSearch("0033 (0)6 12").phoneDigits).toBe("330612");
    expect(parseSearch("14/03/1988").birthDate).toBe("1988-03-14");
    expect(parseSearch("1988-03-14 benali")).toMatchObject({ words: ["benali"], birthDate: "1988-03-14" });
    expect(parseSearch("31/02/1990").impossibleDate).toBe(true);
    expect(parseSearch("14/03")).toEqual({
      words: [],
      phoneDigits: null,
      birthDate: null,
      impossibleDate: false,
    });
  });

  it("finds a phone typed in any format in the key of its E.164 form", () => {
    const key = personSearchKey("Benali", "Karim", "+33612345678");
    for (const typed of [
      "0612345678",
      "06 12 34 56 78",
      "06-12-34-56-78",
      "+33 6 12 34 56 78",
      "0033612345678",
      "+33612345678",
      "06 12 34",
    ])
      expect(keyMatches(key, parseSearch(typed)), typed).toBe(true);
    expect(keyMatches(key, parseSearch("06 99 34 56 78"))).toBe(false);
  });

  it("property: any case/accent/order variant, or any part of 2+ letters, of a person's names finds them", () => {
    const typedName = nameArb.chain((name) => variantOf(name).map((typed) => ({ name, typed })));
    fc.assert(
      fc.property(typedName, typedName, fc.boolean(), fc.nat(), fc.nat(), (last, first, swap, from, len) => {
        const key = personSearchKey(last.name, first.name, "");
        const typed = swap ? `${first.typed} ${last.typed}` : `${last.typed} ${first.typed}`;
        expect(keyMatches(key, parseSearch(typed)), typed).toBe(true);
        const folded = searchFold(last.name);
        const start = from % folded.length;
        const part = folded.slice(start, start + 2 + (len % folded.length));
        if (part.length >= 2) expect(keyMatches(key, parseSearch(part.toUpperCase()))).toBe(true);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it("property: a phone number typed in any usual format finds the stored E.164 number", () => {
    const digits = fc
      .array(fc.constantFrom(..."0123456789"), { minLength: 8, maxLength: 8 })
      .map((d) => d.join(""));
    fc.assert(
      fc.property(
        fc.constantFrom("6", "7", "1"),
        digits,
        fc.constantFrom(" ", ".", "-", ""),
        fc.constantFrom("0", "+33 ", "0033 "),
        (first, rest, sep, prefix) => {
          const stored = normalizePhone(`0${first}${rest}`)!;
          const national = `${first}${rest}`;
          const pairs = national.slice(1).match(/.{2}/g)!.join(sep);
          const typed = `${prefix}${national[0]}${sep}${pairs}`;
          expect(keyMatches(personSearchKey("X", "Y", stored), parseSearch(typed)), typed).toBe(true);
        },
      ),
      { seed: 12, numRuns: 200 },
    );
  });

  it("property: a name never matches words it does not contain", () => {
    fc.assert(
      fc.property(nameArb, nameArb, (name, other) => {
        const key = personSearchKey(name, "", "");
        const word = searchFold(other);
        expect(keyMatches(key, parseSearch(other))).toBe(key.includes(word));
      }),
      { seed: 13, numRuns: 200 },
    );
  });
});

describe("a birth date typed as eight digits (ddmmyyyy)", () => {
  const thisYear = new Date().getUTCFullYear();
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  it("reads 22071984 as 22/07/1984, the name words kept", () => {
    expect(parseSearch("22071984")).toEqual({
      words: [],
      phoneDigits: null,
      birthDate: "1984-07-22",
      impossibleDate: false,
    });
    expect(parseSearch("benali 22071984")).toMatchObject({ words: ["benali"], birthDate: "1984-07-22" });
    // The same day typed both ways is one condition.
    expect(parseSearch("22071984 22/07/1984").birthDate).toBe("1984-07-22");
  });

  it("finds the same day as the jj/mm/aaaa form for every day that exists", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1900-01-01"),
          max: new Date(Date.UTC(thisYear, 11, 31)),
          noInvalidDate: true,
        }),
        (d) => {
          const [day, month, year] = [d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCFullYear()];
          const compact = `${pad(day, 2)}${pad(month, 2)}${pad(year, 4)}`;
          expect(parseSearch(compact).birthDate).toBe(parseSearch(`${day}/${month}/${year}`).birthDate);
          expect(parseSearch(compact).birthDate).toBe(d.toISOString().slice(0, 10));
        },
      ),
      { seed: 22, numRuns: 300 },
    );
  });

  it("never reads eight digits that make no day (31021984, 29021985, 06123456) or a year to come as a date: they stay phone digits, with no invalid-date message", () => {
    for (const typed of [
      "31021984",
      "29021985",
      "00011990",
      "32011990",
      "01131990",
      "06123456",
      "01011899",
      // A year still to come: no birth date, the start of a phone number.
      `0612${thisYear + 1}`,
    ]) {
      expect(parseSearch(typed), typed).toEqual({
        words: [],
        // Typed "00…", an international prefix, as any phone.
        phoneDigits: typed.startsWith("00") ? typed.slice(2) : typed,
        birthDate: null,
        impossibleDate: false,
      });
      expect(impossibleSearchDateMessage(typed), typed).toBeNull();
    }
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{8}$/), (typed) => {
        const parsed = parseSearch(typed);
        const [day, month, year] = [typed.slice(0, 2), typed.slice(2, 4), typed.slice(4)].map(Number);
        const d = new Date(Date.UTC(year!, month! - 1, day!));
        const exists =
          year! >= 1900 &&
          year! <= thisYear &&
          d.getUTCFullYear() === year &&
          d.getUTCMonth() === month! - 1 &&
          d.getUTCDate() === day;
        expect(parsed.impossibleDate).toBe(false);
        expect(parsed.birthDate).toBe(
          exists ? `${typed.slice(4)}-${typed.slice(2, 4)}-${typed.slice(0, 2)}` : null,
        );
        expect(parsed.phoneDigits).toBe(exists ? null : typed.startsWith("00") ? typed.slice(2) : typed);
      }),
      { seed: 8, numRuns: 500 },
    );
  });
});

describe("impossibleSearchDateMessage (the page's check of the same dates)", () => {
  it("names a day that does not exist, and nothing else", () => {
    expect(impossibleSearchDateMessage("Martin 31/02/1990")).toBe(
      "Date invalide : le 31/02/1990 n'existe pas. Saisissez une date de naissance réelle (jj/mm/aaaa).",
    );
    expect(impossibleSearchDateMessage("1990-13-01")).toMatch(/^Date invalide/);
    expect(impossibleSearchDateMessage("29/02/2024 Martin")).toBeNull();
    expect(impossibleSearchDateMessage("31/02")).toBeNull();
  });
});
