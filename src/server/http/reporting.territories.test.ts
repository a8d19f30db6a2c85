import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../common/reporting/reporting.schema";
import { demarche, demarcheType, membership, service, site, user } from "../db/schema";
import { anAgent, aPerson, aStructure } from "../testing/builders";
import { pdfText } from "../testing/pdfText";
import { demo, startTestApp, type TestApp, territoriesOf } from "../testing/testApp";

let t: TestApp;
const period = "from=2025-12&to=2026-05";
let meuse: string;

beforeAll(async () => {
  t = await startTestApp();
  // The demo steering user also reads a second structure (no activity there yet).
  meuse = (await aStructure(t.handle.db, "France services de la Meuse")).structure.id;
  const [steering] = await t.handle.db.select().from(user).where(eq(user.email, demo.steering));
  await t.handle.db.insert(membership).values({
    userId: steering!.id,
    structureId: meuse,
    role: "steering",
    acceptedAt: new Date("2020-01-01T00:00:00Z"),
  });
});
afterAll(() => t.close());

const get = async (email: string | null, url: string) =>
  t.app.inject({ method: "GET", url, headers: email ? await t.sessionFor(email) : {} });

describe("GET /api/reporting/territories", () => {
  it("401 anonymous, 403 without figures, 400 malformed, 404 unknown filter values", async () => {
    expect((await get(null, `/api/reporting/territories?${period}`)).statusCode).toBe(401);
    expect((await get(demo.counselor, `/api/reporting/territories?${period}`)).statusCode).toBe(403);
    const malformed = await get(demo.steering, "/api/reporting/territories?from=2026-06&to=2026-01");
    expect(malformed.statusCode).toBe(400);
    expect((await get(demo.steering, `/api/reporting/territories?${period}&region=77`)).statusCode).toBe(400);
    for (const filter of ["structureId", "siteId", "partnerId", "counselorId"]) {
      const unknown = `${period}&${filter}=00000000-0000-4000-8000-000000000000`;
      expect((await get(demo.steering, `/api/reporting/territories?${unknown}`)).statusCode).toBe(404);
    }
  });

  it("puts the structures side by side, each with the dashboard's own figures, protected for steering", async () => {
    const compared = await territoriesOf(t, demo.steering, period);
    expect(compared.protectedCounts).toBe(true);
    expect(compared.table.columns.map((c) => c.label)).toEqual([
      "Personnes accompagnées",
      "Démarches par personne",
      "Part des démarches ayant ouvert un droit",
      "Taux d'absence aux convocations",
      "Délai moyen de réponse des partenaires",
      "Orientations et sollicitations",
    ]);
    // Short names: every structure is a France services one, and the bars, legends and columns of
    // the page, the PDF and the exports would all start alike.
    expect(compared.table.rows.map((r) => r.label)).toEqual([
      "SPIP 77 – PIMM'S Médiation 77",
      "France services de la Meuse",
    ]);
    expect(compared.table.rows[1]?.values).toEqual([0, null, null, null, null, 0]);
    // The same figures as the dashboard of that structure alone, read by the same user.
    const response = await get(
      demo.steering,
      `/api/reporting/dashboard?${period}&structureId=${t.demoStructureId}`,
    );
    const alone: Dashboard = response.json();
    const ids = [
      "accompanied",
      "demarchesPerPerson",
      "grantedShare",
      "noShowRate",
      "answerDays",
      "orientations",
    ];
    // (Each column shown as the dashboard shows it: an average of days is not a ratio of counts.)
    expect(compared.table.rows[0]?.values).toEqual(
      ids.map((id) => alone.figures.find((f) => f.id === id)?.value),
    );
    // One figure, one name: the comparison says what the dashboard says (outside review).
    const orientations = alone.figures.find((f) => f.id === "orientations")?.label;
    expect(compared.table.columns[ids.indexOf("orientations")]?.label).toBe(orientations);
  });

  it("is exact for the direction of every structure compared, and follows the partner filter", async () => {
    const direction = await territoriesOf(t, demo.manager, period);
    expect(direction.protectedCounts).toBe(false);
    expect(direction.table.rows.map((r) => r.label)).toEqual(["SPIP 77 – PIMM'S Médiation 77"]);
    const [caf] = (await t.handle.db.query.partner.findMany()).filter((p) => p.code === "caf");
    const withCaf = await territoriesOf(t, demo.steering, `${period}&partnerId=${caf!.id}`);
    expect(withCaf.table.rows).toHaveLength(2);
    // The partner narrows the démarches and orientations only, as on the dashboard; the files say
    // which columns it leaves aside (outside review: they said the partner filter applied to all).
    const notNarrowed =
      "Le filtre « Partenaire » ne s'applique pas aux colonnes « Personnes accompagnées » et « Taux d'absence aux convocations » de ce tableau.";
    const csv = await get(
      demo.steering,
      `/api/reporting/export?${period}&partnerId=${caf!.id}&format=csv&table=territories`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(notNarrowed);
    const pdf = await get(demo.steering, `/api/reporting/report?${period}&partnerId=${caf!.id}`);
    expect(pdfText(pdf.rawPayload).replace(/\s+/g, " ")).toContain(notNarrowed);
    const unfiltered = await get(
      demo.steering,
      `/api/reporting/export?${period}&format=csv&table=territories`,
    );
    expect(unfiltered.body).not.toContain("ne s'applique pas aux colonnes");
  });

  it("is in the tables export and the committee report when the user reads several structures", async () => {
    const csv = await get(demo.steering, `/api/reporting/export?${period}&format=csv&table=territories`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain("Territoires comparés");
    expect(csv.body).toContain("France services de la Meuse;0;non significatif;");
    const all = await get(demo.steering, `/api/reporting/export?${period}&format=csv`);
    expect(all.body).toContain("Territoires comparés");
    const pdf = await get(demo.steering, `/api/reporting/report?${period}`);
    expect(pdf.statusCode).toBe(200);
    // The direction of one structure has nothing to compare.
    const one = await get(demo.manager, `/api/reporting/export?${period}&format=csv&table=territories`);
    expect(one.statusCode).toBe(400);
  });
});

describe("the France services activity export over several structures (outside review)", () => {
  it("names the structures, says when a period has no démarche, and leaves a blank line before the opening hours", async () => {
    const all = await get(demo.steering, `/api/reporting/activity?${period}&format=csv`);
    expect(all.statusCode).toBe(200);
    const lines = all.body.split("\r\n");
    expect(
      lines.some((l) =>
        l.includes(
          "2 structures : France services de la Meuse et France services SPIP 77 – PIMM'S Médiation 77, ",
        ),
      ),
    ).toBe(true);
    expect(lines.some((l) => /^"?2 structures,/.test(l))).toBe(false);

    const empty = await get(
      demo.steering,
      `/api/reporting/activity?${period}&structureId=${meuse}&format=csv`,
    );
    expect(empty.statusCode).toBe(200);
    const emptyLines = empty.body.split("\r\n");
    const header = emptyLines.indexOf("Site;Mois;Partenaire;Niveau d'aide;Démarches");
    expect(header).toBeGreaterThan(0);
    expect(emptyLines[header + 1]).toBe("Aucune démarche sur la période.");
    // The démarches end, a blank line, then the opening hours under their title.
    expect(emptyLines[header + 2]).toBe("");
    expect(emptyLines[header + 3]).toMatch(/^"?Heures d'ouverture par site et par mois/);
  });
});

describe("the activity export's rows over several structures", () => {
  it("keeps two structures' sites of the same name apart, each row naming its structure", async () => {
    // Last in this file: the Meuse gets a site named like the demo's and one démarche there.
    const cpip = await anAgent(t.handle.db, { structureId: meuse, roles: ["probation_officer"] });
    const [meauxToo] = await t.handle.db
      .insert(site)
      .values({ structureId: meuse, name: "Meaux", kind: "france_services", address: "Meaux (homonyme)" })
      .returning();
    const [spip] = await t.handle.db.select().from(service).where(eq(service.structureId, meuse));
    const someone = await aPerson(t.handle.db, {
      structureId: meuse,
      referentUserId: cpip.id,
      referentServiceId: spip!.id,
    });
    // And one at the demo's own Meaux.
    const [demoMeaux] = await t.handle.db
      .select()
      .from(site)
      .where(and(eq(site.structureId, t.demoStructureId), eq(site.name, "Meaux")));
    const [demoSpip] = await t.handle.db
      .select()
      .from(service)
      .where(eq(service.structureId, t.demoStructureId));
    const demoCpip = await t.userId(demo.cpip);
    const followed = await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: demoCpip,
      referentServiceId: demoSpip!.id,
    });
    const [type] = await t.handle.db.select().from(demarcheType).limit(1);
    const started = {
      demarcheTypeId: type!.id,
      helpLevel: "guided",
      status: "in_progress",
      createdAt: new Date("2026-05-12T09:00:00Z"),
    } as const;
    await t.handle.db.insert(demarche).values([
      { ...started, structureId: meuse, personId: someone.id, siteId: meauxToo!.id, createdBy: cpip.id },
      {
        ...started,
        structureId: t.demoStructureId,
        personId: followed.id,
        siteId: demoMeaux!.id,
        createdBy: demoCpip,
      },
    ]);
    const both = await get(demo.steering, `/api/reporting/activity?${period}&format=csv`);
    expect(both.statusCode).toBe(200);
    const all = both.body.split("\r\n");
    const header = all.indexOf("Structure;Site;Mois;Partenaire;Niveau d'aide;Démarches");
    expect(header).toBeGreaterThan(0);
    // The démarches' rows, down to the blank line before the opening hours.
    const lines = all.slice(header + 1, all.indexOf("", header));
    const meuseRows = lines.filter((l) => l.startsWith("France services de la Meuse;"));
    expect(meuseRows).toHaveLength(1);
    expect(meuseRows[0]).toMatch(/^France services de la Meuse;Meaux;mai 2026;/);
    expect(lines.some((l) => l.startsWith("France services SPIP 77 – PIMM'S Médiation 77;Meaux;"))).toBe(
      true,
    );
    // One structure read: no structure column.
    const one = await get(demo.steering, `/api/reporting/activity?${period}&structureId=${meuse}&format=csv`);
    expect(one.body.split("\r\n")).toContain("Site;Mois;Partenaire;Niveau d'aide;Démarches");
  });
});
