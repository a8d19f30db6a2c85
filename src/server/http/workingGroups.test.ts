import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvent,
  collectiveAction,
  collectiveActionInvitation,
  convocation,
  directoryContact,
  directoryEntry,
  notification,
  site,
} from "../db/schema";
import { createCollectiveAction } from "../testing/collectiveActions";
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

const createAction = (body: object): Promise<string> => createCollectiveAction(t, body);

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
});

/** The e-mails queued for an address, oldest first. */
async function mailsTo(email: string) {
  const rows = await t.handle.db
    .select()
    .from(notification)
    .where(and(eq(notification.kind, "invitation"), eq(notification.recipient, email)));
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}
const icsOf = (mail: { attachments: { content: string }[] | null }) => mail.attachments?.[0]?.content ?? "";
const sequenceOf = (ics: string) => Number(ics.match(/SEQUENCE:(\d+)/)?.[1] ?? Number.NaN);
const isWithdrawal = (mail: { subject: string }) => mail.subject.startsWith("Annulation de votre invitation");
const LEA = "lea.marchand@relais77.invalid";

describe("removing a member", () => {
  let nextId: string;
  let pastId: string;
  let leaId: string;

  beforeAll(async () => {
    const series = await t.handle.db
      .select()
      .from(collectiveAction)
      .where(eq(collectiveAction.seriesId, groupId));
    nextId = series.find((m) => m.id !== groupId)!.id;
    // A meeting of the series already held, Léa invited: its history must stay.
    const [past] = await t.handle.db
      .insert(collectiveAction)
      .values({
        structureId: t.demoStructureId,
        kind: "working_group",
        title: meeting.title,
        startsAt: new Date("2026-05-20T12:00:00Z"),
        endsAt: new Date("2026-05-20T14:00:00Z"),
        address: meeting.address,
        status: "held",
        seriesId: groupId,
      })
      .returning();
    pastId = past!.id;
    await t.handle.db.insert(collectiveActionInvitation).values({
      actionId: pastId,
      directoryContactId: contactId,
      name: "Léa Marchand",
      email: LEA,
      tokenHash: "past-meeting-token-hash",
      answer: "yes",
      present: true,
    });
    // Léa said yes to the meeting of 10 June.
    await t.handle.db
      .update(collectiveActionInvitation)
      .set({ answer: "yes", answeredAt: t.clock.now() })
      .where(
        and(eq(collectiveActionInvitation.actionId, groupId), eq(collectiveActionInvitation.email, LEA)),
      );
    const members = (await call("GET", groupUrl(groupId), demo.manager)).json().members;
    leaId = members.find((m: { name: string }) => m.name === "Léa Marchand").id;
  });

  it("tells, before the removal, how many invitations to come it will cancel", async () => {
    const members = (await call("GET", groupUrl(groupId), demo.manager)).json().members;
    const count = (name: string) =>
      members.find((m: { name: string }) => m.name.startsWith(name))?.upcomingInvitations;
    // Léa: 10 June and 15 September (the meeting held in May is no longer to come).
    expect(count("Léa Marchand")).toBe(2);
    // Paul, archived after his invitation to 10 June, was not invited to 15 September.
    expect(count("Paul Girard")).toBe(1);
  });

  it("cancels them: marked cancelled, out of the lists and figures, one CANCEL e-mail per meeting, journaled", async () => {
    const before = (await call("GET", `/api/collective-actions/${groupId}`, demo.manager)).json();
    expect(before.invitations.map((i: { email: string }) => i.email)).toContain(LEA);
    const requests = await mailsTo(LEA);
    const removed = await call("DELETE", `${membersUrl(groupId)}/${leaId}`, demo.counselor);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().members.map((m: { name: string }) => m.name)).not.toContain("Léa Marchand");

    const invitations = await t.handle.db
      .select()
      .from(collectiveActionInvitation)
      .where(eq(collectiveActionInvitation.email, LEA));
    const byMeeting = new Map(invitations.map((i) => [i.actionId, i]));
    expect(byMeeting.get(groupId)?.cancelledAt).toEqual(t.clock.now());
    expect(byMeeting.get(nextId)?.cancelledAt).toEqual(t.clock.now());
    // The meeting held keeps its history: invited, answered, present.
    expect(byMeeting.get(pastId)).toMatchObject({ cancelledAt: null, answer: "yes", present: true });

    const withdrawals = (await mailsTo(LEA)).filter(isWithdrawal);
    expect(withdrawals).toHaveLength(2);
    for (const meetingId of [groupId, nextId]) {
      const uid = `UID:collective-action-${meetingId}@`;
      const cancel = withdrawals.find((m) => icsOf(m).includes(uid));
      const request = requests.find((m) => icsOf(m).includes(uid) && icsOf(m).includes("METHOD:REQUEST"));
      expect(cancel, meetingId).toBeDefined();
      expect(icsOf(cancel!)).toContain("METHOD:CANCEL");
      expect(sequenceOf(icsOf(cancel!))).toBeGreaterThan(sequenceOf(icsOf(request!)));
      expect(cancel!.body).toContain("Bonjour Léa Marchand,");
      expect(cancel!.body).toContain("votre invitation à « Sortie de détention et accès aux droits »");
      expect(cancel!.body).toContain("vous ne faites plus partie des membres invités à cette réunion");
      expect(cancel!.body).not.toContain("/invitation/");
    }

    // The meeting's lists and figures no longer count her (invited, and her "yes").
    const after = (await call("GET", `/api/collective-actions/${groupId}`, demo.manager)).json();
    expect(after.invitations.map((i: { email: string }) => i.email)).not.toContain(LEA);
    expect(after.invited).toBe(before.invited - 1);
    expect(after.accepted).toBe(before.accepted - 1);

    const [journaled] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "collective_action.member_removed"), eq(auditEvent.targetId, leaId)));
    expect(journaled).toMatchObject({
      actorUserId: await t.userId(demo.counselor),
      reason:
        "groupe de travail « Sortie de détention et accès aux droits » ; 2 invitation(s) à venir annulée(s)",
    });
  });

  it("a second removal is a 404 that sends nothing more", async () => {
    const again = await call("DELETE", `${membersUrl(groupId)}/${leaId}`, demo.manager);
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe("collectiveAction.memberNotFound");
    expect((await mailsTo(LEA)).filter(isWithdrawal)).toHaveLength(2);
  });

  it("two removals at once: one succeeds, the other is a 404, the cancellations go once", async () => {
    const cpipEmail = demo.cpip;
    const members = (await call("GET", groupUrl(groupId), demo.manager)).json().members;
    const cpipMember = members.find((m: { kind: string }) => m.kind === "agent");
    expect(cpipMember.upcomingInvitations).toBe(2);
    const url = `${membersUrl(groupId)}/${cpipMember.id}`;
    const answers = await Promise.all([
      call("DELETE", url, demo.manager),
      call("DELETE", `${membersUrl(nextId)}/${cpipMember.id}`, demo.counselor),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 404]);
    expect((await mailsTo(cpipEmail)).filter(isWithdrawal)).toHaveLength(2);
  });

  it("the withdrawn link says so in French and takes no answer", async () => {
    const request = (await mailsTo(LEA)).find(
      (m) => icsOf(m).includes(`UID:collective-action-${groupId}@`) && icsOf(m).includes("METHOD:REQUEST"),
    );
    const token = request?.body.match(/\/invitation\/([A-Za-z0-9_-]{43})/)?.[1] ?? "";
    expect(token).not.toBe("");
    const read = await call("GET", `/api/public/invitations/${token}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ state: "withdrawn", answer: null });
    const answer = await call("POST", `/api/public/invitations/${token}`, undefined, { answer: "yes" });
    expect(answer.statusCode).toBe(409);
    expect(answer.json()).toMatchObject({
      code: "collectiveAction.invitationWithdrawn",
      message: expect.stringContaining("vous ne faites plus partie des membres invités"),
    });
  });

  it("added again, the member is invited anew: a new link, no answer, a REQUEST above the CANCEL", async () => {
    const earlier = new Set((await mailsTo(LEA)).map((m) => m.id));
    const added = await call("POST", membersUrl(groupId), demo.manager, { directoryContactId: contactId });
    expect(added.statusCode, added.body).toBe(200);
    const lea = added.json().members.find((m: { name: string }) => m.name === "Léa Marchand");
    expect(lea.upcomingInvitations).toBe(2);
    const [invitation] = await t.handle.db
      .select()
      .from(collectiveActionInvitation)
      .where(
        and(eq(collectiveActionInvitation.actionId, groupId), eq(collectiveActionInvitation.email, LEA)),
      );
    expect(invitation).toMatchObject({ cancelledAt: null, answer: null, answeredAt: null });
    const mails = await mailsTo(LEA);
    const uid = `UID:collective-action-${groupId}@`;
    const cancel = mails.filter(isWithdrawal).find((m) => icsOf(m).includes(uid))!;
    const renewed = mails.filter((m) => !earlier.has(m.id) && icsOf(m).includes(uid));
    expect(renewed).toHaveLength(1);
    expect(icsOf(renewed[0]!)).toContain("METHOD:REQUEST");
    expect(renewed[0]!.body).toMatch(/\/invitation\/[A-Za-z0-9_-]{43}\?reponse=oui/);
    expect(sequenceOf(icsOf(renewed[0]!))).toBeGreaterThan(sequenceOf(icsOf(cancel)));
  });
});

describe("the generic operations of a collective action do not apply to a working group", () => {
  it("the page's permissions leave out inviting partners and convoking people", async () => {
    // Both held at a site of the structure, where people may be convoked to a forum.
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.structureId, t.demoStructureId));
    await t.handle.db
      .update(collectiveAction)
      .set({ siteId: meaux!.id, address: "" })
      .where(inArray(collectiveAction.id, [groupId, forumId]));
    const read = await call("GET", `/api/collective-actions/${groupId}`, demo.manager);
    expect(read.json().permissions).toMatchObject({ invite: false, convoke: false, edit: true });
    const forum = await call("GET", `/api/collective-actions/${forumId}`, demo.manager);
    expect(forum.json().permissions).toMatchObject({ invite: true, convoke: true });
  });

  it("inviting a partner aside from the members is a 409 in French, nothing written", async () => {
    const before = await t.handle.db.select().from(notification);
    const invite = await call("POST", `/api/collective-actions/${groupId}/invitations`, demo.manager, {
      invitees: [{ name: "Invité à part", email: "invite.a.part@exemple.invalid" }],
    });
    expect(invite.statusCode).toBe(409);
    expect(invite.json()).toMatchObject({
      code: "collectiveAction.membersOnly",
      message: expect.stringContaining("ajoutez l'agent ou le contact aux membres, il sera invité"),
    });
    expect(
      await t.handle.db
        .select()
        .from(collectiveActionInvitation)
        .where(eq(collectiveActionInvitation.email, "invite.a.part@exemple.invalid")),
    ).toEqual([]);
    expect(await t.handle.db.select().from(notification)).toHaveLength(before.length);
  });

  it("convoking a person is a 409 in French, nothing written", async () => {
    const convoke = await call("POST", `/api/collective-actions/${groupId}/convocations`, demo.cpip, {
      personId: "00000000-0000-4000-8000-000000000000",
      notifySms: false,
      notifyEmail: false,
    });
    expect(convoke.statusCode).toBe(409);
    expect(convoke.json()).toMatchObject({
      code: "collectiveAction.noConvocationToWorkingGroup",
      message: expect.stringContaining("On ne convoque pas une personne suivie"),
    });
    expect(
      await t.handle.db.select().from(convocation).where(eq(convocation.collectiveActionId, groupId)),
    ).toEqual([]);
  });
});
