import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * A phone as entered (French by default, foreign numbers with their +code) → E.164, "" when empty,
 * null when it is not a valid number.
 */
export function normalizePhone(input: string): string | null {
  if (input.trim() === "") return "";
  const parsed = parsePhoneNumberFromString(input, "FR");
  return parsed?.isValid() ? parsed.number : null;
}

/** Names compared without case, accents or spaces. */
export function nameKey(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/[^\p{L}]/gu, "")
    .toLowerCase();
}
