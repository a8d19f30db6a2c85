import type { FastifyReply } from "fastify";
import { attachmentHeader } from "../domains/documents/rules";

/**
 * A file sent to be saved, never shown inside the application's origin: its name (accents kept in
 * `filename*`), no type sniffing, and a sandbox policy so that a PDF or an image someone uploaded,
 * opened in a tab, runs nothing with the agent's session. Every download route answers through it.
 */
export function asAttachment(reply: FastifyReply, mediaType: string, fileName: string): FastifyReply {
  return reply
    .type(mediaType)
    .header("content-disposition", attachmentHeader(fileName))
    .header("x-content-type-options", "nosniff")
    .header("content-security-policy", "default-src 'none'; sandbox");
}
