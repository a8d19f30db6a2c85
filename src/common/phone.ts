import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * A phone number as people read it: "06 12 34 56 78" for a French number (whether stored as
 * +33612345678 or typed 0612345678), "+44 20 7946 0958" for a foreign one, and unchanged when it is not a
 * number at all. Spaces are non-breaking: a number never wraps. "—" when absent.
 */
export function formatPhone(phone: string | null | undefined): string {
  const raw = phone?.trim();
  if (!raw) return "—";
  const parsed = parsePhoneNumberFromString(raw, "FR");
  if (!parsed?.isPossible()) return raw;
  const text = parsed.country === "FR" ? parsed.formatNational() : parsed.formatInternational();
  return text.replace(/ /g, "\u00a0");
}
