import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  collectiveAction,
  collectiveActionInvitation,
  directoryContact,
  directoryEntry,
  notification,
} from "../db/schema";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Working groups through the real app (issue 15): members (agents and directory contacts) of a
 * series of meetings, the next meeting planned with the members invited (outbox e-mail with ICS),
 * archived contacts left out. The test clock reads Monday 1 June 2026, 11:00 in Paris.
 */
let t: TestApp;
let groupId: string;
let forumId: string;
let contactId: string;
let archivedContactId: string;

const call = async (method: "GET" | "POST" | "DELETE", url: string, email?: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: email ? await t.sessionFor(email) : {},
  });

async function createAction(body: object): Promise<string> {
  const response = await call(
    "POST",
    `/api/structures/${t.demoStructureId}/collective-actions`,
    demo.manager,
    body,
  );
  expect(response.statusCode, response.body).toBe(200);
  return response.json().id;
}

const meeting = {
  kind: "working_group",
  title: "Sortie de détention et accès aux droits",
  theme: "Sortie de détention",
  description: "Groupe de travail SPIP, CAF, CPAM.",
  day: "2026-06-10",
  startTime: "14:00",
  endTime: "16:00",
  address: "Préfecture de Seine-et-Marne, Melun",
};

beforeAll(async () => {
  t = await startTestApp();
  groupId = await createAction(meeting);
  forumId = await createAction({
    ...meeting,
    kind: "forum_emploi",
    title: "Forum emploi",
  });
  const [entry] = await t.handle.db
    .insert(directoryEntry)
    .values({ structureId: t.demoStructureId, name: "Association Relais 77", kind: "association" })
    .returning();
  const [kept, archived] = await t.handle.db
    .insert(directoryContact)
    .values([
      { entryId: entry!.id, name: "Léa Marchand", email: "lea.marchand@relais77.invalid" },
      { entryId: entry!.id, name: "Paul Girard", email: "paul.girard@relais77.invalid" },
    ])
    .returning();
  contactId = kept!.id;
  archivedContactId = archived!.id;
});
afterAll(() => t.close());

const groupUrl = (id: string) => `/api/collective-actions/${id}/working-group`;
const membersUrl = (id: string) => `/api/collective-actions/${id}/members`;
const nextUrl = (id: string) => `/api/collective-actions/${id}/next-meeting`;

describe("working group access", () => {
  it("401 anonymous, 403 steering and partners, 409 for an action that is no working group", async () => {
    expect((await call("GET", groupUrl(groupId))).statusCode).toBe(401);
    for (const email of [demo.steering, demo.partner, demo.admin])
      expect((await call("GET", groupUrl(groupId), email)).statusCode).toBe(403);
    const forum = await call("GET", groupUrl(forumId), demo.manager);
    expect(forum.statusCode).toBe(409);
    expect(forum.json().code).toBe("collectiveAction.notWorkingGroup");
  });

  it("a CPIP reads the group but may not manage it; a new working group starts its own series", async () => {
    const read = await call("GET", groupUrl(groupId), demo.cpip);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ seriesId: groupId, members: [], permissions: { manage: false } });
    expect(read.json().meetings.map((m: { id: string }) => m.id)).toEqual([groupId]);
    const add = await call("POST", membersUrl(groupId), demo.cpip, { directoryContactId: contactId });
    expect(add.statusCode).toBe(403);
  });
});

