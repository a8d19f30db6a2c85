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

export function atPlace(name: string): string {
  const trimmed = name.trim();
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  // A name that brings its own article: "Le Mée-sur-Seine" → "au Mée-sur-Seine", "Les Mureaux" → "aux Mureaux".
  if (word === "le" && rest.length > 0) return `au ${rest.join(" ")}`;
  if (word === "les" && rest.length > 0) return `aux ${rest.join(" ")}`;
  if (masculine.has(word)) return `au ${trimmed}`;
  if (feminine.has(word)) return `à la ${trimmed}`;
  if (elided.has(word)) return `à l'${trimmed}`;
  if (plural.has(word)) return `aux ${trimmed}`;
  return `à ${trimmed}`;
}
