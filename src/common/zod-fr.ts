import { z } from "zod";
import { fr } from "zod/locales";

const number = (n: unknown): string =>
  typeof n === "number" || typeof n === "bigint" ? n.toLocaleString("fr-FR") : String(n);

/**
 * The messages a person may read under a field when a schema gives none of its own: they say what
 * to do, in plain French ("Renseignez ce champ."), where the locale's would say "Entrée invalide :
 * string attendu". Anything else falls back to zod's French locale.
 */
export function plainFrench(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null || issue.input === "")
        return "Renseignez ce champ.";
      if (issue.expected === "number") return "Saisissez un nombre.";
      if (issue.expected === "int") return "Saisissez un nombre entier.";
      if (issue.expected === "boolean") return "Cochez ou décochez la case.";
      if (issue.expected === "array") return "Choisissez dans la liste.";
      if (issue.expected === "string") return "Saisissez un texte.";
      return "Valeur non reconnue : vérifiez ce champ.";
    case "invalid_value":
      return issue.input === "" || issue.input === undefined
        ? "Choisissez une valeur dans la liste."
        : "Choisissez une valeur proposée dans la liste.";
    case "too_small":
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1
          ? "Renseignez ce champ."
          : `Saisissez au moins ${number(issue.minimum)} caractères.`;
      // "int": the safe range zod checks on any integer (a page number of 25 digits).
      if (issue.origin === "number" || issue.origin === "int")
        return `Saisissez un nombre supérieur ou égal à ${number(issue.minimum)}.`;
      if (issue.origin === "array")
        return Number(issue.minimum) <= 1
          ? "Choisissez au moins un élément."
          : `Choisissez au moins ${number(issue.minimum)} éléments.`;
      return undefined;
    case "too_big":
      if (issue.origin === "string") return `${number(issue.maximum)} caractères au plus.`;
      if (issue.origin === "number" || issue.origin === "int")
        return `Saisissez un nombre inférieur ou égal à ${number(issue.maximum)}.`;
      if (issue.origin === "array") return `${number(issue.maximum)} éléments au plus.`;
      return undefined;
    case "invalid_union":
      return "Valeur non reconnue : vérifiez ce champ.";
    default:
      return undefined;
  }
}

/** Zod's messages in French, for the server's 400s and the web forms alike (only this locale is bundled). */
z.config({ ...fr(), customError: plainFrench });