describe("members", () => {
  it("refuses no choice (French field error) and a contact of no directory, writing nothing", async () => {
    const none = await call("POST", membersUrl(groupId), demo.manager, {});
    expect(none.statusCode).toBe(400);
    expect(JSON.stringify(none.json())).toContain("Choisissez un agent de la structure ou un contact");
    const unknown = await call("POST", membersUrl(groupId), demo.manager, {
      directoryContactId: "00000000-0000-4000-8000-000000000000",
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe("collectiveAction.unknownChoice");
    expect((await call("GET", groupUrl(groupId), demo.manager)).json().members).toEqual([]);
  });

  it("adds a contact and an agent, each invited at once to the meeting to come; a second time is a 409", async () => {
    const contact = await call("POST", membersUrl(groupId), demo.counselor, {
      directoryContactId: contactId,
    });
    expect(contact.statusCode, contact.body).toBe(200);
    const agent = await call("POST", membersUrl(groupId), demo.manager, {
      userId: await t.userId(demo.cpip),
    });
    expect(agent.statusCode, agent.body).toBe(200);
    expect(agent.json().members.map((m: { name: string; kind: string }) => [m.kind, m.name])).toEqual([
      ["contact", "Léa Marchand"],
      ["agent", expect.any(String)],
    ]);
    const again = await call("POST", membersUrl(groupId), demo.manager, { directoryContactId: contactId });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("collectiveAction.alreadyMember");
    const invited = await t.handle.db
      .select()
      .from(collectiveActionInvitation)
      .where(eq(collectiveActionInvitation.actionId, groupId));
    expect(invited.map((i) => i.email).sort()).toEqual([demo.cpip, "lea.marchand@relais77.invalid"]);
  });

  it("a member archived in the directory stays listed, flagged; an archived contact cannot be added", async () => {
    await call("POST", membersUrl(groupId), demo.manager, { directoryContactId: archivedContactId });
    await t.handle.db.delete(notification).where(eq(notification.recipient, "paul.girard@relais77.invalid"));
    await t.handle.db
      .update(directoryContact)
      .set({ archivedAt: t.clock.now() })
      .where(eq(directoryContact.id, archivedContactId));
    const members = (await call("GET", groupUrl(groupId), demo.manager)).json().members;
    expect(members.find((m: { name: string }) => m.name === "Paul Girard")).toMatchObject({ archived: true });
    const readd = await call("POST", membersUrl(groupId), demo.manager, {
      directoryContactId: archivedContactId,
    });
    expect(readd.statusCode).toBe(400);
  });
});

describe("planning the next meeting", () => {
  it("refuses an end before the start (field error) and a day before the last meeting", async () => {
    const bad = await call("POST", nextUrl(groupId), demo.manager, {
      day: "2026-09-15",
      startTime: "16:00",
      endTime: "14:00",
      address: "Préfecture",
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain("L'heure de fin doit être après l'heure de début.");
    const early = await call("POST", nextUrl(groupId), demo.manager, {
      day: "2026-06-05",
      startTime: "14:00",
      endTime: "16:00",
      address: "Préfecture",
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().code).toBe("collectiveAction.meetingNotAfterLast");
    expect(
      await t.handle.db.select().from(collectiveAction).where(eq(collectiveAction.seriesId, groupId)),
    ).toHaveLength(1);
  });

  it("creates the next meeting of the series and invites the members in use by e-mail with the ICS", async () => {
    const planned = await call("POST", nextUrl(groupId), demo.counselor, {
      day: "2026-09-15",
      startTime: "14:00",
      endTime: "16:30",
      address: "Préfecture de Seine-et-Marne, Melun",
    });
    expect(planned.statusCode, planned.body).toBe(200);
    const { id, invited } = planned.json();
    expect(invited).toBe(2);
    const [next] = await t.handle.db.select().from(collectiveAction).where(eq(collectiveAction.id, id));
    expect(next).toMatchObject({
      kind: "working_group",
      title: meeting.title,
      theme: meeting.theme,
      seriesId: groupId,
      status: "planned",
    });
    const mails = await t.handle.db
      .select()
      .from(notification)
      .where(
        and(eq(notification.kind, "invitation"), eq(notification.recipient, "lea.marchand@relais77.invalid")),
      );
    const last = mails.find((m) => m.body.includes("15 septembre 2026"));
    expect(last?.attachments?.[0]?.content).toContain(`UID:collective-action-${id}@`);
    // The archived member receives nothing.
    const archived = await t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.recipient, "paul.girard@relais77.invalid"));
    expect(archived).toEqual([]);

    const group = (await call("GET", groupUrl(id), demo.cpip)).json();
    expect(group.meetings.map((m: { id: string }) => m.id)).toEqual([groupId, id]);
    expect(group.lastMeeting).toMatchObject({ startTime: "14:00", endTime: "16:30" });
  });

  it("removes a member (404 the second time); invitations already sent stay", async () => {
    const members = (await call("GET", groupUrl(groupId), demo.manager)).json().members;
    const lea = members.find((m: { name: string }) => m.name === "Léa Marchand");
    const removed = await call("DELETE", `${membersUrl(groupId)}/${lea.id}`, demo.manager);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().members.map((m: { name: string }) => m.name)).not.toContain("Léa Marchand");
    const again = await call("DELETE", `${membersUrl(groupId)}/${lea.id}`, demo.manager);
    expect(again.statusCode).toBe(404);
  });
});
