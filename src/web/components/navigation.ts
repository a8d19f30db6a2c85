import type { Role } from "../../common/roles";

export interface NavItem {
  text: string;
  to: string;
  roles: Role[];
}

/** The main navigation, by role: an entry shows when the agent holds one of its roles. */
export const navItems: NavItem[] = [
  {
    text: "Accueil",
    to: "/",
    roles: [
      "probation_officer",
      "counselor",
      "service_manager",
      "steering",
      "partner_referent",
      "mediator",
      "admin",
    ],
  },
  {
    text: "Personnes suivies",
    to: "/personnes",
    roles: ["probation_officer", "counselor", "service_manager"],
  },
  { text: "Convocations", to: "/convocations", roles: ["probation_officer", "counselor", "service_manager"] },
  { text: "Permanences", to: "/permanences", roles: ["service_manager"] },
  { text: "Milieu fermé", to: "/milieu-ferme", roles: ["probation_officer", "service_manager"] },
  {
    text: "Actions collectives",
    to: "/actions",
    roles: ["probation_officer", "counselor", "service_manager"],
  },
  { text: "Médiation", to: "/mediation", roles: ["mediator"] },
  { text: "Transferts reçus", to: "/transferts-recus", roles: ["probation_officer", "service_manager"] },
  { text: "Dossiers transmis", to: "/dossiers-transmis", roles: ["probation_officer", "service_manager"] },
  { text: "Annuaire", to: "/annuaire", roles: ["probation_officer", "counselor", "service_manager"] },
  { text: "Conventions", to: "/conventions", roles: ["service_manager"] },
  { text: "Pilotage", to: "/pilotage", roles: ["service_manager", "steering"] },
  { text: "SMS et courriels", to: "/notifications", roles: ["service_manager"] },
  { text: "Lettre d'information", to: "/lettre-information", roles: ["service_manager"] },
  {
    text: "Lettres d'information",
    to: "/lettres",
    roles: ["probation_officer", "counselor", "mediator", "partner_referent"],
  },
  { text: "Agents", to: "/agents", roles: ["service_manager", "admin"] },
  { text: "Catalogue", to: "/catalogue", roles: ["admin"] },
  { text: "Journal des accès", to: "/journal", roles: ["service_manager"] },
  { text: "Conservation", to: "/direction/conservation", roles: ["service_manager"] },
];

export function navFor(roles: Role[]): NavItem[] {
  return navItems.filter((item) => item.roles.some((r) => roles.includes(r)));
}
