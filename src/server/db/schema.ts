import { type SQL, sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  autonomyLevels,
  demarcheStatuses,
  helpLevels,
  needPriorities,
} from "../../common/accompaniment/accompaniment.schema";
import { noteVisibilities } from "../../common/consent/consent.schema";
import { documentKinds } from "../../common/documents/documents.schema";
import { notificationStatuses } from "../../common/notifications/notifications.schema";
import { notificationChannels, notificationKinds } from "../../common/notifications/templates";
import {
  iaeKinds,
  orientationStatuses,
  orientationTargets,
} from "../../common/orientations/orientations.schema";
import {
  demarcheCategories,
  measureTypes,
  partnerKinds,
  personStatuses,
  roles,
  serviceKinds,
  siteKinds,
} from "../../common/roles";

const id = () => uuid("id").primaryKey().defaultRandom();
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
/** The owning structure and person of the accompaniment tables (declared below, referenced lazily). */
const structureRef = () =>
  uuid("structure_id")
    .notNull()
    .references(() => structure.id);
const personRef = () =>
  uuid("person_id")
    .notNull()
    .references(() => person.id);

export const roleEnum = pgEnum("role", roles);
export const siteKindEnum = pgEnum("site_kind", siteKinds);
export const serviceKindEnum = pgEnum("service_kind", serviceKinds);
export const personStatusEnum = pgEnum("person_status", personStatuses);
export const measureTypeEnum = pgEnum("measure_type", measureTypes);
export const partnerKindEnum = pgEnum("partner_kind", partnerKinds);
export const demarcheCategoryEnum = pgEnum("demarche_category", demarcheCategories);
export const sessionStageEnum = pgEnum("session_stage", ["totp_pending", "enrolment_required", "active"]);
export const convocationStatusEnum = pgEnum("convocation_status", [
  "planned",
  "honoured",
  "missed",
  "excused",
  "cancelled",
]);
export const auditOutcomeEnum = pgEnum("audit_outcome", ["success", "denied", "failure"]);

/** A labelled France services structure (e.g. the SPIP 77 + PIMM'S structure of the seeds). */
export const structure = pgTable("structure", {
  id: id(),
  name: text("name").notNull(),
  labelNumber: text("label_number").notNull(),
  departement: text("departement").notNull(),
  coHolders: text("co_holders").array().notNull().default(sql`'{}'::text[]`),
  /** No slot may be booked sooner than this many hours ahead. */
  minLeadHours: integer("min_lead_hours").notNull().default(2),
  createdAt: createdAt(),
});

/** An employing organisation inside a structure: the SPIP or the association. */
export const service = pgTable(
  "service",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    name: text("name").notNull(),
    kind: serviceKindEnum("kind").notNull(),
  },
  (t) => [index("service_structure_idx").on(t.structureId)],
);

export const site = pgTable(
  "site",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    name: text("name").notNull(),
    kind: siteKindEnum("kind").notNull(),
    address: text("address").notNull(),
    accessInstructions: text("access_instructions").notNull().default(""),
    phone: text("phone").notNull().default(""),
    /** Milieu fermé (ADR 0028): the number of places of a SAS; null elsewhere. */
    capacity: integer("capacity"),
    /** Archived by the direction (no future opening nor convocation left): no longer offered. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [index("site_structure_idx").on(t.structureId)],
);

/** The unique indexes of names read alike: a violation of one is a name taken, not a code (23505). */
export const PARTNER_NAME_INDEX = "partner_name_read_alike_uq";
export const DIRECTORY_ENTRY_NAME_INDEX = "directory_entry_name_read_alike_uq";

/**
 * A name as two readers compare it: case and runs of spaces aside (« CAF » and « caf », « Mission
 * locale » and « Mission  locale » read alike). The expression of the name indexes below.
 */
export const readAlike = (name: AnyPgColumn | SQL): SQL =>
  sql`lower(regexp_replace(trim(${name}), '\\s+', ' ', 'g'))`;

export const partner = pgTable(
  "partner",
  {
    id: id(),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    kind: partnerKindEnum("kind").notNull(),
    description: text("description").notNull().default(""),
  },
  // Two partners of the catalogue never read alike (migration 0056).
  (t) => [uniqueIndex(PARTNER_NAME_INDEX).on(readAlike(t.name))],
);

export const demarcheType = pgTable(
  "demarche_type",
  {
    id: id(),
    partnerId: uuid("partner_id").references(() => partner.id),
    code: text("code").notNull().unique(),
    label: text("label").notNull(),
    category: demarcheCategoryEnum("category").notNull(),
    /** Documents usually required: the checklist a new démarche of this type starts with. */
    documents: text("documents").array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [index("demarche_type_partner_idx").on(t.partnerId)],
);

/** An agent. Passwords are argon2id hashes; TOTP secrets are base32. */
export const user = pgTable("user", {
  id: id(),
  email: text("email").notNull().unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash").notNull(),
  passwordChangedAt: timestamp("password_changed_at", { withTimezone: true }).notNull().defaultNow(),
  /** A temporary password given by the direction: every page waits for a new one. */
  mustChangePassword: boolean("must_change_password").notNull().default(false),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  totpSecret: text("totp_secret"),
  totpPendingSecret: text("totp_pending_secret"),
  totpLastStep: bigint("totp_last_step", { mode: "number" }),
  recoveryCodeHashes: text("recovery_code_hashes").array().notNull().default(sql`'{}'::text[]`),
  /** A new account chooses its password through a one-time link; only the SHA-256 is kept. */
  activationTokenHash: text("activation_token_hash").unique(),
  activationExpiresAt: timestamp("activation_expires_at", { withTimezone: true }),
  /** "Mot de passe oublié": the one-time link minted when its e-mail leaves; only the SHA-256 is kept. */
  recoveryTokenHash: text("recovery_token_hash").unique(),
  recoveryExpiresAt: timestamp("recovery_expires_at", { withTimezone: true }),
  createdAt: createdAt(),
});

/**
 * user × structure × role; service_id says which employer (SPIP or association) for agents.
 * A membership is ended (ended_at), never deleted: readers of current rights ignore ended rows.
 */
export const membership = pgTable(
  "membership",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => user.id),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    serviceId: uuid("service_id").references(() => service.id),
    partnerId: uuid("partner_id").references(() => partner.id),
    role: roleEnum("role").notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    /** Why the row ended: "deactivated" (the agent, in the structure) or "role_removed" (that role). */
    endedReason: text("ended_reason"),
    /** The name the direction typed when it added the e-mail, shown while the invitation is pending. */
    invitedName: text("invited_name"),
    /**
     * When the agent first signed in (or activated the account) after being added: until then the
     * structure sees an invitation, nothing of the account. No default: every insert says which it
     * is. Rows granted before this column: accepted (since the account's creation).
     */
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("membership_user_structure_role_uq").on(t.userId, t.structureId, t.role),
    index("membership_structure_idx").on(t.structureId),
  ],
);

/** Server-side sessions; only the SHA-256 of the token is stored. */
export const session = pgTable(
  "session",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => user.id),
    stage: sessionStageEnum("stage").notNull(),
    csrfToken: text("csrf_token").notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    totpFailures: integer("totp_failures").notNull().default(0),
    ip: text("ip").notNull().default(""),
    userAgent: text("user_agent").notNull().default(""),
    /**
     * The ID token of a ProConnect login (ADR 0023): sent back as `id_token_hint` when the agent logs
     * out, so that ProConnect's session ends too. Null for a local login.
     */
    proconnectIdToken: text("proconnect_id_token"),
    /**
     * A pending session whose second factor was passed (ADR 0036, addendum 2026-12-06): the full
     * session it became, for a short while (its `expires_at`), so that the same code sent again
     * with this cookie after a lost answer gets that session's cookie again. Deleted with it.
     */
    promotedTo: text("promoted_to").references((): AnyPgColumn => session.tokenHash, {
      onDelete: "cascade",
    }),
    /** The full session's cookie (and the device cookie), sealed under this cookie and the code. */
    promotedTokens: text("promoted_tokens"),
  },
  (t) => [index("session_user_idx").on(t.userId), index("session_promoted_to_idx").on(t.promotedTo)],
);

