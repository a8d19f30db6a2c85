import { type Role, roles } from "../../common/roles";

export interface NavItem {
  text: string;
  to: string;
  roles: Role[];
}

/** A heading of the main navigation: a DSFR sub-menu when it holds several of the agent's entries. */
export interface NavGroup {
  text: string;
  items: NavItem[];
}

const everyRole: Role[] = [...roles];

/** The main navigation, by group then by role: an entry shows when the agent holds one of its roles. */
export const navGroups: NavGroup[] = [
  { text: "Accueil", items: [{ text: "Accueil", to: "/", roles: everyRole }] },
  {
    text: "Personnes suivies",
    items: [
      {
        text: "Personnes suivies",
        to: "/personnes",
        roles: ["probation_officer", "counselor", "service_manager"],
      },
    ],
  },
  {
    text: "Convocations",
    items: [
      {
        text: "Convocations",
        to: "/convocations",
        roles: ["probation_officer", "counselor", "service_manager"],
      },
    ],
  },
  { text: "Permanences", items: [{ text: "Permanences", to: "/permanences", roles: ["service_manager"] }] },
  { text: "Médiation", items: [{ text: "Médiation", to: "/mediation", roles: ["mediator"] }] },
  {
    text: "Milieu fermé",
    items: [
      { text: "Milieu fermé", to: "/milieu-ferme", roles: ["probation_officer", "service_manager"] },
      { text: "Transferts reçus", to: "/transferts-recus", roles: ["probation_officer", "service_manager"] },
      {
        text: "Dossiers transmis",
        to: "/dossiers-transmis",
        roles: ["probation_officer", "service_manager"],
      },
    ],
  },
  {
    text: "Partenariat",
    items: [
      { text: "Annuaire", to: "/annuaire", roles: ["probation_officer", "counselor", "service_manager"] },
      { text: "Conventions", to: "/conventions", roles: ["service_manager"] },
      {
        text: "Actions collectives",
        to: "/actions",
        roles: ["probation_officer", "counselor", "service_manager"],
      },
      { text: "Lettre d'information", to: "/lettre-information", roles: ["service_manager"] },
      {
        text: "Lettres d'information",
        to: "/lettres",
        roles: ["probation_officer", "counselor", "mediator", "partner_referent"],
      },
    ],
  },
  {
    text: "Pilotage",
    items: [{ text: "Pilotage", to: "/pilotage", roles: ["service_manager", "steering"] }],
  },
  {
    text: "Administration",
    items: [
      { text: "Agents", to: "/agents", roles: ["service_manager", "admin"] },
      { text: "Comptes", to: "/comptes", roles: ["admin"] },
      { text: "Structure et lieux", to: "/structure", roles: ["service_manager", "admin"] },
      { text: "SMS et courriels", to: "/notifications", roles: ["service_manager"] },
      { text: "Journal des accès", to: "/journal", roles: ["service_manager"] },
      { text: "Conservation", to: "/direction/conservation", roles: ["service_manager"] },
      { text: "Catalogue", to: "/catalogue", roles: ["admin"] },
    ],
  },
];

/**
 * Up to this many entries, an agent's menu stays flat: it fits on one line from the DSFR's desktop
 * breakpoint (992 px) and every page is one click away. Beyond, the entries are grouped.
 */
export const FLAT_MENU_LIMIT = 6;

export type NavEntry =
  | { kind: "link"; text: string; to: string }
  | { kind: "menu"; text: string; links: { text: string; to: string }[] };

/**
 * The agent's main navigation: their entries only, flat when they are few, otherwise by group, a
 * group holding a single entry of theirs being that entry's plain link.
 */
export function navFor(roles: Role[]): NavEntry[] {
  const groups = navGroups
    .map((group) => ({
      text: group.text,
      links: group.items
        .filter((item) => item.roles.some((r) => roles.includes(r)))
        .map(({ text, to }) => ({ text, to })),
    }))
    .filter((group) => group.links.length > 0);
  const flat = groups.flatMap((group) => group.links.map((link) => ({ kind: "link" as const, ...link })));
  if (flat.length <= FLAT_MENU_LIMIT) return flat;
  return groups.map((group) =>
    group.links.length === 1
      ? { kind: "link" as const, ...group.links[0]! }
      : { kind: "menu" as const, text: group.text, links: group.links },
  );
}

/** Whether `path` is the page of the entry at `to` or one of its sub-pages ("/" only matches itself). */
export function isCurrent(to: string, path: string): boolean {
  if (to === "/") return path === "/";
  return path === to || path.startsWith(`${to}/`);
}
