/** PostgreSQL could not be reached at start: said in French, naming the setting, never the password. */
export class DatabaseUnreachableError extends Error {}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: "connexion refusée (PostgreSQL est-il démarré ?)",
  ENOTFOUND: "hôte inconnu",
  ETIMEDOUT: "délai de connexion dépassé",
  EHOSTUNREACH: "hôte injoignable",
  "28P01": "authentification refusée",
  "28000": "accès refusé à ce rôle",
  "3D000": "la base de données n'existe pas",
  "57P03": "le serveur démarre ou s'arrête",
};

export function unreachable(error: unknown, url: string, setting: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const found =
    typeof code === "string"
      ? CONNECTION_CODES[code]
      : // A pool gathers the attempts on each address (IPv4, IPv6) into one error.
        (error as { errors?: { code?: string }[] } | null)?.errors
          ?.map((e) => CONNECTION_CODES[e.code ?? ""])
          .find(Boolean);
  if (!found) return error;
  const shown = new URL(url);
  if (shown.password) shown.password = "****";
  return new DatabaseUnreachableError(
    `Passerelle ne peut pas joindre sa base de données (${setting} = ${shown.toString()}) : ${found}.`,
  );
}
