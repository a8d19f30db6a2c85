/**
 * French count agreement: the singular for 0 and 1 ("0 besoin repéré", "1 personne"), the plural
 * from 2 ("2 besoins repérés"); the number is written the French way ("1 234"). One helper for every
 * count the app writes, instead of "besoin(s) repéré(s)".
 */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString("fr-FR")} ${pluralWord(count, one, many)}`;
}

/** The word alone, agreeing with a count written elsewhere ("2 / 5 convoquées"). */
export function pluralWord(count: number, one: string, many: string): string {
  return Math.abs(count) >= 2 ? many : one;
}

/** The text with its first letter in capitals, at the start of a sentence ("La fermeture de Meaux…"). */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
