import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SectionFigures } from "../../common/reporting/sections.schema";
import { collectiveAction, collectiveActionInvitation, convocation, person, site, user } from "../db/schema";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The dashboard's collective actions section against ground truth written directly: the direction
 * reads exact figures; steering reads each count perturbed by at most 4 (cell-key method, ADR
 * 0019), never 0 when it is not, "< 5" for 1 to 4; the same figures on every read.
 */
let t: TestApp;
const truth = {
  forums: 3,
  ateliers: 2,
  convoked: 7,
  present: 5,
  invited: 9,
  partnersPresent: 6,
  interviews: 14,
  hires: 3,
  iae: 8,
};

beforeAll(async () => {
  t = await startTestApp();
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  const people = await t.handle.db.select().from(person).where(eq(person.structureId, t.demoStructureId));
  const [manager] = await t.handle.db.select().from(user).where(eq(user.email, demo.manager));
  const insert = async (
    kind: string,
    day: number,
    status = "held",
    outcomes: Record<string, number> = {},
  ) => {
    const [row] = await t.handle.db
      .insert(collectiveAction)
      .values({
        structureId: t.demoStructureId,
        kind,
        title: `${kind} ${day}`,
        startsAt: new Date(`2026-03-${String(day).padStart(2, "0")}T09:00:00Z`),
        endsAt: new Date(`2026-03-${String(day).padStart(2, "0")}T11:00:00Z`),
        siteId: meaux!.id,
        status,
        outcomes,
      })
      .returning();
    return row!.id;
  };
  const forums = [
    await insert("forum_emploi", 3, "held", { interviews: 6, hires: 1, iaeOrientations: 3 }),
    await insert("forum_emploi", 10, "held", { interviews: 8, hires: 2, iaeOrientations: 5 }),
    await insert("forum_emploi", 17),
  ];
  await insert("atelier", 4, "held", { participants: 6 });
  await insert("atelier", 11);
  // Cancelled and out-of-period actions are not counted.
  await insert("forum_emploi", 20, "cancelled", { interviews: 100 });
  await t.handle.db.insert(collectiveAction).values({
    structureId: t.demoStructureId,
    kind: "forum_emploi",
    title: "Hors période",
    startsAt: new Date("2026-05-02T09:00:00Z"),
    endsAt: new Date("2026-05-02T11:00:00Z"),
    outcomes: { interviews: 50 },
  });
  const statuses = [
    "honoured",
    "honoured",
    "honoured",
    "honoured",
    "honoured",
    "missed",
    "excused",
    "cancelled",
  ] as const;
  for (const [i, status] of statuses.entries()) {
    const actionId = forums[i % 2]!;
    await t.handle.db.insert(convocation).values({
      structureId: t.demoStructureId,
      siteId: meaux!.id,
      personId: people[i]!.id,
      startsAt: new Date("2026-03-03T09:00:00Z"),
      endsAt: new Date("2026-03-03T11:00:00Z"),
      seat: i + 1,
      status,
      notifySms: false,
      notifyEmail: false,
      bookedBy: manager!.id,
      collectiveActionId: actionId,
    });
  }
  for (let i = 0; i < truth.invited; i += 1) {
    await t.handle.db.insert(collectiveActionInvitation).values({
      actionId: forums[i % 3]!,
      name: `Contact ${i}`,
      email: `contact${i}@exemple.fr`,
      tokenHash: `hash-${i}-${Math.random()}`,
      present: i < truth.partnersPresent,
    });
  }
  // An invitation withdrawn from its invitee (member removed from a working group) counts nowhere.
  await t.handle.db.insert(collectiveActionInvitation).values({
    actionId: forums[0]!,
    name: "Contact retiré",
    email: "contact.retire@exemple.fr",
    tokenHash: `hash-withdrawn-${Math.random()}`,
    present: true,
    cancelledAt: new Date("2026-03-01T09:00:00Z"),
  });
});
afterAll(() => t.close());

const url = (query: string) => `/api/reporting/collective-actions?${query}`;
async function figures(email: string) {
  const response = await t.app.inject({
    method: "GET",
    url: url(`from=2026-03&to=2026-03&structureId=${t.demoStructureId}`),
    headers: await t.sessionFor(email),
  });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json() as SectionFigures;
  const value = (key: string) => body.figures.find((f) => f.key === key)?.value;
  return { protected: body.protected, value, figures: body.figures };
}

describe("collective action figures", () => {
  it("are exact for the direction", async () => {
    const f = await figures(demo.manager);
    expect(f.protected).toBe(false);
    expect([f.value("kind_forum_emploi"), f.value("kind_atelier"), f.value("kind_plenary")]).toEqual([
      truth.forums,
      truth.ateliers,
      0,
    ]);
    expect(f.value("actions")).toBe(truth.forums + truth.ateliers);
    expect(f.value("peopleConvoked")).toBe(truth.convoked);
    expect(f.value("peoplePresent")).toBe(truth.present);
    expect(f.value("partnersInvited")).toBe(truth.invited);
    expect(f.value("partnersPresent")).toBe(truth.partnersPresent);
    expect(f.value("interviews")).toBe(truth.interviews);
    expect(f.value("hires")).toBe(truth.hires);
    expect(f.value("iaeOrientations")).toBe(truth.iae);
    // Every figure says what it counts (the page's "ⓘ", the report's annex).
    for (const figure of f.figures) expect(figure.definition.length, figure.label).toBeGreaterThan(40);
  });

  it("are protected for steering: within 4 of the truth, « < 5 » for 1 to 4, zero stays zero, stable", async () => {
    const f = await figures(demo.steering);
    const again = await figures(demo.steering);
    expect(again.figures).toEqual(f.figures);
    expect(f.protected).toBe(true);
    const check = (key: string, exact: number) => {
      const shown = f.value(key);
      if (exact === 0) return expect(shown).toBe(0);
      if (shown === null || shown === undefined) return expect(shown).toBeNull();
      expect(shown).toBeGreaterThanOrEqual(5);
      expect(Math.abs(shown - exact)).toBeLessThanOrEqual(4);
    };
    check("peopleConvoked", truth.convoked);
    check("peoplePresent", truth.present);
    check("partnersInvited", truth.invited);
    check("partnersPresent", truth.partnersPresent);
    check("interviews", truth.interviews);
    check("hires", truth.hires);
    check("iaeOrientations", truth.iae);
    check("actions", truth.forums + truth.ateliers);
    check("kind_plenary", 0);
  });

  it("refuses a period ending before it starts, and the counselor (403)", async () => {
    const bad = await t.app.inject({
      method: "GET",
      url: url(`from=2026-03&to=2026-02&structureId=${t.demoStructureId}`),
      headers: await t.sessionFor(demo.manager),
    });
    expect(bad.statusCode).toBe(400);
    const counselor = await t.app.inject({
      method: "GET",
      url: url(`from=2026-03&to=2026-03&structureId=${t.demoStructureId}`),
      headers: await t.sessionFor(demo.counselor),
    });
    expect(counselor.statusCode).toBe(403);
  });
});
