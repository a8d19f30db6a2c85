import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import "./zod-fr";
import { recordVisitBodySchema } from "./accompaniment/accompaniment.schema";
import { parisDay } from "./calendar";
import { consentBodySchema } from "./consent/consent.schema";
import { API_BIRTH_DATE_MESSAGE, birthDate, birthDateBounds, birthDateUntil, requiredDate } from "./dates";
import {
  choice,
  email,
  optionalEmail,
  optionalPhone,
  optionalText,
  queryNumber,
  radioChoice,
  requiredText,
  typedNumber,
} from "./fields";
import { newOrientationSchema } from "./orientations/orientations.schema";

const messages = (schema: z.ZodType, value: unknown): string[] =>
  schema.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

describe("phone numbers", () => {
  it("accepts French numbers as typed and foreign ones with their code, or nothing", () => {
    for (const ok of [
      "",
      "06 12 34 56 78",
      "0612345678",
      "+33 6 12 34 56 78",
      "01.45.67.89.10",
      "+32 470 12 34 56",
    ])
      expect(optionalPhone.safeParse(ok).success, ok).toBe(true);
  });

  it("refuses what cannot be dialled, with one message that says what to type", () => {
    for (const bad of ["12", "0612", "06 12 34 56 78 90", "abcdefghij", "+999 1234", "00000"]) {
      expect(messages(optionalPhone, bad), bad).toEqual([expect.stringMatching(/^Saisissez un numéro/)]);
    }
  });

  it("never accepts a string without 9 digits at least", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (typed) => {
        fc.pre(typed.trim() !== "" && (typed.match(/\d/g) ?? []).length < 9);
        expect(optionalPhone.safeParse(typed).success).toBe(false);
      }),
    );
  });
});

describe("birth dates", () => {
  it("says what to do when empty, impossible, before 1900 or in the future", () => {
    expect(messages(birthDate, "")).toEqual(["Saisissez la date de naissance."]);
    // The API's JSON takes AAAA-MM-JJ: its message says so (the caseload import's says jj/mm/aaaa).
    expect(messages(birthDate, "2023-02-30")).toEqual([API_BIRTH_DATE_MESSAGE]);
    expect(API_BIRTH_DATE_MESSAGE).toMatch(/AAAA-MM-JJ/);
    expect(messages(birthDate, "03/02/1994")).toEqual([API_BIRTH_DATE_MESSAGE]);
    expect(messages(birthDate, "1899-12-31")).toEqual(["Saisissez une date de naissance à partir de 1900."]);
    expect(messages(birthDate, "2031-01-01")).toEqual([
      "La date de naissance est dans le futur : vérifiez l'année.",
    ]);
    expect(birthDate.safeParse("1988-03-14").success).toBe(true);
  });

  it("refuses an age under 13 or over 110 at today's Paris day, whatever the path", () => {
    const today = "2026-06-01";
    const until = birthDateUntil(() => today);
    expect(messages(until, "1900-01-01")).toEqual([
      "Cette date donne 126 ans : au-delà de 110 ans, la date est sans doute erronée. Vérifiez l'année.",
    ]);
    expect(messages(until, "2013-06-02")).toEqual([
      "Cette date donne 12 ans : une personne suivie a au moins 13 ans. Vérifiez l'année.",
    ]);
    expect(messages(until, "2026-06-01")).toEqual([
      "Cette date donne 0 an : une personne suivie a au moins 13 ans. Vérifiez l'année.",
    ]);
    expect(until.safeParse("2013-06-01").success).toBe(true); // 13 today
    expect(until.safeParse("1915-06-02").success).toBe(true); // 110, 111 tomorrow
    expect(until.safeParse("1915-06-01").success).toBe(false); // 111 today
    expect(birthDateBounds(today)).toEqual({ min: "1915-06-02", max: "2013-06-01" });
    expect(birthDateBounds("2028-02-29")).toEqual({ min: "1917-03-01", max: "2015-02-28" });
  });

  it("accepts exactly the real days within the picker's bounds", () => {
    const today = parisDay(new Date());
    const { min, max } = birthDateBounds(today);
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1850-01-01"), max: new Date("2250-01-01"), noInvalidDate: true }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          expect(birthDate.safeParse(day).success).toBe(day >= min && day <= max);
        },
      ),
    );
  });

  it("a required date says which one is missing", () => {
    expect(messages(requiredDate("Indiquez la fin de la mesure."), "")).toEqual([
      "Indiquez la fin de la mesure.",
    ]);
  });
});

