import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, person, personChange, site } from "../db/schema";
import { seedDemoDetention } from "../db/seed/demoDetention";
import { multipartFile } from "../testing/importFiles";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The SAS rule (ADR 0028, addendum "SAS"): a write placing a person in a SAS needs an expected release
 * two years from today at most — the file's correction and the caseload import — and the SAS's places
 * occupied today. The test clock reads Monday 1 June 2026 in Paris: the last day allowed is 1 June 2028.
 */
let t: TestApp;
let people: Record<string, string>; // last name → id
let sites: Record<string, string>; // name → id
const PRISON = "Centre pénitentiaire de Meaux-Chauconin";
const SAS = "SAS de Meaux";
const LIMIT = "1er\u00a0juin\u00a02028";
const TOO_LATE = `Une SAS accueille des personnes dont le reliquat de peine est de deux ans au plus : la sortie prévue doit être au plus tard le ${LIMIT}.`;

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoDetention(t.handle.db, new Date("2026-06-01T09:00:00Z"));
  people = Object.fromEntries((await t.handle.db.select().from(person)).map((p) => [p.lastName, p.id]));
  sites = Object.fromEntries((await t.handle.db.select().from(site)).map((s) => [s.name, s.id]));
});
afterAll(() => t.close());

const as = (email: string) => t.sessionFor(email);
const fileOf = async (personId: string) =>
  (await t.handle.db.select().from(person).where(eq(person.id, personId)))[0]!;
const correct = async (personId: string, payload: object, email: string = demo.cpip) =>
  t.app.inject({ method: "PUT", url: `/api/people/${personId}`, headers: await as(email), payload });
const detention = (siteId: string, expectedReleaseDate: string | null, extra: object = {}) => ({
  siteId,
  prisonNumber: "77-24-1183",
  expectedReleaseDate,
  releaseKind: "sas_placement",
  ...extra,
});
const occupancy = async (email: string = demo.manager) =>
  t.app.inject({
    method: "GET",
    url: `/api/structures/${t.demoStructureId}/sas-occupancy`,
    headers: await as(email),
  });
const sasPlaces = async () =>
  (await occupancy()).json().sites.find((s: { name: string }) => s.name === SAS) as {
    occupied: number;
    capacity: number;
  };

describe("the SAS rule on the file's correction", () => {
  it("a move to the SAS with a release more than two years away: 400 under the date, nothing written", async () => {
    const before = await fileOf(people.Amrani!);
    const refused = await correct(people.Amrani!, {
      contacts: {
        phone: "",
        email: "",
        address: "Autre adresse",
        domiciliation: "",
        preferredLanguage: "français",
        readsFrench: "yes",
      },
      detention: detention(sites[SAS]!, "2028-06-02"),
      reason: "placement en SAS",
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json()).toMatchObject({
      code: "detention.sasRelease",
      message: TOO_LATE,
      issues: [{ path: "body.detention.expectedReleaseDate", message: TOO_LATE }],
    });
    expect(await fileOf(people.Amrani!)).toEqual(before);
    expect(
      await t.handle.db.select().from(personChange).where(eq(personChange.personId, people.Amrani!)),
    ).toEqual([]);
    const journaled = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.targetId, people.Amrani!), eq(auditEvent.action, "person.updated")));
    expect(journaled.filter((e) => e.outcome === "success")).toEqual([]);
  });

  it("with no release date: 400 asking for it, with the last day allowed", async () => {
    const refused = await correct(people.Amrani!, { detention: detention(sites[SAS]!, null) });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([
      {
        path: "body.detention.expectedReleaseDate",
        message: `Une SAS accueille des personnes dont le reliquat de peine est de deux ans au plus : indiquez la sortie prévue, au plus tard le ${LIMIT}.`,
      },
    ]);
    expect((await fileOf(people.Amrani!)).detentionSiteId).toBe(sites[PRISON]);
  });

  it("exactly two years (the same day, inclusive) is accepted; a prison has no such limit", async () => {
    const moved = await correct(people.Amrani!, { detention: detention(sites[SAS]!, "2028-06-01") });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await fileOf(people.Amrani!)).toMatchObject({
      detentionSiteId: sites[SAS],
      expectedReleaseDate: "2028-06-01",
    });
    const prison = await correct(people.Caron!, {
      detention: detention(sites[PRISON]!, "2035-01-01", { prisonNumber: "77-25-1290" }),
    });
    expect(prison.statusCode, prison.body).toBe(200);
  });

  it("a person already in the SAS with a date recorded before the rule: another field is corrected, a new date is checked", async () => {
    // Nadia Belkacem (cpip2's), in the SAS: a date past the limit, as written before the rule.
    await t.handle.db
      .update(person)
      .set({ expectedReleaseDate: "2029-03-01" })
      .where(eq(person.id, people.Belkacem!));
    const same = detention(sites[SAS]!, "2029-03-01", { prisonNumber: "77-25-0877" });
    const other = await correct(
      people.Belkacem!,
      { detention: { ...same, prisonNumber: "77-25-0878" }, reason: "écrou corrigé" },
      demo.cpip2,
    );
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().changed).toEqual(["detention.prisonNumber"]);
    const moved = await correct(
      people.Belkacem!,
      { detention: { ...same, prisonNumber: "77-25-0878", expectedReleaseDate: "2029-02-01" } },
      demo.cpip2,
    );
    expect(moved.statusCode).toBe(400);
    expect(moved.json().code).toBe("detention.sasRelease");
    const cleared = await correct(
      people.Belkacem!,
      { detention: { ...same, prisonNumber: "77-25-0878", expectedReleaseDate: null } },
      demo.cpip2,
    );
    expect(cleared.statusCode).toBe(400);
    expect((await fileOf(people.Belkacem!)).expectedReleaseDate).toBe("2029-03-01");
    const fixed = await correct(
      people.Belkacem!,
      { detention: { ...same, prisonNumber: "77-25-0878", expectedReleaseDate: "2026-08-25" } },
      demo.cpip2,
    );
    expect(fixed.statusCode, fixed.body).toBe(200);
  });
});

