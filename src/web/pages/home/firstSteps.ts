import type { Openings } from "../../../common/agenda/agenda.schema";
import type { StructureUser } from "../../../common/structures/structures.schema";

/** One step of a new structure's set-up, as the direction's home lists it. */
export interface FirstStep {
  key: "agents" | "permanence" | "activation";
  /** The link's text, to the page that does the step. */
  title: string;
  to: string;
  /** What the step asks, after the link. */
  what: string;
  done: boolean;
  /** Why it is not done yet; null once done. */
  missing: string | null;
}

/**
 * What a structure needs before a CPIP can convoke anyone, in order: counselors and a CPIP in the
 * structure; a permanence in force or to come, held by a counselor still in the structure (slots
 * come only from permanences, and their capacity from their counselors); a CPIP who activated their
 * account (convoking is done signed in). Read from the agents' list and the openings the direction
 * already reads.
 */
export function firstSteps(users: StructureUser[], openings: Openings): FirstStep[] {
  const active = users.filter((u) => u.activeInStructure && !u.accountDisabled);
  const counselors = active.filter((u) => u.roles.includes("counselor"));
  const officers = active.filter((u) => u.roles.includes("probation_officer"));
  const agentsMissing =
    counselors.length === 0 && officers.length === 0
      ? "Aucun conseiller France services ni CPIP pour l'instant."
      : counselors.length === 0
        ? "Aucun conseiller France services pour l'instant."
        : officers.length === 0
          ? "Aucun CPIP pour l'instant."
          : null;
  // The openings' counselors are the structure's current ones: a pool of former agents holds nothing.
  const present = new Set(openings.counselors.map((c) => c.id));
  const held = openings.rules.some((r) => r.counselors.some((c) => present.has(c.id)));
  const permanenceMissing = held
    ? null
    : openings.rules.length === 0
      ? "Aucune permanence ouverte pour l'instant."
      : "Aucun conseiller de la structure ne tient les permanences ouvertes.";
  const signedIn = officers.some((u) => !u.invitationPending);
  const activationMissing = signedIn
    ? null
    : officers.length === 0
      ? "Aucun CPIP pour l'instant."
      : "Aucun CPIP n'a encore activé son compte : l'invitation peut être renvoyée depuis la liste des agents.";
  return [
    {
      key: "agents",
      title: "Créer les comptes des agents",
      to: "/agents",
      what: "au moins un conseiller France services et un CPIP.",
      done: agentsMissing === null,
      missing: agentsMissing,
    },
    {
      key: "permanence",
      title: "Ouvrir une première permanence sur un lieu",
      to: "/permanences",
      what: "avec les conseillers qui la tiennent ; les CPIP convoquent à ses créneaux.",
      done: permanenceMissing === null,
      missing: permanenceMissing,
    },
    {
      key: "activation",
      title: "Faire activer leur compte aux CPIP",
      to: "/agents",
      what: "un CPIP convoque une fois connecté, avec le lien reçu par courriel.",
      done: activationMissing === null,
      missing: activationMissing,
    },
  ];
}
