import type { AuditAction } from "../../common/audit/audit.actions";
import type { Role } from "../../common/roles";
import type { Clock } from "./clock";

export interface Membership {
  structureId: string;
  role: Role;
  serviceId: string | null;
  partnerId: string | null;
}

/** The authenticated agent behind a request, with every role they hold. */
export interface Actor {
  userId: string;
  displayName: string;
  memberships: Membership[];
}

/** What a use case knows about the request: who, which request (for the journal), when. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  ip: string;
  clock: Clock;
  /** Journal rows written for this request (appended by `journal`; read by the mount). */
  journaled?: JournaledRow[];
}

/** What the mount needs to know of a journal row written for the request. */
export interface JournaledRow {
  action: AuditAction;
  targetType: string;
  targetId: string;
  outcome: "success" | "denied" | "failure";
}

/** Structures where the actor holds one of the given roles. */
export function structuresWithRole(actor: Actor, ...wanted: Role[]): string[] {
  return [...new Set(actor.memberships.filter((m) => wanted.includes(m.role)).map((m) => m.structureId))];
}

export function hasRole(actor: Actor, role: Role, structureId?: string): boolean {
  return actor.memberships.some((m) => m.role === role && (!structureId || m.structureId === structureId));
}
