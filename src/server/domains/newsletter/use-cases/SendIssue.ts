import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { errors } from "../../../../common/errors";
import { blockSchema, type IssueDetail } from "../../../../common/newsletter/newsletter.schema";
import { journalFor } from "../../../core/audit";
import type { RequestContext } from "../../../core/context";
import type { Deps } from "../../../core/deps";
import { newsletterDelivery, newsletterIssue } from "../../../db/schema";
import { enqueueContactEmails } from "../../notifications/outbox";
import { loadIssue } from "../access";
import { resolveIssue, subscribedContacts } from "../content";
import { personalise, renderNewsletterEmail, UNSUBSCRIBE_PLACEHOLDER } from "../email/render";
import { detailOf } from "./Issues";

/** Rows per INSERT (well under PostgreSQL's 65,535 parameters for the outbox's columns). */
const CHUNK = 1000;

export const tokenHash = (token: string): string => createHash("sha256").update(token).digest("hex");
export const unsubscribeUrl = (publicUrl: string, token: string): string =>
  `${publicUrl.replace(/\/$/, "")}/desabonnement/${token}`;

/**
 * Sends a draft to every subscribed contact, in one transaction: the issue is locked and must still
 * be a draft (a second send answers 409), the recipient count must be the one the direction
 * confirmed, the content is frozen, and each recipient gets a delivery row and an outbox e-mail
 * carrying their own unsubscribe link (body, HTML, List-Unsubscribe headers — RFC 8058). Only the
 * SHA-256 of each link's token is kept.
 */
export async function sendIssue(
  deps: Deps,
  ctx: RequestContext,
  issueId: string,
  confirmedRecipients: number,
): Promise<IssueDetail> {
  const sent = await deps.db.transaction(async (tx) => {
    const issue = await loadIssue(tx, ctx, issueId, true);
    if (issue.status !== "draft") throw errors.newsletter.notDraft();
    const contacts = await subscribedContacts(tx, issue.structureId);
    if (contacts.length === 0) throw errors.newsletter.noRecipients();
    if (contacts.length !== confirmedRecipients) throw errors.newsletter.recipientsChanged();
    const now = ctx.clock.now();
    const content = await resolveIssue(
      { ...deps, db: tx },
      { ...issue, blocks: blockSchema.array().parse(issue.blocks) },
    );
    const rendered = await renderNewsletterEmail(content);
    const links = contacts.map(() => randomBytes(32).toString("base64url"));
    for (let start = 0; start < contacts.length; start += CHUNK) {
      const part = contacts.slice(start, start + CHUNK);
      const tokens = links.slice(start, start + CHUNK);
      const ids = await enqueueContactEmails(tx, {
        structureId: issue.structureId,
        kind: "newsletter",
        now,
        messages: part.map((c, i) => {
          const url = unsubscribeUrl(deps.config.PUBLIC_URL, tokens[i] as string);
          const mail = personalise(rendered, url);
          return {
            directoryContactId: c.id,
            email: c.email,
            subject: mail.subject,
            body: mail.text,
            html: mail.html,
            headers: {
              "List-Unsubscribe": `<${url}>`,
              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
          };
        }),
      });
      await tx.insert(newsletterDelivery).values(
        part.map((c, i) => ({
          issueId,
          directoryContactId: c.id,
          email: c.email,
          notificationId: ids[i] ?? null,
          tokenHash: tokenHash(tokens[i] as string),
          createdAt: now,
        })),
      );
    }
    const archived = unsubscribeUrl(deps.config.PUBLIC_URL, "");
    const [row] = await tx
      .update(newsletterIssue)
      .set({
        status: "sent",
        content,
        html: rendered.html.split(UNSUBSCRIBE_PLACEHOLDER).join(archived),
        text: rendered.text.split(UNSUBSCRIBE_PLACEHOLDER).join(archived),
        sentAt: now,
        sentBy: ctx.actor.userId,
        updatedAt: now,
      })
      .where(eq(newsletterIssue.id, issueId))
      .returning();
    if (!row) throw errors.newsletter.notFound();
    await journalFor(tx, ctx, {
      action: "newsletter.send",
      targetType: "newsletter_issue",
      targetId: issueId,
      structureId: issue.structureId,
      reason: `${contacts.length} destinataire${contacts.length > 1 ? "s" : ""}`,
    });
    return row;
  });
  return detailOf(deps, sent);
}
