import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dashboard } from "../../common/reporting/reporting.schema";
import { auditEvent, convocation, membership, openingRule, site, user } from "../db/schema";
import { bookedConvocation, demo, startTestApp, type TestApp } from "../testing/testApp";

// ADR 0016 (addendum, a counselor who leaves): « Désactiver dans la structure » takes the agent out of
// the permanences she holds from today — alone, they stop; with others, they go on without her —
// refused while planned convocations would lose their slot. Today is Monday 1 June 2026, 11:00 Paris.
// Demo: Inès holds Fontainebleau (Mondays) and La Rochette (Wednesdays) alone, Meaux on Tuesdays with
// Nicolas (two seats).
let t: TestApp;
let sites: Record<string, string>;
let ines: string;
beforeAll(async () => {
  t = await startTestApp();
  sites = Object.fromEntries((await t.handle.db.select().from(site)).map((s) => [s.name, s.id]));
  ines = await t.userId(demo.counselor);
});
afterAll(() => t.close());

const get = async (url: string, email: string = demo.manager) =>
  t.app.inject({ method: "GET", url, headers: await t.sessionFor(email) });
const deactivate = async () =>
  t.app.inject({
    method: "POST",
    url: `/api/structures/${t.demoStructureId}/users/${ines}/disable`,
    headers: await t.sessionFor(demo.manager),
  });
const slotsOn = async (day: string, siteName: string) =>
  (
    await get(
      `/api/structures/${t.demoStructureId}/slots?from=${day}&days=1&siteId=${sites[siteName]}`,
      demo.cpip,
    )
  ).json().slots as { startsAt: string; capacity: number }[];
const openings = async () => (await get(`/api/structures/${t.demoStructureId}/openings`)).json();
const dashboard = async (query: string): Promise<Dashboard> => {
  const answer = await get(`/api/reporting/dashboard?${query}`);
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json();
};
const figure = (d: Dashboard, id: string) => d.figures.find((f) => f.id === id)?.value;
const book = (personId: string, startsAt: string) =>
  bookedConvocation(t, { personId, siteId: sites.Meaux!, startsAt });
const activeMemberships = () =>
  t.handle.db
    .select()
    .from(membership)
    .where(and(eq(membership.userId, ines)));

describe("deactivating a counselor who holds permanences", () => {
  it("is refused (409, each convocation listed) while planned convocations would lose their seat; nothing written", async () => {
    const people = (
      (await get("/api/people?mine=true", demo.cpip)).json().people as {
        id: string;
        firstName: string;
        lastName: string;
      }[]
    ).slice(0, 2);
    // Tuesday 9 June, Meaux 9:00: both seats taken; without Inès one seat remains.
    const nine = "2026-06-09T07:00:00.000Z";
    const first = await book(people[0]!.id, nine);
    const second = await book(people[1]!.id, nine);
    const rulesBefore = await t.handle.db.select().from(openingRule);
    const membershipsBefore = await activeMemberships();

    const refused = await deactivate();
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe("convocation.deactivationStrandsBookings");
    expect(refused.json().message).toMatch(
      /^Une convocation prévue tombe dans les permanences que cet agent quitterait : .*mardi 9\u00a0juin\u00a02026 à 9\u00a0h\u00a000, Meaux/,
    );
    expect(refused.json().message).toContain("Reprogrammez-la d'abord");
    expect(refused.json().issues).toHaveLength(1);
    expect(await t.handle.db.select().from(openingRule)).toEqual(rulesBefore);
    expect(await activeMemberships()).toEqual(membershipsBefore);
    expect(
      await t.handle.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, "membership.ended"), eq(auditEvent.targetId, ines))),
    ).toEqual([]);

    // The second seat moved (cancelled here): the first stays held by Nicolas.
    await t.handle.db.update(convocation).set({ status: "cancelled" }).where(eq(convocation.id, second));
    expect((await deactivate()).statusCode).toBe(200);
    expect((await t.handle.db.select().from(convocation).where(eq(convocation.id, first)))[0]!.status).toBe(
      "planned",
    );
  });

  it("then she holds no permanence: no slot of hers, the openings without her, weekly hours down, May's hours held unchanged", async () => {
    // (Deactivated by the test above.)
    expect(await slotsOn("2026-06-03", "La Rochette")).toEqual([]);
    expect(await slotsOn("2026-06-08", "Fontainebleau")).toEqual([]);
    // Today's Fontainebleau permanence too, from now on.
    expect(await slotsOn("2026-06-01", "Fontainebleau")).toEqual([]);
    const meaux = await slotsOn("2026-06-16", "Meaux");
    expect(meaux.length).toBeGreaterThan(0);
    expect(meaux.every((s) => s.capacity === 1)).toBe(true);

    const body = await openings();
    const names = body.rules.flatMap((r: { counselors: { name: string }[] }) =>
      r.counselors.map((c) => c.name),
    );
    expect(names).not.toContain("Inès Moreau");
    expect(body.rules.map((r: { siteName: string }) => r.siteName)).not.toContain("La Rochette");
    // 24 h 30 − Fontainebleau 7 h − La Rochette 7 h.
    expect(body.weeklyOpeningMinutes).toBe(630);
    expect(figure(await dashboard("from=2026-06&to=2026-06"), "weeklyOpeningHours")).toBe(10.5);
    // May keeps the permanences she held (ADR 0021 count: 87.5 h).
    const may = await dashboard("from=2026-05&to=2026-05");
    expect(figure(may, "heldOpeningHours")).toBe(87.5);
    expect(figure(may, "weeklyOpeningHours")).toBe(24.5);

    // The rules she held ended yesterday; Meaux on Tuesdays goes on from today with Nicolas only.
    const rows = await t.handle.db.select().from(openingRule);
    expect(rows.filter((r) => r.validTo === "2026-05-31")).toHaveLength(6);
    expect(rows.filter((r) => r.validFrom === "2026-06-01" && r.siteId === sites.Meaux)).toHaveLength(2);
    const journaled = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "opening_rule.changed"));
    expect(journaled.map((j) => j.reason?.replace(/\u00a0/g, " "))).toEqual([
      "à partir du 1er juin 2026 (départ de Inès Moreau)",
      "à partir du 1er juin 2026 (départ de Inès Moreau)",
    ]);
  });

  it("reactivated, she is back in the structure but not in the permanences (the direction adds her)", async () => {
    const back = await t.app.inject({
      method: "POST",
      url: `/api/structures/${t.demoStructureId}/users/${ines}/enable`,
      headers: await t.sessionFor(demo.manager),
    });
    expect(back.statusCode, back.body).toBe(200);
    expect((await openings()).weeklyOpeningMinutes).toBe(630);
  });
});

