/**
 * A SIRET (14 digits: SIREN + NIC) is valid when its digits pass the Luhn check. La Poste's
 * establishments (SIREN 356 000 000) follow another rule; they are not IAE employers and are ignored.
 */
export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let digit = Number(value[13 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The SIRET as typed ("123 456 789 00012") without its spaces. */
export function compactSiret(value: string): string {
  return value.replace(/[\s.]/g, "");
}
