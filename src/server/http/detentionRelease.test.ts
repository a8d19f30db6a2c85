import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { releasedOnMessages } from "../../common/detention/release";
import { person, personChange } from "../db/schema";
import { seedDemoDetention } from "../db/seed/demoDetention";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The actual release date (`detention.releasedOn`, ADR 0028) records a day that happened: not after
 * today (the Paris day of the server's clock), not before the person's birth. The test clock reads
 * Monday 1 June 2026, 11:00 in Paris. Nadia Belkacem (born 4 November 1990) is placed in the SAS and
 * followed by cpip2.
 */
let t: TestApp;
let nadia: string;
let sasId: string;
const FUTURE = releasedOnMessages.future;
const BEFORE_BIRTH =
  "Date antérieure à la naissance de la personne (le 4\u00a0novembre\u00a01990) : vérifiez l'année.";

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoDetention(t.handle.db, new Date("2026-06-01T09:00:00Z"));
  const [row] = await t.handle.db.select().from(person).where(eq(person.lastName, "Belkacem"));
  nadia = row!.id;
  sasId = row!.detentionSiteId!;
});
afterAll(() => t.close());

const fileOf = async () => (await t.handle.db.select().from(person).where(eq(person.id, nadia)))[0]!;
const changesOf = () => t.handle.db.select().from(personChange).where(eq(personChange.personId, nadia));
const correct = async (payload: object) =>
  t.app.inject({
    method: "PUT",
    url: `/api/people/${nadia}`,
    headers: await t.sessionFor(demo.cpip2),
    payload,
  });
const detention = async (releasedOn: string | null, extra: object = {}) => {
  const file = await fileOf();
  return {
    siteId: file.detentionSiteId,
    prisonNumber: file.prisonNumber ?? "",
    expectedReleaseDate: file.expectedReleaseDate,
    releaseKind: file.releaseKind,
    releasedOn,
    ...extra,
  };
};
const identity = async (birthDate: string) => {
  const file = await fileOf();
  return {
    firstName: file.firstName,
    lastName: file.lastName,
    birthDate,
    birthPlace: file.birthPlace,
    sex: file.sex,
  };
};
const sasOccupied = async (): Promise<number> => {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/structures/${t.demoStructureId}/sas-occupancy`,
    headers: await t.sessionFor(demo.cpip2),
  });
  return response.json().sites.find((s: { id: string }) => s.id === sasId).occupied;
};
const releasePlanActive = async (): Promise<boolean> => {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/people/${nadia}/release-plan`,
    headers: await t.sessionFor(demo.cpip2),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().active;
};

describe("the actual release date on the file's correction", () => {
  it("a day after today (Paris): 400 under the field, nothing written, the plan and the SAS unchanged", async () => {
    const before = await fileOf();
    const planBefore = await releasePlanActive();
    const occupiedBefore = await sasOccupied();
    for (const releasedOn of ["2026-06-02", "2027-06-01"]) {
      const refused = await correct({ detention: await detention(releasedOn), reason: "sortie" });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().issues).toEqual([{ path: "body.detention.releasedOn", message: FUTURE }]);
    }
    expect(await fileOf()).toEqual(before);
    expect(await changesOf()).toEqual([]);
    expect(await releasePlanActive()).toBe(planBefore);
    expect(await sasOccupied()).toBe(occupiedBefore);
  });

  it("a day before the birth date: 400 under the field, whether the birth date is recorded or sent beside it", async () => {
    const before = await fileOf();
    const refused = await correct({ detention: await detention("1901-01-01") });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().issues).toEqual([{ path: "body.detention.releasedOn", message: BEFORE_BIRTH }]);
    // The form sends the identity too: the shared schema says it (the browser shows it at the field).
    const withIdentity = await correct({
      identity: await identity("2001-02-03"),
      detention: await detention("2000-12-31"),
    });
    expect(withIdentity.statusCode, withIdentity.body).toBe(400);
    expect(withIdentity.json().issues).toEqual([
      {
        path: "body.detention.releasedOn",
        message:
          "Date antérieure à la naissance de la personne (le 3\u00a0février\u00a02001) : vérifiez l'année.",
      },
    ]);
    expect(await fileOf()).toEqual(before);
    expect(await changesOf()).toEqual([]);
  });

  it("with a SAS problem in the same correction, both fields are said at once", async () => {
    const refused = await correct({
      detention: await detention("2026-07-01", { expectedReleaseDate: "2030-01-01" }),
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().code).toBe("detention.sasRelease");
    expect(refused.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.detention.expectedReleaseDate",
      "body.detention.releasedOn",
    ]);
  });

  it("the server's Paris day decides: 2 June is refused at 21:59 UTC on 1 June, accepted from 22:00 UTC (midnight in Paris)", async () => {
    t.clock.set(new Date("2026-06-01T21:59:00Z"));
    try {
      expect((await correct({ detention: await detention("2026-06-02") })).statusCode).toBe(400);
      t.clock.set(new Date("2026-06-01T22:00:00Z"));
      const accepted = await correct({ detention: await detention("2026-06-02"), reason: "sortie" });
      expect(accepted.statusCode, accepted.body).toBe(200);
      expect((await fileOf()).releasedOn).toBe("2026-06-02");
    } finally {
      t.clock.set(new Date("2026-06-01T09:00:00Z"));
    }
  });

  it("a day recorded before the rule stays while another field is corrected; a new one is checked", async () => {
    // Back on 1 June: the release recorded at midnight is now "tomorrow", as a date typed ahead before the rule.
    const other = await correct({ detention: await detention("2026-06-02", { prisonNumber: "77-25-0879" }) });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().changed).toEqual(["detention.prisonNumber"]);
    const moved = await correct({ detention: await detention("2026-06-03") });
    expect(moved.statusCode).toBe(400);
    const today = await correct({ detention: await detention("2026-06-01") });
    expect(today.statusCode, today.body).toBe(200);
    expect((await fileOf()).releasedOn).toBe("2026-06-01");
    expect(await releasePlanActive()).toBe(false);
  });
});

describe("the file's history", () => {
  it("writes the release dates as the app does (« 01/06/2026 »), never the stored ISO day", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: `/api/people/${nadia}/timeline`,
      headers: await t.sessionFor(demo.cpip2),
    });
    expect(response.statusCode, response.body).toBe(200);
    const details = (response.json().events as { title: string; detail: string }[])
      .filter((e) => e.title === "Modification : Date de libération effective")
      .map((e) => e.detail);
    // The clock went back to 09:00 after the midnight correction: compared in any order.
    expect(details.sort()).toEqual(["02/06/2026 → 01/06/2026", "— → 02/06/2026 — Motif : sortie"]);
    expect(JSON.stringify(response.json())).not.toMatch(/2026-06-0[12] →|→ 2026-06-0[12]/);
  });
});
