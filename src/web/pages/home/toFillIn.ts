/**
 * The agenda's empty state when nothing is left to fill in: both things « à renseigner » means
 * (ADR 0014 addendum), a status on every past convocation and the visit of every honoured one.
 */
export const NOTHING_TO_FILL_IN =
  "Rien à renseigner : toutes les convocations passées ont un statut, et celles honorées leur visite.";

/**
 * What is left to fill in, saying which: the past convocations without a status, and those honoured
 * at a permanence, arrival noted or not, whose visit was not recorded (the server lists both as
 * « à renseigner »).
 */
export function toFillInText(convocations: { status: string }[]): string {
  const count = convocations.length;
  if (count === 0) return "Aucune convocation passée à renseigner.";
  const visits = convocations.filter((c) => c.status === "honoured").length;
  const statuses = count - visits;
  const total = `${count} convocation${count > 1 ? "s" : ""} passée${count > 1 ? "s" : ""} à renseigner`;
  if (visits === 0) return `${total}.`;
  if (statuses === 0)
    return visits > 1
      ? `${total} : honorées, leurs visites restent à saisir.`
      : `${total} : honorée, sa visite reste à saisir.`;
  return `${total} : ${statuses} sans statut, ${visits} honorée${visits > 1 ? "s" : ""} dont la visite reste à saisir.`;
}
