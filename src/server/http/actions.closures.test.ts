import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectiveAction, site, siteClosure } from "../db/schema";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Closures and collective actions see each other (ADR 0031 addendum): a closure over a planned action
 * of the site is listed before the click and refused; an action created or moved onto a closure is a
 * field error. The test clock reads Monday 1 June 2026, 11:00 in Paris.
 */
let t: TestApp;
let meaux: string;
let fontainebleau: string;

beforeAll(async () => {
  t = await startTestApp();
  const sites = Object.fromEntries((await t.handle.db.select().from(site)).map((s) => [s.name, s.id]));
  meaux = sites.Meaux!;
  fontainebleau = sites.Fontainebleau!;
});
afterAll(() => t.close());

const call = async (method: "GET" | "POST" | "PUT", url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: await t.sessionFor(demo.manager),
    ...(payload ? { payload } : {}),
  });
const structureUrl = () => `/api/structures/${t.demoStructureId}`;
const action = (over: Record<string, unknown> = {}) => ({
  kind: "atelier",
  title: "Atelier démarches en ligne",
  description: "",
  day: "2026-06-23",
  startTime: "14:00",
  endTime: "16:00",
  siteId: meaux,
  capacity: 8,
  ...over,
});

describe("closing a site on the day of a planned collective action there", () => {
  it("lists the action before the click, refuses the closure, and accepts it once the action is moved", async () => {
    const created = await call("POST", `${structureUrl()}/collective-actions`, action());
    expect(created.statusCode, created.body).toBe(200);
    const id = created.json().id;
    const closure = {
      siteId: meaux,
      startsAt: "2026-06-23T06:00:00.000Z",
      endsAt: "2026-06-23T18:00:00.000Z",
      reason: "Travaux",
    };
    const preview = await call(
      "GET",
      `${structureUrl()}/openings/stranded?siteId=${meaux}&startsAt=${closure.startsAt}&endsAt=${closure.endsAt}`,
    );
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().actions).toEqual([
      { id, title: "Atelier démarches en ligne", startsAt: "2026-06-23T12:00:00.000Z", siteName: "Meaux" },
    ]);
    const refused = await call("POST", `${structureUrl()}/closures`, closure);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("closure.strandsActions");
    expect(refused.json().message).toContain("Atelier démarches en ligne");
    expect(await t.handle.db.select().from(siteClosure).where(eq(siteClosure.siteId, meaux))).toEqual([]);
    const [still] = await t.handle.db.select().from(collectiveAction).where(eq(collectiveAction.id, id));
    expect(still?.status).toBe("planned");

    // Another site's closure that day is not concerned.
    const elsewhere = await call(
      "GET",
      `${structureUrl()}/openings/stranded?siteId=${fontainebleau}&startsAt=${closure.startsAt}&endsAt=${closure.endsAt}`,
    );
    expect(elsewhere.json().actions).toEqual([]);

    // Moved to the next day, the action no longer stands in the way.
    const moved = await call("PUT", `/api/collective-actions/${id}`, action({ day: "2026-06-24" }));
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await call("POST", `${structureUrl()}/closures`, closure)).statusCode).toBe(200);
  });
});

describe("placing a collective action on a closure of its site", () => {
  it("creating or moving it there is a field error under « Date »; another site that day is fine", async () => {
    const closure = {
      siteId: fontainebleau,
      startsAt: "2026-06-16T06:00:00.000Z",
      endsAt: "2026-06-17T18:00:00.000Z",
      reason: "Déménagement",
    };
    expect((await call("POST", `${structureUrl()}/closures`, closure)).statusCode).toBe(200);
    const before = (await t.handle.db.select().from(collectiveAction)).length;
    const refused = await call(
      "POST",
      `${structureUrl()}/collective-actions`,
      action({ siteId: fontainebleau, day: "2026-06-17" }),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe("collectiveAction.siteClosed");
    expect(refused.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.day"]);
    expect(refused.json().issues[0].message).toContain("Déménagement");
    expect(await t.handle.db.select().from(collectiveAction)).toHaveLength(before);

    const elsewhere = await call(
      "POST",
      `${structureUrl()}/collective-actions`,
      action({ siteId: meaux, day: "2026-06-17" }),
    );
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
    const movedThere = await call(
      "PUT",
      `/api/collective-actions/${elsewhere.json().id}`,
      action({ siteId: fontainebleau, day: "2026-06-17" }),
    );
    expect(movedThere.statusCode).toBe(400);
    expect(movedThere.json().code).toBe("collectiveAction.siteClosed");
    const [kept] = await t.handle.db
      .select()
      .from(collectiveAction)
      .where(eq(collectiveAction.id, elsewhere.json().id));
    expect(kept?.siteId).toBe(meaux);
  });
});
