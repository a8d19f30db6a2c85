import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  collectiveAction,
  collectiveActionInvitation,
  convocation,
  directoryContact,
  directoryEntry,
  notification,
  service,
  site,
  user,
} from "../db/schema";
import { anAgent, aPerson } from "../testing/builders";
import { createCollectiveAction } from "../testing/collectiveActions";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Working groups' edge cases (ADR 0031, addenda): an invitation is its member's whatever their
 * address has become; no e-mail goes to an archived contact or a disabled agent; an action's kind
 * does not change to or from working group once it has what the other kind cannot hold.
 * The test clock reads Monday 1 June 2026, 11:00 in Paris.
 */
let t: TestApp;
let entryId: string;
let meauxId: string;

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

const meeting = {
  kind: "working_group",
  title: "Logement à la sortie",
  theme: "Logement",
  description: "Groupe de travail SPIP, SIAO, bailleurs.",
  day: "2026-06-10",
  startTime: "14:00",
  endTime: "16:00",
  address: "Préfecture de Seine-et-Marne, Melun",
  organiserIds: [],
};

async function removeMember(groupId: string, memberId: string): Promise<void> {
  const removed = await call(
    "DELETE",
    `/api/collective-actions/${groupId}/members/${memberId}`,
    demo.manager,
  );
  expect(removed.statusCode, removed.body).toBe(200);
}

const createAction = (body: object = meeting): Promise<string> => createCollectiveAction(t, body);

async function contact(name: string, email: string): Promise<string> {
  const [created] = await t.handle.db
    .insert(directoryContact)
    .values({ entryId, name, email })
    .returning({ id: directoryContact.id });
  return created!.id;
}

async function addMember(groupId: string, member: { userId: string } | { directoryContactId: string }) {
  const added = await call("POST", `/api/collective-actions/${groupId}/members`, demo.manager, member);
  expect(added.statusCode, added.body).toBe(200);
  return added.json().members as { id: string; refId: string; upcomingInvitations: number }[];
}

const memberOf = async (groupId: string, refId: string) =>
  (
    (await call("GET", `/api/collective-actions/${groupId}/working-group`, demo.manager)).json().members as {
      id: string;
      refId: string;
      upcomingInvitations: number;
    }[]
  ).find((m) => m.refId === refId);

const mailsTo = (email: string) =>
  t.handle.db
    .select()
    .from(notification)
    .where(and(eq(notification.kind, "invitation"), eq(notification.recipient, email)));

const invitationsOf = (actionId: string) =>
  t.handle.db
    .select()
    .from(collectiveActionInvitation)
    .where(eq(collectiveActionInvitation.actionId, actionId));

beforeAll(async () => {
  t = await startTestApp();
  const [entry] = await t.handle.db
    .insert(directoryEntry)
    .values({ structureId: t.demoStructureId, name: "SIAO 77 – antenne de test", kind: "association" })
    .returning();
  entryId = entry!.id;
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  meauxId = meaux!.id;
});
afterAll(() => t.close());

