/** How long the receiver took to answer, as people say it (`hours` may be a fraction). */
export function responseDelay(hours: number): string {
  if (hours < 1) return "moins d'une heure";
  if (hours < 48) return `${Math.floor(hours)} h`;
  return `${Math.round(hours / 24)} jours`;
}
