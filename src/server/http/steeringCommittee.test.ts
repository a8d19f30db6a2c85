import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectiveAction, collectiveActionInvitation } from "../db/schema";
import { aStructure } from "../testing/builders";
import { createCollectiveAction } from "../testing/collectiveActions";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The steering committee's meetings (seed: « un comité de pilotage comprenant … la préfecture et le
 * SPIP, les représentants des opérateurs nationaux »): a series of collective actions of kind
 * `steering_committee`, convened and minuted by the direction alone, whose members may include the
 * structure's steering accounts, and that those accounts read. Test clock: 1 June 2026, 11:00 Paris.
 */
let t: TestApp;
let committeeId: string;
let groupId: string;

const call = async (
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  email?: string,
  payload?: object,
) =>
  t.app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: email ? await t.sessionFor(email) : {},
  });

const committee = {
  kind: "steering_committee",
  title: "Comité de pilotage France services",
  theme: "Bilan trimestriel",
  description: "Préfecture, SPIP, association, opérateurs nationaux.",
  day: "2026-06-15",
  startTime: "10:00",
  endTime: "12:00",
  address: "Préfecture de Seine-et-Marne, Melun",
};
const committeeUrl = () => `/api/structures/${t.demoStructureId}/steering-committee`;

beforeAll(async () => {
  t = await startTestApp();
  committeeId = await createCollectiveAction(t, committee);
  groupId = await createCollectiveAction(t, {
    ...committee,
    kind: "working_group",
    title: "Groupe de travail",
  });
});
afterAll(() => t.close());

describe("convening the committee", () => {
  it("is the direction's: a counselor may neither create a meeting nor turn an action into one", async () => {
    const refused = await call(
      "POST",
      `/api/structures/${t.demoStructureId}/collective-actions`,
      demo.counselor,
      {
        ...committee,
        title: "Comité (conseiller)",
      },
    );
    expect(refused.statusCode).toBe(403);
    const turned = await call("PUT", `/api/collective-actions/${groupId}`, demo.counselor, committee);
    expect(turned.statusCode).toBe(403);
    const rows = await t.handle.db
      .select()
      .from(collectiveAction)
      .where(eq(collectiveAction.kind, "steering_committee"));
    expect(rows.map((r) => r.id)).toEqual([committeeId]);
    // The first meeting starts the series.
    expect(rows[0]!.seriesId).toBe(committeeId);
  });

  it("the counselor reads the meeting but manages nothing of it", async () => {
    const read = await call("GET", `/api/collective-actions/${committeeId}`, demo.counselor);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().permissions).toMatchObject({
      edit: false,
      invite: false,
      convoke: false,
      recordOutcomes: false,
    });
    const series = await call("GET", `/api/collective-actions/${committeeId}/working-group`, demo.counselor);
    expect(series.statusCode).toBe(200);
    expect(series.json().permissions.manage).toBe(false);
    const add = await call("POST", `/api/collective-actions/${committeeId}/members`, demo.counselor, {
      userId: await t.userId(demo.cpip),
    });
    expect(add.statusCode).toBe(403);
    const outcomes = await call("PUT", `/api/collective-actions/${committeeId}/outcomes`, demo.counselor, {
      held: false,
      outcomes: {},
      minutes: "Compte rendu du conseiller",
    });
    expect(outcomes.statusCode).toBe(403);
    // The direction's page says it manages it.
    const manager = await call("GET", `/api/collective-actions/${committeeId}`, demo.manager);
    expect(manager.json().permissions).toMatchObject({ edit: true, invite: false, convoke: false });
  });

  it("seats a steering account as a member (invited at once), which a working group does not", async () => {
    const steeringId = await t.userId(demo.steering);
    const toGroup = await call("POST", `/api/collective-actions/${groupId}/members`, demo.manager, {
      userId: steeringId,
    });
    expect(toGroup.statusCode).toBe(400);
    expect(toGroup.json().code).toBe("collectiveAction.unknownChoice");
    const added = await call("POST", `/api/collective-actions/${committeeId}/members`, demo.manager, {
      userId: steeringId,
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json().members.map((m: { refId: string }) => m.refId)).toEqual([steeringId]);
    const invited = await t.handle.db
      .select({ email: collectiveActionInvitation.email })
      .from(collectiveActionInvitation)
      .where(eq(collectiveActionInvitation.actionId, committeeId));
    expect(invited.map((i) => i.email)).toEqual([demo.steering]);
    // The forms offer the steering accounts apart from the agents.
    const options = await call(
      "GET",
      `/api/structures/${t.demoStructureId}/collective-actions/options`,
      demo.manager,
    );
    expect(options.json().steeringAgents.map((a: { id: string }) => a.id)).toContain(steeringId);
    expect(options.json().agents.map((a: { id: string }) => a.id)).not.toContain(steeringId);
  });

  it("convokes nobody and invites no one-off guest: its members only (409 in French)", async () => {
    const guest = await call("POST", `/api/collective-actions/${committeeId}/invitations`, demo.manager, {
      invitees: [{ name: "Invité", email: "invite@exemple.fr" }],
    });
    expect(guest.statusCode).toBe(409);
    expect(guest.json().message).toContain("comité de pilotage passent par ses membres");
  });

  it("the next meeting stays a committee meeting, its members invited", async () => {
    const next = await call("POST", `/api/collective-actions/${committeeId}/next-meeting`, demo.manager, {
      day: "2026-09-14",
      startTime: "10:00",
      endTime: "12:00",
      address: "Préfecture de Seine-et-Marne, Melun",
    });
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().invited).toBe(1);
    const [row] = await t.handle.db
      .select()
      .from(collectiveAction)
      .where(eq(collectiveAction.id, next.json().id));
    expect(row).toMatchObject({ kind: "steering_committee", seriesId: committeeId });
  });
});

