import { type Role, roleLabels } from "../../../common/roles";

const disjunction = new Intl.ListFormat("fr", { style: "long", type: "disjunction" });

/**
 * Who may open a page, as the 403 page says it: « Cette page est réservée au rôle « Direction de
 * service ». », or to several roles (« … ou … »). Null when the page does not say (a refusal from the
 * server, whose rule depends on the file).
 */
export function reservedFor(roles: readonly Role[] | undefined): string | null {
  if (!roles || roles.length === 0) return null;
  // Non-breaking spaces inside the guillemets: a « never ends a line, a » never starts one.
  const names = roles.map((r) => `«\u00a0${roleLabels[r]}\u00a0»`);
  return roles.length === 1
    ? `Cette page est réservée au rôle ${names[0]}.`
    : `Cette page est réservée aux rôles ${disjunction.format(names)}.`;
}
