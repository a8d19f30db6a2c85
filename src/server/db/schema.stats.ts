/**
 * Steering rollups (issue 5, ADR 0006): monthly counts kept by statement-level triggers on the
 * source tables (migration 0011), so the national dashboard reads thousands of rows instead of
 * millions. No foreign keys: they are derived data, rebuilt by `stat_rebuild()`.
 */
import {
  bigint,
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

const month = () => date("month", { mode: "string" }).notNull();
const structureId = () => uuid("structure_id").notNull();
const n = () => bigint("n", { mode: "number" }).notNull().default(0);
const minutes = () => bigint("minutes", { mode: "number" }).notNull().default(0);

/** Convocations by month of appointment (Europe/Paris), site and current status. */
export const statConvocation = pgTable(
  "stat_convocation",
  {
    month: month(),
    structureId: structureId(),
    siteId: uuid("site_id").notNull(),
    status: text("status").notNull(),
    n: n(),
  },
  (t) => [
    index("stat_convocation_structure_idx").on(t.structureId, t.month),
    unique("stat_convocation_key").on(t.month, t.structureId, t.siteId, t.status),
  ],
);

/** Visits by month, site, counselor and digital autonomy, with their total duration. */
export const statVisit = pgTable(
  "stat_visit",
  {
    month: month(),
    structureId: structureId(),
    siteId: uuid("site_id"),
    counselorId: uuid("counselor_id").notNull(),
    autonomy: text("autonomy").notNull(),
    n: n(),
    minutes: minutes(),
  },
  (t) => [
    index("stat_visit_structure_idx").on(t.structureId, t.month),
    unique("stat_visit_key")
      .on(t.month, t.structureId, t.siteId, t.counselorId, t.autonomy)
      .nullsNotDistinct(),
  ],
);

/** Démarches by month started, site, counselor, type (partner, category), help level and current status. */
export const statDemarche = pgTable(
  "stat_demarche",
  {
    month: month(),
    structureId: structureId(),
    siteId: uuid("site_id"),
    counselorId: uuid("counselor_id").notNull(),
    demarcheTypeId: uuid("demarche_type_id"),
    helpLevel: text("help_level").notNull(),
    status: text("status").notNull(),
    n: n(),
    minutes: minutes(),
  },
  (t) => [
    index("stat_demarche_structure_idx").on(t.structureId, t.month),
    unique("stat_demarche_key")
      .on(t.month, t.structureId, t.siteId, t.counselorId, t.demarcheTypeId, t.helpLevel, t.status)
      .nullsNotDistinct(),
  ],
);

/** Orientations by month created, site (of their démarche), author, partner, target and status. */
export const statOrientation = pgTable(
  "stat_orientation",
  {
    month: month(),
    structureId: structureId(),
    siteId: uuid("site_id"),
    counselorId: uuid("counselor_id").notNull(),
    partnerId: uuid("partner_id"),
    target: text("target").notNull(),
    status: text("status").notNull(),
    n: n(),
    answered: bigint("answered", { mode: "number" }).notNull().default(0),
    answerHours: doublePrecision("answer_hours").notNull().default(0),
  },
  (t) => [
    index("stat_orientation_structure_idx").on(t.structureId, t.month),
    unique("stat_orientation_key")
      .on(t.month, t.structureId, t.siteId, t.counselorId, t.partnerId, t.target, t.status)
      .nullsNotDistinct(),
  ],
);

/** Need assessments by month, site and counselor of their visit, domain and change (identified, resolved). */
export const statNeed = pgTable(
  "stat_need",
  {
    month: month(),
    structureId: structureId(),
    siteId: uuid("site_id"),
    counselorId: uuid("counselor_id"),
    domain: text("domain").notNull(),
    change: text("change").notNull(),
    n: n(),
  },
  (t) => [
    index("stat_need_structure_idx").on(t.structureId, t.month),
    unique("stat_need_key")
      .on(t.month, t.structureId, t.siteId, t.counselorId, t.domain, t.change)
      .nullsNotDistinct(),
  ],
);

/** Per person: first convocation, first visit (where, with whom), first right granted, open needs now. */
export const personMilestone = pgTable(
  "person_milestone",
  {
    personId: uuid("person_id").primaryKey(),
    structureId: structureId(),
    firstConvocationAt: timestamp("first_convocation_at", { withTimezone: true }),
    firstVisitAt: timestamp("first_visit_at", { withTimezone: true }),
    firstVisitSiteId: uuid("first_visit_site_id"),
    firstVisitCounselorId: uuid("first_visit_counselor_id"),
    firstGrantedAt: timestamp("first_granted_at", { withTimezone: true }),
    openNeeds: integer("open_needs").notNull().default(0),
  },
  (t) => [
    index("person_milestone_visit_idx").on(t.structureId, t.firstVisitAt),
    index("person_milestone_granted_idx").on(t.structureId, t.firstGrantedAt),
  ],
);