/**
 * A ProConnect login under way (ADR 0023): what the callback must check, kept server-side and
 * consumed once (a replayed `state` finds nothing). Only the state's SHA-256 is the key; the browser
 * holds the state itself in a short-lived cookie.
 */
export const proconnectLogin = pgTable(
  "proconnect_login",
  {
    stateHash: text("state_hash").primaryKey(),
    nonce: text("nonce").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("proconnect_login_expires_idx").on(t.expiresAt)],
);

/**
 * A browser that completed a login (or an activation) for an account: its device cookie exempts it,
 * for that account only, from the cross-IP slowdown of the login (ADR 0002). Only the token's
 * SHA-256 is stored.
 */
export const trustedDevice = pgTable(
  "trusted_device",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Login attempts it exempted since it was given (counted before the password is checked). */
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [index("trusted_device_user_idx").on(t.userId)],
);

/**
 * Attempts, for rate limiting: `login` (password; per account+IP, per IP, per account), `totp`
 * (second-factor codes per account, across sessions), `activation` (activation links per IP), `recovery_request` ("mot de passe oublié" requests per IP and per
 * account), `recovery` (recovery links per IP). `ip` holds the address's `throttleKey` (an IPv6 address's /64).
 */
export const authAttempt = pgTable(
  "auth_attempt",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    kind: text("kind").notNull().default("login"),
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    success: boolean("success").notNull(),
    /** A login fully completed (second factor included): the account+IP pair becomes trusted. */
    trusted: boolean("trusted").notNull().default(false),
  },
  (t) => [
    index("auth_attempt_ip_at_idx").on(t.ip, t.at),
    index("auth_attempt_email_at_idx").on(t.email, t.at),
  ],
);

/** Append-only journal: a trigger refuses UPDATE and DELETE (see migration 0001). */
export const auditEvent = pgTable(
  "audit_event",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull().default(""),
    targetId: text("target_id").notNull().default(""),
    structureId: uuid("structure_id"),
    requestId: text("request_id").notNull().default(""),
    outcome: auditOutcomeEnum("outcome").notNull(),
    reason: text("reason").notNull().default(""),
    ip: text("ip").notNull().default(""),
  },
  (t) => [
    index("audit_structure_at_idx").on(t.structureId, t.at),
    index("audit_actor_at_idx").on(t.actorUserId, t.at),
    index("audit_target_idx").on(t.targetType, t.targetId),
    /**
     * The row that opened a file (typed in, imported, received from another structure), which the
     * file's history reads: without it, that read would go through every read of the file journaled.
     */
    index("audit_person_opening_idx")
      .on(t.targetId, t.at)
      .where(
        sql`${t.targetType} = 'person' and ${t.action} in ('person.created', 'handover.transmitted', 'transfer.transmitted')`,
      ),
  ],
);

/** A person under judicial supervision (PPSMJ), followed by a structure. Identity kept minimal. */
export const person = pgTable(
  "person",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    birthDate: date("birth_date", { mode: "string" }).notNull(),
    birthPlace: text("birth_place").notNull().default(""),
    phone: text("phone").notNull().default(""),
    email: text("email").notNull().default(""),
    address: text("address").notNull().default(""),
    /** The organisation giving an administrative address (CCAS, approved association), if any. */
    domiciliation: text("domiciliation").notNull().default(""),
    preferredLanguage: text("preferred_language").notNull().default("français"),
    /** yes, with_help, no — or empty when not asked. */
    readsFrench: text("reads_french").notNull().default(""),
    status: personStatusEnum("status").notNull(),
    /** female, male — or empty: "non renseigné". */
    sex: text("sex").notNull().default(""),
    /** Set when the direction merged this duplicate into another record: it is then hidden. */
    mergedIntoId: uuid("merged_into_id"),
    /** When the file was closed (it leaves the active lists and becomes read-only); null while open. */
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** The day the agent gave for the closing (end of measure, transfer, death...). */
    closedOn: date("closed_on", { mode: "string" }),
    /** end_of_measure, transfer, deceased, other (see closingReasons). */
    closedReason: text("closed_reason"),
    closedNote: text("closed_note").notNull().default(""),
    /**
     * The file number in its structure (1, 2, 3…): what a partner quotes to find the file. Set by a
     * database trigger at insertion (the next number of the structure, under a per-structure lock).
     */
    fileNumber: integer("file_number").notNull().default(0),
    /**
     * Retention (ADR 0024): when the file was archived (no measure running, no activity for the
     * structure's delay): out of every list, read-only, seen by the direction only, restorable.
     */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    /**
     * When its personal data was erased: the row stays as an anonymous tombstone so that the
     * activity rows the figures count keep their person; nobody sees it any more.
     */
    erasedAt: timestamp("erased_at", { withTimezone: true }),
    /**
     * The person's number in the case-management application the file was imported from (ADR 0025):
     * importing the same export again finds the person by it and changes nothing. Null when typed in.
     */
    sourceNumber: text("source_number"),
    /**
     * Milieu fermé (issue 14): the prison or SAS site where the person is held, their prison number
     * (numéro d'écrou), the expected release date and kind (releaseKinds). Null in milieu ouvert.
     * Judicial data: masked like the other judicial fields (a counselor sees the establishment and
     * the expected release date only).
     */
    detentionSiteId: uuid("detention_site_id").references(() => site.id),
    prisonNumber: text("prison_number"),
    expectedReleaseDate: date("expected_release_date", { mode: "string" }),
    releaseKind: text("release_kind"),
    /** The day the person actually left detention (ADR 0028): the milieu fermé figures count from it. */
    releasedOn: date("released_on", { mode: "string" }),
    createdAt: createdAt(),
    /**
     * What the people search compares (ADR 0011): folded names and the phone's digits, computed by
     * PostgreSQL (`person_search_key`, migration 0017), indexed by trigrams.
     */
    searchKey: text("search_key")
      .notNull()
      .generatedAlwaysAs(sql`public.person_search_key(last_name, first_name, phone)`),
  },
  (t) => [
    index("person_structure_name_idx").on(t.structureId, t.lastName, t.firstName),
    index("person_search_key_trgm_idx").using("gin", t.searchKey.op("gin_trgm_ops")),
    /** A birth date typed in the people search (ADR 0011): a few people per day, whatever the scope. */
    index("person_birth_date_idx").on(t.birthDate),
    uniqueIndex("person_structure_file_number_uq").on(t.structureId, t.fileNumber),
    index("person_archived_idx").on(t.structureId, t.archivedAt).where(sql`${t.archivedAt} is not null`),
    uniqueIndex("person_structure_source_number_uq").on(t.structureId, t.sourceNumber),
  ],
);

/**
 * One change of a person's file (a field corrected, the referent changed, the file closed or
 * reopened): before → after, who, when, why. Written in the transaction of the change. `judicial`
 * rows (offence, court, judgment and start dates) are shown without values to counselors.
 */
export const personChange = pgTable(
  "person_change",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    personId: personRef(),
    structureId: structureRef(),
    field: text("field").notNull(),
    before: text("before").notNull().default(""),
    after: text("after").notNull().default(""),
    judicial: boolean("judicial").notNull().default(false),
    actorUserId: uuid("actor_user_id").references(() => user.id),
    at: timestamp("at", { withTimezone: true }).notNull(),
    reason: text("reason").notNull().default(""),
  },
  (t) => [index("person_change_person_idx").on(t.personId, t.at)],
);

