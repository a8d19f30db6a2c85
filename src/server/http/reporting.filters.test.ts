/**
 * Which filters narrow which figure: the metadata the dashboard carries (common/reporting/definitions.ts)
 * checked against what the queries do. On six months of demo activity, each filter is set to a site,
 * partner or counselor with no activity at all: a figure or column the filter narrows must fall to
 * 0 (or no value), one it does not narrow must stay exactly as without the filter.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  filterNotes,
  type NarrowingFilter,
  narrowingFilterLabels,
  narrowingFilters,
  type SectionId,
  sectionFilters,
} from "../../common/reporting/definitions";
import type { Dashboard, FilterChoices } from "../../common/reporting/reporting.schema";
import type { SectionFigures } from "../../common/reporting/sections.schema";
import { parisInstant } from "../core/parisTime";
import { auditEvent, collectiveAction, demarcheType, membership, partner, person, site } from "../db/schema";
import { seedDemoActivity } from "../db/seed/demoActivity";
import { anAgent } from "../testing/builders";
import { convokedOnce, demo, startTestApp, type TestApp, territoriesOf } from "../testing/testApp";

let t: TestApp;
const period = "from=2026-01&to=2026-05";
const idle = {} as Record<NarrowingFilter, string>;

beforeAll(async () => {
  t = await startTestApp();
  // Demo activity is loaded like `npm start` loads it: by the database owner (it creates a helper
  // function, which the server's role may not).
  const owner = await t.handle.openOwnerPool();
  await seedDemoActivity(owner.db, t.clock.now());
  await owner.close();
  const [emptySite] = await t.handle.db
    .insert(site)
    .values({ structureId: t.demoStructureId, name: "Site sans activité", kind: "mobile", address: "—" })
    .returning();
  const [emptyPartner] = await t.handle.db
    .insert(partner)
    .values({ code: "idle-partner", name: "Partenaire sans démarche", kind: "association" })
    .returning();
  const counselor = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
  Object.assign(idle, { siteId: emptySite!.id, partnerId: emptyPartner!.id, counselorId: counselor.id });
}, 120_000);
afterAll(() => t.close());

const dashboardOf = async (query: string): Promise<Dashboard> => {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/reporting/dashboard?${period}${query}`,
    headers: await t.sessionFor(demo.manager),
  });
  expect(response.statusCode).toBe(200);
  return response.json();
};
const nothing = (value: number | null | undefined) => value === 0 || value === null || value === undefined;

describe("GET /api/reporting/dashboard: the filters each figure and table declares", () => {
  it("every figure and table has a definition and declares its filters", async () => {
    const all = await dashboardOf("");
    for (const item of [...all.figures, ...all.tables]) {
      expect(item.definition.length, item.id).toBeGreaterThan(40);
      expect(item.filters.every((f) => narrowingFilters.includes(f))).toBe(true);
    }
    // The demo activity gives every figure a value, so the checks below bite.
    expect(all.figures.filter((f) => nothing(f.value)).map((f) => f.id)).toEqual([]);
  });

  it.each(narrowingFilters)(
    "%s: what it narrows falls to nothing on an idle value, the rest is unchanged",
    async (filter) => {
      const all = await dashboardOf("");
      const narrowed = await dashboardOf(`&${filter}=${idle[filter]}`);
      for (const f of all.figures) {
        const value = narrowed.figures.find((x) => x.id === f.id)?.value;
        if (f.filters.includes(filter)) expect(nothing(value), `${f.id} is narrowed`).toBe(true);
        else expect(value, `${f.id} is not narrowed`).toBe(f.value);
      }
      for (const table of all.tables) {
        const other = narrowed.tables.find((x) => x.id === table.id);
        table.columns.forEach((column, c) => {
          const applies = (column.filters ?? table.filters).includes(filter);
          for (const row of table.rows) {
            const value = other?.rows.find((r) => r.label === row.label)?.values[c];
            const where = `${table.id} / ${row.label} / ${column.label}`;
            if (applies) expect(nothing(value), `${where} is narrowed`).toBe(true);
            else expect(value, `${where} is not narrowed`).toBe(row.values[c]);
          }
        });
      }
    },
  );

  // Outside review (2026-12-05): the territories compared declared the partner filter for the whole
  // table, while its people accompanied and no-show rate are the dashboard's figures, which the
  // partner does not narrow; the files said « ne s'applique pas » for the site and counselor only.
  it.each(narrowingFilters)(
    "%s: the territories compared narrow what their columns declare, and nothing else",
    async (filter) => {
      const all = (await territoriesOf(t, demo.manager, period)).table;
      const narrowed = (await territoriesOf(t, demo.manager, `${period}&${filter}=${idle[filter]}`)).table;
      const dashboard = await dashboardOf("");
      // The dashboard's figure each column reads (CompareTerritories.ts), in the columns' order.
      const ids = [
        "accompanied",
        "demarchesPerPerson",
        "grantedShare",
        "noShowRate",
        "answerDays",
        "orientations",
      ];
      expect(all.columns).toHaveLength(ids.length);
      all.columns.forEach((column, c) => {
        // The same filters as the dashboard's figure of that column (the partner only applies).
        const figure = dashboard.figures.find((f) => f.id === ids[c])!;
        expect(column.filters ?? all.filters, column.label).toEqual(
          figure.filters.filter((f) => f === "partnerId"),
        );
        const applies = (column.filters ?? all.filters).includes(filter);
        const value = narrowed.rows[0]?.values[c];
        const where = `territories / ${column.label}`;
        expect(nothing(all.rows[0]?.values[c]), `${where} has a value to lose`).toBe(false);
        if (applies) expect(nothing(value), `${where} is narrowed`).toBe(true);
        else expect(value, `${where} is not narrowed`).toBe(all.rows[0]?.values[c]);
      });
    },
  );

  it("says which chosen filter does not apply, to a figure, a table or some of its columns", async () => {
    const all = await dashboardOf("");
    const figure = (id: string) => all.figures.find((f) => f.id === id)!;
    const table = (id: string) => all.tables.find((x) => x.id === id)!;
    expect(filterNotes({ counselorId: "x" }, figure("noShowRate"), "figure")).toEqual([
      "Le filtre « Conseiller » ne s'applique pas à ce chiffre.",
    ]);
    expect(filterNotes({ counselorId: "x" }, table("convocations"), "table")).toEqual([
      "Le filtre « Conseiller » ne s'applique pas à ce tableau.",
    ]);
    expect(filterNotes({ partnerId: "x", counselorId: "y" }, table("autonomy"), "table")).toEqual([
      "Le filtre « Partenaire » ne s'applique pas à ce tableau.",
    ]);
    expect(filterNotes({ partnerId: "x", siteId: "y" }, table("trend"), "table")).toEqual([
      "Le filtre « Partenaire » ne s'applique pas aux colonnes « Convocations », « Absences » et « Visites » de ce tableau.",
    ]);
    expect(filterNotes({ siteId: "y" }, table("demarchesByPartner"), "table")).toEqual([]);
  });
});

describe("GET /api/reporting/export and /activity: a filtered file says so", () => {
  const file = async (path: string, query: string) =>
    t.app.inject({
      method: "GET",
      url: `/api/reporting/${path}?${period}${query}`,
      headers: await t.sessionFor(demo.manager),
    });

  it("names the filters in its first lines and its name, and which figures, tables and hours ignore them", async () => {
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    const filtered = `&siteId=${meaux!.id}&counselorId=${idle.counselorId}`;
    const all = await file("export", `&format=csv&table=all${filtered}`);
    expect(all.statusCode).toBe(200);
    expect(all.headers["content-disposition"]).toContain(
      "passerelle-pilotage-tous-les-tableaux-2026-01-2026-05-filtre-site-conseiller.csv",
    );
    const lines = all.body.split("\r\n");
    expect(
      lines.filter((l) => /^"Filtres : Site : Meaux ; Conseiller : Agent .+\."$/.test(l)),
    ).not.toHaveLength(0);
    // The key figures: the no-show rate is not narrowed by the counselor filter, and says so.
    expect(lines).toContain("Indicateur;Valeur;Filtres");
    expect(lines.find((l) => l.startsWith("Taux d'absence aux convocations (%);"))).toContain(
      "Le filtre « Conseiller » ne s'applique pas à ce chiffre.",
    );
    // The convocations table, below its title.
    expect(all.body).toContain("Le filtre « Conseiller » ne s'applique pas à ce tableau.");

    const unfiltered = await file("export", "&format=csv&table=convocations");
    expect(unfiltered.headers["content-disposition"]).toContain(
      "passerelle-pilotage-convocations-par-statut-2026-01-2026-05.csv",
    );
    expect(unfiltered.body).not.toContain("Filtres :");

    const activity = await file("activity", `&format=csv${filtered}`);
    expect(activity.statusCode).toBe(200);
    expect(activity.headers["content-disposition"]).toContain("-filtre-site-conseiller.csv");
    expect(activity.body).toMatch(/\r\n"Filtres : Site : Meaux ; Conseiller : Agent .+\."\r\n/);
    // The opening hours sheet: the counselor does not narrow a site's hours.
    expect(activity.body).toContain("Le filtre « Conseiller » ne s'applique pas à ce tableau.");
  });
});

describe("a démarche started between visits has no site", () => {
  it("counts without a site filter, under no site, as « Hors permanence » in the activity export, and the definitions say so", async () => {
    const june = "from=2026-06&to=2026-06";
    const read = async (path: string) =>
      t.app.inject({ method: "GET", url: path, headers: await t.sessionFor(demo.manager) });
    const demarchesOf = async (query: string) => {
      const dashboard: Dashboard = (await read(`/api/reporting/dashboard?${june}${query}`)).json();
      return dashboard.figures.find((f) => f.id === "demarches")!;
    };
    const outsidePermanences = async () => {
      const file = await read(`/api/reporting/activity?${june}&format=csv`);
      const row = file.body.split("\r\n").find((l) => l.startsWith("Hors permanence;juin 2026;CAF "));
      return Number(row?.split(";").at(-1) ?? 0);
    };
    const sites = await t.handle.db.select().from(site).where(eq(site.structureId, t.demoStructureId));
    const bySite = async () =>
      Promise.all(sites.map(async (s) => (await demarchesOf(`&siteId=${s.id}`)).value));
    const [total, perSite, outside] = [
      (await demarchesOf("")).value,
      await bySite(),
      await outsidePermanences(),
    ];

    const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
    await convokedOnce(t, karim!.id);
    const [rsa] = await t.handle.db.select().from(demarcheType).where(eq(demarcheType.code, "caf-rsa"));
    const started = await t.app.inject({
      method: "POST",
      url: `/api/people/${karim!.id}/demarches`,
      headers: await t.sessionFor(demo.counselor),
      payload: { demarcheTypeId: rsa!.id, helpLevel: "information", status: "todo" },
    });
    expect(started.statusCode, started.body).toBe(200);

    expect((await demarchesOf("")).value).toBe((total ?? 0) + 1);
    expect(await bySite()).toEqual(perSite);
    expect(await outsidePermanences()).toBe(outside + 1);
    // Sites need not add up to the total: the definition says why.
    expect((await demarchesOf("")).definition).toContain("entre deux visites");
  });
});

describe("GET /api/reporting/dashboard: the counselor filter's choices", () => {
  it("lists former counselors after the current ones, said to be so, and still filters by them", async () => {
    const former = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const choices = async () => (await dashboardOf(`&structureId=${t.demoStructureId}`)).options.counselors;
    const before = await choices();
    expect(before.find((c) => c.id === former.id)?.name).not.toContain("plus en fonction");

    await t.handle.db
      .update(membership)
      .set({ endedAt: t.clock.now(), endedReason: "deactivated" })
      .where(eq(membership.userId, former.id));
    const after = await choices();
    expect(after.map((c) => c.id).sort()).toEqual(before.map((c) => c.id).sort());
    const names = after.map((c) => c.name);
    expect(names.at(-1)).toBe(`${before.find((c) => c.id === former.id)?.name} (plus en fonction)`);
    expect(names.filter((n) => n.endsWith("(plus en fonction)"))).toHaveLength(1);
    expect(
      (await dashboardOf(`&structureId=${t.demoStructureId}&counselorId=${former.id}`)).figures.length,
    ).toBeGreaterThan(0);
  });
});

describe("GET /api/reporting/filter-choices: what the form may choose, whatever the figures shown", () => {
  it("lists the sites and counselors of every structure read, each with its structure", async () => {
    const headers = await t.sessionFor(demo.steering);
    const response = await t.app.inject({ method: "GET", url: "/api/reporting/filter-choices", headers });
    expect(response.statusCode, response.body).toBe(200);
    const choices: FilterChoices = response.json();
    const structures = choices.structures.map((s) => s.id);
    expect(structures.length).toBeGreaterThan(1);
    // Every structure read brings its sites and counselors, not only the one the figures are of.
    for (const id of structures) {
      expect(choices.sites.some((s) => s.structureId === id)).toBe(true);
      expect(choices.counselors.some((c) => c.structureId === id)).toBe(true);
    }
    expect(choices.counselors.every((c) => structures.includes(c.structureId))).toBe(true);
    expect(choices.partners.length).toBeGreaterThan(0);
    // A counselor of one structure is refused with the other: the form offers her under hers only.
    const [one, other] = structures as [string, string];
    const counselor = choices.counselors.find(
      (c) =>
        c.structureId === one && !choices.counselors.some((d) => d.id === c.id && d.structureId === other),
    );
    const refused = await t.app.inject({
      method: "GET",
      url: `/api/reporting/dashboard?${period}&structureId=${other}&counselorId=${counselor?.id}`,
      headers,
    });
    expect(refused.json().code).toBe("reporting.unknownFilter");
  });

  it("is refused to an agent who reads no figures", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/api/reporting/filter-choices",
      headers: await t.sessionFor(demo.counselor),
    });
    expect(response.statusCode).toBe(403);
  });
});

// Outside review: the sections' routes checked the site, partner and counselor filters (404 when
// unknown) and then answered unfiltered figures under them. Each filter now narrows a section's
// figures where its data has it (a collective action has a site), and is refused (400) elsewhere.
describe("the dashboard's sections under the site, partner and counselor filters", () => {
  const sectionPaths: Record<SectionId, string> = {
    milieuFerme: "/api/reporting/milieu-ferme",
    transfers: "/api/transfers/figures",
    actions: "/api/reporting/collective-actions",
    fundings: "/api/reporting/fundings",
  };
  const read = async (path: string, query: string, email: string = demo.manager) =>
    t.app.inject({ method: "GET", url: `${path}?${period}${query}`, headers: await t.sessionFor(email) });

  it("narrows the collective actions to those held at the site chosen", async () => {
    const sites = await t.handle.db.select().from(site).where(eq(site.structureId, t.demoStructureId));
    const meaux = sites.find((s) => s.name === "Meaux")!;
    const fontainebleau = sites.find((s) => s.name === "Fontainebleau")!;
    const actionsAt = async (query: string) => {
      const response = await read(sectionPaths.actions, query);
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as SectionFigures).figures.find((f) => f.key === "actions")?.value ?? 0;
    };
    const [before, beforeMeaux, beforeFontainebleau] = [
      await actionsAt(""),
      await actionsAt(`&siteId=${meaux.id}`),
      await actionsAt(`&siteId=${fontainebleau.id}`),
    ];
    const action = (siteId: string | null, day: string) => ({
      structureId: t.demoStructureId,
      kind: "atelier",
      title: `Atelier numérique ${day}`,
      startsAt: parisInstant(day, "10:00"),
      endsAt: parisInstant(day, "12:00"),
      siteId,
      address: siteId ? "" : "Salle des fêtes",
    });
    await t.handle.db
      .insert(collectiveAction)
      .values([
        action(meaux.id, "2026-03-10"),
        action(meaux.id, "2026-03-17"),
        action(fontainebleau.id, "2026-04-07"),
        action(null, "2026-04-14"),
      ]);

    expect(await actionsAt("")).toBe(before + 4);
    expect(await actionsAt(`&siteId=${meaux.id}`)).toBe(beforeMeaux + 2);
    expect(await actionsAt(`&siteId=${fontainebleau.id}`)).toBe(beforeFontainebleau + 1);
    expect(await actionsAt(`&siteId=${idle.siteId}`)).toBe(0);
    // The definitions say so.
    const figures: SectionFigures = (await read(sectionPaths.actions, "")).json();
    expect(figures.figures.find((f) => f.key === "actions")?.definition).toContain("avec un filtre Site");
  });

  const refused = Object.entries(sectionPaths).flatMap(([id, path]) =>
    narrowingFilters
      .filter((f) => !sectionFilters[id as SectionId].includes(f))
      .map((filter) => [id, filter, path] as [SectionId, NarrowingFilter, string]),
  );
  it("applies the site filter to the collective actions only, and every other filter nowhere", () => {
    expect(sectionFilters).toEqual({ milieuFerme: [], transfers: [], actions: ["siteId"], fundings: [] });
    expect(refused).toHaveLength(11);
  });

  it.each(refused)(
    "%s: the filter %s is refused (400 naming it), not ignored, and nothing is journaled",
    async (_, filter, path) => {
      const journaled = async () => (await t.handle.db.select({ id: auditEvent.id }).from(auditEvent)).length;
      const before = await journaled();
      for (const email of [demo.manager, demo.steering]) {
        // A filter that exists (the idle site, partner or counselor): refused as not applying.
        const response = await read(path, `&${filter}=${idle[filter]}`, email);
        expect(response.statusCode, response.body).toBe(400);
        const body = response.json();
        expect(body.code).toBe("request.invalid");
        const issue = body.issues.find((i: { path: string }) => i.path === `query.${filter}`);
        expect(issue?.message).toContain(
          `Le filtre « ${narrowingFilterLabels[filter]} » ne s'applique pas aux chiffres`,
        );
      }
      expect(await journaled()).toBe(before);
      // Without it, the same read answers.
      expect((await read(path, "")).statusCode).toBe(200);
    },
  );
});