describe("e-mail addresses", () => {
  it("accepts an address, or nothing where it is optional", () => {
    expect(email.safeParse(" agent@justice.fr ").data).toBe("agent@justice.fr");
    expect(optionalEmail.safeParse("").success).toBe(true);
    expect(optionalEmail.safeParse("sami.nouveau@exemple.fr").success).toBe(true);
  });

  it("refuses what is not an address with one message that gives an example", () => {
    for (const bad of ["pas-un-courriel", "a@", "@b.fr", "a b@c.fr"]) {
      expect(messages(optionalEmail, bad), bad).toEqual([expect.stringContaining("nom@exemple.fr")]);
      expect(messages(email, bad), bad).toEqual([expect.stringContaining("nom@exemple.fr")]);
    }
    expect(messages(email, "")).toEqual(["Saisissez l'adresse électronique."]);
  });

  it("never accepts a string without an @", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (typed) => {
        fc.pre(!typed.includes("@"));
        expect(optionalEmail.safeParse(typed).success).toBe(typed.trim() === "");
      }),
    );
  });
});

describe("free texts and choices", () => {
  it("trims, bounds and says what to type", () => {
    expect(optionalText(5).parse("  abc  ")).toBe("abc");
    expect(messages(optionalText(5), "abcdef")).toEqual(["5 caractères au plus."]);
    expect(messages(optionalText(2000), "x".repeat(2001))).toEqual([
      `${(2000).toLocaleString("fr-FR")} caractères au plus.`,
    ]);
    expect(messages(requiredText(10, "Saisissez le motif.", 3), "  a ")).toEqual(["Saisissez le motif."]);
  });

  it("a missing choice says what to choose, never « Identifiant invalide » alone", () => {
    expect(messages(choice("Choisissez le lieu."), "")).toEqual(["Choisissez le lieu."]);
  });

  it("a radio group left unanswered asks for an answer, not for a value « dans la liste »", () => {
    expect(messages(recordVisitBodySchema.shape.autonomy, undefined)).toEqual(["Choisissez une réponse."]);
    expect(messages(radioChoice(["yes", "no"]), "")).toEqual(["Choisissez une réponse."]);
    expect(messages(radioChoice(["yes", "no"]), "maybe")).toEqual(["Choisissez une des réponses proposées."]);
    // A select keeps the list's wording.
    expect(messages(z.enum(["a", "b"]), "")).toEqual(["Choisissez une valeur dans la liste."]);
  });
});

describe("zod's messages a person may read", () => {
  const form = z.object({
    name: z.string(),
    count: z.number().int().min(1).max(9),
    kind: z.enum(["a", "b"]),
    text: z.string().max(3),
    list: z.array(z.string()).min(1),
  });

  it("say what to do, in plain French", () => {
    expect(messages(form, {})).toEqual([
      "Renseignez ce champ.",
      "Renseignez ce champ.",
      "Choisissez une valeur dans la liste.",
      "Renseignez ce champ.",
      "Renseignez ce champ.",
    ]);
    expect(messages(form, { name: "x", count: 1.5, kind: "", text: "abcd", list: [] })).toEqual([
      "Saisissez un nombre entier.",
      "Choisissez une valeur dans la liste.",
      "3 caractères au plus.",
      "Choisissez au moins un élément.",
    ]);
    expect(messages(form.shape.count, 12)).toEqual(["Saisissez un nombre inférieur ou égal à 9."]);
  });

  it("never say « Entrée invalide » for a missing, mistyped or out-of-list value", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        for (const message of messages(form, {
          name: value,
          count: value,
          kind: value,
          text: value,
          list: value,
        }))
          expect(message).not.toMatch(/Entrée invalide/);
      }),
    );
  });
});

describe("checks across fields are said along with the others", () => {
  it("an empty consent lists both the missing recipients and the missing purpose", () => {
    const paths = consentBodySchema
      .safeParse({ shareNotes: false, shareDemarcheDetails: false, purpose: "" })
      .error?.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(["purpose", "recipients"]);
  });

  it("an orientation without its reason nor its recipient lists both", () => {
    const paths = newOrientationSchema
      .safeParse({ target: "iae_employer", reason: "" })
      .error?.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(["reason", "partnerId", "iaeKind"]);
  });
});

describe("numbers: typed in a form, sent as JSON numbers; coerced in query strings only", () => {
  it("a form's text becomes the number a body takes, undefined when empty, NaN when not a number", () => {
    expect([typedNumber("45"), typedNumber(" 4,5 "), typedNumber(""), typedNumber("  ")]).toEqual([
      45,
      4.5,
      undefined,
      undefined,
    ]);
    expect(typedNumber("quarante")).toBeNaN();
    const minutes = z.number().int();
    expect(messages(minutes, typedNumber(""))).toEqual(["Renseignez ce champ."]);
    expect(messages(minutes, typedNumber("quarante"))).toEqual(["Saisissez un nombre."]);
  });

  it("a query string's text is read as a number", () => {
    expect(queryNumber().parse("14")).toBe(14);
  });
});
