import { plural } from "../../../common/plural";

/** A recorded visit's journal detail: "1 démarche mise à jour, 2 créées, 0 besoin évalué". */
export function visitWords(updated: number, created: number, needs: number): string {
  return [
    plural(updated, "démarche mise à jour", "démarches mises à jour"),
    plural(created, "créée", "créées"),
    plural(needs, "besoin évalué", "besoins évalués"),
  ].join(", ");
}
