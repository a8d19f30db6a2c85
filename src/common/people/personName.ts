/** A person's name as the whole app writes it: "NOM Prénom" (surname in capitals first). */
export function personDisplayName(p: { lastName: string; firstName: string }): string {
  return `${p.lastName.toUpperCase()} ${p.firstName}`.trim();
}