describe("an invitation is its member's, whatever their address has become", () => {
  it("an agent whose address changed after the invitation: counted, then withdrawn on removal", async () => {
    const groupId = await createAction();
    const agent = await anAgent(t.handle.db, {
      structureId: t.demoStructureId,
      roles: ["counselor"],
      email: "ancienne.adresse@test.passerelle.fr",
    });
    await addMember(groupId, { userId: agent.id });
    const [invitation] = await invitationsOf(groupId);
    expect(invitation).toMatchObject({ userId: agent.id, email: "ancienne.adresse@test.passerelle.fr" });

    await t.handle.db
      .update(user)
      .set({ email: "nouvelle.adresse@test.passerelle.fr" })
      .where(eq(user.id, agent.id));
    const member = await memberOf(groupId, agent.id);
    expect(member?.upcomingInvitations).toBe(1);

    await removeMember(groupId, member!.id);
    const [after] = await invitationsOf(groupId);
    expect(after?.cancelledAt).toEqual(t.clock.now());
    // The CANCEL goes where the invitation went: the calendar that holds the meeting.
    const withdrawals = (await mailsTo("ancienne.adresse@test.passerelle.fr")).filter((m) =>
      m.subject.startsWith("Annulation de votre invitation"),
    );
    expect(withdrawals).toHaveLength(1);
    expect(withdrawals[0]?.attachments?.[0]?.content).toContain("METHOD:CANCEL");
  });

  it("an invitation sent to an address another member holds stays, and becomes theirs", async () => {
    const groupId = await createAction();
    const agent = await anAgent(t.handle.db, {
      structureId: t.demoStructureId,
      roles: ["counselor"],
      email: "accueil@siao77.invalid",
    });
    const shared = await contact("Accueil SIAO", "accueil@siao77.invalid");
    await addMember(groupId, { userId: agent.id });
    await addMember(groupId, { directoryContactId: shared });
    expect(await invitationsOf(groupId)).toHaveLength(1);

    const agentMember = await memberOf(groupId, agent.id);
    await call("DELETE", `/api/collective-actions/${groupId}/members/${agentMember!.id}`, demo.manager);
    const [kept] = await invitationsOf(groupId);
    expect(kept).toMatchObject({ cancelledAt: null, userId: null, directoryContactId: shared });
    expect((await memberOf(groupId, shared))?.upcomingInvitations).toBe(1);

    const contactMember = await memberOf(groupId, shared);
    await call("DELETE", `/api/collective-actions/${groupId}/members/${contactMember!.id}`, demo.manager);
    const [withdrawn] = await invitationsOf(groupId);
    expect(withdrawn?.cancelledAt).toEqual(t.clock.now());
  });
});

describe("no e-mail to an archived contact or a disabled agent", () => {
  it("an archived member keeps their invitation but is told nothing of a move, a removal or a cancellation", async () => {
    const groupId = await createAction();
    const archivedEmail = "archive@siao77.invalid";
    const archived = await contact("Contact archivé", archivedEmail);
    const kept = await contact("Contact actif", "actif@siao77.invalid");
    await addMember(groupId, { directoryContactId: archived });
    await addMember(groupId, { directoryContactId: kept });
    expect(await mailsTo(archivedEmail)).toHaveLength(1);
    const archive = await call("PUT", `/api/directory/contacts/${archived}/archive`, demo.manager, {
      archived: true,
    });
    expect(archive.statusCode, archive.body).toBe(200);

    const moved = await call("PUT", `/api/collective-actions/${groupId}`, demo.manager, {
      ...meeting,
      startTime: "15:00",
      endTime: "17:00",
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await mailsTo(archivedEmail)).toHaveLength(1);
    expect((await mailsTo("actif@siao77.invalid")).map((m) => m.subject.split(" :")[0]).sort()).toEqual([
      "Invitation",
      "Modification",
    ]);

    // The meeting's list of invitees says who is no longer written to.
    const read = await call("GET", `/api/collective-actions/${groupId}`, demo.manager);
    expect(
      read.json().invitations.map((i: { email: string; notWritten: boolean }) => [i.email, i.notWritten]),
    ).toEqual([
      ["actif@siao77.invalid", false],
      [archivedEmail, true],
    ]);

    const member = await memberOf(groupId, archived);
    expect(member?.upcomingInvitations).toBe(1);
    await removeMember(groupId, member!.id);
    const mine = (await invitationsOf(groupId)).find((i) => i.directoryContactId === archived);
    expect(mine?.cancelledAt).toEqual(t.clock.now());
    expect(await mailsTo(archivedEmail)).toHaveLength(1);
  });

  it("a cancelled meeting tells the members in use only; a restored contact is written to again", async () => {
    const groupId = await createAction();
    const email = "restaure@siao77.invalid";
    const archived = await contact("Contact restauré", email);
    await addMember(groupId, { directoryContactId: archived });
    const agent = await anAgent(t.handle.db, {
      structureId: t.demoStructureId,
      roles: ["counselor"],
      email: "agent.parti@test.passerelle.fr",
    });
    await addMember(groupId, { userId: agent.id });
    await call("PUT", `/api/directory/contacts/${archived}/archive`, demo.manager, { archived: true });
    await t.handle.db.update(user).set({ disabledAt: t.clock.now() }).where(eq(user.id, agent.id));

    // Moved while archived: nothing; restored, the next move reaches the contact again.
    await call("PUT", `/api/collective-actions/${groupId}`, demo.manager, { ...meeting, startTime: "14:30" });
    expect(await mailsTo(email)).toHaveLength(1);
    await call("PUT", `/api/directory/contacts/${archived}/archive`, demo.manager, { archived: false });
    await call("PUT", `/api/collective-actions/${groupId}`, demo.manager, { ...meeting, startTime: "15:00" });
    expect((await mailsTo(email)).map((m) => m.subject.split(" :")[0]).sort()).toEqual([
      "Invitation",
      "Modification",
    ]);

    await call("PUT", `/api/directory/contacts/${archived}/archive`, demo.manager, { archived: true });
    const cancelled = await call("POST", `/api/collective-actions/${groupId}/cancel`, demo.manager);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await mailsTo(email)).toHaveLength(2);
    // The disabled agent was told nothing after the invitation.
    expect((await mailsTo("agent.parti@test.passerelle.fr")).map((m) => m.subject.split(" :")[0])).toEqual([
      "Invitation",
    ]);
  });
});

