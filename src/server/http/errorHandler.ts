import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError, type AppErrorBody, errors } from "../../common/errors";
import { JournalWriteFailed } from "../core/audit";
import {
  errorForLog,
  isDatabaseUnavailable,
  violatedUniqueConstraint,
  withoutParametersText,
} from "../core/dbErrors";

/**
 * Unique indexes that hold a rule of the domain: a write that breaks one lost a race to another
 * request that wrote the same thing at the same moment (checked first, in sequence, it would have
 * been refused with this error). Answered as that refusal rather than a 500.
 */
const UNIQUE_CONSTRAINT_ERRORS: Record<string, () => AppError> = {
  consent_one_active_uq: errors.consent.changedMeanwhile,
  referent_one_active_uq: errors.person.referentChangedMeanwhile,
  visit_convocation_id_unique: errors.accompaniment.visitExists,
  transfer_one_open_uq: errors.handover.transferOpen,
};

/** The domain's refusal for a unique violation on one of the indexes above, if it is one. */
export function refusalForUniqueViolation(error: unknown): AppError | undefined {
  const constraint = violatedUniqueConstraint(error);
  return constraint ? UNIQUE_CONSTRAINT_ERRORS[constraint]?.() : undefined;
}

/** @fastify/multipart's limits on the number of parts, fields and files (not on their size). */
const MULTIPART_COUNT_LIMITS = new Set(["FST_PARTS_LIMIT", "FST_FIELDS_LIMIT", "FST_FILES_LIMIT"]);

/**
 * One error handler: catalogue errors keep their status and code; malformed JSON is a 400, a body
 * too large (or a form with too many parts) a 413; a database that cannot answer (connection lost,
 * restart, timeout) is a 503 the user may retry, and so is a journal row that could not be written
 * (logged as an error: the journal refused it); a unique violation on an index that holds a rule of
 * the domain (a race lost to the same write) is that rule's 409; any other error is logged with its
 * request id and answered with a generic 500 (no stack trace).
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, req, reply) => {
    let appError: AppError;
    const refusal = refusalForUniqueViolation(error);
    if (error instanceof AppError) {
      appError = error;
    } else if (
      !isResponseSerializationError(error) &&
      typeof error.statusCode === "number" &&
      error.statusCode >= 400 &&
      error.statusCode < 500
    ) {
      // Fastify's own client errors: unparsable JSON, unsupported media type, body too large...
      // A body past the limit (bodyLimit, or a multipart past its parts' limits) is a 413.
      if (error.statusCode === 413)
        appError = MULTIPART_COUNT_LIMITS.has(error.code)
          ? errors.request.tooManyParts()
          : errors.request.tooLarge();
      else if (error.statusCode === 415)
        appError = errors.request.invalid([
          { path: "body", message: "Le corps de la requête doit être du JSON." },
        ]);
      else
        appError = errors.request.invalid([
          { path: "body", message: "Le corps de la requête est illisible." },
        ]);
    } else if (refusal) {
      appError = refusal;
    } else if (isDatabaseUnavailable(error)) {
      // Never the failed query's text nor its parameters (a person's data): class and code only.
      req.log.warn({ error: errorForLog(error), requestId: req.id }, "database unavailable");
      appError = errors.service.unavailable();
    } else if (error instanceof JournalWriteFailed) {
      req.log.error({ error: errorForLog(error), requestId: req.id }, "journal write failed");
      appError = errors.service.unavailable();
    } else {
      req.log.error({ err: withoutParameters(error), requestId: req.id }, "unexpected error");
      appError = errors.request.internal();
    }
    return sendAppError(req, reply, appError);
  });

  app.setNotFoundHandler((req, reply) => sendAppError(req, reply, errors.request.notFound()));
}

/** A catalogue error as every answer gives it: status, code, French message, request id, issues. */
export function sendAppError(req: FastifyRequest, reply: FastifyReply, appError: AppError): FastifyReply {
  const body: AppErrorBody = { code: appError.code, message: appError.message, requestId: req.id };
  if (appError.issues) body.issues = appError.issues;
  if (appError.retryAfterSeconds) reply.header("retry-after", String(appError.retryAfterSeconds));
  return reply.status(appError.status).type("application/json").send(body);
}

/**
 * An unexpected error as it may be logged: a failed query's message holds its parameters (a person's
 * data) after "params:" — cut, in the message and in the stack's head; the frames stay.
 */
export function withoutParameters(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (!/params:/.test(error.message)) return error;
  const safe = new Error(withoutParametersText(error.message));
  safe.name = error.name;
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  safe.stack = [`${safe.name}: ${safe.message}`, ...frames].join("\n");
  return safe;
}