/** A judicial measure. `offence`, `court` and `judgment_date` are judicial fields: SPIP roles only. */
export const measure = pgTable(
  "measure",
  {
    id: id(),
    personId: uuid("person_id")
      .notNull()
      .references(() => person.id),
    type: measureTypeEnum("type").notNull(),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }).notNull(),
    offence: text("offence").notNull().default(""),
    court: text("court").notNull().default(""),
    judgmentDate: date("judgment_date", { mode: "string" }),
  },
  (t) => [index("measure_person_idx").on(t.personId), index("measure_end_idx").on(t.endDate)],
);

/** The referent CPIP of a person: one active (ended_at null) at a time, history kept. */
export const referent = pgTable(
  "referent",
  {
    id: id(),
    personId: uuid("person_id")
      .notNull()
      .references(() => person.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => user.id),
    serviceId: uuid("service_id")
      .notNull()
      .references(() => service.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("referent_one_active_uq").on(t.personId).where(sql`${t.endedAt} is null`),
    index("referent_user_idx").on(t.userId),
    index("referent_person_idx").on(t.personId, t.endedAt),
    index("referent_service_idx").on(t.serviceId),
  ],
);

/**
 * A permanence: a site, a weekly (or one-off) time window, slot length and buffer, and the pool of
 * counselors working at once. Slots are computed from these rows, never stored.
 */
export const openingRule = pgTable(
  "opening_rule",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
    weekday: smallint("weekday"),
    onDate: date("on_date", { mode: "string" }),
    startTime: text("start_time").notNull(),
    endTime: text("end_time").notNull(),
    slotMinutes: integer("slot_minutes").notNull(),
    bufferMinutes: integer("buffer_minutes").notNull().default(0),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    validTo: date("valid_to", { mode: "string" }),
    createdAt: createdAt(),
  },
  (t) => [index("opening_rule_structure_idx").on(t.structureId), index("opening_rule_site_idx").on(t.siteId)],
);

export const openingRuleCounselor = pgTable(
  "opening_rule_counselor",
  {
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => openingRule.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => user.id),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.userId] })],
);

/**
 * ADR 0038: the France services training of an agent of a structure ("Formation initiale France
 * services"), recorded by its direction: the day of the initial training and, optionally, the
 * organisation that gave it. One row per agent and structure; corrected in place, removed when
 * recorded by mistake (the journal keeps each change). An agent is placed in a permanence's pool only
 * once trained.
 */
export const counselorTraining = pgTable(
  "counselor_training",
  {
    structureId: structureRef(),
    userId: uuid("user_id")
      .notNull()
      .references(() => user.id),
    trainedOn: date("trained_on", { mode: "string" }).notNull(),
    organisation: text("organisation").notNull().default(""),
    recordedBy: uuid("recorded_by").references(() => user.id),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.structureId, t.userId] })],
);

export const siteClosure = pgTable(
  "site_closure",
  {
    id: id(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    reason: text("reason").notNull().default(""),
  },
  (t) => [index("site_closure_site_idx").on(t.siteId, t.startsAt)],
);

export const counselorAbsence = pgTable(
  "counselor_absence",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => user.id),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    reason: text("reason").notNull().default(""),
  },
  (t) => [index("counselor_absence_user_idx").on(t.userId, t.startsAt)],
);

/**
 * A convocation booked by the referent CPIP. `seat` numbers the places of a slot (1..capacity): the
 * partial unique index makes a double booking of the last place impossible, whatever the code does.
 */
export const convocation = pgTable(
  "convocation",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
    personId: uuid("person_id")
      .notNull()
      .references(() => person.id),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    seat: integer("seat").notNull(),
    status: convocationStatusEnum("status").notNull().default("planned"),
    needDomains: text("need_domains").array().notNull().default(sql`'{}'::text[]`),
    demarcheTypeIds: uuid("demarche_type_ids").array().notNull().default(sql`'{}'::uuid[]`),
    comment: text("comment").notNull().default(""),
    notifySms: boolean("notify_sms").notNull(),
    notifyEmail: boolean("notify_email").notNull(),
    bookedBy: uuid("booked_by")
      .notNull()
      .references(() => user.id),
    rescheduledFromId: uuid("rescheduled_from_id"),
    statusChangedAt: timestamp("status_changed_at", { withTimezone: true }),
    statusChangedBy: uuid("status_changed_by").references(() => user.id),
    /** When the counselor saw the person arrive (a check-in time, not a status); a correction clears it. */
    arrivedAt: timestamp("arrived_at", { withTimezone: true }),
    /** A convocation to a collective action (issue 15) rather than to a permanence slot: seats are the action's. */
    collectiveActionId: uuid("collective_action_id").references(() => collectiveAction.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("convocation_seat_uq")
      .on(t.siteId, t.startsAt, t.seat)
      .where(sql`${t.status} in ('planned', 'honoured', 'missed') and ${t.collectiveActionId} is null`),
    uniqueIndex("convocation_action_seat_uq")
      .on(t.collectiveActionId, t.seat)
      .where(sql`${t.status} in ('planned', 'honoured', 'missed') and ${t.collectiveActionId} is not null`),
    index("convocation_person_idx").on(t.personId, t.startsAt),
    index("convocation_site_time_idx").on(t.siteId, t.startsAt),
    index("convocation_structure_time_idx").on(t.structureId, t.startsAt),
    /**
     * Convocations still planned, by person and time: "a convocation to come" and the next
     * convocation in the people list read only these (a few rows) rather than every convocation of
     * the person, or, driven from the convocations, the whole of convocation_structure_time_idx.
     */
    index("convocation_planned_person_idx").on(t.personId, t.startsAt).where(sql`${t.status} = 'planned'`),
  ],
);

/** What an agent has seen of the news on their home ("Marquer comme vu"): events after it are new. */
export const homeMarker = pgTable("home_marker", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => user.id),
  seenUpTo: timestamp("seen_up_to", { withTimezone: true }).notNull(),
});

export const notificationKindEnum = pgEnum("notification_kind", [
  ...notificationKinds,
  "failure_alert",
  "orientation_sent",
  "account_notice",
  // Pre-composed e-mails to agents or outside contacts (issues 14 and 15): ICS invitations to a
  // meeting or a collective action, newsletters, expiry and release alerts.
  "invitation",
  "newsletter",
  "agent_alert",
]);
export const notificationChannelEnum = pgEnum("notification_channel", notificationChannels);
export const notificationStatusEnum = pgEnum("notification_status", notificationStatuses);

