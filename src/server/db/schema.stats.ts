/**
 * Steering rollups (issue 5, ADR 0006): monthly counts kept by statement-level triggers on the
 * source tables (migration 0011), so the national dashboard reads thousands of rows instead of
 * millions. One table per breakdown (type, help level, status…), keyed by month and structure (and
 * partner where it filters): a full cross product would hold about as many rows as the sources.
 * The site and counselor filters read the source rows of that site or counselor instead (few, by
 * index); convocations and visits, small, keep their site. No foreign keys: derived data, rebuilt
 * by `stat_rebuild()`.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bit,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";

/** Months covered by `person_milestone.visit_months`: January 2020 to December 2039. */
export const VISIT_MONTHS_FROM = 2020;
export const VISIT_MONTHS = 240;

const month = () => date("month", { mode: "string" }).notNull();
const structureId = () => uuid("structure_id").notNull();
const siteId = () => uuid("site_id");
const n = () => bigint("n", { mode: "number" }).notNull().default(0);
/** Sum of the record keys (`record_key(id)`, cellKey.ts) of the rows counted in `n`: the cell-key method. */
const keySum = (name = "key_sum") => bigint(name, { mode: "number" }).notNull().default(0);

/** Convocations by month of appointment (Europe/Paris), site and current status. */
export const statConvocation = pgTable(
  "stat_convocation",
  {
    month: month(),
    structureId: structureId(),
    siteId: uuid("site_id").notNull(),
    status: text("status").notNull(),
    n: n(),
    keySum: keySum(),
  },
  (t) => [
    index("stat_convocation_structure_idx").on(t.structureId, t.month),
    unique("stat_convocation_key").on(t.month, t.structureId, t.siteId, t.status),
  ],
);