describe("the kind of an action and working groups", () => {
  const update = (id: string, body: object) =>
    call("PUT", `/api/collective-actions/${id}`, demo.manager, body);
  const rowOf = async (id: string) =>
    (await t.handle.db.select().from(collectiveAction).where(eq(collectiveAction.id, id)))[0]!;

  it("a working group with members stays one: 409 in French on the kind, nothing written", async () => {
    const groupId = await createAction();
    await addMember(groupId, { directoryContactId: await contact("Membre", "membre@siao77.invalid") });
    const before = await rowOf(groupId);
    const changed = await update(groupId, { ...meeting, kind: "forum_emploi", title: "Forum" });
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toMatchObject({
      code: "collectiveAction.kindLockedWorkingGroup",
      message: expect.stringContaining("il ne peut plus changer de type"),
    });
    expect(await rowOf(groupId)).toEqual(before);
  });

  it("a meeting whose series has other meetings stays a working group, even without members", async () => {
    const groupId = await createAction();
    const planned = await call("POST", `/api/collective-actions/${groupId}/next-meeting`, demo.manager, {
      day: "2026-07-08",
      startTime: "14:00",
      endTime: "16:00",
      address: meeting.address,
    });
    expect(planned.statusCode, planned.body).toBe(200);
    for (const id of [groupId, planned.json().id]) {
      const changed = await update(id, { ...meeting, kind: "atelier" });
      expect(changed.statusCode).toBe(409);
      expect(changed.json().code).toBe("collectiveAction.kindLockedWorkingGroup");
      expect((await rowOf(id)).kind).toBe("working_group");
    }
  });

  it("an action with a partner invited or a person convoked does not become a working group", async () => {
    const forumId = await createAction({ ...meeting, kind: "forum_emploi", title: "Forum emploi" });
    const invited = await call("POST", `/api/collective-actions/${forumId}/invitations`, demo.manager, {
      invitees: [{ name: "Entreprise", email: "rh@entreprise.invalid" }],
    });
    expect(invited.statusCode, invited.body).toBe(200);
    const changed = await update(forumId, meeting);
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toMatchObject({
      code: "collectiveAction.kindLockedToWorkingGroup",
      message: expect.stringContaining("elle ne peut plus devenir un groupe de travail"),
    });
    expect(await rowOf(forumId)).toMatchObject({ kind: "forum_emploi", seriesId: null });

    const atSite = { ...meeting, kind: "atelier", title: "Atelier numérique", siteId: meauxId, address: "" };
    const atelierId = await createAction(atSite);
    const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
    const someone = await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: await t.userId(demo.cpip),
      referentServiceId: spip!.id,
    });
    const convoked = await call("POST", `/api/collective-actions/${atelierId}/convocations`, demo.cpip, {
      personId: someone.id,
      notifySms: false,
      notifyEmail: false,
    });
    expect(convoked.statusCode, convoked.body).toBe(200);
    const refused = await update(atelierId, { ...atSite, kind: "working_group" });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("collectiveAction.kindLockedToWorkingGroup");
    // Once the convocation is cancelled, nothing conflicts any more.
    await t.handle.db
      .update(convocation)
      .set({ status: "cancelled" })
      .where(eq(convocation.collectiveActionId, atelierId));
    expect((await update(atelierId, { ...atSite, kind: "working_group" })).statusCode).toBe(200);
    expect(await rowOf(atelierId)).toMatchObject({ kind: "working_group", seriesId: atelierId });
  });

  it("while nothing conflicts the kind changes both ways, the series following it", async () => {
    const groupId = await createAction();
    expect((await update(groupId, { ...meeting, kind: "plenary" })).statusCode).toBe(200);
    expect(await rowOf(groupId)).toMatchObject({ kind: "plenary", seriesId: null });
    expect((await update(groupId, meeting)).statusCode).toBe(200);
    expect(await rowOf(groupId)).toMatchObject({ kind: "working_group", seriesId: groupId });
  });
});

