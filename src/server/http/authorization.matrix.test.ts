import { eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillPath, type RouteContract } from "../../common/contract";
import { judicialFieldNames } from "../../common/people/people.schema";
import { type Role, roles } from "../../common/roles";
import { allRoutes } from "../../common/routes";
import {
  auditEvent,
  consent,
  convention,
  convocation,
  counselorAbsence,
  demarche,
  demarcheType,
  directoryContact,
  directoryEntry,
  funding,
  handoverMeeting,
  membership,
  newsletterIssue,
  openingRule,
  orientation,
  partner,
  person,
  service,
  site,
  siteAccessAuthorisation,
  siteClosure,
  structure,
  transfer,
  user,
} from "../db/schema";

import { DEMO_PASSWORD } from "../db/seed/demo";
import { READ_ACTIONS } from "../domains/audit/JournalNominativeRead";
import { type ActionFixtures, actionMatrixFixtures, actionMatrixRows } from "../testing/actionsMatrix";
import { aConvocation, anAgent, aPerson, aStructure } from "../testing/builders";
import { aPdf, documentForm } from "../testing/documentFiles";
import { generatedCaseload, multipartFile } from "../testing/importFiles";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Every route × every role (plus anonymous, plus an agent holding every role in another
 * structure) → the expected status. A route without a row here fails the first test.
 */
type Caller = "anonymous" | Role | "outsider";
const callers: Caller[] = ["anonymous", ...roles, "outsider"];
const emailOf: Record<Exclude<Caller, "anonymous" | "outsider">, string> = {
  probation_officer: demo.cpip,
  counselor: demo.counselor,
  service_manager: demo.manager,
  steering: demo.steering,
  partner_referent: demo.partner,
  mediator: demo.mediator,
  admin: demo.admin,
};

interface Fixtures {
  structureId: string;
  /** The demo structure's details as they are: its edit rows write them back unchanged. */
  structureDetails: {
    name: string;
    labelNumber: string;
    departement: string;
    coHolders: string[];
    minLeadHours: number;
  };
  /** A site of the demo structure with no opening: edited by its rows. */
  spareSiteId: string;
  personId: string;
  targetUserId: string;
  siteId: string;
  convocationId: string;
  /** Planned, this morning (started): arrival is noted, the letter printed. */
  todayConvocationId: string;
  counselorId: string;
  ruleId: string;
  /** A closure and an absence to come, which the direction may lift. */
  closureId: string;
  absenceId: string;
  demarcheId: string;
  consentId: string;
  sentOrientationId: string;
  partnerId: string;
  demarcheTypeId: string;
  duplicatePersonId: string;
  draftOrientationId: string;
  /** Files of the referent CPIP for the routes that change them (corrected, moved, closed). */
  editedPersonId: string;
  movedPersonId: string;
  closedPersonId: string;
  cpip2Id: string;
  /** An import uploaded by the demo CPIP (only its author may go on with it). */
  importId: string;
  /** Handover (ADR 0029): a detainee of the CPIP with a planned meeting, others for each write. */
  handoverPersonId: string;
  schedulePersonId: string;
  handoverId: string;
  cancelledHandoverId: string;
  completedHandoverId: string;
  firstSlot: { siteId: string; startsAt: string };
  transferPersonId: string;
  thirdStructureId: string;
  outgoingTransferId: string;
  incomingTransferId: string;
  refusedTransferId: string;
  /** Milieu fermé (ADR 0028): a prison site of the demo structure and an access authorisation there. */
  prisonSiteId: string;
  authorisationId: string;
  /** A proof of the person, shared with the sent orientation (CAF) under the consent. */
  documentId: string;
  /** A proof the referent removes. */
  removableDocumentId: string;
  /** A share of `documentId` outside the structure, withdrawn by the referent. */
  documentShareId: string;
  /** The CPAM's directory entry (not the CAF's: the demo partner referent, at the CAF, cannot read it). */
  entryId: string;
  contactId: string;
  cpamId: string;
  /** An organisation and a contact (of another organisation) the direction archives. */
  archivableEntryId: string;
  archivableContactId: string;
  /** The demo's signed France services convention; a draft one for the (irreversible) end. */
  conventionId: string;
  draftConventionId: string;
  /** The demo's 40 000 € subvention (edited unchanged) and its funder; a funding the direction removes. */
  fundingId: string;
  funderEntryId: string;
  removableFundingId: string;
  /** Newsletter issues of the demo structure: a draft, a draft to delete, a sent one. */
  draftIssueId: string;
  removableIssueId: string;
  sentIssueId: string;
}
let bookings = 0;
/** Meaux, Tuesday 9 June 2026 at 9:00 (Paris), then 10:00, 11:00, then the next Tuesdays (Karim is
 * convoked on 2 June by the fixtures). */
function nextBookingTime(): string {
  const i = bookings++;
  return new Date(Date.UTC(2026, 5, 9 + 7 * Math.floor(i / 3), 7 + (i % 3))).toISOString();
}