/** How a structure notifies people; one row per structure, defaults when absent. */
export const notificationSettings = pgTable("notification_settings", {
  structureId: uuid("structure_id")
    .primaryKey()
    .references(() => structure.id),
  reminderHours: integer("reminder_hours").notNull().default(48),
  notifyMissed: boolean("notify_missed").notNull().default(false),
  /** No SMS leaves between these Paris hours (from quietFrom to quietTo the next morning). */
  quietFrom: text("quiet_from").notNull().default("20:00"),
  quietTo: text("quiet_to").notNull().default("08:00"),
  preparationUrl: text("preparation_url").notNull().default(""),
  /** Lines printed at the top of the convocation letter; empty: the structure's name and co-holders. */
  letterhead: text("letterhead").notNull().default(""),
  /** Home alerts: measures ending within this many days with open needs or démarches. */
  measureAlertDays: integer("measure_alert_days").notNull().default(60),
  /** Home alerts: people not seen at a permanence for this many weeks. */
  notSeenWeeks: integer("not_seen_weeks").notNull().default(8),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A structure's own text for one kind × channel; the national default applies otherwise. */
export const notificationTemplate = pgTable(
  "notification_template",
  {
    structureId: structureRef(),
    kind: notificationKindEnum("kind").notNull(),
    channel: notificationChannelEnum("channel").notNull(),
    subject: text("subject").notNull().default(""),
    body: text("body").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => user.id),
  },
  (t) => [primaryKey({ columns: [t.structureId, t.kind, t.channel] })],
);

/**
 * The outbox: a use case inserts rows in its transaction, the worker claims due rows with
 * FOR UPDATE SKIP LOCKED and sends them. The text is rendered at sending time (latest template,
 * latest convocation status) and kept for the log.
 */
export const notification = pgTable(
  "notification",
  {
    id: id(),
    structureId: structureRef(),
    convocationId: uuid("convocation_id").references(() => convocation.id),
    personId: uuid("person_id").references(() => person.id),
    recipientUserId: uuid("recipient_user_id").references(() => user.id),
    kind: notificationKindEnum("kind").notNull(),
    channel: notificationChannelEnum("channel").notNull(),
    recipient: text("recipient").notNull(),
    status: notificationStatusEnum("status").notNull().default("pending"),
    notBefore: timestamp("not_before", { withTimezone: true }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    lastError: text("last_error").notNull().default(""),
    providerMessageId: text("provider_message_id"),
    subject: text("subject").notNull().default(""),
    body: text("body").notNull().default(""),
    /** The HTML alternative of an e-mail's text body (newsletters), if any. */
    html: text("html"),
    /** Files sent with an e-mail (an ICS invitation): name, media type, text content. */
    attachments: jsonb("attachments").$type<MailAttachment[]>(),
    /** Extra e-mail headers (List-Unsubscribe, List-Unsubscribe-Post). */
    headers: jsonb("headers").$type<Record<string, string>>(),
    /** An outside recipient who is no agent (a partner contact of the directory). */
    directoryContactId: uuid("directory_contact_id"),
    /**
     * Random id of an e-mail to an outside recipient (newsletter, invitation), in its envelope sender
     * `bounces+<token>@…` (VERP): an asynchronous bounce names the row by it (ADR 0032).
     */
    bounceToken: text("bounce_token"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    failedAt: timestamp("failed_at", { withTimezone: true }),
    /**
     * Sends whose outcome is unknown (timeout, cut connection, lease expired mid-send). At
     * MAX_UNCERTAIN_SENDS the message is over, never sent again; an e-mail whose end of data may
     * have left (`dataEndAt`) goes there at once (ADR 0004, addendum 2026-12-04).
     */
    uncertainSends: integer("uncertain_sends").notNull().default(0),
    uncertainAt: timestamp("uncertain_at", { withTimezone: true }),
    /**
     * An e-mail's end of data: written for the current claim just before the SMTP terminating dot
     * may leave, never after (`providers.ts#smtpEmailSender`). Without it the relay cannot have taken
     * the message; with it, an unknown outcome is never sent again (ADR 0004, addendum 2026-12-04).
     * Cleared by each claim.
     */
    dataEndAt: timestamp("data_end_at", { withTimezone: true }),
    /**
     * The server instance (`server_instance.id`) of the current claim: once that instance is judged
     * dead, the claim ends at once, not after its lease (ADR 0004, addendum 2026-12-05). Null: a
     * claim made without liveness (before migration 0053), which only its lease ends.
     */
    claimedBy: uuid("claimed_by"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("notification_convocation_kind_channel_uq")
      .on(t.convocationId, t.kind, t.channel)
      // A withdrawn message (skipped: the number changed, the person refused) may be queued again.
      .where(sql`${t.convocationId} is not null and ${t.status} <> 'skipped'`),
    index("notification_due_idx").on(t.notBefore).where(sql`${t.status} in ('pending', 'sending')`),
    index("notification_structure_created_idx").on(t.structureId, t.createdAt),
    // A person's messages in their history (the file's timeline): without it, a scan of every message.
    index("notification_person_idx").on(t.personId, t.createdAt),
    index("notification_provider_idx").on(t.providerMessageId),
    index("notification_failed_idx").on(t.structureId, t.failedAt).where(sql`${t.status} = 'failed'`),
    uniqueIndex("notification_bounce_token_uq").on(t.bounceToken).where(sql`${t.bounceToken} is not null`),
  ],
);

/** A person's refusal of SMS, recorded from the personal link every SMS carries. */
export const smsOptOut = pgTable("sms_opt_out", {
  personId: uuid("person_id")
    .primaryKey()
    .references(() => person.id),
  token: text("token").notNull().unique(),
  optedOutAt: timestamp("opted_out_at", { withTimezone: true }),
});

export const demarcheStatusEnum = pgEnum("demarche_status", demarcheStatuses);
export const helpLevelEnum = pgEnum("help_level", helpLevels);
export const autonomyEnum = pgEnum("autonomy_level", autonomyLevels);
export const needPriorityEnum = pgEnum("need_priority", needPriorities);

/** A visit: what happened at an honoured convocation, recorded by the counselor. */
export const visit = pgTable(
  "visit",
  {
    id: id(),
    structureId: structureRef(),
    personId: personRef(),
    convocationId: uuid("convocation_id")
      .notNull()
      .unique()
      .references(() => convocation.id),
    /** The convocation's site, copied for the steering figures. */
    siteId: uuid("site_id").references(() => site.id),
    counselorUserId: uuid("counselor_user_id")
      .notNull()
      .references(() => user.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    autonomy: autonomyEnum("autonomy").notNull(),
    suggestNextInDays: integer("suggest_next_in_days"),
    suggestion: text("suggestion").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    index("visit_person_idx").on(t.personId, t.startedAt),
    index("visit_structure_time_idx").on(t.structureId, t.startedAt, t.personId),
    index("visit_counselor_time_idx").on(t.counselorUserId, t.startedAt),
    index("visit_site_time_idx").on(t.siteId, t.startedAt),
  ],
);

/** A démarche with a national partner, followed until its outcome. */
export const demarche = pgTable(
  "demarche",
  {
    id: id(),
    structureId: structureRef(),
    personId: personRef(),
    demarcheTypeId: uuid("demarche_type_id").references(() => demarcheType.id),
    /** Site of the visit where it started; null when started between visits. */
    siteId: uuid("site_id").references(() => site.id),
    helpLevel: helpLevelEnum("help_level").notNull(),
    status: demarcheStatusEnum("status").notNull(),
    outcome: text("outcome").notNull().default(""),
    nextStep: text("next_step").notNull().default(""),
    dueDate: date("due_date", { mode: "string" }),
    timeSpentMinutes: integer("time_spent_minutes").notNull().default(0),
    documents: jsonb("documents").$type<{ label: string; provided: boolean }[]>().notNull().default([]),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => user.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * When the démarche reached its outcome (granted, rejected, abandoned, reoriented); null before.
     * Set by a trigger on the status change (ADR 0018): outcomes are counted in this month.
     */
    outcomeAt: timestamp("outcome_at", { withTimezone: true }),
  },
  (t) => [
    index("demarche_person_idx").on(t.personId),
    index("demarche_site_outcome_idx").on(t.siteId, t.outcomeAt),
    index("demarche_author_outcome_idx").on(t.createdBy, t.outcomeAt),
    index("demarche_structure_status_idx").on(t.structureId, t.status),
    index("demarche_author_time_idx").on(t.createdBy, t.createdAt),
    index("demarche_site_time_idx").on(t.siteId, t.createdAt),
  ],
);

/** Dated history of a démarche: each status it took, by whom, at which visit. */
export const demarcheEvent = pgTable(
  "demarche_event",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    demarcheId: uuid("demarche_id")
      .notNull()
      .references(() => demarche.id),
    at: timestamp("at", { withTimezone: true }).notNull(),
    byUserId: uuid("by_user_id").references(() => user.id),
    status: demarcheStatusEnum("status").notNull(),
    visitId: uuid("visit_id").references(() => visit.id),
    timeSpentMinutes: integer("time_spent_minutes").notNull().default(0),
  },
  (t) => [
    index("demarche_event_demarche_idx").on(t.demarcheId, t.at),
    index("demarche_event_visit_idx").on(t.visitId),
  ],
);

/** One assessment of one need domain; the latest per domain is the current situation. */
export const needAssessment = pgTable(
  "need_assessment",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    structureId: structureRef(),
    personId: personRef(),
    domain: text("domain").notNull(),
    hasNeed: boolean("has_need").notNull(),
    /** Against the person's previous assessment of the domain, set by a trigger: identified, resolved, unchanged. */
    change: text("change").notNull().default("unchanged"),
    priority: needPriorityEnum("priority"),
    situation: text("situation").notNull().default(""),
    comment: text("comment").notNull().default(""),
    assessedAt: timestamp("assessed_at", { withTimezone: true }).notNull(),
    assessedBy: uuid("assessed_by").references(() => user.id),
    visitId: uuid("visit_id").references(() => visit.id),
  },
  (t) => [
    index("need_assessment_person_idx").on(t.personId, t.domain, t.assessedAt),
    index("need_assessment_author_idx").on(t.assessedBy, t.assessedAt),
    index("need_assessment_visit_idx").on(t.visitId),
    index("need_assessment_structure_time_idx").on(t.structureId, t.assessedAt),
  ],
);

export const noteVisibilityEnum = pgEnum("note_visibility", noteVisibilities);

/** A consent to share information ("secret partagé"): what, with whom, why; revocable. */
export const consent = pgTable(
  "consent",
  {
    id: id(),
    structureId: structureRef(),
    personId: personRef(),
    domains: text("domains").array().notNull().default(sql`'{}'::text[]`),
    shareDemarcheDetails: boolean("share_demarche_details").notNull(),
    shareNotes: boolean("share_notes").notNull(),
    /** Service kinds that may read what is shared: spip, association. */
    recipients: text("recipients").array().notNull().default(sql`'{}'::text[]`),
    partnerIds: uuid("partner_ids").array().notNull().default(sql`'{}'::uuid[]`),
    purpose: text("purpose").notNull(),
    collectedBy: uuid("collected_by")
      .notNull()
      .references(() => user.id),
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => user.id),
  },
  (t) => [
    index("consent_person_idx").on(t.personId, t.collectedAt),
    uniqueIndex("consent_one_active_uq").on(t.personId).where(sql`${t.revokedAt} is null`),
  ],
);

/** A note on a person, readable by the author's service, or shared under the person's consent. */
export const note = pgTable(
  "note",
  {
    id: id(),
    structureId: structureRef(),
    personId: personRef(),
    authorUserId: uuid("author_user_id")
      .notNull()
      .references(() => user.id),
    authorServiceId: uuid("author_service_id")
      .notNull()
      .references(() => service.id),
    visibility: noteVisibilityEnum("visibility").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("note_person_idx").on(t.personId, t.createdAt)],
);

export const orientationTargetEnum = pgEnum("orientation_target", orientationTargets);
export const orientationStatusEnum = pgEnum("orientation_status", orientationStatuses);
export const iaeKindEnum = pgEnum("iae_kind", iaeKinds);

/** A referral of a person to another structure, or an escalation to a partner's back office. */
export const orientation = pgTable(
  "orientation",
  {
    id: id(),
    structureId: structureRef(),
    personId: personRef(),
    demarcheId: uuid("demarche_id").references(() => demarche.id),
    target: orientationTargetEnum("target").notNull(),
    partnerId: uuid("partner_id").references(() => partner.id),
    iaeKind: iaeKindEnum("iae_kind"),
    reason: text("reason").notNull(),
    status: orientationStatusEnum("status").notNull(),
    refusalReason: text("refusal_reason").notNull().default(""),
    refusalReasonForPerson: boolean("refusal_reason_for_person").notNull().default(false),
    outcome: text("outcome").notNull().default(""),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => user.id),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    answeredBy: uuid("answered_by").references(() => user.id),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    /** The named contact at the receiving organisation, chosen in the partners' directory. */
    directoryContactId: uuid("directory_contact_id").references(() => directoryContact.id),
    /**
     * Where it was decided (ADR 0018): its démarche's site, else the site of the person's latest visit;
     * null when neither is known. The site filter of the steering figures counts it there.
     */
    siteId: uuid("site_id").references(() => site.id),
  },
  (t) => [
    index("orientation_person_idx").on(t.personId, t.createdAt),
    index("orientation_site_time_idx").on(t.siteId, t.createdAt),
    index("orientation_partner_idx").on(t.partnerId, t.status),
    index("orientation_author_idx").on(t.createdBy, t.createdAt),
    index("orientation_demarche_idx").on(t.demarcheId),
    index("orientation_structure_time_idx").on(t.structureId, t.createdAt),
    // The overdue ones, still "sent": the expiry job and the figures' "as of now" correction.
    index("orientation_sent_expiry_idx").on(t.expiresAt).where(sql`${t.status} = 'sent'`),
  ],
);

/**
 * Time-based work run by the server itself (expiring orientations, later purges): one row per job,
 * claimed with FOR UPDATE SKIP LOCKED and held by a lease, so one instance runs a job at a time.
 */
export const scheduledJob = pgTable("scheduled_job", {
  name: text("name").primaryKey(),
  nextRunAt: timestamp("next_run_at", { withTimezone: true }).notNull(),
  /** While set and in the future, an instance is running the job (its lease). */
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
  lockedBy: text("locked_by"),
  lastStartedAt: timestamp("last_started_at", { withTimezone: true }),
  lastFinishedAt: timestamp("last_finished_at", { withTimezone: true }),
  /** What the last run reported (e.g. "3 orientations expirées"), or its error. */
  lastResult: text("last_result").notNull().default(""),
  lastError: text("last_error"),
  runs: integer("runs").notNull().default(0),
});

/**
 * One row per running server process (ADR 0004, addendum 2026-12-05), written with the database's
 * clock only (`core/liveness.ts`): a claim whose instance's heartbeat is older than the grace belongs
 * to a dead process. A clean stop deletes its row; rows silent for a day are deleted by the others.
 */
export const serverInstance = pgTable("server_instance", {
  id: uuid("id").primaryKey(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
  /** Start of the current run of heartbeats without a gap: only an instance beating for longer than the grace judges others. */
  aliveSince: timestamp("alive_since", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * How long a structure keeps what it holds (ADR 0024); one row per structure, national defaults
 * when absent. Sessions and sign-in attempts are kept 30 days everywhere (not a structure's choice).
 */
export const retentionSettings = pgTable("retention_settings", {
  structureId: uuid("structure_id")
    .primaryKey()
    .references(() => structure.id),
  /** A file is archived this many months after its last measure ended, without activity since. */
  archiveAfterMonths: integer("archive_after_months").notNull().default(12),
  /** An archived file's personal data is erased this many months after its archiving. */
  eraseAfterMonths: integer("erase_after_months").notNull().default(6),
  journalMonths: integer("journal_months").notNull().default(12),
  /** SMS and e-mails: their recipient and text are blanked after this many months. */
  messageMonths: integer("message_months").notNull().default(3),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid("updated_by").references(() => user.id),
});

export * from "./schema.imports";
export * from "./schema.stats";

/**
 * The partners' directory (issue 15): every organisation a structure works with — a national
 * operator of the catalogue (`partnerId`), its local correspondent, a mission locale, a CCAS, the
 * SIAO, an association, an IAE employer (`iaeKind`, `siret`, `inPrison`) — with the area it covers
 * and the services it offers (data·inclusion thématiques codes).
 */
export const directoryEntry = pgTable(
  "directory_entry",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    /** The national partner of the catalogue this entry stands for or is the local office of. */
    partnerId: uuid("partner_id").references(() => partner.id),
    name: text("name").notNull(),
    /**
     * directoryKinds: national_operator, local_correspondent, mission_locale, ccas, siao, association,
     * iae_employer, local_authority, state_service, cap_emploi, point_justice, other.
     */
    kind: text("kind").notNull(),
    iaeKind: iaeKindEnum("iae_kind"),
    siret: text("siret").notNull().default(""),
    inPrison: boolean("in_prison").notNull().default(false),
    area: text("area").notNull().default(""),
    /** data·inclusion thématiques codes. */
    services: text("services").array().notNull().default(sql`'{}'::text[]`),
    address: text("address").notNull().default(""),
    phone: text("phone").notNull().default(""),
    email: text("email").notNull().default(""),
    website: text("website").notNull().default(""),
    notes: text("notes").notNull().default(""),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("directory_entry_structure_idx").on(t.structureId, t.name),
    // Two organisations of a structure's directory never read alike, archived ones included
    // (migration 0056): the pickers would offer both under one name.
    uniqueIndex(DIRECTORY_ENTRY_NAME_INDEX).on(t.structureId, readAlike(t.name)),
  ],
);

/** A named contact of a directory entry: professional data only. Newsletter subscription here. */
export const directoryContact = pgTable(
  "directory_contact",
  {
    id: id(),
    entryId: uuid("entry_id")
      .notNull()
      .references(() => directoryEntry.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    function: text("function").notNull().default(""),
    email: text("email").notNull().default(""),
    phone: text("phone").notNull().default(""),
    newsletterSubscribed: boolean("newsletter_subscribed").notNull().default(false),
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true }),
    /** A mail server refused this address for good (a hard bounce): no newsletter until it is changed. */
    emailBouncedAt: timestamp("email_bounced_at", { withTimezone: true }),
    createdAt: createdAt(),
    /** Archived by the direction: out of searches, pickers, invitations and newsletters; still read on past records. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [index("directory_contact_entry_idx").on(t.entryId)],
);

/** A file attached to an outbox e-mail (text content: an ICS invitation). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/** bytea as a Buffer on both drivers (PGlite gives a Uint8Array). */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => Buffer.from(value),
});

/**
 * The encrypted file store (core/fileStore.ts): AES-256-GCM ciphertext, its nonce and tag, the id
 * of the key that encrypted it (keys come from DOCUMENT_KEYS, never stored here). What a file is
 * and who may read it is recorded by the table that points at it (a person's document, a convention).
 */
export const storedFile = pgTable("stored_file", {
  id: uuid("id").primaryKey(),
  keyId: text("key_id").notNull(),
  iv: bytea("iv").notNull(),
  tag: bytea("tag").notNull(),
  ciphertext: bytea("ciphertext").notNull(),
  /** Size of the plain file, in bytes. */
  size: integer("size").notNull(),
  mediaType: text("media_type").notNull(),
  createdAt: createdAt(),
});

/**
 * A partnership convention (issue 15): parties, level, scope, themes, dates, renewal terms, internal
 * referent, the signed PDF (encrypted file store). `status` is what was decided (draft, signed,
 * ended); "to renew" and "expired" follow from the dates at read time.
 */
export const convention = pgTable(
  "convention",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    title: text("title").notNull(),
    reference: text("reference").notNull().default(""),
    /** national, regional, departmental, local. */
    level: text("level").notNull(),
    /** milieu_ouvert, milieu_ferme, both. */
    scope: text("scope").notNull(),
    themes: text("themes").array().notNull().default(sql`'{}'::text[]`),
    signedOn: date("signed_on", { mode: "string" }),
    startsOn: date("starts_on", { mode: "string" }),
    endsOn: date("ends_on", { mode: "string" }),
    renewalTerms: text("renewal_terms").notNull().default(""),
    tacitRenewal: boolean("tacit_renewal").notNull().default(false),
    /** draft, signed, ended. */
    status: text("status").notNull().default("draft"),
    referentUserId: uuid("referent_user_id").references(() => user.id),
    signedFileId: uuid("signed_file_id").references(() => storedFile.id),
    signedFileName: text("signed_file_name"),
    /** When it was renewed last (a new end date after signing), for the newsletter. */
    renewedOn: date("renewed_on", { mode: "string" }),
    /** When the direction put an end to it (status `ended`). */
    endedOn: date("ended_on", { mode: "string" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("convention_structure_end_idx").on(t.structureId, t.endsOn)],
);

/** A party to a convention: an entry of the directory, or named only (the préfecture, the SPIP). */
export const conventionParty = pgTable(
  "convention_party",
  {
    id: id(),
    conventionId: uuid("convention_id")
      .notNull()
      .references(() => convention.id, { onDelete: "cascade" }),
    directoryEntryId: uuid("directory_entry_id").references(() => directoryEntry.id),
    label: text("label").notNull(),
  },
  (t) => [index("convention_party_convention_idx").on(t.conventionId)],
);

/**
 * A collective action (issue 15): forum emploi, atelier, information session in prison or SAS,
 * plenary meeting, working group meeting (`seriesId` groups a working group's meetings).
 */
export const collectiveAction = pgTable(
  "collective_action",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    /** forum_emploi, atelier, information_session, plenary, working_group. */
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    theme: text("theme").notNull().default(""),
    description: text("description").notNull().default(""),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    siteId: uuid("site_id").references(() => site.id),
    /** An outside place, when not at a site. */
    address: text("address").notNull().default(""),
    capacity: integer("capacity"),
    /** planned, held, cancelled. */
    status: text("status").notNull().default("planned"),
    seriesId: uuid("series_id"),
    /** Outcomes (forum: interviews, hires, IAE orientations), by name. */
    outcomes: jsonb("outcomes").$type<Record<string, number>>(),
    minutes: text("minutes").notNull().default(""),
    decisions: text("decisions").notNull().default(""),
    createdBy: uuid("created_by").references(() => user.id),
    createdAt: createdAt(),
    /** The ICS SEQUENCE of the invitations: +1 on every change of date or place, and on cancelling. */
    sequence: integer("sequence").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** The partner lending its premises (« Locaux prêtés par »), a directory entry of the structure. */
    hostEntryId: uuid("host_entry_id").references(() => directoryEntry.id),
  },
  (t) => [
    index("collective_action_structure_start_idx").on(t.structureId, t.startsAt),
    index("collective_action_series_idx").on(t.seriesId),
  ],
);

/**
 * A partner contact invited to a collective action: answers yes or no through a link without an
 * account (only the SHA-256 of the link's token is kept).
 */
export const collectiveActionInvitation = pgTable(
  "collective_action_invitation",
  {
    id: id(),
    actionId: uuid("action_id")
      .notNull()
      .references(() => collectiveAction.id, { onDelete: "cascade" }),
    directoryContactId: uuid("directory_contact_id").references(() => directoryContact.id),
    /**
     * The agent invited, when the invitee is an agent (a working group member): the invitation is
     * theirs whatever their address has become since (ADR 0031). Null for a contact or a guest.
     */
    userId: uuid("user_id").references(() => user.id),
    name: text("name").notNull(),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** yes, no — null until answered. */
    answer: text("answer"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    createdAt: createdAt(),
    /** Whether the partner came (recorded with the outcomes); null until recorded. */
    present: boolean("present"),
    /**
     * Set when the invitation is withdrawn from this one invitee (a member removed from a working
     * group before the meeting): the CANCEL was queued, the link no longer answers, and the
     * invitation leaves the meeting's lists and figures. Null while the invitation stands.
     */
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("collective_action_invitation_email_uq").on(t.actionId, t.email)],
);

/**
 * Handover meeting (issue 14, ADR 0029): the multidisciplinary meeting held before a release to pass
 * the file from milieu fermé to milieu ouvert. `structure_id` is the sending structure,
 * `target_structure_id` the receiving one (the same structure when milieu fermé and milieu ouvert
 * are two services of one SPIP). The agenda is computed from the file while planned and frozen in
 * `agenda` when held. `ics_uid`/`ics_sequence` keep every invitation of the meeting one calendar event.
 */
export const handoverMeeting = pgTable(
  "handover_meeting",
  {
    id: id(),
    structureId: structureRef(),
    personId: personRef(),
    targetStructureId: uuid("target_structure_id")
      .notNull()
      .references(() => structure.id),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    durationMinutes: integer("duration_minutes").notNull(),
    siteId: uuid("site_id").references(() => site.id),
    placeText: text("place_text").notNull().default(""),
    releaseDate: date("release_date", { mode: "string" }).notNull(),
    /** planned, held, cancelled. */
    status: text("status").notNull(),
    minutes: text("minutes").notNull().default(""),
    decisions: text("decisions").notNull().default(""),
    consentGiven: boolean("consent_given").notNull().default(false),
    consentReference: text("consent_reference").notNull().default(""),
    /** Whether the person attended the meeting; null for meetings held before it was recorded. */
    personPresent: boolean("person_present"),
    /** The agenda as it was when the meeting was held (needs, démarches, orientations, consent). */
    agenda: jsonb("agenda"),
    targetReferentUserId: uuid("target_referent_user_id").references(() => user.id),
    firstConvocationId: uuid("first_convocation_id").references(() => convocation.id),
    /** The file in the receiving structure (the same person when the structure does not change). */
    resultPersonId: uuid("result_person_id").references(() => person.id),
    icsUid: text("ics_uid").notNull(),
    icsSequence: integer("ics_sequence").notNull().default(0),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => user.id),
    createdAt: createdAt(),
    heldAt: timestamp("held_at", { withTimezone: true }),
    heldBy: uuid("held_by").references(() => user.id),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelledBy: uuid("cancelled_by").references(() => user.id),
    /** Why the meeting was cancelled: required, sent to the participants with the cancellation. */
    cancelReason: text("cancel_reason").notNull().default(""),
  },
  (t) => [
    index("handover_meeting_person_idx").on(t.personId, t.startsAt),
    index("handover_meeting_structure_idx").on(t.structureId, t.status),
    index("handover_meeting_target_idx").on(t.targetStructureId, t.heldAt),
  ],
);

/** Who is invited to a handover meeting: an agent (user id) or a partner contact (e-mail and name). */
export const handoverParticipant = pgTable(
  "handover_participant",
  {
    id: id(),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => handoverMeeting.id),
    userId: uuid("user_id").references(() => user.id),
    directoryContactId: uuid("directory_contact_id").references(() => directoryContact.id),
    name: text("name").notNull(),
    email: text("email").notNull(),
    /** What they come as: "CPIP milieu fermé", "Conseiller France services", "CAF"… */
    roleLabel: text("role_label").notNull().default(""),
  },
  (t) => [index("handover_participant_meeting_idx").on(t.meetingId)],
);

/**
 * A transfer of a person's file between structures (another département, another SPIP): proposed
 * by the sending side, accepted (choosing the new referent) or refused by the receiving direction.
 */
export const transfer = pgTable(
  "transfer",
  {
    id: id(),
    personId: personRef(),
    fromStructureId: uuid("from_structure_id")
      .notNull()
      .references(() => structure.id),
    toStructureId: uuid("to_structure_id")
      .notNull()
      .references(() => structure.id),
    proposedBy: uuid("proposed_by")
      .notNull()
      .references(() => user.id),
    proposedAt: timestamp("proposed_at", { withTimezone: true }).notNull(),
    reason: text("reason").notNull(),
    consentGiven: boolean("consent_given").notNull(),
    consentReference: text("consent_reference").notNull().default(""),
    /** proposed, accepted, refused, cancelled. */
    status: text("status").notNull(),
    answeredBy: uuid("answered_by").references(() => user.id),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    refusalReason: text("refusal_reason").notNull().default(""),
    newReferentUserId: uuid("new_referent_user_id").references(() => user.id),
    /** The file opened in the receiving structure at acceptance. */
    resultPersonId: uuid("result_person_id").references(() => person.id),
  },
  (t) => [
    index("transfer_to_status_idx").on(t.toStructureId, t.status),
    index("transfer_from_idx").on(t.fromStructureId, t.proposedAt),
    index("transfer_person_idx").on(t.personId),
    uniqueIndex("transfer_one_open_uq").on(t.personId).where(sql`${t.status} = 'proposed'`),
  ],
);

/**
 * Milieu fermé (ADR 0028): an agent's authorisation to enter a prison or SAS site, valid until a
 * day (Europe/Paris, inclusive). Only an agent holding a valid one may book there or be in its pool.
 * `alertedAt`: when the expiry alert left (once).
 */
export const siteAccessAuthorisation = pgTable(
  "site_access_authorisation",
  {
    id: id(),
    structureId: structureRef(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => user.id),
    /** The establishment's reference of the authorisation (number of the badge or of the decision). */
    reference: text("reference").notNull(),
    validUntil: date("valid_until", { mode: "string" }).notNull(),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => user.id),
    createdAt: createdAt(),
    alertedAt: timestamp("alerted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("site_access_authorisation_site_user_uq").on(t.siteId, t.userId),
    index("site_access_authorisation_expiry_idx").on(t.validUntil),
  ],
);

/** Milieu fermé settings of a structure (ADR 0028); defaults when absent. */
export const detentionSettings = pgTable("detention_settings", {
  structureId: uuid("structure_id")
    .primaryKey()
    .references(() => structure.id),
  /** The release plan shows from this many days before the expected release date. */
  releasePlanDays: integer("release_plan_days").notNull().default(90),
  /** Access authorisations: alert this many days before they lapse. */
  accessAlertDays: integer("access_alert_days").notNull().default(30),
});

/** Release alerts already sent (ADR 0028): one per person, expected release date and threshold. */
export const releaseAlert = pgTable(
  "release_alert",
  {
    personId: personRef(),
    releaseDate: date("release_date", { mode: "string" }).notNull(),
    thresholdDays: integer("threshold_days").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.releaseDate, t.thresholdDays] })],
);

