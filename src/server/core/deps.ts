import type { Db } from "../db/createDb";
import type { FigureCache } from "../domains/reporting/figureCache";
import type { Clock } from "./clock";
import type { Config } from "./config";

/** What every use case may need: the database, the time, the configuration. Built once in main.ts. */
export interface Deps {
  db: Db;
  clock: Clock;
  config: Pick<
    Config,
    | "SESSION_IDLE_MINUTES"
    | "SESSION_ABSOLUTE_HOURS"
    | "PUBLIC_URL"
    | "SMS_WEBHOOK_TOKEN"
    | "EXPORT_TIMEOUT_MS"
    | "DOCUMENT_KEYS"
  > &
    Partial<Pick<Config, "HANDOVER_FIRST_CONVOCATION_DAYS">>;
  /** The steering figures already computed, while still exact (ADR 0022); none: always computed. */
  figureCache?: FigureCache;
}

/** Who is calling, before we know it is an agent: for the journal and rate limits. */
export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent: string;
}