describe("the outcome figures of a kind that has none", () => {
  const heldAlready = async (body: object) => {
    const id = await createAction(body);
    await t.handle.db
      .update(collectiveAction)
      .set({
        status: "held",
        startsAt: new Date("2026-05-20T12:00:00Z"),
        endsAt: new Date("2026-05-20T14:00:00Z"),
      })
      .where(eq(collectiveAction.id, id));
    return id;
  };
  const record = (id: string, body: object) =>
    call("PUT", `/api/collective-actions/${id}/outcomes`, demo.manager, body);
  const rowOf = async (id: string) =>
    (await t.handle.db.select().from(collectiveAction).where(eq(collectiveAction.id, id)))[0]!;

  it("a held working group given « hires »: 400 in French on the figure, nothing written; without figures, 200", async () => {
    const groupId = await heldAlready(meeting);
    const before = await rowOf(groupId);
    const refused = await record(groupId, { outcomes: { hires: 3 }, minutes: "CR" });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().issues).toEqual([
      {
        path: "body.outcomes.hires",
        message:
          "Un groupe de travail n'a pas de chiffres de bilan (« Embauches ») : ses suites se notent dans le compte rendu et les décisions.",
      },
    ]);
    expect(await rowOf(groupId)).toEqual(before);
    const recorded = await record(groupId, { outcomes: {}, minutes: "CR" });
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(await rowOf(groupId)).toMatchObject({ minutes: "CR", outcomes: {} });
  });

  it("an atelier given a forum's figure: 400 naming what it records", async () => {
    const atelierId = await heldAlready({
      ...meeting,
      kind: "atelier",
      title: "Atelier CV",
      siteId: meauxId,
      address: "",
    });
    const refused = await record(atelierId, { outcomes: { participants: 8, hires: 1 } });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().issues).toEqual([
      {
        path: "body.outcomes.hires",
        message: "« Embauches » ne se saisit pas pour un atelier : seulement « Participants ».",
      },
    ]);
    expect((await rowOf(atelierId)).outcomes ?? {}).toEqual({});
  });
});
