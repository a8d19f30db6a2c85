import { auditTargetLabels } from "../../../common/audit/audit.labels";
import type { AuditPage } from "../../../common/audit/audit.schema";

type AuditEvent = AuditPage["events"][number];

/**
 * The kinds of rows that concern nobody: a site's closure is about a place and its hours, named with
 * its dates in the row's « Détail » as they were when it was written (a closure lifted later ends
 * sooner, or is gone). Their « Concerne » is empty: the kind's label would only repeat the action
 * (« Fermeture d'un lieu » twice).
 */
const CONCERNS_NOBODY: ReadonlySet<string> = new Set(["site_closure"]);

/**
 * What the journal's « Concerne » says of a row: the people or the agent it names with their kind
 * (« Dossier — BENALI Karim »), an account by its e-mail, else the kind of element it is about
 * (« Convention »); null when it concerns no one ("—").
 */
export function auditSubject(
  event: Pick<AuditEvent, "targetType" | "targetId" | "subjectName">,
): { kind: string; names: string[] } | { text: string } | null {
  const kind = auditTargetLabels[event.targetType] ?? event.targetType;
  if (event.subjectName) return { kind, names: event.subjectName.split(", ") };
  if (event.targetType === "account") return { text: `${kind} — ${event.targetId}` };
  if (CONCERNS_NOBODY.has(event.targetType)) return null;
  // A read that named nobody (a list read empty, the journal itself unfiltered) concerns no file.
  return event.targetType && event.targetId ? { text: kind } : null;
}
