import { describe, expect, it } from "vitest";
import { personalise, renderNewsletterEmail } from "./render";

describe("the newsletter e-mail", () => {
  it("gives each recipient's unsubscribe link once in the text alternative, and in the HTML", async () => {
    const rendered = await renderNewsletterEmail({
      structureName: "France services SPIP 77",
      number: 3,
      title: "Décembre",
      blocks: [],
    });
    const mine = personalise(rendered, "https://passerelle.example.fr/desabonnement/abc");
    expect(mine.text.split("https://passerelle.example.fr/desabonnement/abc")).toHaveLength(2);
    expect(mine.text).toContain("Se désabonner");
    expect(mine.html).toContain('href="https://passerelle.example.fr/desabonnement/abc"');
  });
});
