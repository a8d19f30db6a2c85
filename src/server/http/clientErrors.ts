import { randomUUID } from "node:crypto";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyInstance } from "fastify";
import { type AppError, errors } from "../../common/errors";

/** What Node reports on a request it could not read, before Fastify routes it. */
function errorFor(code: string | undefined): AppError {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return errors.request.headersTooLarge();
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return errors.request.timeout();
    default:
      return errors.request.malformed();
  }
}

/**
 * Fastify's `clientErrorHandler`: a request Node refused before routing (an address and headers
 * past 16 KB, a request that is not HTTP, one that came too slowly) is answered in the app's shape
 * — code, French message, request id — instead of Fastify's English body. Written on the socket,
 * which is then closed (as Node and Fastify do): nothing else can be read from it.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string },
  socket: Socket,
): void {
  // A connection reset: the socket is gone, nothing to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const appError = errorFor(error.code);
  const requestId = randomUUID();
  this.log.info({ code: error.code, requestId }, "client error");
  if (socket.writable) {
    const body = JSON.stringify({ code: appError.code, message: appError.message, requestId });
    socket.write(
      [
        `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status] ?? ""}`,
        `Content-Type: application/json; charset=utf-8`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        `x-request-id: ${requestId}`,
        "Cache-Control: no-store",
        "Connection: close",
        "",
        body,
      ].join("\r\n"),
    );
  }
  socket.destroy(error);
}
