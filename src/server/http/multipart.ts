import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import { AppError, errors } from "../../common/errors";
import { CONTROL_CHARACTER_MESSAGE, controlCharacterPaths } from "./controlCharacters";
import { unrecognizedKeyIssues } from "./unknownKeys";

/** Room for the multipart envelope and the fields around the file. */
const ENVELOPE_BYTES = 64 * 1024;

/** Every upload form sends its one file under this name (the contracts' `form`, the web client). */
export const FILE_FIELD = "file";

/** A field of the form sent more than once: which value is meant cannot be known (ADR 0010). */
export const FIELD_TWICE_MESSAGE = "Ce champ a été envoyé plusieurs fois : une seule valeur est attendue.";
/** More than one file where the form takes one. */
export const ONE_FILE_MESSAGE = "Un seul fichier par envoi : plusieurs fichiers ont été reçus.";
/** A multipart body the parser could not read to its end (cut short, parts without their headers). */
export const UNREADABLE_FORM_MESSAGE = "Le corps de la requête est illisible.";

/** What an upload route accepts, and how it refuses a file too large or missing. */
export interface UploadLimits {
  /** The file's size limit, in bytes. */
  maxBytes: number;
  /** The text fields the form takes besides the file: any other is refused, as in a JSON body. */
  fields: readonly string[];
  /**
   * The fields' schema, checked with the form's other problems (a field sent twice, an unknown one,
   * a control character): one 400 lists every issue, as a JSON body's does (ADR 0010).
   */
  schema?: z.ZodType;
  /** The route's refusal of a file (or a request announcing one) past the limit. */
  tooLarge: () => AppError;
  /** The route's refusal of a request holding no file (or not a form). */
  noFile: () => AppError;
}

export interface ReceivedUpload {
  /** The text fields, each sent once. */
  fields: Record<string, string>;
  fileName: string;
  bytes: Buffer;
}

type Issue = { path: string; message: string };

function isLimitError(cause: unknown, code: string): boolean {
  return (cause as { code?: string }).code === code;
}

/** Busboy's errors on a malformed body ("Unexpected end of multipart data", a boundary missing or too long…). */
function isUnreadableForm(cause: unknown): boolean {
  if (!(cause instanceof Error) || cause instanceof AppError) return false;
  const { code, statusCode } = cause as { code?: unknown; statusCode?: unknown };
  return code === undefined && statusCode === undefined && /multipart|boundary|needle/i.test(cause.message);
}

/**
 * The one parser of every upload (`multipart/form-data`): the text fields and the one file (sent
 * under "file"), read into memory up to the limit — a request announcing more is refused before anything is
 * read, a file passing the limit when it does. Read as strictly as a JSON body (ADR 0010): a field
 * sent twice, or a second file, is a 400 `request.invalid` naming it (never "the last one wins"); so
 * are a field the form does not take (« Clé non reconnue ») and a control character in a field,
 * listed in one answer with the fields' own problems (`schema`) and a missing file. An empty file
 * (0 bytes) is refused as no file, saying it is empty (`emptyFile`).
 * Nothing reaches the use case, so nothing is written.
 */