/* ---- Documents that follow the person (issue 14, ADR 0027) ---- */

export const documentKindEnum = pgEnum("document_kind", documentKinds);

/**
 * A document of a person's file (identity document, proof, decision of rights, judgment extract,
 * expertise…), optionally attached to a démarche. The bytes are in `stored_file` (encrypted); a
 * removal is soft (`deleted_at`, journaled) and the stored file goes at the person's erasure.
 * `judicial` is derived from the kind by the database: the queries filter on it for counselors.
 */
export const document = pgTable(
  "document",
  {
    id: id(),
    structureId: structureRef(),
    personId: personRef(),
    demarcheId: uuid("demarche_id").references(() => demarche.id),
    kind: documentKindEnum("kind").notNull(),
    judicial: boolean("judicial").notNull().generatedAlwaysAs(sql`kind in ('judgment_extract', 'expertise')`),
    title: text("title").notNull(),
    fileName: text("file_name").notNull(),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull(),
    uploadedBy: uuid("uploaded_by")
      .notNull()
      .references(() => user.id),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull(),
    storedFileId: uuid("stored_file_id").references(() => storedFile.id, { onDelete: "set null" }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    deletedBy: uuid("deleted_by").references(() => user.id),
  },
  (t) => [
    index("document_person_idx").on(t.personId, t.uploadedAt),
    index("document_demarche_idx").on(t.demarcheId),
  ],
);

export const documentShareTargetEnum = pgEnum("document_share_target", [
  "orientation",
  "structure",
  "outside",
]);

/**
 * A share of a document with someone outside the file's readers: an orientation's receiving side
 * (under the person's consent, which it follows), a receiving structure in Passerelle or a named
 * recipient outside it (under a legal basis). Withdrawn, never deleted: both sides' journal keep it.
 */
export const documentShare = pgTable(
  "document_share",
  {
    id: id(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => document.id),
    target: documentShareTargetEnum("target").notNull(),
    orientationId: uuid("orientation_id").references(() => orientation.id),
    recipientStructureId: uuid("recipient_structure_id").references(() => structure.id),
    recipientLabel: text("recipient_label").notNull().default(""),
    /** The legal basis (text, article, decision), or for an orientation the consent it relies on. */
    legalBasis: text("legal_basis").notNull(),
    reason: text("reason").notNull(),
    sharedBy: uuid("shared_by")
      .notNull()
      .references(() => user.id),
    sharedAt: timestamp("shared_at", { withTimezone: true }).notNull(),
    until: date("until", { mode: "string" }),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    withdrawnBy: uuid("withdrawn_by").references(() => user.id),
  },
  (t) => [
    index("document_share_document_idx").on(t.documentId),
    index("document_share_orientation_idx").on(t.orientationId),
    index("document_share_structure_idx").on(t.recipientStructureId),
  ],
);

/** A structure's convention settings: how many days before a convention's end the direction is alerted. */
export const conventionSettings = pgTable("convention_settings", {
  structureId: uuid("structure_id")
    .primaryKey()
    .references(() => structure.id),
  alertDays: integer("alert_days").notNull().default(90),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid("updated_by").references(() => user.id),
});

/**
 * An expiry alert sent to the direction: one per convention, end date and threshold (days before
 * the end: the structure's delay, 30, 0 = expired). The unique key makes the job idempotent across
 * instances; a renewal (new end date) starts the thresholds again.
 */
export const conventionAlert = pgTable(
  "convention_alert",
  {
    id: id(),
    conventionId: uuid("convention_id")
      .notNull()
      .references(() => convention.id, { onDelete: "cascade" }),
    endsOn: date("ends_on", { mode: "string" }).notNull(),
    thresholdDays: integer("threshold_days").notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("convention_alert_uq").on(t.conventionId, t.endsOn, t.thresholdDays)],
);

/**
 * Collective actions, second part (issue 15): the ICS sequence and who organises an action, its
 * partners' presence, its documents (encrypted file store).
 */
export const collectiveActionOrganiser = pgTable(
  "collective_action_organiser",
  {
    actionId: uuid("action_id")
      .notNull()
      .references(() => collectiveAction.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => user.id),
  },
  (t) => [primaryKey({ columns: [t.actionId, t.userId] })],
);

/** The organisations cofunding a collective action (a mairie, the préfecture's FIPD): directory entries. */
export const collectiveActionCofunder = pgTable(
  "collective_action_cofunder",
  {
    actionId: uuid("action_id")
      .notNull()
      .references(() => collectiveAction.id, { onDelete: "cascade" }),
    entryId: uuid("entry_id")
      .notNull()
      .references(() => directoryEntry.id),
  },
  (t) => [primaryKey({ columns: [t.actionId, t.entryId] })],
);

/**
 * A funding received by the structure (ADR 0039): a funder of the directory (a collectivité, the
 * préfecture…), an amount in whole euros, a purpose, a budget year and an optional period; attached
 * to a convention, to a collective action, or to neither (never both).
 */
export const funding = pgTable(
  "funding",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    funderEntryId: uuid("funder_entry_id")
      .notNull()
      .references(() => directoryEntry.id),
    amountEuros: integer("amount_euros").notNull(),
    purpose: text("purpose").notNull(),
    year: integer("year").notNull(),
    startsOn: date("starts_on", { mode: "string" }),
    endsOn: date("ends_on", { mode: "string" }),
    conventionId: uuid("convention_id").references(() => convention.id),
    collectiveActionId: uuid("collective_action_id").references(() => collectiveAction.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("funding_structure_year_idx").on(t.structureId, t.year),
    index("funding_convention_idx").on(t.conventionId),
    index("funding_action_idx").on(t.collectiveActionId),
    // Checks in the migration (0050), as for the other tables: amount > 0, year 2000–2100,
    // end ≥ start, never both a convention and an action.
  ],
);

export const collectiveActionDocument = pgTable(
  "collective_action_document",
  {
    id: id(),
    actionId: uuid("action_id")
      .notNull()
      .references(() => collectiveAction.id, { onDelete: "cascade" }),
    fileId: uuid("file_id")
      .notNull()
      .references(() => storedFile.id),
    fileName: text("file_name").notNull(),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull(),
    uploadedBy: uuid("uploaded_by").references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [index("collective_action_document_action_idx").on(t.actionId)],
);

/**
 * An issue of the partners' newsletter (ADR 0032): composed by the direction from ordered blocks
 * (Markdown text, upcoming collective actions, conventions signed or renewed, key figures of a
 * quarter). At send, what the blocks resolved to (`content`) and the rendered HTML and text are frozen.
 */
export const newsletterIssue = pgTable(
  "newsletter_issue",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    /** 1, 2, 3… per structure, given when the issue is created. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    /** draft, sending, sent. */
    status: text("status").notNull().default("draft"),
    blocks: jsonb("blocks").$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    /** The blocks as resolved at send (data blocks filled in), for the archive. */
    content: jsonb("content").$type<unknown>(),
    html: text("html"),
    text: text("text"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    sentBy: uuid("sent_by").references(() => user.id),
    createdBy: uuid("created_by").references(() => user.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("newsletter_issue_number_uq").on(t.structureId, t.number)],
);

/**
 * One recipient of a sent issue: the contact, the address it went to, its outbox row (whose status
 * says sent, failed…), the SHA-256 of its unsubscribe link's token, and whether that link was used.
 */
export const newsletterDelivery = pgTable(
  "newsletter_delivery",
  {
    id: id(),
    issueId: uuid("issue_id")
      .notNull()
      .references(() => newsletterIssue.id, { onDelete: "cascade" }),
    directoryContactId: uuid("directory_contact_id")
      .notNull()
      .references(() => directoryContact.id),
    email: text("email").notNull(),
    notificationId: uuid("notification_id").references(() => notification.id, { onDelete: "set null" }),
    tokenHash: text("token_hash").notNull().unique(),
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("newsletter_delivery_contact_uq").on(t.issueId, t.directoryContactId),
    index("newsletter_delivery_notification_idx").on(t.notificationId),
  ],
);

/**
 * A member of a working group (issue 15): an agent of the structure or a contact of its directory,
 * for the whole series of meetings (`collective_action.series_id`); each new meeting invites them.
 */
export const workingGroupMember = pgTable(
  "working_group_member",
  {
    id: id(),
    structureId: uuid("structure_id")
      .notNull()
      .references(() => structure.id),
    seriesId: uuid("series_id").notNull(),
    userId: uuid("user_id").references(() => user.id),
    directoryContactId: uuid("directory_contact_id").references(() => directoryContact.id),
    addedBy: uuid("added_by").references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("working_group_member_user_uq").on(t.seriesId, t.userId),
    uniqueIndex("working_group_member_contact_uq").on(t.seriesId, t.directoryContactId),
  ],
);
