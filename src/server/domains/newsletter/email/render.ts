import { render } from "@react-email/render";
import { createElement } from "react";
import type { IssueContent } from "../../../../common/newsletter/newsletter.schema";
import { NewsletterEmail } from "./NewsletterEmail";

/** Stands for each recipient's unsubscribe link: the issue is rendered once, the link put in per recipient. */
export const UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.placeholder.invalid/link";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** The e-mail of an issue (HTML and its text alternative), with the placeholder for the unsubscribe link. */
export async function renderNewsletterEmail(content: IssueContent): Promise<RenderedEmail> {
  const element = createElement(NewsletterEmail, { content, unsubscribeUrl: UNSUBSCRIBE_PLACEHOLDER });
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return {
    subject: `${content.structureName} — Lettre d'information n° ${content.number} : ${content.title}`,
    html,
    // The text alternative writes the footer's « Se désabonner » with its address: said once.
    text: `${text.trim()}\n`,
  };
}

/** One recipient's copy: their own unsubscribe link everywhere the placeholder stands. */
export function personalise(rendered: RenderedEmail, unsubscribeUrl: string): RenderedEmail {
  return {
    subject: rendered.subject,
    html: rendered.html.split(UNSUBSCRIBE_PLACEHOLDER).join(unsubscribeUrl),
    text: rendered.text.split(UNSUBSCRIBE_PLACEHOLDER).join(unsubscribeUrl),
  };
}

/** What the preview tells in place of the unsubscribe link, which each recipient gets their own of. */
export const PREVIEW_UNSUBSCRIBE_TEXT = "(lien de désabonnement propre à chaque destinataire)";

/**
 * The copy the direction previews: the text alternative says that each recipient has their own
 * unsubscribe link, the HTML's link leads nowhere (never the placeholder's address).
 */
export function forPreview(rendered: RenderedEmail): RenderedEmail {
  return {
    subject: rendered.subject,
    html: rendered.html.split(UNSUBSCRIBE_PLACEHOLDER).join("#"),
    text: rendered.text.split(UNSUBSCRIBE_PLACEHOLDER).join(PREVIEW_UNSUBSCRIBE_TEXT),
  };
}