describe("the SAS rule on the caseload import", () => {
  it("a SAS row with a release too far or none is a row error in French; within two years it is written", async () => {
    const csv = [
      "N° dossier;NOM;Prénom;Date de naissance;CPIP référent;Établissement;N° d'écrou;Date de libération prévue;Type de sortie",
      "S-1;LEROY;Samir;03/03/1991;;SAS de Meaux;77-9001;01/06/2028;Placement en SAS",
      "S-2;LEROY;Yanis;03/03/1992;;SAS de Meaux;77-9002;02/06/2028;Placement en SAS",
      "S-3;LEROY;Malik;03/03/1993;;SAS de Meaux;77-9003;;Placement en SAS",
      "S-4;LEROY;Sami;03/03/1994;;Centre pénitentiaire de Meaux-Chauconin;77-9004;01/06/2031;Fin de peine",
    ].join("\n");
    const cpip = await as(demo.cpip);
    const file = multipartFile("sas.csv", csv);
    const uploaded = (
      await t.app.inject({
        method: "POST",
        url: `/api/structures/${t.demoStructureId}/imports`,
        payload: file.payload,
        headers: { ...file.headers, ...cpip },
      })
    ).json();
    const post = (url: string, payload: object) =>
      t.app.inject({ method: "POST", url, payload, headers: cpip });
    const preview = await post(`/api/imports/${uploaded.importId}/preview`, { mapping: uploaded.mapping });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().issues).toEqual([
      { line: 3, field: "expectedReleaseDate", message: TOO_LATE },
      {
        line: 4,
        field: "expectedReleaseDate",
        message: `Une SAS accueille des personnes dont le reliquat de peine est de deux ans au plus : indiquez la sortie prévue, au plus tard le ${LIMIT}.`,
      },
    ]);
    let progress = (await post(`/api/imports/${uploaded.importId}/run`, { duplicates: "skip" })).json();
    while (!progress.done)
      progress = (await post(`/api/imports/${uploaded.importId}/run`, { duplicates: "skip" })).json();
    expect(progress.counts).toMatchObject({ created: 2, errors: 2 });
    const summary = await t.app.inject({
      method: "GET",
      url: `/api/imports/${uploaded.importId}`,
      headers: cpip,
    });
    expect(summary.json().errors).toEqual([
      { line: 3, reason: `Date de libération prévue : ${TOO_LATE}` },
      { line: 4, reason: expect.stringMatching(/^Date de libération prévue : Une SAS accueille/) },
    ]);
    const written = await t.handle.db.select().from(person).where(eq(person.lastName, "LEROY"));
    expect(written.map((p) => [p.firstName, p.detentionSiteId, p.expectedReleaseDate]).sort()).toEqual([
      ["Sami", sites[PRISON], "2031-06-01"],
      ["Samir", sites[SAS], "2028-06-01"],
    ]);
  });
});

describe("SAS occupancy", () => {
  it("counts the people held in the SAS today against its places, for the CPIP and the direction only", async () => {
    const response = await occupancy();
    expect(response.statusCode, response.body).toBe(200);
    // Amrani and Belkacem moved or placed there above, Samir Leroy imported there.
    expect(response.json()).toEqual({
      today: "2026-06-01",
      sites: [{ id: sites[SAS], name: SAS, capacity: 60, occupied: 3 }],
    });
    expect((await occupancy(demo.cpip)).statusCode).toBe(200);
    expect((await occupancy(demo.counselor)).statusCode).toBe(403);
    expect((await occupancy(demo.steering)).statusCode).toBe(403);
  });

  it("by the one rule (heldIn): a release recorded by today or expected by today frees the place; a closed file too", async () => {
    const [samir] = await t.handle.db.select().from(person).where(eq(person.firstName, "Samir"));
    await t.handle.db.update(person).set({ releasedOn: "2026-06-01" }).where(eq(person.id, samir!.id));
    expect((await sasPlaces()).occupied).toBe(2);
    // Released tomorrow: still there today.
    await t.handle.db.update(person).set({ releasedOn: "2026-06-02" }).where(eq(person.id, samir!.id));
    expect((await sasPlaces()).occupied).toBe(3);
    // No release recorded, the expected one reached today: out.
    await t.handle.db
      .update(person)
      .set({ releasedOn: null, expectedReleaseDate: "2026-06-01" })
      .where(eq(person.id, samir!.id));
    expect((await sasPlaces()).occupied).toBe(2);
    await t.handle.db
      .update(person)
      .set({ closedAt: new Date("2026-05-30T10:00:00Z") })
      .where(eq(person.id, people.Belkacem!));
    expect((await sasPlaces()).occupied).toBe(1);
    // Never refused: a SAS over its places takes the placement (the data may lag reality).
    await t.handle.db.update(site).set({ capacity: 1 }).where(eq(site.id, sites[SAS]!));
    const over = await correct(people.Morel!, {
      detention: detention(sites[SAS]!, "2026-07-31", { prisonNumber: "77-25-0412" }),
    });
    expect(over.statusCode, over.body).toBe(200);
    expect(await sasPlaces()).toMatchObject({ occupied: 2, capacity: 1 });
  });
});
