/** Failed and uncertain convocation messages of the last 7 days, for the direction. */
export function failureSummary(failed: number, uncertain: number): string {
  return [failed > 0 ? `${failed} en échec` : "", uncertain > 0 ? `${uncertain} en envoi incertain` : ""]
    .filter(Boolean)
    .join(" et ");
}

/** What "envoi incertain" means, for the log and the direction's home page. */
export const uncertainExplanation =
  "« Envoi incertain » : le fournisseur n'a pas répondu à temps ou la connexion a été coupée ; le message a peut-être été reçu. Il est renvoyé une seule fois au plus, jamais davantage.";
