/**
 * "à" + a place's name in French, with the article its first word calls for: "au Centre
 * pénitentiaire de Meaux", "à la SAS de Meaux", "à l'Antenne de Melun", "aux Mureaux", "à La Rochette"
 * (a town keeps its own article), "à Meaux". Unknown words are taken as proper names.
 */
const masculine = new Set([
  "centre",
  "cp",
  "cd",
  "quartier",
  "bureau",
  "local",
  "point",
  "pôle",
  "pole",
  "service",
  "spip",
  "siège",
  "siege",
  "bus",
  "camion",
  "relais",
  "tribunal",
  "commissariat",
  "ccas",
  "foyer",
]);
const feminine = new Set([
  "maison",
  "sas",
  "ma",
  "structure",
  "permanence",
  "mairie",
  "salle",
  "prison",
  "mission",
  "médiathèque",
  "mediatheque",
]);
const elided = new Set([
  "antenne",
  "espace",
  "établissement",
  "etablissement",
  "accueil",
  "agence",
  "hôtel",
  "hotel",
  "annexe",
  "épide",
  "unité",
  "unite",
]);
const plural = new Set(["locaux", "bureaux"]);

/** The article a place's first word calls for, or what its own article contracts to. */
type Article = "le" | "la" | "l'" | "les" | "none";

function articleOf(name: string): { article: Article; rest: string } {
  const trimmed = name.trim();
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  // A name that brings its own article: "Le Mée-sur-Seine" → "au Mée-sur-Seine", "Les Mureaux" → "aux Mureaux".
  if (word === "le" && rest.length > 0) return { article: "le", rest: rest.join(" ") };
  if (word === "les" && rest.length > 0) return { article: "les", rest: rest.join(" ") };
  if (masculine.has(word)) return { article: "le", rest: trimmed };
  if (feminine.has(word)) return { article: "la", rest: trimmed };
  if (elided.has(word)) return { article: "l'", rest: trimmed };
  if (plural.has(word)) return { article: "les", rest: trimmed };
  return { article: "none", rest: trimmed };
}

export function atPlace(name: string): string {
  const { article, rest } = articleOf(name);
  switch (article) {
    case "le":
      return `au ${rest}`;
    case "la":
      return `à la ${rest}`;
    case "l'":
      return `à l'${rest}`;
    case "les":
      return `aux ${rest}`;
    case "none":
      return `à ${rest}`;
  }
}

/**
 * "de" + a place's name, contracted like atPlace: "du Centre pénitentiaire de Meaux", "de la SAS de
 * Meaux", "de l'Antenne de Melun", "des Mureaux", "de La Rochette", "d'Avon", "de Meaux".
 */
export function ofPlace(name: string): string {
  const { article, rest } = articleOf(name);
  switch (article) {
    case "le":
      return `du ${rest}`;
    case "la":
      return `de la ${rest}`;
    case "l'":
      return `de l'${rest}`;
    case "les":
      return `des ${rest}`;
    case "none":
      return ofName(rest);
  }
}

/**
 * "de" + a name, elided before a vowel: "de MARTIN Paul", "d'AUBERT Jean", "d'Évry", "d'Yves" (a y
 * before a consonant) but "de Yann". Not before an h: whether it is mute (Henri) or aspirated
 * (HADDAD, Hauteclocque) cannot be told from the spelling, and "de" is never a blunder there.
 * For a person, or a place whose name has no article of its own.
 */
export function ofName(name: string): string {
  const trimmed = name.trim();
  const elides = /^([aeiouàâäéèêëîïôöùûüæœ]|y[^aeiouàâäéèêëîïôöùûü])/i.test(trimmed);
  return elides ? `d'${trimmed}` : `de ${trimmed}`;
}
