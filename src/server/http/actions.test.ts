import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  collectiveAction,
  collectiveActionDocument,
  collectiveActionInvitation,
  convocation,
  directoryContact,
  directoryEntry,
  membership,
  notification,
  partner,
  person,
  service,
  site,
} from "../db/schema";
import { anAgent, aPerson, aStructure } from "../testing/builders";
import { aPdf, formOfParts } from "../testing/documentFiles";
import { expectSafeRetries } from "../testing/retriedCreations";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Collective actions through the real app (ADR 0031): who may do what, bad input, the invitation
 * link (forged, changed, closed), convocations to the last place, people in detention.
 * The test clock reads Monday 1 June 2026, 11:00 in Paris.
 */
let t: TestApp;
let meauxId: string;
let spipServiceId: string;
let contacts: { iae1: string; iae2: string; caf: string; ft: string };
let cafReferent: string;
let ftReferent: string;

const forum = (over: Record<string, unknown> = {}) => ({
  kind: "forum_emploi",
  title: "Forum emploi IAE de Meaux",
  description: "Rencontres avec des employeurs de l'insertion.",
  day: "2026-06-20",
  startTime: "09:30",
  endTime: "12:30",
  siteId: meauxId,
  capacity: 20,
  ...over,
});

async function as(email: string) {
  return t.sessionFor(email);
}

async function create(body: object, email: string = demo.manager) {
  return t.app.inject({
    method: "POST",
    url: `/api/structures/${t.demoStructureId}/collective-actions`,
    headers: await as(email),
    payload: body,
  });
}

async function createdId(body: object = forum()): Promise<string> {
  const response = await create(body);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().id;
}

async function invite(actionId: string, invitees: object[]) {
  return t.app.inject({
    method: "POST",
    url: `/api/collective-actions/${actionId}/invitations`,
    headers: await as(demo.manager),
    payload: { invitees },
  });
}

/** The answer link of the last invitation e-mail to this address. */
async function linkTo(email: string): Promise<string> {
  const rows = await t.handle.db
    .select()
    .from(notification)
    .where(and(eq(notification.recipient, email), eq(notification.kind, "invitation")))
    .orderBy(notification.createdAt);
  const body = rows.at(-1)?.body ?? "";
  const match = /\/invitation\/([A-Za-z0-9_-]{43})\?reponse=oui/.exec(body);
  if (!match) throw new Error(`no link in ${body}`);
  return match[1]!;
}

async function personOf(cpipEmail: string, detained = false): Promise<string> {
  const created = await aPerson(t.handle.db, {
    structureId: t.demoStructureId,
    referentUserId: await t.userId(cpipEmail),
    referentServiceId: spipServiceId,
    identity: { phone: "+33611223344" },
  });
  if (detained) {
    const [prison] = await t.handle.db
      .insert(site)
      .values({
        structureId: t.demoStructureId,
        name: "Centre pénitentiaire de Meaux",
        kind: "prison",
        address: "Chauconin-Neufmontiers",
      })
      .returning();
    await t.handle.db.update(person).set({ detentionSiteId: prison!.id }).where(eq(person.id, created.id));
  }
  return created.id;
}

async function convoke(actionId: string, personId: string, email: string = demo.cpip) {
  return t.app.inject({
    method: "POST",
    url: `/api/collective-actions/${actionId}/convocations`,
    headers: await as(email),
    payload: { personId, notifySms: true, notifyEmail: false },
  });
}

beforeAll(async () => {
  t = await startTestApp();
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  meauxId = meaux!.id;
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  spipServiceId = spip!.id;
  const [caf] = await t.handle.db.select().from(partner).where(eq(partner.code, "caf"));
  const [ft] = await t.handle.db.select().from(partner).where(eq(partner.code, "france-travail"));
  const entry = async (name: string, partnerId: string | null, contact: string, email: string) => {
    const [e] = await t.handle.db
      .insert(directoryEntry)
      .values({
        structureId: t.demoStructureId,
        name,
        kind: partnerId ? "local_correspondent" : "iae_employer",
        partnerId,
      })
      .returning();
    const [c] = await t.handle.db
      .insert(directoryContact)
      .values({ entryId: e!.id, name: contact, email })
      .returning();
    return c!.id;
  };
  contacts = {
    iae1: await entry("Jardins de Cocagne (ACI)", null, "Léa Roux", "lea.roux@exemple.fr"),
    iae2: await entry("Envie 77 (EI)", null, "Marc Faure", "marc.faure@exemple.fr"),
    // Not the demo's « CAF de Seine-et-Marne »: two entries of a directory never read alike.
    caf: await entry(
      "CAF de Seine-et-Marne (antenne de Meaux)",
      caf!.id,
      "Nadia Caf",
      "nadia.caf@exemple.fr",
    ),
    ft: await entry("France Travail Meaux", ft!.id, "Hugo Travail", "hugo.travail@exemple.fr"),
  };
  cafReferent = demo.partner;
  const ftAgent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["partner_referent"] });
  await t.handle.db.update(membership).set({ partnerId: ft!.id }).where(eq(membership.userId, ftAgent.id));
  ftReferent = ftAgent.email;
});
afterAll(() => t.close());

