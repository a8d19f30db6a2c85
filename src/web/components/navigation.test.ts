import { describe, expect, it } from "vitest";
import { roles } from "../../common/roles";
import { FLAT_MENU_LIMIT, isCurrent, type NavEntry, navFor, navGroups } from "./navigation";

/** An agent's menu as text: "Group > entry, entry" for a sub-menu, the entry alone for a link. */
const outline = (entries: NavEntry[]): string[] =>
  entries.map((entry) =>
    entry.kind === "link" ? entry.text : `${entry.text} > ${entry.links.map((l) => l.text).join(", ")}`,
  );

/** Every page an agent reaches from the menu, whatever its shape. */
const pages = (entries: NavEntry[]): string[] =>
  entries.flatMap((entry) => (entry.kind === "link" ? [entry.to] : entry.links.map((l) => l.to)));

describe("navFor", () => {
  it("groups the direction's many entries into a one-line menu", () => {
    expect(outline(navFor(["service_manager"]))).toEqual([
      "Accueil",
      "Personnes suivies",
      "Convocations",
      "Permanences",
      "Milieu fermé > Milieu fermé, Transferts reçus, Dossiers transmis",
      "Partenariat > Annuaire, Conventions, Actions collectives, Lettre d'information",
      "Pilotage",
      "Administration > Agents, Structure et lieux, SMS et courriels, Journal des accès, Conservation",
    ]);
  });

  it("groups a CPIP's entries, a group holding a single entry of theirs being a plain link", () => {
    expect(outline(navFor(["probation_officer"]))).toEqual([
      "Accueil",
      "Personnes suivies",
      "Convocations",
      "Milieu fermé > Milieu fermé, Transferts reçus, Dossiers transmis",
      "Partenariat > Annuaire, Actions collectives, Lettres d'information",
    ]);
  });

  it("keeps a short menu flat", () => {
    expect(outline(navFor(["counselor"]))).toEqual([
      "Accueil",
      "Personnes suivies",
      "Convocations",
      "Annuaire",
      "Actions collectives",
      "Lettres d'information",
    ]);
    expect(outline(navFor(["steering"]))).toEqual(["Accueil", "Pilotage"]);
    expect(outline(navFor(["partner_referent"]))).toEqual(["Accueil", "Lettres d'information"]);
    expect(outline(navFor(["mediator"]))).toEqual(["Accueil", "Médiation", "Lettres d'information"]);
    expect(outline(navFor(["admin"]))).toEqual([
      "Accueil",
      "Agents",
      "Comptes",
      "Structure et lieux",
      "Catalogue",
    ]);
  });

  it("gives each role exactly the pages its entries open to, grouped or not", () => {
    for (const role of roles) {
      const expected = navGroups.flatMap((g) => g.items).filter((item) => item.roles.includes(role));
      expect(pages(navFor([role])).sort()).toEqual(expected.map((item) => item.to).sort());
    }
  });

  it("shows an agent holding several roles each page once", () => {
    const menu = pages(navFor(["probation_officer", "counselor", "service_manager", "admin"]));
    expect(new Set(menu).size).toBe(menu.length);
    expect(menu).toContain("/catalogue");
    expect(menu).toContain("/lettres");
  });

  it("never shows a sub-menu of a single entry, nor more headings than fit on a line", () => {
    for (const role of roles) {
      const menu = navFor([role]);
      expect(menu.length).toBeLessThanOrEqual(Math.max(FLAT_MENU_LIMIT, 8));
      for (const entry of menu) if (entry.kind === "menu") expect(entry.links.length).toBeGreaterThan(1);
    }
  });
});

describe("isCurrent", () => {
  it("matches the entry's page and its sub-pages, not a page whose path merely starts alike", () => {
    expect(isCurrent("/personnes", "/personnes")).toBe(true);
    expect(isCurrent("/personnes", "/personnes/123/passage-de-relais")).toBe(true);
    expect(isCurrent("/lettre-information", "/lettre-information/nouvelle")).toBe(true);
    expect(isCurrent("/lettres", "/lettre-information")).toBe(false);
    expect(isCurrent("/actions", "/actionsx")).toBe(false);
  });

  it("matches the home only on itself", () => {
    expect(isCurrent("/", "/")).toBe(true);
    expect(isCurrent("/", "/personnes")).toBe(false);
  });
});
