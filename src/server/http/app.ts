import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { constants as zlib } from "node:zlib";
import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import multipart from "@fastify/multipart";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler } from "fastify-type-provider-zod";
import { errors } from "../../common/errors";
import type { Deps } from "../core/deps";
import { createReadiness, type Readiness } from "../core/readiness";
import type { ProConnectClient } from "../domains/identity/proconnect/client";
import { pendingRevocations } from "../domains/identity/revocations";
import { isApiRequest } from "./apiRequest";
import { clientErrorHandler } from "./clientErrors";
import { registerErrorHandler, sendAppError } from "./errorHandler";
import { type LogOptions, redactedLogger } from "./logRedaction";
import { accompanimentRouter } from "./routers/accompaniment.router";
import { actionsRouter } from "./routers/actions.router";
import { agendaRouter } from "./routers/agenda.router";
import { auditRouter } from "./routers/audit.router";
import { authRouter } from "./routers/auth.router";
import { consentRouter } from "./routers/consent.router";
import { conventionsRouter } from "./routers/conventions.router";
import { detentionRouter } from "./routers/detention.router";
import { directoryRouter } from "./routers/directory.router";
import { documentsRouter } from "./routers/documents.router";
import { fundingsRouter } from "./routers/fundings.router";
import { handoverRouter } from "./routers/handover.router";
import { homeRouter } from "./routers/home.router";
import { importsRouter } from "./routers/imports.router";
import { newsletterRouter } from "./routers/newsletter.router";
import { notificationsRouter } from "./routers/notifications.router";
import { opsRouter } from "./routers/ops.router";
import { orientationsRouter } from "./routers/orientations.router";
import { peopleRouter } from "./routers/people.router";
import { proconnectRouter } from "./routers/proconnect.router";
import { reportingRouter } from "./routers/reporting.router";
import { retentionRouter } from "./routers/retention.router";
import { structuresRouter } from "./routers/structures.router";
import { cookieSettings, registerSessionAndCsrf } from "./security";
import { type RequestTimeouts, registerRequestTimeout } from "./timeouts";

const colorSchemeStyleHashes = ["light", "dark"].map(
  (scheme) =>
    `'sha256-${createHash("sha256").update(`:root { color-scheme: ${scheme}; }`).digest("base64")}'`,
);

const PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()";

/** Below this size a compressed answer would not be worth the work. */
export const COMPRESS_THRESHOLD_BYTES = 1024;
const COMPRESSIBLE_TYPES =
  /^(?:text\/(?!event-stream)[\w.+-]+|application\/(?:json|javascript|xml|problem\+json)|image\/svg\+xml)(?:;|$)/;

/**
 * Vite names every built file under `/assets/` after a hash of its content: a new version gets a new
 * name, so a browser may keep these for a year without asking. Everything else (the HTML shell, the
 * favicon, the icon stylesheet) keeps its address across versions: the browser revalidates it.
 * `filePath` may be the precompressed sibling (`.br`, `.gz`) that @fastify/static sends.
 */
export function cacheControlFor(filePath: string): string {
  return /[\\/]assets[\\/][^\\/]+-[\w-]{8}\.\w+(\.br|\.gz)?$/.test(filePath)
    ? "public, max-age=31536000, immutable"
    : "no-cache";
}

export interface AppOptions {
  deps: Deps;
  publicUrl: string;
  /** Folder of the built web app; when absent, only the API is served. */
  webDir?: string;
  /** Request and error logs (none when absent); secrets in URLs are redacted (logRedaction.ts). */
  logger?: LogOptions;
  /** Reverse proxies whose X-Forwarded-For gives the client's address (TRUST_PROXY); none when empty. */
  trustProxy?: string[];
  /** Unset (tests): no request timeout. */
  timeouts?: RequestTimeouts;
  /** ProConnect's client when it is configured (ADR 0023); none: local accounts only. */
  proconnect?: ProConnectClient | null;
  /** What `/readyz` checks; unset: the database and its migrations only (no background loop). */
  readiness?: Readiness;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { deps, publicUrl } = options;
  const https = new URL(publicUrl).protocol === "https:";
  const app = Fastify({
    logger: options.logger ? redactedLogger(options.logger) : false,
    trustProxy: options.trustProxy?.length ? options.trustProxy : false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1_048_576,
    // What Node refuses before routing (an address past 16 KB: 431) answers in the app's shape.
    clientErrorHandler,
    // What the router refuses, in the app's shape with its request id: an address Fastify cannot
    // decode ("/api/%ZZ") is a French 400; a path segment past `maxParamLength` (100) names no
    // route, a 404 as for any method (a GET past it already reaches the web app's 404). Only an
    // asynchronous constraint that failed (none is declared) is the server's fault.
    frameworkErrors: (error, req, reply) =>
      sendAppError(
        req,
        reply,
        error.code === "FST_ERR_BAD_URL"
          ? errors.request.invalid([{ path: "url", message: "Adresse mal formée." }])
          : error.code === "FST_ERR_MAX_PARAM_LENGTH"
            ? errors.request.notFound()
            : errors.request.internal(),
      ),
  });
  // Inputs are validated by the route contracts (mount.ts), which list every issue at once;
  // Fastify's compiled validation is turned off, its schemas only feed the OpenAPI document. The
  // validator answers `true` (valid) and leaves each part as sent: returning `{ value }` would turn
  // an absent body into `null`, which mount.ts must tell apart from a JSON `null` (refused).
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(serializerCompiler);
  // Only JSON bodies: a cross-site HTML form cannot send one without a CORS preflight.
  app.removeContentTypeParser("text/plain");