describe("creating an action", () => {
  it("answers 401 without a session, 403 to roles that do not organise, 400 listing bad input", async () => {
    const anonymous = await t.app.inject({
      method: "POST",
      url: `/api/structures/${t.demoStructureId}/collective-actions`,
      payload: forum(),
    });
    expect(anonymous.statusCode).toBe(401);
    expect((await create(forum(), demo.cpip)).statusCode).toBe(403);
    expect((await create(forum(), demo.steering)).statusCode).toBe(403);
    expect((await create(forum(), demo.partner)).statusCode).toBe(403);
    const bad = await create(forum({ startTime: "14:00", endTime: "13:00", capacity: 0 }));
    expect(bad.statusCode).toBe(400);
    const issues = bad.json().issues as { path: string; message: string }[];
    expect(issues).toContainEqual({
      path: "body.endTime",
      message: "L'heure de fin doit être après l'heure de début.",
    });
    expect(issues).toContainEqual({
      path: "body.capacity",
      message: "La capacité doit être d'au moins 1 place.",
    });
    const nowhere = await create(forum({ siteId: null, address: "" }));
    expect(nowhere.statusCode).toBe(400);
    expect(JSON.stringify(nowhere.json().issues)).toContain("saisissez une adresse");
    const impossible = await create(forum({ day: "2026-02-30" }));
    expect(impossible.statusCode).toBe(400);
    const absurd = await create(forum({ day: "1901-01-01" }));
    expect(absurd.statusCode).toBe(400);
    expect(absurd.json().issues).toEqual([
      {
        path: "body.day",
        message: expect.stringMatching(/^Date trop ancienne : saisissez une date à partir du /),
      },
    ]);
  });

  it("refuses an unknown site, another structure's site or agent, said under the field, writing nothing", async () => {
    const before = await t.handle.db.select().from(collectiveAction);
    const other = await aStructure(t.handle.db);
    const [theirSite] = await t.handle.db
      .insert(site)
      .values({
        structureId: other.structure.id,
        name: "Bar-le-Duc",
        kind: "france_services",
        address: "1 rue Haute, 55000 Bar-le-Duc",
      })
      .returning();
    const theirAgent = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["counselor"] });
    for (const [body, path] of [
      [forum({ siteId: "00000000-0000-4000-8000-000000000000" }), "body.siteId"],
      [forum({ siteId: theirSite!.id }), "body.siteId"],
      [forum({ organiserIds: [theirAgent.id] }), "body.organiserIds"],
    ] as const) {
      const response = await create(body);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("collectiveAction.unknownChoice");
      expect(response.json().issues.map((i: { path: string }) => i.path)).toEqual([path]);
    }
    expect(await t.handle.db.select().from(collectiveAction)).toHaveLength(before.length);
  });

  it("lets the direction and a counselor organise; the list shows it to the structure's agents only", async () => {
    const id = await createdId();
    expect(
      (await create(forum({ title: "Atelier numérique", kind: "atelier" }), demo.counselor)).statusCode,
    ).toBe(200);
    const list = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/collective-actions`,
      headers: await as(demo.cpip),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().actions.map((a: { id: string }) => a.id)).toContain(id);
    const steering = await t.app.inject({
      method: "GET",
      url: `/api/structures/${t.demoStructureId}/collective-actions`,
      headers: await as(demo.steering),
    });
    expect(steering.statusCode).toBe(403);
    const unknown = await t.app.inject({
      method: "GET",
      url: "/api/collective-actions/00000000-0000-4000-8000-000000000000",
      headers: await as(demo.manager),
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe("a stage in lent premises, cofunded (ADR 0039)", () => {
  it("a counselor organises a stage de citoyenneté hosted by the mairie; an entry of another structure is a field error", async () => {
    const entry = async (name: string) =>
      (await t.handle.db.select().from(directoryEntry).where(eq(directoryEntry.name, name)))[0]!.id;
    const mairie = await entry("Mairie de Meaux");
    const prefecture = await entry("Préfecture de Seine-et-Marne");
    const stage = forum({
      kind: "stage",
      title: "Stage de citoyenneté",
      siteId: null,
      address: "Hôtel de ville, place de l'Hôtel de ville, 77100 Meaux",
      hostEntryId: mairie,
      cofunderEntryIds: [mairie, prefecture],
    });
    const before = (await t.handle.db.select().from(collectiveAction)).length;
    const stranger = await t.handle.db
      .insert(directoryEntry)
      .values({
        structureId: (await anotherStructureId()) as string,
        name: "Mairie d'ailleurs",
        kind: "local_authority",
      })
      .returning();
    const refused = await create({
      ...stage,
      hostEntryId: stranger[0]!.id,
      cofunderEntryIds: [stranger[0]!.id],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues).toEqual([
      {
        path: "body.hostEntryId",
        message: "Choisissez l'organisation qui prête ses locaux dans l'annuaire de la structure.",
      },
      {
        path: "body.cofunderEntryIds",
        message: "Choisissez les cofinanceurs dans l'annuaire de la structure.",
      },
    ]);
    expect(await t.handle.db.select().from(collectiveAction)).toHaveLength(before);

    const created = await create(stage, demo.counselor);
    expect(created.statusCode, created.body).toBe(200);
    const read = async () =>
      (
        await t.app.inject({
          method: "GET",
          url: `/api/collective-actions/${created.json().id}`,
          headers: await as(demo.cpip),
        })
      ).json();
    const detail = await read();
    expect(detail).toMatchObject({
      kind: "stage",
      host: { id: mairie, name: "Mairie de Meaux" },
      cofunders: [
        { id: mairie, name: "Mairie de Meaux" },
        { id: prefecture, name: "Préfecture de Seine-et-Marne" },
      ],
    });
    const changed = await t.app.inject({
      method: "PUT",
      url: `/api/collective-actions/${created.json().id}`,
      headers: await as(demo.counselor),
      payload: { ...stage, hostEntryId: null, cofunderEntryIds: [prefecture] },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await read()).toMatchObject({ host: null, cofunders: [{ name: "Préfecture de Seine-et-Marne" }] });
  });
});

describe("invitations", () => {
  it("queues one e-mail per contact with the ICS invitation and two answer links; an address is invited once", async () => {
    const id = await createdId();
    const first = await invite(id, [
      { directoryContactId: contacts.iae1 },
      { directoryContactId: contacts.iae2 },
      { name: "Julie Geiq", email: "Julie.Geiq@Exemple.fr" },
    ]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ invited: 3, alreadyInvited: 0 });
    const again = await invite(id, [{ name: "Julie G.", email: "julie.geiq@exemple.fr" }]);
    expect(again.json()).toEqual({ invited: 0, alreadyInvited: 1 });
    const mails = await t.handle.db
      .select()
      .from(notification)
      .where(and(eq(notification.kind, "invitation"), eq(notification.recipient, "julie.geiq@exemple.fr")));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toContain("Invitation : Forum emploi IAE de Meaux");
    expect(mail.body).toContain("samedi 20 juin 2026 à 9 h 30");
    expect(mail.body).toMatch(/Je participe : http:\/\/localhost:3000\/invitation\/[\w-]{43}\?reponse=oui/);
    const ics = mail.attachments![0]!;
    expect(ics.contentType).toContain("method=REQUEST");
    expect(ics.content).toContain(`UID:collective-action-${id}@localhost`);
    expect(ics.content).toContain("SEQUENCE:0");
    expect(ics.content).toContain("DTSTART:20260620T073000Z");
    // Only the hash of the token is stored.
    const [stored] = await t.handle.db
      .select()
      .from(collectiveActionInvitation)
      .where(eq(collectiveActionInvitation.email, "julie.geiq@exemple.fr"));
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(mail.body).not.toContain(stored!.tokenHash);
  });

  it("refuses invitations from a CPIP (403) and a contact of another structure (400, under the list), present partners not invited (400)", async () => {
    const id = await createdId();
    const cpip = await t.app.inject({
      method: "POST",
      url: `/api/collective-actions/${id}/invitations`,
      headers: await as(demo.cpip),
      payload: { invitees: [{ directoryContactId: contacts.iae1 }] },
    });
    expect(cpip.statusCode).toBe(403);
    const unknown = await invite(id, [{ directoryContactId: "00000000-0000-4000-8000-000000000000" }]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.invitees"]);
    // Present (once it began): only partners invited to this action, said under the list.
    t.clock.set(new Date("2026-06-20T08:00:00Z"));
    try {
      const outcomes = await t.app.inject({
        method: "PUT",
        url: `/api/collective-actions/${id}/outcomes`,
        headers: await as(demo.manager),
        payload: { presentInvitationIds: ["00000000-0000-4000-8000-000000000000"] },
      });
      expect(outcomes.statusCode).toBe(400);
      expect(outcomes.json().code).toBe("collectiveAction.unknownChoice");
      expect(outcomes.json().issues.map((i: { path: string }) => i.path)).toEqual([
        "body.presentInvitationIds",
      ]);
    } finally {
      t.clock.set(new Date("2026-06-01T09:00:00Z"));
    }
    const empty = await invite(id, []);
    expect(empty.statusCode).toBe(400);
  });

  it("takes an answer by link without an account, until the action starts; a forged link is a French 404", async () => {
    const id = await createdId();
    await invite(id, [{ directoryContactId: contacts.iae1 }]);
    const token = await linkTo("lea.roux@exemple.fr");
    const page = await t.app.inject({ method: "GET", url: `/api/public/invitations/${token}` });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toMatchObject({ title: "Forum emploi IAE de Meaux", answer: null, state: "open" });
    expect(page.body).not.toContain("personId");
    const yes = await t.app.inject({
      method: "POST",
      url: `/api/public/invitations/${token}`,
      payload: { answer: "yes" },
    });
    expect(yes.statusCode, yes.body).toBe(200);
    expect(yes.json().answer).toBe("yes");
    const changed = await t.app.inject({
      method: "POST",
      url: `/api/public/invitations/${token}`,
      payload: { answer: "no" },
    });
    expect(changed.json().answer).toBe("no");
    const bad = await t.app.inject({ method: "POST", url: `/api/public/invitations/${token}`, payload: {} });
    expect(bad.statusCode).toBe(400);
    const forged = await t.app.inject({ method: "GET", url: `/api/public/invitations/${"A".repeat(43)}` });
    expect(forged.statusCode).toBe(404);
    expect(forged.json().message).toBe("Cette invitation n'existe pas : vérifiez le lien reçu par courriel.");
    const malformed = await t.app.inject({ method: "GET", url: "/api/public/invitations/court" });
    expect(malformed.statusCode).toBe(400);

    t.clock.set(new Date("2026-06-20T07:30:00Z"));
    try {
      const closed = await t.app.inject({
        method: "POST",
        url: `/api/public/invitations/${token}`,
        payload: { answer: "yes" },
      });
      expect(closed.statusCode).toBe(409);
      expect(closed.json().message).toBe(
        "Cette invitation est close : l'action a commencé ou a été annulée.",
      );
      const view = await t.app.inject({ method: "GET", url: `/api/public/invitations/${token}` });
      expect(view.json()).toMatchObject({ state: "closed", answer: "no" });
    } finally {
      t.clock.set(new Date("2026-06-01T09:00:00Z"));
    }
  });

  it("sends an update (same uid, sequence + 1, new link) on a change of date, and CANCEL on cancelling", async () => {
    const id = await createdId();
    await invite(id, [{ directoryContactId: contacts.iae2 }]);
    const oldToken = await linkTo("marc.faure@exemple.fr");
    const headers = await as(demo.manager);
    const moved = await t.app.inject({
      method: "PUT",
      url: `/api/collective-actions/${id}`,
      headers,
      payload: forum({ day: "2026-06-27" }),
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const newToken = await linkTo("marc.faure@exemple.fr");
    expect(newToken).not.toBe(oldToken);
    const old = await t.app.inject({ method: "GET", url: `/api/public/invitations/${oldToken}` });
    expect(old.statusCode).toBe(404);
    const fresh = await t.app.inject({ method: "GET", url: `/api/public/invitations/${newToken}` });
    expect(fresh.statusCode).toBe(200);
    const mails = await t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.recipient, "marc.faure@exemple.fr"))
      .orderBy(notification.createdAt);
    const update = mails.at(-1)!;
    expect(update.subject).toContain("Modification");
    expect(update.attachments![0]!.content).toContain("SEQUENCE:1");
    expect(update.attachments![0]!.content).toContain(`UID:collective-action-${id}@localhost`);

    const cancelled = await t.app.inject({
      method: "POST",
      url: `/api/collective-actions/${id}/cancel`,
      headers,
    });
    expect(cancelled.statusCode).toBe(200);
    const last = (
      await t.handle.db
        .select()
        .from(notification)
        .where(eq(notification.recipient, "marc.faure@exemple.fr"))
        .orderBy(notification.createdAt)
    ).at(-1)!;
    expect(last.subject).toContain("Annulation");
    expect(last.attachments![0]!.contentType).toContain("method=CANCEL");
    expect(last.attachments![0]!.content).toContain("SEQUENCE:2");
    const view = await t.app.inject({ method: "GET", url: `/api/public/invitations/${newToken}` });
    expect(view.json().state).toBe("cancelled");
    const answer = await t.app.inject({
      method: "POST",
      url: `/api/public/invitations/${newToken}`,
      payload: { answer: "yes" },
    });
    expect(answer.statusCode).toBe(409);
  });
});

describe("convoking people", () => {
  it("takes the last place once when two CPIP book it at the same time (one 409 « complet »)", async () => {
    const id = await createdId(forum({ capacity: 1 }));
    const a = await personOf(demo.cpip);
    const b = await personOf(demo.cpip2);
    const [first, second] = await Promise.all([convoke(id, a, demo.cpip), convoke(id, b, demo.cpip2)]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    const refused = first.statusCode === 409 ? first : second;
    expect(refused.json().code).toBe("collectiveAction.full");
    const rows = await t.handle.db.select().from(convocation).where(eq(convocation.collectiveActionId, id));
    expect(rows).toHaveLength(1);
  });

  it("refuses a person the CPIP does not refer (403), a person twice (409), bad input (400)", async () => {
    const id = await createdId();
    const other = await personOf(demo.cpip2);
    expect((await convoke(id, other, demo.cpip)).statusCode).toBe(403);
    const mine = await personOf(demo.cpip);
    expect((await convoke(id, mine)).statusCode).toBe(200);
    const twice = await convoke(id, mine);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe("collectiveAction.alreadyConvoked");
    const bad = await t.app.inject({
      method: "POST",
      url: `/api/collective-actions/${id}/convocations`,
      headers: await as(demo.cpip),
      payload: { personId: mine },
    });
    expect(bad.statusCode).toBe(400);
    expect((await convoke(id, mine, demo.counselor)).statusCode).toBe(403);
  });

  it("queues the summon and reminder SMS, but no message at all for a person in detention", async () => {
    const id = await createdId();
    const free = await personOf(demo.cpip);
    const detained = await personOf(demo.cpip, true);
    const [held] = await t.handle.db.select().from(person).where(eq(person.id, detained));
    // A detainee is convoked only to an action held in their establishment (ADR 0028, addendum).
    const inPrison = await createdId(
      forum({ siteId: held!.detentionSiteId, title: "Forum emploi en détention" }),
    );
    const one = await convoke(id, free);
    const two = await convoke(inPrison, detained);
    expect(two.statusCode, two.body).toBe(200);
    const toFree = await t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.convocationId, one.json().convocationId));
    expect(toFree.map((n) => n.kind).sort()).toEqual(["reminder", "summon"]);
    const toDetained = await t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.convocationId, two.json().convocationId));
    expect(toDetained).toEqual([]);
    const [row] = await t.handle.db
      .select()
      .from(convocation)
      .where(eq(convocation.id, two.json().convocationId));
    expect(row).toMatchObject({ notifySms: false, notifyEmail: false });
  });

  it("does not take a permanence's place: the slot at the same site and time keeps its seats", async () => {
    // Tuesday 9 June 2026, 9:00 at Meaux: a permanence slot of two counselors.
    const slotsAt = async () => {
      const response = await t.app.inject({
        method: "GET",
        url: `/api/structures/${t.demoStructureId}/slots?siteId=${meauxId}&from=2026-06-09&days=1`,
        headers: await as(demo.cpip),
      });
      return (response.json().slots as { startsAt: string; free: number }[]).find(
        (s) => s.startsAt === "2026-06-09T07:00:00.000Z",
      );
    };
    const before = await slotsAt();
    expect(before?.free).toBeGreaterThan(0);
    const id = await createdId(forum({ day: "2026-06-09", startTime: "09:00", endTime: "09:45" }));
    expect((await convoke(id, await personOf(demo.cpip))).statusCode).toBe(200);
    expect((await slotsAt())?.free).toBe(before?.free);
  });

  it("shows each CPIP only their own people; the counselor and the direction see everyone convoked", async () => {
    const id = await createdId();
    const mine = await personOf(demo.cpip);
    const theirs = await personOf(demo.cpip2);
    await convoke(id, mine, demo.cpip);
    await convoke(id, theirs, demo.cpip2);
    const seenBy = async (email: string) => {
      const response = await t.app.inject({
        method: "GET",
        url: `/api/collective-actions/${id}`,
        headers: await as(email),
      });
      expect(response.statusCode, response.body).toBe(200);
      // The page words its empty list for who reads: everyone convoked, or only the reader's people.
      expect(response.json().seesAllConvoked).toBe(email === demo.counselor || email === demo.manager);
      return (response.json().convocations as { personId: string }[]).map((c) => c.personId).sort();
    };
    expect(await seenBy(demo.cpip)).toEqual([mine]);
    // A CPIP holding permanences as a counselor sees, as a counselor, everyone convoked.
    const cpipOnly = await anAgent(t.handle.db, {
      structureId: t.demoStructureId,
      roles: ["probation_officer"],
      serviceId: spipServiceId,
    });
    expect(await seenBy(cpipOnly.email)).toEqual([]);
    expect(await seenBy(demo.counselor)).toEqual([mine, theirs].sort());
    expect(await seenBy(demo.manager)).toEqual([mine, theirs].sort());
  });

  it("refuses to move an action once people are convoked, and a capacity below them", async () => {
    const id = await createdId();
    await convoke(id, await personOf(demo.cpip));
    await convoke(id, await personOf(demo.cpip));
    const headers = await as(demo.manager);
    const moved = await t.app.inject({
      method: "PUT",
      url: `/api/collective-actions/${id}`,
      headers,
      payload: forum({ startTime: "10:00" }),
    });
    expect(moved.statusCode).toBe(409);
    const smaller = await t.app.inject({
      method: "PUT",
      url: `/api/collective-actions/${id}`,
      headers,
      payload: forum({ capacity: 1 }),
    });
    expect(smaller.statusCode).toBe(409);
    expect(smaller.json().code).toBe("collectiveAction.capacityBelowConvoked");
  });
});

describe("the partners' side", () => {
  it("shows a partner referent the actions their organisation is invited to, never another partner's answers", async () => {
    const id = await createdId(forum({ title: "Plénière annuelle", kind: "plenary", capacity: null }));
    await invite(id, [{ directoryContactId: contacts.caf }, { directoryContactId: contacts.ft }]);
    const ftToken = await linkTo("hugo.travail@exemple.fr");
    await t.app.inject({
      method: "POST",
      url: `/api/public/invitations/${ftToken}`,
      payload: { answer: "no" },
    });
    const caf = await t.app.inject({
      method: "GET",
      url: "/api/partner/collective-actions",
      headers: await as(cafReferent),
    });
    expect(caf.statusCode).toBe(200);
    const seen = caf.json().actions.find((a: { id: string }) => a.id === id);
    expect(seen.invitees).toEqual([{ name: "Nadia Caf", answer: null }]);
    expect(caf.body).not.toContain("Hugo Travail");
    const ft = await t.app.inject({
      method: "GET",
      url: "/api/partner/collective-actions",
      headers: await as(ftReferent),
    });
    const ftSeen = ft.json().actions.find((a: { id: string }) => a.id === id);
    expect(ftSeen.invitees).toEqual([{ name: "Hugo Travail", answer: "no" }]);
    const detail = await t.app.inject({
      method: "GET",
      url: `/api/collective-actions/${id}`,
      headers: await as(cafReferent),
    });
    expect(detail.statusCode).toBe(403);
    const cpip = await t.app.inject({
      method: "GET",
      url: "/api/partner/collective-actions",
      headers: await as(demo.cpip),
    });
    expect(cpip.statusCode).toBe(403);
  });
});

async function anotherStructureId(): Promise<string> {
  return (await aStructure(t.handle.db)).structure.id;
}

describe("a collective action sent again with the id its form chose (an answer lost, ADR 0036)", () => {
  it("one action and journal row, the same answer; someone else's id a 400; other values a 409; twice at once", async () => {
    const other = await aStructure(t.handle.db);
    const there = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["service_manager"] });
    const manager = await t.userId(demo.manager);
    const [prefecture] = await t.handle.db
      .select()
      .from(directoryEntry)
      .where(eq(directoryEntry.name, "Préfecture de Seine-et-Marne"));
    await expectSafeRetries(t, {
      url: `/api/structures/${t.demoStructureId}/collective-actions`,
      email: demo.counselor,
      // Organised and cofunded: rows of their own, compared once the action's row is seen.
      body: (id) => ({
        id,
        ...forum({ title: "Atelier CV", kind: "atelier", siteId: meauxId }),
        organiserIds: [manager],
        cofunderEntryIds: [prefecture!.id],
      }),
      changed: (body) => [
        { ...body, organiserIds: [] },
        { ...body, title: "Atelier lettre de motivation" },
        { ...body, startTime: "10:00" },
        { ...body, capacity: 12 },
        { ...body, cofunderEntryIds: [] },
      ],
      code: "collectiveAction.retriedWithOtherValues",
      table: collectiveAction,
      action: "collective_action.created",
      otherAgent: demo.manager,
      otherScope: {
        url: `/api/structures/${other.structure.id}/collective-actions`,
        email: there.email,
      },
    });
  });
});

describe("an action's documents", () => {
  it("joins a PDF; a file past 10 MB is a 413 that says so, not a document or with a field it does not take a 400, writing nothing", async () => {
    const actionId = await createdId(forum({ title: "Atelier CV avec pièces jointes" }));
    const session = await as(demo.manager);
    const send = (file: { name: string; bytes: Uint8Array }) => {
      const form = formOfParts([{ name: "file", file }]);
      return t.app.inject({
        method: "POST",
        url: `/api/collective-actions/${actionId}/documents`,
        payload: form.payload,
        headers: { ...form.headers, ...session },
      });
    };
    const stored = async () =>
      (
        await t.handle.db
          .select({ id: collectiveActionDocument.id })
          .from(collectiveActionDocument)
          .where(eq(collectiveActionDocument.actionId, actionId))
      ).length;
    const big = await send({ name: "programme.pdf", bytes: aPdf(10 * 1024 * 1024 + 10) });
    expect(big.statusCode, big.body).toBe(413);
    expect(big.json()).toMatchObject({
      code: "collectiveAction.tooLarge",
      message: expect.stringMatching(/10 Mo/),
    });
    const notADocument = await send({ name: "programme.pdf", bytes: Buffer.from("MZ not a document") });
    expect(notADocument.statusCode, notADocument.body).toBe(400);
    expect(notADocument.json().code).toBe("collectiveAction.notADocument");
    expect(notADocument.json().message).toBe(
      "Le contenu de ce fichier est un programme Windows (EXE) : seuls les fichiers PDF, PNG ou JPEG de 10 Mo au plus peuvent être joints.",
    );
    const stray = formOfParts([
      { name: "title", value: "Programme" },
      { name: "file", file: { name: "programme.pdf", bytes: aPdf() } },
    ]);
    const withTitle = await t.app.inject({
      method: "POST",
      url: `/api/collective-actions/${actionId}/documents`,
      payload: stray.payload,
      headers: { ...stray.headers, ...session },
    });
    expect(withTitle.statusCode, withTitle.body).toBe(400);
    expect(withTitle.json().issues).toEqual([{ path: "body.title", message: 'Clé non reconnue : "title"' }]);
    expect(await stored()).toBe(0);
    const joined = await send({ name: "programme.pdf", bytes: aPdf() });
    expect(joined.statusCode, joined.body).toBe(200);
    expect(await stored()).toBe(1);
  });
});
