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
  "57P01": "le serveur a fermé la connexion (arrêt en cours)",
  "57P02": "le serveur a fermé la connexion (arrêt brutal)",
  ECONNRESET: "connexion coupée par le serveur",
  "53300": "trop de connexions ouvertes (limite du serveur ou du rôle atteinte)",
};

/**
 * 55000 (object not in prerequisite state) also comes from a failed statement (a sequence, a
 * replication slot): at connection it says the database refuses them (ALLOW_CONNECTIONS false).
 */
function notAcceptingConnections(error: unknown): boolean {
  const message = `${(error as Error | null)?.message ?? ""} ${
    (error as { cause?: { message?: unknown } } | null)?.cause?.message ?? ""
  }`;
  return /is not currently accepting connections/.test(message);
}

/** The migrations refused for lack of rights (42501): the role given cannot create or alter tables. */
function insufficientRights(setting: string): string {
  return setting === "MIGRATION_DATABASE_URL"
    ? "ce rôle n'a pas le droit de créer ou de modifier les tables : MIGRATION_DATABASE_URL doit désigner le rôle propriétaire de la base"
    : "ce rôle n'a pas le droit de créer ou de modifier les tables : indiquez le rôle propriétaire dans MIGRATION_DATABASE_URL (DATABASE_URL garde le rôle de l'application)";
}

export function unreachable(error: unknown, url: string, setting: string): unknown {
  // A failed statement arrives wrapped by the query builder, its PostgreSQL code on its cause.
  const code =
    (error as { code?: unknown } | null)?.code ??
    (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  // The grants name the role of DATABASE_URL; PostgreSQL does not know it.
  const missingRole =
    code === "42704"
      ? /role "(.+)" does not exist/.exec(
          String((error as { cause?: { message?: unknown } })?.cause?.message ?? (error as Error)?.message),
        )?.[1]
      : undefined;
  if (missingRole)
    return new DatabaseUnreachableError(
      `Passerelle ne peut pas préparer sa base de données (${setting} = ${withoutPassword(url)}) : le rôle « ${missingRole} » de DATABASE_URL n'existe pas dans PostgreSQL : créez-le (CREATE ROLE ${missingRole} LOGIN PASSWORD '…' ; README, « PostgreSQL roles ») ou corrigez DATABASE_URL.`,
    );
  if (code === "42501")
    return new DatabaseUnreachableError(
      `Passerelle ne peut pas préparer sa base de données (${setting} = ${withoutPassword(url)}) : ${insufficientRights(setting)}.`,
    );
  const found =
    code === "55000" && notAcceptingConnections(error)
      ? "la base de données n'accepte pas de connexions (ALLOW_CONNECTIONS désactivé)"
      : typeof code === "string"
        ? CONNECTION_CODES[code]
        : // A pool gathers the attempts on each address (IPv4, IPv6) into one error.
          (error as { errors?: { code?: string }[] } | null)?.errors
            ?.map((e) => CONNECTION_CODES[e.code ?? ""])
            .find(Boolean);
  if (!found) return error;
  return new DatabaseUnreachableError(
    `Passerelle ne peut pas joindre sa base de données (${setting} = ${withoutPassword(url)}) : ${found}.`,
  );
}

function withoutPassword(url: string): string {
  const shown = new URL(url);
  if (shown.password) shown.password = "****";
  return shown.toString();
}