describe("the committee's meetings as its members read them", () => {
  it("401 anonymous, 403 for partners, the mediator, the administrator and another structure's agents, 400 for a malformed id", async () => {
    expect((await call("GET", committeeUrl())).statusCode).toBe(401);
    for (const email of [demo.partner, demo.mediator, demo.admin])
      expect((await call("GET", committeeUrl(), email)).statusCode).toBe(403);
    // Another structure's committee: its own agents only (demo.counselor works in the demo structure).
    const otherStructure = await aStructure(t.handle.db);
    const other = await call(
      "GET",
      `/api/structures/${otherStructure.structure.id}/steering-committee`,
      demo.counselor,
    );
    expect(other.statusCode).toBe(403);
    const malformed = await call("GET", "/api/structures/pas-un-id/steering-committee", demo.steering);
    expect(malformed.statusCode).toBe(400);
  });

  it("steering reads the meetings to come, and the past ones with minutes and decisions; no cancelled one, no other kind", async () => {
    const managerId = await t.userId(demo.manager);
    const past = (day: string, values: Partial<typeof collectiveAction.$inferInsert>) =>
      t.handle.db
        .insert(collectiveAction)
        .values({
          structureId: t.demoStructureId,
          kind: "steering_committee",
          title: "Comité de pilotage France services",
          startsAt: new Date(`${day}T08:00:00Z`),
          endsAt: new Date(`${day}T10:00:00Z`),
          address: "Préfecture, Melun",
          seriesId: committeeId,
          createdBy: managerId,
          ...values,
        })
        .returning({ id: collectiveAction.id });
    await past("2026-03-10", {
      status: "held",
      minutes: "60 personnes accompagnées, 160 démarches.",
      decisions: "Ouvrir une permanence en détention.",
    });
    await past("2026-04-10", { status: "cancelled" });
    await past("2026-05-10", {
      kind: "working_group",
      seriesId: null,
      status: "held",
      minutes: "Autre série",
    });
    const read = await call("GET", committeeUrl(), demo.steering);
    expect(read.statusCode, read.body).toBe(200);
    const body = read.json();
    expect(body.upcoming.map((m: { startsAt: string }) => m.startsAt)).toEqual([
      "2026-06-15T08:00:00.000Z",
      "2026-09-14T08:00:00.000Z",
    ]);
    expect(body.past).toEqual([
      expect.objectContaining({
        status: "held",
        place: "Préfecture, Melun",
        minutes: "60 personnes accompagnées, 160 démarches.",
        decisions: "Ouvrir une permanence en détention.",
      }),
    ]);
    // Nothing but the meetings: no member, no invitation, no person.
    expect(Object.keys(body).sort()).toEqual(["past", "upcoming"]);
    expect(Object.keys(body.upcoming[0]).sort()).toEqual(
      ["decisions", "endsAt", "id", "minutes", "place", "startsAt", "status", "title"].sort(),
    );
    // The structure's agents read it too.
    expect((await call("GET", committeeUrl(), demo.cpip)).statusCode).toBe(200);
  });

  it("the committee's meetings count among the collective actions, under their own kind", async () => {
    const figures = await call(
      "GET",
      `/api/reporting/collective-actions?from=2026-01&to=2026-12&structureId=${t.demoStructureId}`,
      demo.manager,
    );
    expect(figures.statusCode, figures.body).toBe(200);
    const byKey = new Map(
      figures.json().figures.map((f: { key: string; value: unknown }) => [f.key, f.value] as const),
    );
    // 15 June, 14 September, 10 March held (the cancelled one does not count).
    expect(byKey.get("kind_steering_committee")).toBe(3);
  });
});