export async function receiveUpload(req: FastifyRequest, limits: UploadLimits): Promise<ReceivedUpload> {
  if (Number(req.headers["content-length"] ?? 0) > limits.maxBytes + ENVELOPE_BYTES) throw limits.tooLarge();
  // Not a form (a JSON body, say): no file was sent; its other keys are unknown to the form too.
  if (!req.isMultipart()) throw noFile(limits, unknownFieldIssues(limits, bodyKeys(req.body)));
  const fields: Record<string, string> = {};
  const seen = new Set<string>();
  const issues: Issue[] = [];
  const sentTwice = (name: string, message: string): void => {
    const path = `body.${name}`;
    if (!issues.some((issue) => issue.path === path)) issues.push({ path, message });
  };
  let file: { fileName: string; bytes: Buffer } | null = null;
  /** Whether any file part came (one refused as sent twice still did: that is the issue, not its absence). */
  let fileSent = false;
  try {
    for await (const part of req.parts({ limits: { fileSize: limits.maxBytes, files: 1, fields: 5 } })) {
      const twice = seen.has(part.fieldname);
      seen.add(part.fieldname);
      if (part.type === "file") {
        fileSent = true;
        const bytes = await part.toBuffer();
        if (twice) sentTwice(part.fieldname, ONE_FILE_MESSAGE);
        // The contracts name it "file"; a lone file under another name is still the file meant.
        else file = { fileName: part.filename, bytes };
      } else if (twice) {
        sentTwice(part.fieldname, FIELD_TWICE_MESSAGE);
      } else if (typeof part.value === "string") {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (cause) {
    if (isLimitError(cause, "FST_REQ_FILE_TOO_LARGE")) throw limits.tooLarge();
    // A second file (the form takes one): said under the file field, like a second value.
    if (isLimitError(cause, "FST_FILES_LIMIT")) {
      fileSent = true;
      sentTwice(FILE_FIELD, ONE_FILE_MESSAGE);
    }
    // The parser's own refusal of a body it cannot read (busboy's plain Error, no status): the
    // client's fault, a 400 like unreadable JSON, not a 500. Fastify's and the app's errors go on.
    else if (isUnreadableForm(cause))
      throw errors.request.invalid([{ path: "body", message: UNREADABLE_FORM_MESSAGE }]);
    else throw cause;
  }
  // A text sent as the file is no file (the route's own refusal says what to send), not an unknown field.
  // A field the form does not take is said so once, not also as sent twice.
  const unknownFields = unknownFieldIssues(limits, Object.keys(fields));
  const unknownPaths = new Set(unknownFields.map((issue) => issue.path));
  const formIssues = [...issues.filter((issue) => !unknownPaths.has(issue.path)), ...unknownFields];
  const controlIssues = controlCharacterPaths(fields, "body").map((path) => ({
    path,
    message: CONTROL_CHARACTER_MESSAGE,
  }));
  // A field already said (sent twice, a control character) gets that one message, not also its schema's.
  const said = new Set([...formIssues, ...controlIssues].map((issue) => issue.path));
  const schemaIssues = limits.schema
    ? schemaIssuesOf(limits.schema, fields, limits.fields).filter((issue) => !said.has(issue.path))
    : [];
  const all = [...formIssues, ...controlIssues, ...schemaIssues];
  // No file: the route's own refusal says what to send, with whatever else was wrong in the form.
  if (!fileSent) throw noFile(limits, all);
  if (all.length > 0) throw errors.request.invalid(all);
  if (!file) throw limits.noFile();
  if (file.bytes.length === 0) throw emptyFile(limits);
  return { fields, ...file };
}

export const EMPTY_FILE_MESSAGE = "Ce fichier est vide (0 octet).";

/**
 * An empty file (0 bytes) is no file: the route's own refusal of a request without one (its code),
 * saying first that the file is empty, under the file's field.
 */
function emptyFile(limits: UploadLimits): AppError {
  const refusal = limits.noFile();
  const message = `${EMPTY_FILE_MESSAGE} ${refusal.message}`;
  return new AppError(refusal.status, refusal.code, message, [{ path: `body.${FILE_FIELD}`, message }]);
}

/** The keys of a body that is not a form (a JSON object), none for anything else. */
function bodyKeys(body: unknown): string[] {
  return body !== null && typeof body === "object" && !Array.isArray(body) ? Object.keys(body) : [];
}

/** The fields the form does not take (the file's own name is the file, never unknown). */
function unknownFieldIssues(limits: UploadLimits, names: readonly string[]): Issue[] {
  const unknown = names.filter((name) => name !== FILE_FIELD && !limits.fields.includes(name));
  return unrecognizedKeyIssues("body", unknown);
}

/**
 * The route's refusal of a request holding no file: its code and French message, alone when nothing
 * else was wrong; else with the issues, the missing file first (under "file", as a refused file is).
 */
function noFile(limits: UploadLimits, issues: readonly Issue[]): AppError {
  const refusal = limits.noFile();
  if (issues.length === 0) return refusal;
  return new AppError(refusal.status, refusal.code, refusal.message, [
    { path: `body.${FILE_FIELD}`, message: refusal.message },
    ...issues,
  ]);
}

/**
 * The schema's issues on the fields the form takes, each under `body.<field>` (an unknown field is
 * said once, by `receiveUpload`, not also by a strict schema).
 */
function schemaIssuesOf(
  schema: z.ZodType,
  fields: Record<string, string>,
  taken: readonly string[],
): Issue[] {
  const known = Object.fromEntries(Object.entries(fields).filter(([name]) => taken.includes(name)));
  const result = schema.safeParse(known);
  if (result.success) return [];
  return result.error.issues
    .filter((issue) => issue.code !== "unrecognized_keys")
    .map((issue) => ({ path: ["body", ...issue.path].join("."), message: issue.message }));
}