/** Visits by month, site and digital autonomy, with their total duration. */
export const statVisit = pgTable(
  "stat_visit",
  {
    month: month(),
    structureId: structureId(),
    siteId: siteId(),
    autonomy: text("autonomy").notNull(),
    n: n(),
    keySum: keySum(),
    minutes: bigint("minutes", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    index("stat_visit_structure_idx").on(t.structureId, t.month),
    unique("stat_visit_key").on(t.month, t.structureId, t.siteId, t.autonomy).nullsNotDistinct(),
  ],
);

/** Démarches by month started and type (hence partner and category): escalated or reoriented. */
export const statDemarcheType = pgTable(
  "stat_demarche_type",
  {
    month: month(),
    structureId: structureId(),
    demarcheTypeId: uuid("demarche_type_id"),
    n: n(),
    keySum: keySum(),
    escalated: bigint("escalated", { mode: "number" }).notNull().default(0),
    escalatedKeySum: keySum("escalated_key_sum"),
  },
  (t) => [
    index("stat_demarche_type_structure_idx").on(t.structureId, t.month),
    unique("stat_demarche_type_key").on(t.month, t.structureId, t.demarcheTypeId).nullsNotDistinct(),
  ],
);

/**
 * Démarches by month of their outcome (`demarche.outcome_at`), type and outcome status: a right
 * granted in May counts in May, whenever the démarche started; a closed month stays closed.
 */
export const statDemarcheOutcome = pgTable(
  "stat_demarche_outcome",
  {
    month: month(),
    structureId: structureId(),
    demarcheTypeId: uuid("demarche_type_id"),
    status: text("status").notNull(),
    n: n(),
    keySum: keySum(),
  },
  (t) => [
    index("stat_demarche_outcome_structure_idx").on(t.structureId, t.month),
    unique("stat_demarche_outcome_key")
      .on(t.month, t.structureId, t.demarcheTypeId, t.status)
      .nullsNotDistinct(),
  ],
);

/** Démarches by month started, partner and help level. */
export const statDemarcheHelp = pgTable(
  "stat_demarche_help",
  {
    month: month(),
    structureId: structureId(),
    partnerId: uuid("partner_id"),
    helpLevel: text("help_level").notNull(),
    n: n(),
    keySum: keySum(),
  },
  (t) => [
    index("stat_demarche_help_structure_idx").on(t.structureId, t.month),
    unique("stat_demarche_help_key").on(t.month, t.structureId, t.partnerId, t.helpLevel).nullsNotDistinct(),
  ],
);

/** Démarches by month started, partner and current status. */
export const statDemarcheStatus = pgTable(
  "stat_demarche_status",
  {
    month: month(),
    structureId: structureId(),
    partnerId: uuid("partner_id"),
    status: text("status").notNull(),
    n: n(),
    keySum: keySum(),
  },
  (t) => [
    index("stat_demarche_status_structure_idx").on(t.structureId, t.month),
    unique("stat_demarche_status_key").on(t.month, t.structureId, t.partnerId, t.status).nullsNotDistinct(),
  ],
);

/** Orientations by month created, partner, target and status, with answer delays. */
export const statOrientation = pgTable(
  "stat_orientation",
  {
    month: month(),
    structureId: structureId(),
    partnerId: uuid("partner_id"),
    target: text("target").notNull(),
    status: text("status").notNull(),
    n: n(),
    keySum: keySum(),
    answered: bigint("answered", { mode: "number" }).notNull().default(0),
    answeredKeySum: keySum("answered_key_sum"),
    answerHours: doublePrecision("answer_hours").notNull().default(0),
  },
  (t) => [
    index("stat_orientation_structure_idx").on(t.structureId, t.month),
    unique("stat_orientation_key")
      .on(t.month, t.structureId, t.partnerId, t.target, t.status)
      .nullsNotDistinct(),
  ],
);

/** Need assessments by month, domain and change (identified, resolved, unchanged). */
export const statNeed = pgTable(
  "stat_need",
  {
    month: month(),
    structureId: structureId(),
    domain: text("domain").notNull(),
    change: text("change").notNull(),
    n: n(),
    keySum: keySum(),
  },
  (t) => [
    index("stat_need_structure_idx").on(t.structureId, t.month),
    unique("stat_need_key").on(t.month, t.structureId, t.domain, t.change),
  ],
);

/**
 * Per person: first convocation, first visit (where, with whom), first right granted, open needs
 * now, the months with a visit (people accompanied in a period = people with a bit in it: a scan of
 * one narrow row per person instead of a distinct over every visit) and the end of the measure.
 */
export const personMilestone = pgTable(
  "person_milestone",
  {
    personId: uuid("person_id").primaryKey(),
    structureId: structureId(),
    /** `record_key(person_id)`, stored: the key of the person in the distinct-people figures. */
    personKey: integer("person_key").notNull().default(0),
    firstConvocationAt: timestamp("first_convocation_at", { withTimezone: true }),
    firstVisitAt: timestamp("first_visit_at", { withTimezone: true }),
    firstVisitSiteId: uuid("first_visit_site_id"),
    firstVisitCounselorId: uuid("first_visit_counselor_id"),
    firstGrantedAt: timestamp("first_granted_at", { withTimezone: true }),
    openNeeds: integer("open_needs").notNull().default(0),
    /** Bit i set: a visit in month i counted from January 2020 (Europe/Paris), for distinct counts. */
    visitMonths: bit("visit_months", { dimensions: VISIT_MONTHS })
      .notNull()
      .default(sql.raw(`repeat('0', ${VISIT_MONTHS})::bit(${VISIT_MONTHS})`)),
    /** End of the person's latest measure. */
    measureEnd: date("measure_end", { mode: "string" }),
  },
  (t) => [
    index("person_milestone_visit_idx").on(t.structureId, t.firstVisitAt),
    index("person_milestone_measure_end_idx").on(t.structureId, t.measureEnd),
    index("person_milestone_granted_idx").on(t.structureId, t.firstGrantedAt),
  ],
);

/**
 * A counter per structure, incremented at commit by every transaction that changed something the
 * steering figures of that structure are computed from (rollups, milestones, and the source rows the
 * site and counselor filters read); the nil uuid counts the changes shared by every structure
 * (catalogue, partners, a rebuild). Counters only grow, so the sum over a set of structures changes
 * exactly when one of them does: the dashboard's result cache is keyed on that sum (ADR 0022).
 */
export const statVersion = pgTable("stat_version", {
  structureId: uuid("structure_id").primaryKey(),
  n: bigint("n", { mode: "number" }).notNull().default(0),
});
