import MarkdownIt from "markdown-it";

/** Only these link schemes survive; anything else (javascript:, data:, vbscript:…) is not a link. */
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

/**
 * The newsletter's Markdown (ADR 0032), the same on the server (frozen at send, e-mail) and in the
 * composer's live preview: raw HTML is shown as text (`html: false`), bare addresses become links,
 * only http(s) and mailto links are kept, and an image is its alternative text.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: true });
md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());
// An image is read as one (not as « ! » and a link) and shown as its alternative text alone: an
// e-mail never loads a picture from elsewhere (a tracking pixel tells who opened it, ADR 0032).
md.renderer.rules.image = (tokens, idx, options, env, self) =>
  md.utils.escapeHtml(self.renderInlineAsText(tokens[idx]?.children ?? [], options, env));
// `validateLink` is not asked about an empty destination ("[texte]()"): such a link becomes its text.
md.core.ruler.push("drop_unsafe_links", (state) => {
  for (const block of state.tokens) {
    let dropping = 0;
    for (const token of block.children ?? []) {
      if (
        token.type === "link_open" &&
        (dropping > 0 || !SAFE_LINK.test(String(token.attrGet("href") ?? "")))
      ) {
        dropping += 1;
        token.type = "text";
        token.tag = "";
        token.content = "";
        token.attrs = null;
      } else if (token.type === "link_close" && dropping > 0) {
        dropping -= 1;
        token.type = "text";
        token.tag = "";
        token.content = "";
      }
    }
  }
});

const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token && /^https?:/i.test(String(token.attrGet("href") ?? "")))
    token.attrSet("rel", "noopener noreferrer");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** The tags the renderer may produce: anything else in its output is a bug (tested). */
export const allowedTags = [
  "p",
  "br",
  "strong",
  "em",
  "a",
  "ul",
  "ol",
  "li",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "code",
  "pre",
  "hr",
  "s",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
] as const;
