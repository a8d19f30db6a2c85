import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError } from "../../api/client";
import { checkWithSchema, fieldKeyOf, problemsFromApi, withoutFields } from "./fieldErrors";

const keys = ["lastName", "measure", "measure.endDate", "consent.domains"] as const;

describe("field errors", () => {
  it("forgets the messages of the fields edited since, keeps the others and the general ones", () => {
    const problems = {
      fields: { startsAt: "Choisissez un créneau.", notifySms: "Choisissez d'envoyer ou non un SMS." },
      general: ["Service indisponible"],
    };
    expect(withoutFields(problems, ["startsAt"])).toEqual({
      fields: { notifySms: "Choisissez d'envoyer ou non un SMS." },
      general: ["Service indisponible"],
    });
    expect(withoutFields(problems, ["startsAt", "notifySms"]).fields).toEqual({});
    // Nothing to forget: the same object, so React does not render again.
    expect(withoutFields(problems, ["comment"])).toBe(problems);
  });

  it("maps an issue path onto the longest known field key", () => {
    expect(fieldKeyOf("body.lastName", keys)).toBe("lastName");
    expect(fieldKeyOf("body.measure.endDate", keys)).toBe("measure.endDate");
    expect(fieldKeyOf("body.measure.type", keys)).toBe("measure");
    expect(fieldKeyOf("body.consent.domains.0", keys)).toBe("consent.domains");
    expect(fieldKeyOf("body.lastNameX", keys)).toBeUndefined();
    expect(fieldKeyOf("body.other", keys)).toBeUndefined();
  });

  it("keeps the first message of a field and lists the others as general", () => {
    const error = new ApiError(400, {
      code: "request.invalid",
      message: "La requête contient des données invalides.",
      issues: [
        { path: "body.lastName", message: "Saisissez le nom." },
        { path: "body.lastName", message: "Trop long." },
        { path: "body.unknown", message: "Clé inconnue." },
      ],
    });
    expect(problemsFromApi(error, keys)).toEqual({
      fields: { lastName: "Saisissez le nom." },
      general: ["Clé inconnue."],
    });
  });

  it("ties a catalogue error to a field when the form says so, else shows it; only an unexpected error has a reference", () => {
    const conflict = new ApiError(409, {
      code: "person.closed",
      message: "Dossier clôturé.",
      requestId: "r1",
    });
    expect(problemsFromApi(conflict, keys, { "person.closed": "lastName" }).fields).toEqual({
      lastName: "Dossier clôturé.",
    });
    expect(problemsFromApi(conflict, keys).general).toEqual(["Dossier clôturé."]);
    const crash = new ApiError(500, {
      code: "request.internal",
      message: "Erreur inattendue.",
      requestId: "r2",
    });
    expect(problemsFromApi(crash, keys).general).toEqual(["Erreur inattendue. (référence : r2)"]);
    expect(problemsFromApi(new Error("network"), keys).general).toHaveLength(1);
  });

  it("says a catalogue refusal's reason with the field it points at, not a 400's generic message", () => {
    const pastDay = new ApiError(409, {
      code: "convocation.ruleStartsInPast",
      message: "Une permanence s'ajoute à partir d'aujourd'hui.",
      issues: [{ path: "body.validFrom", message: "Choisissez aujourd'hui ou une date à venir." }],
    });
    expect(problemsFromApi(pastDay, [...keys, "validFrom"])).toEqual({
      fields: { validFrom: "Choisissez aujourd'hui ou une date à venir." },
      general: ["Une permanence s'ajoute à partir d'aujourd'hui."],
    });
    const invalid = new ApiError(400, {
      code: "request.invalid",
      message: "La requête contient des données invalides.",
      issues: [{ path: "body.lastName", message: "Saisissez le nom." }],
    });
    expect(problemsFromApi(invalid, keys).general).toEqual([]);
    // A refusal whose message is the one under its field (the SAS rule) says it once.
    const sas = "Une SAS accueille des personnes dont le reliquat de peine est de deux ans au plus : …";
    const sasRelease = new ApiError(400, {
      code: "detention.sasRelease",
      message: sas,
      issues: [{ path: "body.detention.expectedReleaseDate", message: sas }],
    });
    expect(problemsFromApi(sasRelease, [...keys, "detention.expectedReleaseDate"])).toEqual({
      fields: { "detention.expectedReleaseDate": sas },
      general: [],
    });
  });

  it("checks on the client with the server's schema", () => {
    const schema = z.object({
      lastName: z.string().min(1, "Saisissez le nom."),
      measure: z.object({ endDate: z.string().min(1, "Date requise.") }),
    });
    const invalid = checkWithSchema(schema, { lastName: "", measure: { endDate: "" } }, keys);
    expect(invalid.ok ? {} : invalid.problems.fields).toEqual({
      lastName: "Saisissez le nom.",
      "measure.endDate": "Date requise.",
    });
    expect(checkWithSchema(schema, { lastName: "A", measure: { endDate: "x" } }, keys)).toEqual({
      ok: true,
      value: { lastName: "A", measure: { endDate: "x" } },
    });
  });

  it("gives the parsed value of a valid form (parsed once), the problems of an invalid one", () => {
    const schema = z.object({
      status: z.enum(["honoured", "missed"], { message: "Choisissez le bon statut." }),
      reason: z.string().trim().min(3, "Indiquez la raison."),
    });
    const valid = checkWithSchema(schema, { status: "missed", reason: "  oubli  " }, ["status", "reason"]);
    // The schema's output, typed: the enum's value and the trimmed text.
    expect(valid).toEqual({ ok: true, value: { status: "missed", reason: "oubli" } });
    expect(checkWithSchema(schema, { status: "", reason: "x" }, ["status", "reason"])).toEqual({
      ok: false,
      problems: {
        fields: { status: "Choisissez le bon statut.", reason: "Indiquez la raison." },
        general: [],
      },
    });
  });
});
