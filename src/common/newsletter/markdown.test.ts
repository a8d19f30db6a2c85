import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allowedTags, renderMarkdown } from "./markdown";

const tagsOf = (html: string): string[] =>
  [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)\b/g)].map((m) => (m[1] as string).toLowerCase());
const hrefsOf = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] as string);
const attributesOf = (html: string): string[] =>
  [...html.matchAll(/<[a-zA-Z][a-zA-Z0-9]*([^>]*)>/g)].flatMap((m) =>
    [...(m[1] ?? "").matchAll(/([^\s="'>/]+)(?:="[^"]*")?/g)].map((a) => (a[1] as string).toLowerCase()),
  );

describe("newsletter Markdown", () => {
  it("an image is its alternative text: nothing loaded from outside, no « ! » and no link (ADR 0032)", () => {
    expect(renderMarkdown("Voir ![le plan d'accès](https://x.fr/plan.png) ici")).toBe(
      "<p>Voir le plan d'accès ici</p>\n",
    );
    expect(renderMarkdown('![<b>Plan</b> & "accès"](https://x.fr/a.png "titre")')).toBe(
      "<p>&lt;b&gt;Plan&lt;/b&gt; &amp; &quot;accès&quot;</p>\n",
    );
    expect(renderMarkdown("Avant ![](https://x.fr/pixel.gif) après")).toBe("<p>Avant  après</p>\n");
    // An image inside a link: the link stays, with the image's text as its text.
    expect(renderMarkdown("[![Logo](https://x.fr/logo.png)](https://x.fr)")).toBe(
      '<p><a href="https://x.fr" rel="noopener noreferrer">Logo</a></p>\n',
    );
  });

  it("shows typed HTML as text: a script, an image with onerror, an iframe", () => {
    const html = renderMarkdown(
      'Bonjour <script>alert("x")</script>\n\n<img src=x onerror="alert(1)">\n\n<iframe src="https://evil.example"></iframe>',
    );
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("&lt;img src=x onerror=");
    expect(tagsOf(html)).not.toContain("script");
    expect(tagsOf(html)).not.toContain("img");
    expect(tagsOf(html)).not.toContain("iframe");
  });

  it("keeps http(s) and mailto links, drops javascript:, data: and vbscript: ones", () => {
    const html = renderMarkdown(
      "[site](https://www.caf.fr) [mail](mailto:contact@caf77.invalid) [x](javascript:alert(1)) [y](data:text/html;base64,PHNjcmlwdD4=) [z](vbscript:msgbox)",
    );
    expect(hrefsOf(html)).toEqual(["https://www.caf.fr", "mailto:contact@caf77.invalid"]);
    expect(html).toContain("[x](javascript:alert(1))");
  });

  it("turns a bare address into a link, and renders emphasis and lists", () => {
    const html = renderMarkdown("Voir https://www.france-services.gouv.fr\n\n- **gras**\n- *italique*");
    expect(hrefsOf(html)).toEqual(["https://www.france-services.gouv.fr"]);
    expect(html).toContain("<strong>gras</strong>");
    expect(html).toContain("<em>italique</em>");
  });

  it("never yields a tag outside the allowed list, an event attribute or an unsafe link (property)", () => {
    const pieces = fc.constantFrom(
      "<",
      ">",
      "<script>",
      "</script>",
      "<img src=x onerror=alert(1)>",
      "javascript:",
      "JaVaScRiPt:alert(1)",
      "[lien](",
      ")",
      "](javascript:alert(1))",
      "<a href='javascript:x'>",
      "&#106;avascript:",
      "**",
      "_",
      "\n",
      "\n\n",
      "- ",
      "# ",
      "`",
      "http://a.fr",
      "mailto:x@y.fr",
      '"',
      "'",
      " onerror=",
      "<svg onload=alert(1)>",
      "data:text/html,",
      "![img](https://x.fr/a.png)",
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 5 })), { maxLength: 30 }), (parts) => {
        const html = renderMarkdown(parts.join(""));
        for (const tag of tagsOf(html)) expect(allowedTags as readonly string[]).toContain(tag);
        for (const href of hrefsOf(html)) expect(href).toMatch(/^(https?:\/\/|mailto:)/i);
        for (const attribute of attributesOf(html))
          expect(["href", "rel", "start", "style"]).toContain(attribute);
      }),
      { numRuns: 500 },
    );
  });
});
