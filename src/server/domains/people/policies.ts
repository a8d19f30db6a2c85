import { and, exists, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { errors } from "../../../common/errors";
import { type Actor, structuresWithRole } from "../../core/context";
import { convocation, person, referent } from "../../db/schema";

/**
 * Who sees which people (DESIGN §2), as data for the queries:
 * - service_manager: every person of their structure, judicial fields included;
 * - probation_officer: the people they refer, and read-only the people referred by their service;
 * - counselor: the people convoked in their structure (to a permanence or a collective action, whatever
 *   the convocation became), never judicial fields;
 * - steering, partner_referent, admin: no nominative record.
 * A role in one structure gives nothing in another.
 */
export interface PeopleScope {
  actorUserId: string;
  managerStructures: string[];
  officerStructures: string[];
  officerServices: string[];
  counselorStructures: string[];
}

export function peopleScope(actor: Actor): PeopleScope {
  return {
    actorUserId: actor.userId,
    managerStructures: structuresWithRole(actor, "service_manager"),
    officerStructures: structuresWithRole(actor, "probation_officer"),
    officerServices: actor.memberships
      .filter((m) => m.role === "probation_officer" && m.serviceId)
      .map((m) => m.serviceId as string),
    counselorStructures: structuresWithRole(actor, "counselor"),
  };
}

/** The actor's scope for nominative records; 403 for roles that never see one (steering, partner, admin). */
export function nominativeScope(actor: Actor): PeopleScope {
  const scope = peopleScope(actor);
  if (!mayListPeople(scope)) throw errors.access.forbidden();
  return scope;
}

export function mayListPeople(scope: PeopleScope): boolean {
  return (
    scope.managerStructures.length + scope.officerStructures.length + scope.counselorStructures.length > 0
  );
}

function activeReferentWhere(condition: SQL | undefined): SQL {
  return exists(
    sql`(select 1 from ${referent} where ${referent.personId} = ${person.id} and ${referent.endedAt} is null and ${condition})`,
  );
}

/** The person is referred by the actor or by one of the actor's SPIP services. */
function officerSees(scope: PeopleScope): SQL {
  return and(
    inArray(person.structureId, scope.officerStructures),
    activeReferentWhere(
      or(sql`${referent.userId} = ${scope.actorUserId}`, inArray(referent.serviceId, scope.officerServices)),
    ),
  ) as SQL;
}

/**
 * The person belongs to one of the actor's counselor structures and was convoked there (DESIGN §2: "the
 * people convoked to them" — permanences are pools, so any convocation of the structure counts; a
 * convocation in another structure does not open the file to this one's counselors). A file merely created
 * or imported into the structure is not shown to its counselors until the person is convoked.
 */
export function counselorSees(scope: PeopleScope): SQL {
  if (scope.counselorStructures.length === 0) return sql`false`;
  return and(
    inArray(person.structureId, scope.counselorStructures),
    exists(
      sql`(select 1 from ${convocation} where ${convocation.personId} = ${person.id} and ${convocation.structureId} = ${person.structureId})`,
    ),
  ) as SQL;
}

/**
 * Rows of `person` the actor may see at all: a merged duplicate and an erased file are seen by
 * nobody, an archived file by its structure's direction only (ADR 0024).
 */
export function visiblePeople(scope: PeopleScope): SQL {
  return and(
    isNull(person.mergedIntoId),
    isNull(person.erasedAt),
    or(isNull(person.archivedAt), inArray(person.structureId, scope.managerStructures)),
    or(inArray(person.structureId, scope.managerStructures), officerSees(scope), counselorSees(scope)),
  ) as SQL;
}

/** Rows of `person` whose judicial fields the actor may see (SPIP side only). */
export function judicialFieldsVisible(scope: PeopleScope): SQL {
  return or(inArray(person.structureId, scope.managerStructures), officerSees(scope)) as SQL;
}

/** Rows the actor may change: their structure's direction or the active referent. */
export function editablePeople(scope: PeopleScope): SQL {
  return or(
    inArray(person.structureId, scope.managerStructures),
    and(
      inArray(person.structureId, scope.officerStructures),
      activeReferentWhere(sql`${referent.userId} = ${scope.actorUserId}`),
    ),
  ) as SQL;
}

/**
 * An open file, as the people list shows by default (« Dossiers ouverts »): not closed, not
 * archived, nor a merged duplicate, nor an erased tombstone.
 */
export function openFile(): SQL {
  return and(
    isNull(person.mergedIntoId),
    isNull(person.closedAt),
    isNull(person.archivedAt),
    isNull(person.erasedAt),
  ) as SQL;
}

/**
 * People the actor follows closely (home alerts): those convoked in their structure for counselors,
 * all of it for the direction, their own for a CPIP; a closed file is followed by nobody.
 */
export function followedPeople(scope: PeopleScope): SQL {
  return and(
    openFile(),
    or(
      inArray(person.structureId, scope.managerStructures),
      counselorSees(scope),
      and(
        inArray(person.structureId, scope.officerStructures),
        activeReferentWhere(sql`${referent.userId} = ${scope.actorUserId}`),
      ),
    ),
  ) as SQL;
}

/**
 * Who works on the file (writes consents, notes, contacts, orientations, documents): those who edit
 * it (the referent CPIP, the direction) and the counselors whose own scope holds the person
 * (`counselorSees`: convoked in their structure). The role that gave sight of the file decides: a CPIP
 * who is also a counselor does not write, as a counselor, on a person they only read as a CPIP (a
 * colleague's person never convoked, ADR 0009 addendum).
 */
export function mayWorkOnFile(found: { edit: boolean; counselor: boolean }): boolean {
  return found.edit || found.counselor;
}

/**
 * Contacts (phone, e-mail, address, language) may be corrected by those who edit the file and by
 * the counselors who see it as counselors, who meet the person at the permanence (doc/product.md).
 */
export function mayEditContacts(found: { edit: boolean; counselor: boolean }): boolean {
  return mayWorkOnFile(found);
}

/** The file may be moved to another CPIP by the direction, or by a CPIP of the referent's service. */
export function mayChangeReferent(
  scope: PeopleScope,
  structureId: string,
  referentServiceId: string | null,
): boolean {
  if (scope.managerStructures.includes(structureId)) return true;
  return (
    scope.officerStructures.includes(structureId) &&
    referentServiceId !== null &&
    scope.officerServices.includes(referentServiceId)
  );
}