describe("disabling the account of a counselor who holds permanences (administrator)", () => {
  let u: TestApp;
  beforeAll(async () => {
    u = await startTestApp();
  });
  afterAll(() => u.close());

  it("refused (409, the convocation listed) while one would lose its seat; then out of every permanence", async () => {
    const counselor = await u.userId(demo.counselor);
    const meaux = (await u.handle.db.select().from(site)).find((s) => s.name === "Meaux")!.id;
    const rochette = (await u.handle.db.select().from(site)).find((s) => s.name === "La Rochette")!.id;
    const people = (
      await u.app.inject({
        method: "GET",
        url: "/api/people?mine=true",
        headers: await u.sessionFor(demo.cpip),
      })
    ).json().people as { id: string }[];
    const nine = "2026-06-09T07:00:00.000Z";
    await bookedConvocation(u, { personId: people[0]!.id, siteId: meaux, startsAt: nine });
    const second = await bookedConvocation(u, { personId: people[1]!.id, siteId: meaux, startsAt: nine });
    const disable = async () =>
      u.app.inject({
        method: "POST",
        url: `/api/admin/users/${counselor}/disable`,
        headers: await u.sessionFor(demo.admin),
      });
    const rulesBefore = await u.handle.db.select().from(openingRule);
    const refused = await disable();
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe("convocation.deactivationStrandsBookings");
    expect(refused.json().message).toContain("Meaux");
    expect(await u.handle.db.select().from(openingRule)).toEqual(rulesBefore);
    expect((await u.handle.db.select().from(user).where(eq(user.id, counselor)))[0]!.disabledAt).toBeNull();

    await u.handle.db.update(convocation).set({ status: "cancelled" }).where(eq(convocation.id, second));
    expect((await disable()).statusCode).toBe(200);
    const slots = async (day: string, siteId: string) =>
      (
        await u.app.inject({
          method: "GET",
          url: `/api/structures/${u.demoStructureId}/slots?from=${day}&days=1&siteId=${siteId}`,
          headers: await u.sessionFor(demo.cpip),
        })
      ).json().slots as { capacity: number }[];
    // La Rochette (hers alone) offers nothing; Meaux goes on with one seat (Nicolas).
    expect(await slots("2026-06-03", rochette)).toEqual([]);
    const tuesday = await slots("2026-06-16", meaux);
    expect(tuesday.length).toBeGreaterThan(0);
    expect(tuesday.every((s) => s.capacity === 1)).toBe(true);
    const body = (
      await u.app.inject({
        method: "GET",
        url: `/api/structures/${u.demoStructureId}/openings`,
        headers: await u.sessionFor(demo.manager),
      })
    ).json();
    const names = body.rules.flatMap((r: { counselors: { name: string }[] }) =>
      r.counselors.map((c) => c.name),
    );
    expect(names).not.toContain("Inès Moreau");
  });
});

describe("removing the counselor role from an agent who holds permanences", () => {
  let u: TestApp;
  beforeAll(async () => {
    u = await startTestApp();
  });
  afterAll(() => u.close());

  it("takes her out of them from today, as a deactivation does; she stays in the structure", async () => {
    const manager = await u.sessionFor(demo.manager);
    const inesHere = await u.userId(demo.counselor);
    const changed = await u.app.inject({
      method: "PUT",
      url: `/api/structures/${u.demoStructureId}/users/${inesHere}`,
      headers: manager,
      payload: { roles: ["service_manager"] },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const body = (
      await u.app.inject({
        method: "GET",
        url: `/api/structures/${u.demoStructureId}/openings`,
        headers: manager,
      })
    ).json();
    const names = body.rules.flatMap((r: { counselors: { name: string }[] }) =>
      r.counselors.map((c) => c.name),
    );
    expect(names).not.toContain("Inès Moreau");
    expect(body.weeklyOpeningMinutes).toBe(630);
    const current = await u.handle.db
      .select()
      .from(membership)
      .where(and(eq(membership.userId, inesHere), isNull(membership.endedAt)));
    expect(current.map((m) => m.role)).toEqual(["service_manager"]);
  });
});