  await app.register(cookie);
  // API answers are compressed on the fly (the web app's files are compressed at build time).
  // Only text types: PDFs and spreadsheets are already compressed, and nothing here streams events.
  await app.register(compress, {
    global: true,
    threshold: COMPRESS_THRESHOLD_BYTES,
    encodings: ["br", "gzip"],
    customTypes: COMPRESSIBLE_TYPES,
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // The only inline style is react-dsfr's `:root { color-scheme: light|dark; }`: allowed by hash.
        styleSrc: ["'self'", ...colorSchemeStyleHashes],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(swagger, {
    openapi: { info: { title: "Passerelle API", version: "0.1.0" } },
    transform: jsonSchemaTransform,
  });

  // Only the caseload import takes files; each route reads its parts itself, within its limits.
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 5 } });
  registerErrorHandler(app);
  // The API's answers carry people's data: no browser or proxy keeps them (files set their own).
  // No page needs the camera, the microphone, the position or payments: no page, nor anything
  // injected into one, may ask for them.
  app.addHook("onSend", async (req, reply) => {
    reply.header("permissions-policy", PERMISSIONS_POLICY);
    if (isApiRequest(req) && !reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
  });
  if (options.timeouts) registerRequestTimeout(app, options.timeouts);
  const cookieConfig = cookieSettings(publicUrl);
  const revocations = pendingRevocations(deps);
  app.addHook("onClose", async () => revocations.stop());
  registerSessionAndCsrf(app, deps, cookieConfig, new URL(publicUrl).origin, revocations);

  app.get("/api/health", { schema: { hide: true } }, async () => ({ status: "ok" }));
  // A map of every route and field, for developers: signed-in agents only (ADR 0007).
  app.get("/api/openapi.json", { schema: { hide: true } }, async (req, reply) => {
    if (!req.session) throw errors.auth.unauthenticated();
    if (req.session.stage !== "active") throw errors.auth.secondFactorRequired();
    reply.header("cache-control", "no-store");
    return app.swagger();
  });
  authRouter(app, deps, cookieConfig, options.proconnect ?? null, revocations);
  proconnectRouter(app, deps, cookieConfig, options.proconnect ?? null);
  peopleRouter(app, deps);
  auditRouter(app, deps);
  structuresRouter(app, deps);
  agendaRouter(app, deps);
  notificationsRouter(app, deps);
  accompanimentRouter(app, deps);
  consentRouter(app, deps);
  handoverRouter(app, deps);
  orientationsRouter(app, deps);
  retentionRouter(app, deps);
  reportingRouter(app, deps);
  homeRouter(app, deps);
  opsRouter(app, deps, options.readiness ?? createReadiness(deps.db));
  importsRouter(app, deps);
  detentionRouter(app, deps);
  documentsRouter(app, deps);
  directoryRouter(app, deps);
  conventionsRouter(app, deps);
  fundingsRouter(app, deps);
  actionsRouter(app, deps);
  newsletterRouter(app, deps);

  if (options.webDir && existsSync(path.join(options.webDir, "index.html"))) {
    await app.register(fastifyStatic, {
      root: path.resolve(options.webDir),
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, filePath) => res.header("cache-control", cacheControlFor(filePath)),
    });
    // The single-page app answers every non-API path; its router shows its own 404 page.
    app.get("/*", { schema: { hide: true } }, (req, reply) => {
      // A missing file of the app (an old build's script) is a 404, not the page in its place; so
      // is an unknown API address, however it is spelled (the wildcard is the path as decoded).
      const rest = (req.params as { "*"?: string })["*"] ?? "";
      if (/^(api|assets|dsfr)\//.test(rest) || /^\/(api|assets|dsfr)\//.test(req.url))
        return reply.callNotFound();
      return reply.header("cache-control", "no-cache").sendFile("index.html");
    });
  }
  return app;
}