interface Row {
  request(f: Fixtures): { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
  expected: Record<Caller, number>;
}

const all = (status: number, anonymous = 401): Record<Caller, number> =>
  Object.fromEntries(callers.map((c) => [c, c === "anonymous" ? anonymous : status])) as Record<
    Caller,
    number
  >;
const only = (allowed: Partial<Record<Caller, number>>, otherwise = 403): Record<Caller, number> => ({
  ...all(otherwise),
  ...allowed,
});

const period = { from: "2026-01", to: "2026-06" };
const importMappingFixture = {
  sourceNumber: "N° dossier",
  lastName: "NOM",
  firstName: "Prénom",
  birthDate: "Date de naissance",
};
const matrix: Record<string, Row> = {
  ...actionMatrixRows(() => actionFixtures),
  "auth.login": {
    request: () => ({ body: { email: `nobody-${Math.random()}@demo.passerelle.fr`, password: "x" } }),
    expected: all(401),
  },
  "auth.secondFactor": { request: () => ({ body: { code: "123456" } }), expected: all(409) },
  // Public: the anonymous caller is told `{ authenticated: false }` in a 200 (no console error on the login page).
  "auth.session": { request: () => ({}), expected: all(200, 200) },
  "auth.logout": { request: () => ({}), expected: all(200) },
  // ProConnect (ADR 0023): public routes. The matrix's app has no ProConnect configured: the status
  // says so to everyone and the login and callback are 404 whoever calls; proconnect.test.ts covers
  // them configured.
  "auth.proconnectStatus": { request: () => ({}), expected: all(200, 200) },
  "auth.proconnectLogin": { request: () => ({}), expected: all(404, 404) },
  "auth.proconnectCallback": {
    request: () => ({ query: { code: "forged", state: "s".repeat(43) } }),
    expected: all(404, 404),
  },
  "auth.changePassword": {
    request: () => ({
      body: { currentPassword: "faux mot de passe", newPassword: "une longue phrase de passe" },
    }),
    expected: all(400),
  },
  "auth.totpSetup": { request: () => ({}), expected: all(200) },
  "auth.totpConfirm": { request: () => ({ body: { code: "abc" } }), expected: all(400) },
  // The demo accounts have no second factor yet: nothing to regenerate.
  // Without a second factor there are no codes to renew (409); the direction and administrators
  // have one (a full session of those roles is an enrolled one), so the wrong proof is a 400.
  "auth.recoveryCodes": {
    request: () => ({ body: { proof: "faux mot de passe" } }),
    expected: { ...all(409), service_manager: 400, admin: 400, outsider: 400 },
  },
  "auth.activate": {
    request: () => ({ body: { token: "x".repeat(43), password: "une longue phrase de passe" } }),
    expected: all(400, 400),
  },
  // "Mot de passe oublié": public; the same answer for every caller, whatever the address.
  "auth.passwordRecovery": {
    request: () => ({ body: { email: `nobody-${Math.random()}@demo.passerelle.fr` } }),
    expected: all(200, 200),
  },
  "auth.recoverPassword": {
    request: () => ({ body: { token: "x".repeat(43), password: "une longue phrase de passe" } }),
    expected: all(400, 400),
  },
  // Probes for the supervisor: public, the same answer for everyone, no data.
  "ops.health": { request: () => ({}), expected: all(200, 200) },
  "ops.ready": { request: () => ({}), expected: all(200, 200) },
  "people.list": {
    request: () => ({ query: { search: "benali", fileState: "all", sort: "name", page: "1" } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 200,
      anonymous: 401,
    }),
  },
  "people.filterOptions": {
    request: () => ({}),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 200,
      anonymous: 401,
    }),
  },
  "people.duplicates": {
    request: (f) => ({
      query: { structureId: f.structureId, lastName: "Benali", firstName: "Karim", birthDate: "1988-03-14" },
    }),
    // A structure the caller is no member of is a wrong value of the field (400), not a role refused.
    expected: only({ probation_officer: 200, outsider: 400, anonymous: 401 }),
  },
  "people.create": {
    request: (f) => ({
      body: {
        structureId: f.structureId,
        firstName: "Nouvelle",
        lastName: "Personne",
        birthDate: "1990-05-05",
        status: "milieu_ouvert",
        measure: { type: "sursis_probatoire", startDate: "2026-01-01", endDate: "2027-01-01" },
      },
    }),
    expected: only({ probation_officer: 200, outsider: 400, anonymous: 401 }),
  },
  "people.get": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "people.merge": {
    request: (f) => ({ params: { personId: f.personId }, body: { duplicateId: f.duplicatePersonId } }),
    expected: only({ service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "people.timeline": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  // Contacts: also the structure's counselors; identity and measure: the referent and the direction.
  "people.edit": {
    request: (f) => ({
      params: { personId: f.editedPersonId },
      body: {
        contacts: {
          phone: "",
          email: "",
          address: "1 rue de la Gare, 77300 Fontainebleau",
          domiciliation: "",
          preferredLanguage: "français",
          readsFrench: "yes",
        },
      },
    }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "people.referentCandidates": {
    request: (f) => ({ params: { personId: f.movedPersonId } }),
    expected: only({ probation_officer: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  // The referent's service moves the file to cpip2; the direction asking the same again: 400.
  "people.changeReferent": {
    request: (f) => ({ params: { personId: f.movedPersonId }, body: { userId: f.cpip2Id } }),
    expected: only({ probation_officer: 200, service_manager: 400, outsider: 404, anonymous: 401 }),
  },
  "people.closingPreview": {
    request: (f) => ({ params: { personId: f.closedPersonId } }),
    expected: only({ probation_officer: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  // The referent closes; the direction closing it again: 409 person.closed.
  "people.close": {
    request: (f) => ({
      params: { personId: f.closedPersonId },
      body: { reason: "end_of_measure", closedOn: "2026-06-01" },
    }),
    expected: only({ probation_officer: 200, service_manager: 409, outsider: 404, anonymous: 401 }),
  },
  // The referent reopens; the direction reopening an open file: 409 person.notClosed.
  "people.reopen": {
    request: (f) => ({ params: { personId: f.closedPersonId }, body: { reason: "Clôture par erreur" } }),
    expected: only({ probation_officer: 200, service_manager: 409, outsider: 404, anonymous: 401 }),
  },
  "accompaniment.get": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "accompaniment.recordVisit": {
    // The convocation is still planned: those who may record get "mark it honoured first".
    request: (f) => ({
      params: { convocationId: f.convocationId },
      body: { durationMinutes: 30, autonomy: "guided" },
    }),
    expected: only({ counselor: 409, service_manager: 409, outsider: 404, anonymous: 401 }),
  },
  "accompaniment.addDemarche": {
    request: (f) => ({
      params: { personId: f.personId },
      body: { demarcheTypeId: f.demarcheTypeId, helpLevel: "information", status: "todo" },
    }),
    expected: only({ counselor: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "accompaniment.updateDemarche": {
    request: (f) => ({ params: { demarcheId: f.demarcheId }, body: { status: "in_progress" } }),
    expected: only({ counselor: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "consent.list": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "consent.record": {
    request: (f) => ({
      params: { personId: f.personId },
      body: {
        shareDemarcheDetails: true,
        shareNotes: true,
        recipients: ["spip", "association"],
        // Still naming the CAF, whose referent answers the orientation further down.
        partnerIds: [f.partnerId],
        purpose: "Coordonner l'accompagnement",
      },
    }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "consent.revoke": {
    // consent.record (just before) replaced the fixture consent: it is already revoked.
    request: (f) => ({ params: { consentId: f.consentId } }),
    expected: only({
      probation_officer: 409,
      counselor: 409,
      service_manager: 409,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "consent.notes": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "consent.addNote": {
    request: (f) => ({
      params: { personId: f.personId },
      body: { visibility: "service", body: "Note de test" },
    }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "alerts.mine": {
    request: () => ({}),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 200,
      anonymous: 401,
    }),
  },
  "orientations.ofPerson": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "orientations.create": {
    request: (f) => ({
      params: { personId: f.personId },
      body: { target: "mediation", reason: "Dossier complexe à reprendre", send: false },
    }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "orientations.send": {
    // Already sent: those allowed to send get "no longer possible".
    request: (f) => ({ params: { orientationId: f.sentOrientationId } }),
    expected: only({
      probation_officer: 409,
      counselor: 409,
      service_manager: 409,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "orientations.cancel": {
    // The referent cancels the draft; afterwards it is cancelled already.
    request: (f) => ({ params: { orientationId: f.draftOrientationId } }),
    expected: only({
      probation_officer: 200,
      counselor: 409,
      service_manager: 409,
      outsider: 404,
      anonymous: 401,
    }),
  },
  // The receiving side: the partner's referent, and the association's mediation (a mediator, here or
  // elsewhere, reads an inbox of its own structure's reorientations: empty for the outsider).
  "orientations.inbox": {
    request: () => ({}),
    expected: only({ partner_referent: 200, mediator: 200, outsider: 200, anonymous: 401 }),
  },
  "orientations.answer": {
    request: (f) => ({ params: { orientationId: f.sentOrientationId }, body: { decision: "accept" } }),
    expected: only({ partner_referent: 200, mediator: 404, outsider: 404, anonymous: 401 }),
  },
  "orientations.complete": {
    request: (f) => ({ params: { orientationId: f.sentOrientationId }, body: { outcome: "Droits ouverts" } }),
    expected: only({ partner_referent: 200, mediator: 404, outsider: 404, anonymous: 401 }),
  },
  "audit.list": {
    request: (f) => ({ query: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "audit.export": {
    request: (f) => ({ query: { structureId: f.structureId, personId: f.personId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "structures.overview": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: { ...all(200), outsider: 403 },
  },
  // The details written back as they are (an unchanged edit is a 200 that journals nothing).
  "structures.updateDetails": {
    request: (f) => ({ params: { structureId: f.structureId }, body: f.structureDetails }),
    expected: only({ service_manager: 200, admin: 200, anonymous: 401 }),
  },
  "structures.addSite": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: {
        name: `Lieu ${Math.random().toString(36).slice(2, 8)}`,
        kind: "france_services",
        address: "2 place de la Gare, 77100 Meaux",
        accessInstructions: "",
        phone: "",
        capacity: null,
      },
    }),
    expected: only({ service_manager: 200, admin: 200, anonymous: 401 }),
  },
  "structures.updateSite": {
    request: (f) => ({
      params: { structureId: f.structureId, siteId: f.spareSiteId },
      body: {
        name: "Lieu de la matrice",
        kind: "mobile",
        address: "3 rue de la Matrice",
        accessInstructions: "Sonner",
        phone: "01 23 45 67 89",
        capacity: null,
      },
    }),
    expected: only({ service_manager: 200, admin: 200, anonymous: 401 }),
  },
  // Meaux holds permanences and convocations to come: the allowed callers get the 409 that lists them.
  "structures.archiveSite": {
    request: (f) => ({ params: { structureId: f.structureId, siteId: f.siteId } }),
    expected: only({ service_manager: 409, admin: 409, anonymous: 401 }),
  },
  // A reader elsewhere gets a 404, as for an unknown structure (nothing says it exists; ADR 0034's
  // structure filter); a role that reads these figures nowhere, a 403.
  "structures.stats": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      steering: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "structures.users": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, admin: 200, anonymous: 401 }),
  },
  "structures.createUser": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: {
        email: "nouvel.agent@demo.passerelle.fr",
        displayName: "Nouvel Agent",
        roles: ["counselor"],
        serviceId: null,
      },
    }),
    expected: only({ service_manager: 200, admin: 200, anonymous: 401 }),
  },
  "structures.changeMembership": {
    request: (f) => ({
      params: { structureId: f.structureId, userId: f.targetUserId },
      body: { roles: ["counselor"], serviceId: null },
    }),
    expected: only({ service_manager: 200, admin: 200, anonymous: 401 }),
  },
  "structures.disableUser": {
    request: (f) => ({ params: { structureId: f.structureId, userId: f.targetUserId } }),
    expected: only({ service_manager: 200, admin: 200, anonymous: 401 }),
  },
  // The target signed in long ago: no invitation to resend (409) once the caller is allowed.
  // By then the target's membership has been ended by the rows above: allowed callers reach the
  // use case, which refuses an agent no longer active in the structure (the happy path:
  // passwordReset.test.ts).
  // The direction only: an administrator who knew the agent's password would read what they read.
  "structures.resetPassword": {
    request: (f) => ({ params: { structureId: f.structureId, userId: f.targetUserId } }),
    expected: only({ service_manager: 409, anonymous: 401 }),
  },
  "structures.resendInvitation": {
    request: (f) => ({ params: { structureId: f.structureId, userId: f.targetUserId } }),
    expected: only({ service_manager: 409, admin: 409, anonymous: 401 }),
  },
  // The target was deactivated by the rows above: the first allowed caller re-activates it, the
  // next finds it active (409).
  "structures.enableUser": {
    request: (f) => ({ params: { structureId: f.structureId, userId: f.targetUserId } }),
    expected: only({ service_manager: 200, admin: 409, anonymous: 401 }),
  },
  // ADR 0038: the direction records its agents' France services training (the same target, ended
  // or not: its training may still be corrected).
  "structures.recordTraining": {
    request: (f) => ({
      params: { structureId: f.structureId, userId: f.targetUserId },
      body: { trainedOn: "2026-03-12", organisation: "CNFPT" },
    }),
    expected: only({ service_manager: 200, admin: 200, anonymous: 401 }),
  },
  "structures.removeTraining": {
    request: (f) => ({ params: { structureId: f.structureId, userId: f.targetUserId } }),
    expected: only({ service_manager: 200, admin: 200, anonymous: 401 }),
  },
  "structures.untrainedInPools": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, admin: 200, anonymous: 401 }),
  },
  // An account is disabled for every structure by a platform administrator only (the outsider
  // holds `admin` in another structure).
  // Accounts of every structure: the platform administrator's search (the outsider holds `admin`).
  "structures.accounts": {
    request: () => ({ query: { search: "durand" } }),
    expected: only({ admin: 200, outsider: 200, anonymous: 401 }),
  },
  "structures.disableAccount": {
    request: (f) => ({ params: { userId: f.targetUserId } }),
    expected: only({ admin: 200, outsider: 200, anonymous: 401 }),
  },
  "structures.enableAccount": {
    request: (f) => ({ params: { userId: f.targetUserId } }),
    expected: only({ admin: 200, outsider: 200, anonymous: 401 }),
  },
  "structures.catalogue": { request: () => ({}), expected: all(200) },
  // The catalogue is national: any platform administrator (the outsider holds that role elsewhere).
  "structures.addPartner": {
    request: () => ({
      body: {
        code: `local-${Math.random().toString(36).slice(2, 8)}`,
        name: `Mission locale de test ${Math.random().toString(36).slice(2, 8)}`,
        kind: "local_correspondent",
      },
    }),
    expected: only({ admin: 200, outsider: 200, anonymous: 401 }),
  },
  "structures.renamePartner": {
    request: (f) => ({
      params: { partnerId: f.partnerId },
      body: { name: `Partenaire renommé ${Math.random().toString(36).slice(2, 8)}` },
    }),
    expected: only({ admin: 200, outsider: 200, anonymous: 401 }),
  },
  "structures.addDemarcheType": {
    request: (f) => ({
      body: { partnerId: f.partnerId, label: "Démarche de test", category: "social-sante" },
    }),
    expected: only({ admin: 200, outsider: 200, anonymous: 401 }),
  },
  "structures.updateDemarcheType": {
    request: (f) => ({
      params: { demarcheTypeId: f.demarcheTypeId },
      body: {
        label: "Pré-demande de carte d'identité ou de passeport",
        category: "papiers-citoyennete",
        documents: [],
      },
    }),
    expected: only({ admin: 200, outsider: 200, anonymous: 401 }),
  },
  // For a person: where they may be convoked (their establishment while held), a read of their data.
  "agenda.slots": {
    request: (f) => ({ params: { structureId: f.structureId }, query: { personId: f.personId } }),
    expected: only({ probation_officer: 200, counselor: 200, service_manager: 200, anonymous: 401 }),
  },
  "agenda.book": {
    // Meaux on Tuesdays from 9 June 2026, 9:00 to 11:00: each caller another time, as one person is
    // never booked twice at the same time.
    request: (f) => ({
      body: {
        personId: f.personId,
        siteId: f.siteId,
        startsAt: nextBookingTime(),
        needDomains: ["sante"],
        notifySms: false,
        notifyEmail: false,
      },
    }),
    expected: only({ probation_officer: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  // What the person would receive (their phone and e-mail): those who may convoke them, nothing written.
  "agenda.messagesPreview": {
    request: (f) => ({
      body: {
        personId: f.personId,
        siteId: f.siteId,
        startsAt: "2026-06-09T07:00:00.000Z",
        notifySms: true,
        notifyEmail: true,
      },
    }),
    expected: only({ probation_officer: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  // A person's convocations: a person out of the caller's sight is not found, as on their other routes.
  "agenda.list": {
    request: (f) => ({ query: { personId: f.personId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "agenda.setStatus": {
    // The convocation is in the future: those allowed get "too early", the others never reach it.
    request: (f) => ({ params: { convocationId: f.convocationId }, body: { status: "honoured" } }),
    expected: only({
      probation_officer: 409,
      counselor: 409,
      service_manager: 409,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "agenda.correctStatus": {
    // Still planned: those allowed get "no status to correct", the others never reach it.
    request: (f) => ({
      params: { convocationId: f.todayConvocationId },
      body: { status: "honoured", reason: "Saisie erronée" },
    }),
    expected: only({
      probation_officer: 409,
      counselor: 409,
      service_manager: 409,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "agenda.arrival": {
    request: (f) => ({ params: { convocationId: f.todayConvocationId }, body: { arrived: true } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "agenda.reschedule": {
    // The CPIP (referent) moves it; the direction then sends the same move, which answers the
    // convocation that replaced it (ADR 0036: the same request, the same result).
    request: (f) => ({
      params: { convocationId: f.convocationId },
      body: { siteId: f.siteId, startsAt: "2026-06-02T09:00:00.000Z", notifySms: false, notifyEmail: false },
    }),
    expected: only({ probation_officer: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "agenda.letter": {
    // The other fixture is cancelled by the reschedule above: its letter is refused (agenda.test.ts).
    request: (f) => ({ params: { convocationId: f.todayConvocationId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "agenda.openings": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ probation_officer: 200, counselor: 200, service_manager: 200, anonymous: 401 }),
  },
  "agenda.strandedPreview": {
    request: (f) => ({
      params: { structureId: f.structureId },
      query: { siteId: f.siteId, startsAt: "2027-08-01T00:00:00.000Z", endsAt: "2027-08-31T00:00:00.000Z" },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "agenda.addRule": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: {
        siteId: f.siteId,
        weekday: 4,
        onDate: null,
        startTime: "09:00",
        endTime: "12:00",
        slotMinutes: 30,
        bufferMinutes: 0,
        validFrom: "2027-01-01",
        validTo: null,
        counselorIds: [f.counselorId],
      },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "agenda.endRule": {
    request: (f) => ({
      params: { structureId: f.structureId, ruleId: f.ruleId },
      body: { lastDay: "2027-06-30" },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "agenda.changeRule": {
    request: (f) => ({
      params: { structureId: f.structureId, ruleId: f.ruleId },
      body: {
        effectiveFrom: "2027-01-05",
        weekday: 2,
        startTime: "09:00",
        endTime: "12:00",
        slotMinutes: 30,
        bufferMinutes: 0,
        validTo: null,
        counselorIds: [f.counselorId],
      },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "agenda.addClosure": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: {
        siteId: f.siteId,
        startsAt: "2027-08-01T00:00:00.000Z",
        endsAt: "2027-08-31T00:00:00.000Z",
        reason: "Congés",
      },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "agenda.addAbsence": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: {
        userId: f.counselorId,
        startsAt: "2027-07-01T00:00:00.000Z",
        endsAt: "2027-07-15T00:00:00.000Z",
      },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "agenda.liftClosure": {
    request: (f) => ({ params: { structureId: f.structureId, closureId: f.closureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "agenda.liftAbsence": {
    request: (f) => ({ params: { structureId: f.structureId, absenceId: f.absenceId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "notifications.log": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "notifications.config": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "notifications.saveSettings": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: {
        reminderHours: 24,
        notifyMissed: false,
        quietFrom: "20:00",
        quietTo: "08:00",
        preparationUrl: "",
        letterhead: "",
        measureAlertDays: 60,
        notSeenWeeks: 8,
      },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "notifications.saveTemplate": {
    request: (f) => ({
      params: { structureId: f.structureId, kind: "reminder", channel: "sms" },
      body: { subject: "", body: "Rappel : rendez-vous le {date} à {heure}, {lieu}." },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "reporting.dashboard": {
    request: (f) => ({ query: { ...period, structureId: f.structureId } }),
    expected: only({ steering: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  // The reader's own structures: an agent of another structure reads its own choices.
  "reporting.filterChoices": {
    request: () => ({}),
    expected: only({ steering: 200, service_manager: 200, outsider: 200, anonymous: 401 }),
  },
  "reporting.territories": {
    request: (f) => ({ query: { ...period, structureId: f.structureId } }),
    expected: only({ steering: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "reporting.report": {
    request: (f) => ({ query: { ...period, structureId: f.structureId } }),
    expected: only({ steering: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "reporting.exportTables": {
    request: (f) => ({ query: { ...period, structureId: f.structureId, format: "xlsx" } }),
    expected: only({ steering: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "reporting.activity": {
    request: (f) => ({ query: { ...period, structureId: f.structureId, format: "csv" } }),
    expected: only({ steering: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "reporting.nominativeList": {
    request: (f) => ({ query: { ...period, structureId: f.structureId, kind: "people" } }),
    expected: only({ service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "reporting.nominativeExport": {
    request: (f) => ({ query: { ...period, structureId: f.structureId, kind: "demarches", format: "csv" } }),
    expected: only({ service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  // Import of a caseload: the CPIP and the direction of the structure; a JSON body is no file (400).
  "imports.upload": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ probation_officer: 400, service_manager: 400, anonymous: 401 }),
  },
  // An import goes on only with its author (the demo CPIP): another importer gets a 404.
  "imports.preview": {
    request: (f) => ({ params: { importId: f.importId }, body: { mapping: importMappingFixture } }),
    expected: only({ probation_officer: 200, service_manager: 404, outsider: 404, anonymous: 401 }),
  },
  "imports.run": {
    request: (f) => ({ params: { importId: f.importId }, body: { duplicates: "skip" } }),
    expected: only({ probation_officer: 200, service_manager: 404, outsider: 404, anonymous: 401 }),
  },
  "imports.summary": {
    request: (f) => ({ params: { importId: f.importId } }),
    expected: only({ probation_officer: 200, service_manager: 404, outsider: 404, anonymous: 401 }),
  },
  "imports.report": {
    request: (f) => ({ params: { importId: f.importId } }),
    expected: only({ probation_officer: 200, service_manager: 404, outsider: 404, anonymous: 401 }),
  },
  // Documents (ADR 0027): the person's structure; the CAF referent through the shared orientation.
  "documents.list": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  // Not a multipart request: the person is checked first (404 elsewhere), then "no file" (400).
  "documents.upload": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({
      probation_officer: 400,
      counselor: 400,
      service_manager: 400,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "documents.download": {
    request: (f) => ({ params: { documentId: f.documentId } }),
    expected: only(
      { probation_officer: 200, counselor: 200, service_manager: 200, partner_referent: 200, anonymous: 401 },
      404,
    ),
  },
  // The referent removes it; afterwards it is gone for everyone.
  "documents.remove": {
    request: (f) => ({ params: { documentId: f.removableDocumentId } }),
    expected: only({
      probation_officer: 200,
      counselor: 404,
      service_manager: 404,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "documents.share": {
    request: (f) => ({
      params: { documentId: f.documentId },
      body: {
        to: "outside",
        recipientLabel: "Résidence sociale Les Tilleuls",
        legalBasis: "Article 712-1 du code de procédure pénale",
        reason: "Accueil à la sortie",
        until: "2026-12-31",
      },
    }),
    expected: only({
      probation_officer: 200,
      counselor: 403,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  // The referent withdraws it; the direction then finds it withdrawn already.
  "documents.withdrawShare": {
    request: (f) => ({ params: { shareId: f.documentShareId } }),
    expected: only({
      probation_officer: 200,
      counselor: 403,
      service_manager: 409,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "documents.ofOrientation": {
    request: (f) => ({ params: { orientationId: f.sentOrientationId } }),
    expected: only({ partner_referent: 200, mediator: 404, outsider: 404, anonymous: 401 }),
  },
  "documents.received": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ probation_officer: 200, service_manager: 200, anonymous: 401 }),
  },
  // A CPIP's people's news; a counselor's answers to the orientations she sent.
  "home.news": {
    request: () => ({}),
    expected: only({ probation_officer: 200, counselor: 200, outsider: 200, anonymous: 401 }),
  },
  "home.markSeen": {
    request: () => ({ body: { upTo: "2026-06-01T08:00:00.000Z" } }),
    expected: only({ probation_officer: 200, counselor: 200, outsider: 200, anonymous: 401 }),
  },
  "home.permanence": {
    request: () => ({}),
    expected: only({ counselor: 200, service_manager: 200, outsider: 200, anonymous: 401 }),
  },
  // Public: the stop link and the provider's receipts carry their own secret; a wrong one is a 404
  // whoever calls.
  "notifications.smsStop": {
    request: () => ({ body: { token: "Inconnu1234567" } }),
    expected: all(404, 404),
  },
  "notifications.smsReceipt": {
    request: () => ({ params: { token: "not-the-secret" }, body: { messageId: 1, msg_status: "delivered" } }),
    expected: all(404, 404),
  },
  // Retention (ADR 0024): the structure's direction only; another structure's direction gets 403
  // on the structure's routes and 404 on its people (existence does not leak).
  "retention.preview": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "retention.saveSettings": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: { archiveAfterMonths: 12, eraseAfterMonths: 6, journalMonths: 12, messageMonths: 3 },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "retention.run": {
    request: (f) => ({ params: { structureId: f.structureId }, body: { dryRun: true } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  // The file is not archived: the direction's restoring answers 409 person.notArchived.
  "retention.restore": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({ service_manager: 409, outsider: 404, anonymous: 401 }),
  },
  "retention.exportJson": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({ service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "retention.exportPdf": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({ service_manager: 200, outsider: 404, anonymous: 401 }),
  }, // Handover meetings and transfers (ADR 0029).
  "handover.page": {
    request: (f) => ({ params: { personId: f.handoverPersonId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  // The referent schedules; the direction scheduling a second one: 409 handover.alreadyPlanned.
  "handover.schedule": {
    request: (f) => ({
      params: { personId: f.schedulePersonId },
      body: {
        startsAt: "2026-06-05T08:00:00Z",
        durationMinutes: 60,
        placeText: "Centre pénitentiaire de Meaux-Chauconin",
        releaseDate: "2026-06-10",
        targetStructureId: f.structureId,
      },
    }),
    expected: only({ probation_officer: 200, service_manager: 409, outsider: 404, anonymous: 401 }),
  },
  "handover.reschedule": {
    request: (f) => ({
      params: { handoverId: f.handoverId },
      body: { startsAt: "2026-06-06T08:00:00Z", durationMinutes: 60, placeText: "Parloir" },
    }),
    expected: only({ probation_officer: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  // One meeting: who reads the file (here the counselor too: the person is convoked to her) and the
  // agents invited to it (handover.test.ts: an invited counselor who may not open the file).
  "handover.meeting": {
    request: (f) => ({ params: { handoverId: f.handoverId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  // The referent cancels, with its reason; the direction cancelling again: 409 handover.notPlanned.
  "handover.cancel": {
    request: (f) => ({ params: { handoverId: f.cancelledHandoverId }, body: { reason: "Sortie reportée" } }),
    expected: only({ probation_officer: 200, service_manager: 409, outsider: 404, anonymous: 401 }),
  },
  "handover.slots": {
    request: (f) => ({ params: { handoverId: f.handoverId } }),
    expected: only({ probation_officer: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  // The referent holds the meeting (the file passes to cpip2); the direction again: 409 (held).
  "handover.complete": {
    request: (f) => ({
      params: { handoverId: f.completedHandoverId },
      body: {
        minutes: "Réunion tenue avec la personne.",
        decisions: "Suivi par cpip2.",
        consentGiven: true,
        consentReference: "Accord écrit",
        personPresent: true,
        targetReferentUserId: f.cpip2Id,
        firstConvocation: { ...f.firstSlot, notifySms: false, notifyEmail: false },
      },
    }),
    expected: only({ probation_officer: 200, service_manager: 409, outsider: 404, anonymous: 401 }),
  },
  "handover.personTransfers": {
    request: (f) => ({ params: { personId: f.transferPersonId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  // The referent proposes; the direction proposing again: 409 transfer.alreadyProposed.
  "handover.propose": {
    request: (f) => ({
      params: { personId: f.transferPersonId },
      body: { toStructureId: f.thirdStructureId, reason: "Déménagement", consent: "refused" },
    }),
    expected: only({ probation_officer: 200, service_manager: 409, outsider: 404, anonymous: 401 }),
  },
  "handover.cancelTransfer": {
    request: (f) => ({ params: { transferId: f.outgoingTransferId } }),
    expected: only({ probation_officer: 200, service_manager: 409, outsider: 404, anonymous: 401 }),
  },
  // The receiving direction (the outsider directs its own structure: an empty inbox).
  "handover.inbox": {
    request: () => ({}),
    expected: only({ service_manager: 200, outsider: 200, anonymous: 401 }),
  },
  // A CPIP reads the files passed to them, the direction its structure's (the outsider: its own, empty).
  "handover.received": {
    request: () => ({}),
    expected: only({ probation_officer: 200, service_manager: 200, outsider: 200, anonymous: 401 }),
  },
  "handover.accept": {
    request: (f) => ({ params: { transferId: f.incomingTransferId }, body: { referentUserId: f.cpip2Id } }),
    expected: only({ service_manager: 200, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  "handover.refuse": {
    request: (f) => ({ params: { transferId: f.refusedTransferId }, body: { reason: "Hors ressort" } }),
    expected: only({ service_manager: 200, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  "handover.transmissions": {
    request: () => ({}),
    expected: only({ probation_officer: 200, service_manager: 200, outsider: 200, anonymous: 401 }),
  },
  // The dashboard's filters and scope (ADR 0019): a structure outside the reader's is an unknown filter.
  "handover.figures": {
    request: (f) => ({ query: { ...period, structureId: f.structureId } }),
    expected: only({ service_manager: 200, steering: 200, outsider: 404, anonymous: 401 }),
  },
  // Milieu fermé (ADR 0028): the movements list for the CPIP and the direction of the site's
  // structure (anyone else: 404, the site's existence does not leak).
  "detention.movements": {
    request: (f) => ({ params: { siteId: f.prisonSiteId }, query: { date: "2026-06-04" } }),
    expected: only({
      probation_officer: 200,
      service_manager: 200,
      counselor: 404,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "detention.movementsList": {
    request: (f) => ({ params: { siteId: f.prisonSiteId }, query: { date: "2026-06-04" } }),
    expected: only({
      probation_officer: 200,
      service_manager: 200,
      counselor: 404,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "detention.releasePlan": {
    request: (f) => ({ params: { personId: f.personId } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  // Karim is not in detention: those who may start a plan item get 409 (no plan open).
  "detention.startPlanItem": {
    request: (f) => ({ params: { personId: f.personId }, body: { code: "cpam-affiliation" } }),
    expected: only({
      probation_officer: 409,
      counselor: 409,
      service_manager: 409,
      outsider: 404,
      anonymous: 401,
    }),
  },
  "detention.figures": {
    request: (f) => ({ query: { ...period, structureId: f.structureId } }),
    expected: only({ steering: 200, service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "detention.authorisations": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "detention.addAuthorisation": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: { siteId: f.prisonSiteId, userId: f.counselorId, reference: "CP-1", validUntil: "2027-01-31" },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  // Counts only (ADR 0028, addendum "SAS"): the CPIP's form warns of a full SAS, the direction's page shows it.
  "detention.sasOccupancy": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ probation_officer: 200, service_manager: 200, anonymous: 401 }),
  },
  "detention.settings": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "detention.saveSettings": {
    request: (f) => ({ params: { structureId: f.structureId }, body: { releasePlanDays: 90 } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "detention.revokeAuthorisation": {
    request: (f) => ({ params: { structureId: f.structureId, authorisationId: f.authorisationId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  // Partners' directory (ADR 0030): the structure's CPIP, counselors and direction read it, a partner
  // referent only its own organisation's entries (the CPAM's is not the CAF referent's: 404); the
  // direction edits.
  "directory.list": {
    request: (f) => ({ params: { structureId: f.structureId }, query: { q: "caf" } }),
    expected: only({
      probation_officer: 200,
      counselor: 200,
      service_manager: 200,
      partner_referent: 200,
      anonymous: 401,
    }),
  },
  "directory.get": {
    request: (f) => ({ params: { entryId: f.entryId } }),
    expected: only({ probation_officer: 200, counselor: 200, service_manager: 200, anonymous: 401 }, 404),
  },
  "directory.create": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: { name: "Point justice de Melun", kind: "other", area: "Melun", services: ["acces-aux-droits"] },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "directory.update": {
    request: (f) => ({
      params: { entryId: f.entryId },
      body: {
        name: "CPAM de Seine-et-Marne",
        kind: "national_operator",
        partnerId: f.cpamId,
        area: "Seine-et-Marne (77)",
        services: ["sante"],
      },
    }),
    expected: only({ service_manager: 200, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  "directory.addContact": {
    request: (f) => ({
      params: { entryId: f.entryId },
      body: { name: "Lucie Renard", function: "Conseillère", email: "lucie.renard@exemple.invalid" },
    }),
    expected: only({ service_manager: 200, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  // Archiving: the direction only (entries of their own, so the other rows keep theirs).
  "directory.archiveEntry": {
    request: (f) => ({ params: { entryId: f.archivableEntryId }, body: { archived: true } }),
    expected: only({ service_manager: 200, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  "directory.archiveContact": {
    request: (f) => ({ params: { contactId: f.archivableContactId }, body: { archived: true } }),
    expected: only({ service_manager: 200, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  "directory.updateContact": {
    request: (f) => ({
      params: { contactId: f.contactId },
      body: { name: "Nadia Ferreira", function: "Correspondante accès aux droits", phone: "01 60 00 02 11" },
    }),
    expected: only({ service_manager: 200, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  // Conventions (ADR 0030): the direction records and edits; CPIP and counselors read the register
  // (not the signed PDF); steering, partners, mediation, administrators: nothing.
  "conventions.list": {
    request: (f) => ({ params: { structureId: f.structureId }, query: { status: "to_renew" } }),
    expected: only({ probation_officer: 200, counselor: 200, service_manager: 200, anonymous: 401 }),
  },
  "conventions.formOptions": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "conventions.alerts": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "conventions.saveSettings": {
    request: (f) => ({ params: { structureId: f.structureId }, body: { alertDays: 90 } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "conventions.get": {
    request: (f) => ({ params: { conventionId: f.conventionId } }),
    expected: only({ probation_officer: 200, counselor: 200, service_manager: 200, anonymous: 401 }, 404),
  },
  "conventions.create": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: { title: "Convention de test", level: "local", scope: "both", status: "draft" },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "conventions.update": {
    request: (f) => ({
      params: { conventionId: f.conventionId },
      body: {
        title: "Convention de labellisation France services – structure itinérante SPIP 77",
        level: "departmental",
        scope: "both",
        status: "signed",
        signedOn: "2023-08-01",
        startsOn: "2023-08-01",
        endsOn: "2026-07-31",
        parties: [{ label: "Préfecture de Seine-et-Marne" }],
      },
    }),
    expected: only({ service_manager: 200, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  "conventions.renew": {
    request: (f) => ({
      params: { conventionId: f.conventionId },
      body: { endsOn: "2029-07-31", renewedOn: "2026-06-01" },
    }),
    expected: only({ service_manager: 200, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  "conventions.end": {
    request: (f) => ({ params: { conventionId: f.draftConventionId }, body: { endedOn: "2026-06-01" } }),
    expected: only({ service_manager: 200, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  // A JSON body is no file: the direction gets 400 (conventions.test.ts uploads real ones).
  "conventions.uploadSignedFile": {
    request: (f) => ({ params: { conventionId: f.conventionId } }),
    expected: only({ service_manager: 400, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  // No PDF attached to the demo convention: the direction gets 404 (conventions.test.ts downloads one).
  "conventions.signedFile": {
    request: (f) => ({ params: { conventionId: f.conventionId } }),
    expected: only({ service_manager: 404, probation_officer: 403, counselor: 403, anonymous: 401 }, 404),
  },
  // Fundings (ADR 0039): the direction of the structure only; a funding elsewhere does not exist (404).
  "fundings.list": {
    request: (f) => ({ params: { structureId: f.structureId }, query: { year: "2026" } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "fundings.formOptions": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "fundings.create": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: { funderEntryId: f.funderEntryId, amountEuros: 500, purpose: "Financement de test", year: 2026 },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "fundings.update": {
    request: (f) => ({
      params: { fundingId: f.fundingId },
      body: {
        funderEntryId: f.funderEntryId,
        amountEuros: 40_000,
        purpose: "Recrutement d'un médiateur France services",
        year: 2026,
      },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }, 404),
  },
  "fundings.remove": {
    request: (f) => ({ params: { fundingId: f.removableFundingId } }),
    expected: only({ service_manager: 200, anonymous: 401 }, 404),
  },
  // The dashboard's filters and scope (ADR 0019): a structure outside the reader's is an unknown filter.
  "fundings.figures": {
    request: (f) => ({ query: { ...period, structureId: f.structureId } }),
    expected: only({ service_manager: 200, steering: 200, outsider: 404, anonymous: 401 }),
  },
  // The partners' newsletter (ADR 0032): the direction composes and sends; the structure's agents
  // and partner referents read the archive of sent issues; steering and administrators nothing.
  "newsletter.list": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "newsletter.create": {
    request: (f) => ({
      params: { structureId: f.structureId },
      body: { title: "Lettre de la matrice", blocks: [{ type: "text", markdown: "Bonjour" }] },
    }),
    expected: only({ service_manager: 200, anonymous: 401 }),
  },
  "newsletter.get": {
    request: (f) => ({ params: { issueId: f.draftIssueId } }),
    expected: only({ service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "newsletter.update": {
    request: (f) => ({
      params: { issueId: f.draftIssueId },
      body: { title: "Lettre modifiée", blocks: [{ type: "upcoming_actions", weeks: 4 }] },
    }),
    expected: only({ service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "newsletter.remove": {
    request: (f) => ({ params: { issueId: f.removableIssueId } }),
    expected: only({ service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "newsletter.preview": {
    request: (f) => ({ params: { issueId: f.draftIssueId } }),
    expected: only({ service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  "newsletter.previewEmail": {
    request: (f) => ({ params: { issueId: f.draftIssueId } }),
    expected: only({ service_manager: 200, outsider: 404, anonymous: 401 }),
  },
  // The count confirmed is not the subscribers' (none in the template): the direction gets 409.
  "newsletter.send": {
    request: (f) => ({ params: { issueId: f.draftIssueId }, body: { recipients: 999 } }),
    expected: only({ service_manager: 409, outsider: 404, anonymous: 401 }),
  },
  "newsletter.archive": {
    request: (f) => ({ params: { structureId: f.structureId } }),
    expected: only({
      service_manager: 200,
      probation_officer: 200,
      counselor: 200,
      mediator: 200,
      partner_referent: 200,
      anonymous: 401,
    }),
  },
  "newsletter.archiveIssue": {
    request: (f) => ({ params: { issueId: f.sentIssueId } }),
    expected: only({
      service_manager: 200,
      probation_officer: 200,
      counselor: 200,
      mediator: 200,
      partner_referent: 200,
      outsider: 404,
      anonymous: 401,
    }),
  },
  // Public: the link carries its own secret; a forged one is a 404 whoever calls.
  "newsletter.unsubscribeInfo": {
    request: () => ({ params: { token: "F".repeat(43) } }),
    expected: all(404, 404),
  },
  "newsletter.unsubscribe": {
    request: () => ({ params: { token: "F".repeat(43) } }),
    expected: all(404, 404),
  },
};

let t: TestApp;
let fixtures: Fixtures;
let outsiderEmail: string;
let personIds: string[];
/**
 * Every person's id and full name (either order), in lower case: an answer naming one of them carries
 * their data, whatever its keys are called (a `name`, a `label`, a file's title…).
 */
let personMarks: string[];
let otherStructureId: string;
let actionFixtures: ActionFixtures;

beforeAll(async () => {
  t = await startTestApp();
  const people = await t.handle.db.select().from(person);
  personIds = people.map((p) => p.id);
  // A name some agent or partner contact also bears (the demo's Thomas Lambert) tells nothing.
  const otherNames = new Set(
    [
      ...(await t.handle.db.select({ name: directoryContact.name }).from(directoryContact)),
      ...(await t.handle.db.select({ name: user.displayName }).from(user)),
    ].map((row) => row.name.toLowerCase()),
  );
  personMarks = people
    .flatMap((p) => [p.id, `${p.firstName} ${p.lastName}`, `${p.lastName} ${p.firstName}`])
    .map((mark) => mark.toLowerCase())
    .filter((mark) => !otherNames.has(mark));
  const karim = people.find((p) => p.firstName === "Karim")!;
  const target = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  const [booked] = await t.handle.db
    .insert(convocation)
    .values({
      structureId: t.demoStructureId,
      siteId: meaux!.id,
      personId: karim.id,
      startsAt: new Date("2026-06-02T08:00:00.000Z"),
      endsAt: new Date("2026-06-02T08:45:00.000Z"),
      seat: 1,
      notifySms: false,
      notifyEmail: false,
      bookedBy: await t.userId(demo.cpip),
    })
    .returning();
  const [thisMorning] = await t.handle.db
    .insert(convocation)
    .values({
      structureId: t.demoStructureId,
      siteId: meaux!.id,
      personId: karim.id,
      startsAt: new Date("2026-06-01T07:00:00.000Z"),
      endsAt: new Date("2026-06-01T07:45:00.000Z"),
      seat: 1,
      notifySms: false,
      notifyEmail: false,
      bookedBy: await t.userId(demo.cpip),
    })
    .returning();
  const [rule] = await t.handle.db
    .insert(openingRule)
    .values({
      structureId: t.demoStructureId,
      siteId: meaux!.id,
      weekday: 6,
      startTime: "09:00",
      endTime: "11:00",
      slotMinutes: 60,
      validFrom: "2027-01-01",
    })
    .returning();
  const [cniType] = await t.handle.db
    .select()
    .from(demarcheType)
    .where(eq(demarcheType.code, "ants-cni-passeport"));
  const [cni] = await t.handle.db
    .insert(demarche)
    .values({
      structureId: t.demoStructureId,
      personId: karim.id,
      demarcheTypeId: cniType!.id,
      helpLevel: "guided",
      status: "todo",
      createdBy: await t.userId(demo.counselor),
    })
    .returning();
  const [caf] = await t.handle.db.select().from(partner).where(eq(partner.code, "caf"));
  // The consent names the CAF: its referent may take on the orientation sent to it.
  const [agreed] = await t.handle.db
    .insert(consent)
    .values({
      structureId: t.demoStructureId,
      personId: karim.id,
      shareDemarcheDetails: true,
      shareNotes: false,
      recipients: ["spip"],
      partnerIds: [caf!.id],
      purpose: "Test",
      collectedBy: await t.userId(demo.cpip),
      collectedAt: new Date("2026-05-01T09:00:00Z"),
    })
    .returning();
  const orientationFixture = {
    structureId: t.demoStructureId,
    personId: karim.id,
    target: "partner_back_office" as const,
    partnerId: caf!.id,
    reason: "Dossier RSA bloqué depuis trois mois",
    createdBy: await t.userId(demo.cpip),
  };
  const [sent] = await t.handle.db
    .insert(orientation)
    .values({
      ...orientationFixture,
      status: "sent",
      sentAt: new Date("2026-06-01T08:00:00Z"),
      expiresAt: new Date("2026-07-01T08:00:00Z"),
    })
    .returning();
  const [draft] = await t.handle.db
    .insert(orientation)
    .values({ ...orientationFixture, status: "draft" })
    .returning();
  const [spipService] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  const cpipId = await t.userId(demo.cpip);
  // Convoked once, so that the structure's counselors see them (and are refused the CPIP's actions).
  const ofCpip = async () => {
    const created = await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: cpipId,
      referentServiceId: spipService!.id,
    });
    await aConvocation(t.handle.db, {
      personId: created.id,
      structureId: t.demoStructureId,
      bookedBy: cpipId,
    });
    return created;
  };
  const duplicate = await ofCpip();
  const [prison] = await t.handle.db
    .insert(site)
    .values({
      structureId: t.demoStructureId,
      name: "Maison d'arrêt (matrice)",
      kind: "prison",
      address: "77",
    })
    .returning();
  const [authorisation] = await t.handle.db
    .insert(siteAccessAuthorisation)
    .values({
      structureId: t.demoStructureId,
      siteId: prison!.id,
      userId: await t.userId(demo.cpip2),
      reference: "CP-0",
      validUntil: "2027-01-31",
      createdBy: cpipId,
    })
    .returning();
  const [cpamEntry] = await t.handle.db
    .select()
    .from(directoryEntry)
    .where(eq(directoryEntry.name, "CPAM de Seine-et-Marne"));
  const [cpamContact] = await t.handle.db
    .select()
    .from(directoryContact)
    .where(eq(directoryContact.entryId, cpamEntry!.id));
  const [archivable, keeper] = await t.handle.db
    .insert(directoryEntry)
    .values([
      { structureId: t.demoStructureId, name: "Point justice (matrice)", kind: "other" },
      { structureId: t.demoStructureId, name: "CCAS (matrice)", kind: "ccas" },
    ])
    .returning({ id: directoryEntry.id });
  const [archivableContact] = await t.handle.db
    .insert(directoryContact)
    .values({ entryId: keeper!.id, name: "Contact archivé (matrice)" })
    .returning({ id: directoryContact.id });
  const demoConventions = await t.handle.db
    .select()
    .from(convention)
    .where(eq(convention.structureId, t.demoStructureId));
  const demoFundings = await t.handle.db
    .select()
    .from(funding)
    .where(eq(funding.structureId, t.demoStructureId));
  const subvention = demoFundings.find((f) => f.amountEuros === 40_000)!;
  const [removable] = await t.handle.db
    .insert(funding)
    .values({
      structureId: t.demoStructureId,
      funderEntryId: subvention.funderEntryId,
      amountEuros: 100,
      purpose: "Financement de la matrice",
      year: 2026,
    })
    .returning({ id: funding.id });
  const [demoStructure] = await t.handle.db
    .select()
    .from(structure)
    .where(eq(structure.id, t.demoStructureId));
  const [spare] = await t.handle.db
    .insert(site)
    .values({
      structureId: t.demoStructureId,
      name: "Lieu de la matrice",
      kind: "france_services",
      address: "1 rue de la Matrice",
    })
    .returning();
  const [closure] = await t.handle.db
    .insert(siteClosure)
    .values({
      siteId: meaux!.id,
      startsAt: new Date("2027-03-01T07:00:00Z"),
      endsAt: new Date("2027-03-02T17:00:00Z"),
    })
    .returning();
  const [absence] = await t.handle.db
    .insert(counselorAbsence)
    .values({
      userId: await t.userId(demo.counselor),
      startsAt: new Date("2027-03-08T07:00:00Z"),
      endsAt: new Date("2027-03-09T17:00:00Z"),
    })
    .returning();
  fixtures = {
    closureId: closure!.id,
    absenceId: absence!.id,
    structureDetails: {
      name: demoStructure!.name,
      labelNumber: demoStructure!.labelNumber,
      departement: demoStructure!.departement,
      coHolders: demoStructure!.coHolders,
      minLeadHours: demoStructure!.minLeadHours,
    },
    spareSiteId: spare!.id,
    ...(await handoverFixtures(ofCpip)),
    prisonSiteId: prison!.id,
    authorisationId: authorisation!.id,
    entryId: cpamEntry!.id,
    archivableEntryId: archivable!.id,
    archivableContactId: archivableContact!.id,
    contactId: cpamContact!.id,
    cpamId: cpamEntry!.partnerId!,
    conventionId: demoConventions.find((c) => c.title.startsWith("Convention de labellisation"))!.id,
    draftConventionId: demoConventions.find((c) => c.status === "draft")!.id,
    fundingId: subvention.id,
    funderEntryId: subvention.funderEntryId,
    removableFundingId: removable!.id,
    editedPersonId: (await ofCpip()).id,
    movedPersonId: (await ofCpip()).id,
    closedPersonId: (await ofCpip()).id,
    cpip2Id: await t.userId(demo.cpip2),
    importId: await anImport(),
    ...(await someDocuments(sent!.id)),
    ...(await newsletterIssues()),
    duplicatePersonId: duplicate.id,
    partnerId: caf!.id,
    demarcheTypeId: cniType!.id,
    sentOrientationId: sent!.id,
    draftOrientationId: draft!.id,
    consentId: agreed!.id,
    demarcheId: cni!.id,
    counselorId: await t.userId(demo.counselor),
    ruleId: rule!.id,
    structureId: t.demoStructureId,
    personId: karim.id,
    targetUserId: target.id,
    siteId: meaux!.id,
    convocationId: booked!.id,
    todayConvocationId: thisMorning!.id,
  };
  const other = await aStructure(t.handle.db);
  const outsider = await anAgent(t.handle.db, {
    structureId: other.structure.id,
    roles: [...roles],
    serviceId: other.spipServiceId,
  });
  outsiderEmail = outsider.email;
  otherStructureId = other.structure.id;
  actionFixtures = await actionMatrixFixtures(t);
  expect(await t.handle.db.select().from(person).where(eq(person.structureId, other.structure.id))).toEqual(
    [],
  );
});
afterAll(() => t.close());

/** Meetings and transfers for the handover rows (ADR 0029). */
async function handoverFixtures(ofCpip: () => Promise<{ id: string }>) {
  const db = t.handle.db;
  const cpipId = await t.userId(demo.cpip);
  // Held meetings are completed once they began (the clock says 2026-06-01): the one to complete
  // began an hour ago.
  const meeting = async (releaseDate = "2026-06-10", startsAt = "2026-06-04T08:00:00Z") => {
    const personId = (await ofCpip()).id;
    await db
      .update(person)
      .set({ status: "detenu", expectedReleaseDate: releaseDate })
      .where(eq(person.id, personId));
    const [row] = await db
      .insert(handoverMeeting)
      .values({
        structureId: t.demoStructureId,
        personId,
        targetStructureId: t.demoStructureId,
        startsAt: new Date(startsAt),
        durationMinutes: 60,
        placeText: "Centre pénitentiaire de Meaux-Chauconin",
        releaseDate,
        status: "planned",
        icsUid: `matrix-${personId}@passerelle`,
        createdBy: cpipId,
      })
      .returning();
    return { personId, id: row!.id };
  };
  const detained = async (personId: string) => {
    await db
      .update(person)
      .set({ status: "detenu", expectedReleaseDate: "2026-06-10" })
      .where(eq(person.id, personId));
    return personId;
  };
  const planned = await meeting();
  const completed = await meeting("2026-06-03", "2026-06-01T08:00:00Z");
  const slots = await t.app.inject({
    method: "GET",
    url: `/api/handovers/${completed.id}/slots`,
    headers: await t.sessionFor(demo.cpip),
  });
  expect(slots.statusCode, slots.body).toBe(200);
  const [slot] = slots.json().slots as { siteId: string; startsAt: string }[];
  const third = await aStructure(db, "Structure d'accueil (matrice)");
  const thirdCpip = await anAgent(db, {
    structureId: third.structure.id,
    roles: ["probation_officer"],
    serviceId: third.spipServiceId,
  });
  const aTransfer = async (personId: string, from: string, to: string) => {
    const [row] = await db
      .insert(transfer)
      .values({
        personId,
        fromStructureId: from,
        toStructureId: to,
        proposedBy: from === t.demoStructureId ? cpipId : thirdCpip.id,
        proposedAt: new Date("2026-05-30T09:00:00Z"),
        reason: "Déménagement",
        consentGiven: false,
        status: "proposed",
      })
      .returning();
    return row!.id;
  };
  const ofThird = async () =>
    (
      await aPerson(db, {
        structureId: third.structure.id,
        referentUserId: thirdCpip.id,
        referentServiceId: third.spipServiceId,
      })
    ).id;
  return {
    handoverPersonId: planned.personId,
    handoverId: planned.id,
    schedulePersonId: await detained((await ofCpip()).id),
    cancelledHandoverId: (await meeting()).id,
    completedHandoverId: completed.id,
    firstSlot: { siteId: slot!.siteId, startsAt: slot!.startsAt },
    transferPersonId: (await ofCpip()).id,
    thirdStructureId: third.structure.id,
    outgoingTransferId: await aTransfer((await ofCpip()).id, t.demoStructureId, third.structure.id),
    incomingTransferId: await aTransfer(await ofThird(), third.structure.id, t.demoStructureId),
    refusedTransferId: await aTransfer(await ofThird(), third.structure.id, t.demoStructureId),
  };
}

async function anImport(): Promise<string> {
  const file = multipartFile("matrice.csv", generatedCaseload(3, "MATRIX"));
  const uploaded = await t.app.inject({
    method: "POST",
    url: `/api/structures/${t.demoStructureId}/imports`,
    payload: file.payload,
    headers: { ...file.headers, ...(await t.sessionFor(demo.cpip)) },
  });
  expect(uploaded.statusCode, uploaded.body).toBe(200);
  return uploaded.json().importId;
}

/** Documents of Karim uploaded by the referent: one shared with the CAF orientation, one to remove. */
async function someDocuments(
  orientationId: string,
): Promise<Pick<Fixtures, "documentId" | "removableDocumentId" | "documentShareId">> {
  const headers = await t.sessionFor(demo.cpip);
  const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  const up = async (title: string): Promise<string> => {
    const form = documentForm({ kind: "proof", title }, { name: "piece.pdf", bytes: aPdf() });
    const response = await t.app.inject({
      method: "POST",
      url: `/api/people/${karim!.id}/documents`,
      payload: form.payload,
      headers: { ...form.headers, ...headers },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().id;
  };
  const documentId = await up("Attestation CAF");
  const share = (body: object) =>
    t.app.inject({ method: "POST", url: `/api/documents/${documentId}/shares`, headers, payload: body });
  expect((await share({ to: "orientation", orientationId, reason: "Dossier RSA" })).statusCode).toBe(200);
  const outside = await share({
    to: "outside",
    recipientLabel: "Employeur IAE",
    legalBasis: "Article 712-1 du code de procédure pénale",
    reason: "Embauche",
    until: "2026-12-31",
  });
  expect(outside.statusCode, outside.body).toBe(200);
  const documentShareId = outside.json().shares.find((s: { to: string }) => s.to === "outside").id as string;
  return { documentId, removableDocumentId: await up("Courrier à retirer"), documentShareId };
}

/** Newsletter issues of the demo structure: a draft, a draft to delete, a sent one. */
async function newsletterIssues(): Promise<
  Pick<Fixtures, "draftIssueId" | "removableIssueId" | "sentIssueId">
> {
  const draft = { structureId: t.demoStructureId, blocks: [{ type: "text", markdown: "Bonjour" }] };
  const issues = await t.handle.db
    .insert(newsletterIssue)
    .values([
      { ...draft, number: 101, title: "Brouillon" },
      { ...draft, number: 102, title: "À supprimer" },
      {
        ...draft,
        number: 100,
        title: "Envoyée",
        status: "sent",
        sentAt: new Date("2026-05-01T08:00:00Z"),
        content: {
          structureName: "FS 77",
          number: 100,
          title: "Envoyée",
          blocks: [{ type: "text", html: "<p>Bonjour</p>" }],
        },
      },
    ])
    .returning({ id: newsletterIssue.id });
  return { draftIssueId: issues[0]!.id, removableIssueId: issues[1]!.id, sentIssueId: issues[2]!.id };
}

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}

/** Keys that only a person's data has: an answer holding one must leave a journal row. */
const personKeys = ["personId", "personName", "firstName", "lastName", "birthDate"];

/** A person's data: under /people/:personId, filtered by personId, a person's fields, or a declared file. */
function carriesPersonData(
  route: RouteContract,
  query: Record<string, string>,
  response: LightMyRequestResponse,
): boolean {
  if (response.statusCode >= 300) return false;
  if (route.path.includes(":personId") || "personId" in query) return true;
  // Whatever the keys are called: an answer holding a person's id or full name carries their data.
  const body = response.body.toLowerCase();
  if (personMarks.some((mark) => body.includes(mark))) return true;
  if (!String(response.headers["content-type"]).startsWith("application/json"))
    return route.nominative !== null;
  return keysOf(response.json()).some((key) => personKeys.includes(key));
}

async function journalRowsOf(response: LightMyRequestResponse): Promise<number> {
  const requestId = String(response.headers["x-request-id"] ?? "");
  expect(requestId).not.toBe("");
  return (await t.handle.db.select().from(auditEvent).where(eq(auditEvent.requestId, requestId))).length;
}

/** The request's journal rows saying people's data was read (successfully). */
async function successfulReadsOf(response: LightMyRequestResponse): Promise<number> {
  const requestId = String(response.headers["x-request-id"] ?? "");
  const rows = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.requestId, requestId));
  return rows.filter((row) => row.outcome === "success" && READ_ACTIONS.has(row.action)).length;
}

describe("authorization matrix", () => {
  it("has a row for every route, and no row for a route that does not exist", () => {
    expect(Object.keys(matrix).sort()).toEqual(Object.keys(allRoutes).sort());
  });

  for (const [key, route] of Object.entries(allRoutes)) {
    for (const caller of callers) {
      it(`${key} (${route.method} ${route.path}) as ${caller}`, async () => {
        const row = matrix[key];
        if (!row) throw new Error(`no matrix row for ${key}`);
        const { params = {}, query = {}, body } = row.request(fixtures);
        const headers =
          caller === "anonymous"
            ? {}
            : await t.sessionFor(caller === "outsider" ? outsiderEmail : emailOf[caller]);
        const response = await t.app.inject({
          method: route.method,
          url: fillPath(route.path, params),
          query,
          headers,
          ...(route.method === "GET" ? {} : { payload: (body ?? {}) as object }),
        });
        expect(response.statusCode, response.body).toBe(row.expected[caller]);
        const isJson = String(response.headers["content-type"]).startsWith("application/json");
        if (caller === "counselor" && isJson) {
          for (const field of judicialFieldNames) expect(keysOf(response.json())).not.toContain(field);
        }
        if (caller === "steering" || caller === "partner_referent" || caller === "admin") {
          // No nominative record: no person id, no identity field.
          for (const id of personIds) expect(response.body).not.toContain(id);
          // A partner's orientations carry the birth date of a person whose consent names the partner
          // (what it needs to find the file on its side): orientations.test.ts checks that rule.
          const consentedItems = caller === "partner_referent" && key.startsWith("orientations.");
          if (isJson && !consentedItems) expect(keysOf(response.json())).not.toContain("birthDate");
        }
        if (response.statusCode >= 400) {
          // A refused request read nothing: at most a refusal in the journal, never a read.
          expect(await successfulReadsOf(response), `${key} refused, yet journaled as read`).toBe(0);
        }
        if (carriesPersonData(route, query, response)) {
          // Every answer carrying a person's data leaves a journal row (route contract: `nominative`).
          expect(
            await journalRowsOf(response),
            `${key} answered a person's data without a journal row`,
          ).toBeGreaterThan(0);
        }
      });
    }
  }
});

/**
 * A role a route is not for is refused before its input is read (`RouteContract.onlyRoles`): a
 * steering, partner, mediator or admin account refused in the matrix gets the same 403 for malformed
 * params, query and body — never a 400 describing the fields of a route it may not use.
 */
describe("a role a route is not for is refused whatever it sends", () => {
  const notStaff = ["steering", "partner_referent", "mediator", "admin"] as const;
  for (const [key, route] of Object.entries(allRoutes)) {
    const refused = notStaff.filter((caller) => matrix[key]?.expected[caller] === 403);
    for (const caller of refused) {
      it(`${key} as ${caller}, with malformed input`, async () => {
        const params = Object.fromEntries(
          [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => [name as string, "pas-un-identifiant"]),
        );
        const response = await t.app.inject({
          method: route.method,
          url: fillPath(route.path, params),
          query: { inattendu: "1" },
          headers: await t.sessionFor(emailOf[caller]),
          ...(route.method === "GET" ? {} : { payload: { inattendu: 1 } }),
        });
        expect(response.statusCode, response.body).toBe(403);
      });
    }
  }
});

/**
 * Account management across two structures: A is the demo structure (its direction:
 * demo.manager), B the outsider's (they hold every role there, `admin` included). Each rule is a
 * row: who, which route, on whom → the status; `afterwards` checks what must still hold afterwards.
 */
describe("account management across two structures", () => {
  interface Targets {
    a: string;
    b: string;
    bOnly: string;
    adminId: string;
    disabledInBoth: string;
  }
  interface AccountRow {
    rule: string;
    caller: () => string;
    method: "POST" | "PUT";
    url: (x: Targets) => string;
    body?: object;
    expected: number;
    afterwards?: (x: Targets) => Promise<void>;
  }
  const manager = () => demo.manager;
  const outsider = () => outsiderEmail;
  const login = (email: string) =>
    t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password: DEMO_PASSWORD } });
  let targets: Targets;
  let bOnlyEmail: string;
  let disabledEmail: string;

  beforeAll(async () => {
    const bOnly = await anAgent(t.handle.db, { structureId: otherStructureId, roles: ["counselor"] });
    const disabled = await anAgent(t.handle.db, { structureId: otherStructureId, roles: ["counselor"] });
    // Deactivated in A, and the account disabled by an administrator.
    await t.handle.db.insert(membership).values({
      userId: disabled.id,
      structureId: t.demoStructureId,
      role: "counselor",
      endedAt: new Date(),
      endedReason: "deactivated",
    });
    await t.handle.db.update(user).set({ disabledAt: new Date() }).where(eq(user.id, disabled.id));
    bOnlyEmail = bOnly.email;
    disabledEmail = disabled.email;
    targets = {
      a: t.demoStructureId,
      b: otherStructureId,
      bOnly: bOnly.id,
      adminId: await t.userId(demo.admin),
      disabledInBoth: disabled.id,
    };
  });

  const rows: AccountRow[] = [
    {
      rule: "A's direction cannot end in A the membership of an agent of B only",
      caller: manager,
      method: "POST",
      url: (x) => `/api/structures/${x.a}/users/${x.bOnly}/disable`,
      expected: 404,
      afterwards: async () => expect((await login(bOnlyEmail)).statusCode).toBe(200),
    },
    {
      rule: "A's direction cannot re-activate in A an agent of B only",
      caller: manager,
      method: "POST",
      url: (x) => `/api/structures/${x.a}/users/${x.bOnly}/enable`,
      expected: 404,
    },
    {
      rule: "A's direction cannot change the roles in A of an agent of B only",
      caller: manager,
      method: "PUT",
      url: (x) => `/api/structures/${x.a}/users/${x.bOnly}`,
      body: { roles: ["counselor"], serviceId: null },
      expected: 404,
    },
    {
      rule: "A's direction cannot end an agent's membership of B",
      caller: manager,
      method: "POST",
      url: (x) => `/api/structures/${x.b}/users/${x.bOnly}/disable`,
      expected: 403,
    },
    {
      rule: "A's direction cannot disable an account (all structures)",
      caller: manager,
      method: "POST",
      url: (x) => `/api/admin/users/${x.bOnly}/disable`,
      expected: 403,
      afterwards: async () => expect((await login(bOnlyEmail)).statusCode).toBe(200),
    },
    {
      rule: "A's direction cannot end the membership of an administrator",
      caller: manager,
      method: "POST",
      url: (x) => `/api/structures/${x.a}/users/${x.adminId}/disable`,
      expected: 404, // as for a non-member: an administrator's account is not told apart
    },
    {
      rule: "A's direction cannot change the roles of an administrator",
      caller: manager,
      method: "PUT",
      url: (x) => `/api/structures/${x.a}/users/${x.adminId}`,
      body: { roles: ["counselor"], serviceId: null },
      expected: 404, // as for a non-member: an administrator's account is not told apart
    },
    {
      rule: "B's direction cannot end the membership of an agent of A",
      caller: outsider,
      method: "POST",
      url: (x) => `/api/structures/${x.a}/users/${x.adminId}/disable`,
      expected: 403,
    },
    {
      rule: "A's direction re-activating its membership does not enable a disabled account",
      caller: manager,
      method: "POST",
      url: (x) => `/api/structures/${x.a}/users/${x.disabledInBoth}/enable`,
      expected: 200,
      afterwards: async () => expect((await login(disabledEmail)).statusCode).toBe(401),
    },
    {
      rule: "adding an e-mail with an account in B answers as for a new one (no password, no hint)",
      caller: manager,
      method: "POST",
      url: (x) => `/api/structures/${x.a}/users`,
      body: { email: "", displayName: "Agent de B", roles: ["counselor"], serviceId: null },
      expected: 200,
    },
  ];

  for (const row of rows) {
    it(row.rule, async () => {
      const body = row.body && "email" in row.body ? { ...row.body, email: bOnlyEmail } : row.body;
      const response = await t.app.inject({
        method: row.method,
        url: row.url(targets),
        headers: await t.sessionFor(row.caller()),
        payload: body ?? {},
      });
      expect(response.statusCode, response.body).toBe(row.expected);
      if (row.expected === 200 && row.method === "POST" && body) {
        expect(Object.keys(response.json())).toEqual(["userId"]);
      }
      await row.afterwards?.(targets);
    });
  }
});
