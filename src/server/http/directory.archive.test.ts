import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, collectiveAction, directoryContact, directoryEntry, notification } from "../db/schema";
import { subscribedContacts } from "../domains/newsletter/content";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Archiving directory entries (issue 15): the direction archives and restores an organisation or a
 * contact; archived, it leaves the search, the pickers, the invitations and the newsletter, and
 * stays readable on its page (where past orientations, actions and conventions lead).
 */
let t: TestApp;
let entryId: string;
let keptContactId: string;
let archivedContactId: string;
let actionId: string;

const call = async (method: "GET" | "POST" | "PUT", url: string, email?: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    ...(payload ? { payload } : {}),
    headers: email ? await t.sessionFor(email) : {},
  });
const list = (email: string, query = "") =>
  call("GET", `/api/structures/${t.demoStructureId}/directory?q=tremplin${query}`, email);
const options = async () =>
  (await call("GET", `/api/structures/${t.demoStructureId}/collective-actions/options`, demo.manager)).json()
    .contacts as { id: string }[];

beforeAll(async () => {
  t = await startTestApp();
  const [entry] = await t.handle.db
    .insert(directoryEntry)
    .values({ structureId: t.demoStructureId, name: "Tremplin Insertion 77", kind: "association" })
    .returning();
  entryId = entry!.id;
  const [kept, archived] = await t.handle.db
    .insert(directoryContact)
    .values([
      { entryId, name: "Inès Morel", email: "ines.morel@tremplin.invalid", newsletterSubscribed: true },
      { entryId, name: "Hugo Lambert", email: "hugo.lambert@tremplin.invalid", newsletterSubscribed: true },
    ])
    .returning();
  keptContactId = kept!.id;
  archivedContactId = archived!.id;
  const [action] = await t.handle.db
    .insert(collectiveAction)
    .values({
      structureId: t.demoStructureId,
      kind: "atelier",
      title: "Atelier budget",
      startsAt: new Date("2026-06-20T12:00:00Z"),
      endsAt: new Date("2026-06-20T14:00:00Z"),
      address: "Mairie de Meaux",
    })
    .returning();
  actionId = action!.id;
});
afterAll(() => t.close());

describe("archiving a contact", () => {
  it("401, 403 for CPIP and counselors, 404 for a partner referent of another organisation, 400 without a choice", async () => {
    const url = `/api/directory/contacts/${archivedContactId}/archive`;
    expect((await call("PUT", url, undefined, { archived: true })).statusCode).toBe(401);
    for (const email of [demo.cpip, demo.counselor])
      expect((await call("PUT", url, email, { archived: true })).statusCode).toBe(403);
    expect((await call("PUT", url, demo.partner, { archived: true })).statusCode).toBe(404);
    const bad = await call("PUT", url, demo.manager, {});
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain("Choisissez d'archiver ou de restaurer.");
  });

  it("leaves the lists, the pickers, the invitations and the newsletter; stays on the organisation's page", async () => {
    const archived = await call("PUT", `/api/directory/contacts/${archivedContactId}/archive`, demo.manager, {
      archived: true,
    });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(
      archived.json().contacts.find((c: { id: string }) => c.id === archivedContactId).archivedAt,
    ).not.toBe(null);
    const listed = (await list(demo.cpip)).json().entries[0];
    expect(listed.contacts.map((c: { name: string }) => c.name)).toEqual(["Inès Morel"]);
    expect((await options()).map((c) => c.id)).not.toContain(archivedContactId);
    const invite = await call("POST", `/api/collective-actions/${actionId}/invitations`, demo.manager, {
      invitees: [{ directoryContactId: archivedContactId }],
    });
    expect(invite.statusCode).toBe(400);
    const recipients = (await subscribedContacts(t.handle.db, t.demoStructureId)).map((c) => c.email);
    expect(recipients).toContain("ines.morel@tremplin.invalid");
    expect(recipients).not.toContain("hugo.lambert@tremplin.invalid");
    expect(
      await t.handle.db
        .select()
        .from(notification)
        .where(eq(notification.recipient, "hugo.lambert@tremplin.invalid")),
    ).toEqual([]);
    // An archived contact is read-only until restored.
    const edit = await call("PUT", `/api/directory/contacts/${archivedContactId}`, demo.manager, {
      name: "Hugo Lambert",
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe("directory.archived");
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.targetId, archivedContactId));
    expect(journal.map((j) => j.action)).toContain("directory.contact_archived");
  });

  it("comes back when restored", async () => {
    const restored = await call("PUT", `/api/directory/contacts/${archivedContactId}/archive`, demo.manager, {
      archived: false,
    });
    expect(restored.statusCode).toBe(200);
    expect((await options()).map((c) => c.id)).toContain(archivedContactId);
    expect((await subscribedContacts(t.handle.db, t.demoStructureId)).map((c) => c.email)).toContain(
      "hugo.lambert@tremplin.invalid",
    );
  });
});

describe("archiving an organisation", () => {
  it("takes it and its contacts out of the search and the sends; its page still reads, with its date", async () => {
    const archived = await call("PUT", `/api/directory/${entryId}/archive`, demo.manager, { archived: true });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json().archivedAt).not.toBe(null);
    expect((await list(demo.cpip)).json().entries).toEqual([]);
    // The direction lists the archived ones to restore them; anybody else gets the active list.
    expect(
      (await list(demo.manager, "&archived=yes")).json().entries.map((e: { id: string }) => e.id),
    ).toEqual([entryId]);
    expect((await list(demo.cpip, "&archived=yes")).json().entries).toEqual([]);
    const page = await call("GET", `/api/directory/${entryId}`, demo.counselor);
    expect(page.statusCode).toBe(200);
    expect(page.json().contacts).toHaveLength(2);
    expect((await options()).map((c) => c.id)).not.toContain(keptContactId);
    expect((await subscribedContacts(t.handle.db, t.demoStructureId)).map((c) => c.email)).not.toContain(
      "ines.morel@tremplin.invalid",
    );
    const invite = await call("POST", `/api/collective-actions/${actionId}/invitations`, demo.manager, {
      invitees: [{ directoryContactId: keptContactId }],
    });
    expect(invite.statusCode).toBe(400);
    const edit = await call("POST", `/api/directory/${entryId}/contacts`, demo.manager, {
      name: "Nouveau Contact",
    });
    expect(edit.statusCode).toBe(409);
  });

  it("is restored by the direction only", async () => {
    expect(
      (await call("PUT", `/api/directory/${entryId}/archive`, demo.counselor, { archived: false }))
        .statusCode,
    ).toBe(403);
    const restored = await call("PUT", `/api/directory/${entryId}/archive`, demo.manager, {
      archived: false,
    });
    expect(restored.json().archivedAt).toBe(null);
    expect((await list(demo.cpip)).json().entries.map((e: { id: string }) => e.id)).toEqual([entryId]);
  });
});

describe("archived twice at once (ADR 0036)", () => {
  it("an organisation and a contact: both 200, archived and journaled once each", async () => {
    // PostgreSQL runs the two requests on two connections: a few rounds so that they overlap.
    for (let round = 0; round < 3; round += 1) {
      const [entry] = await t.handle.db
        .insert(directoryEntry)
        .values({
          structureId: t.demoStructureId,
          name: `Mairie de Doublon ${round}`,
          kind: "local_authority",
        })
        .returning();
      const [contact] = await t.handle.db
        .insert(directoryContact)
        .values({ entryId: entry!.id, name: "Jeanne Doublon" })
        .returning();
      const [a, b] = [await t.sessionFor(demo.manager), await t.sessionFor(demo.manager)];
      const twice = (url: string) =>
        Promise.all(
          [a, b].map((headers) => t.app.inject({ method: "PUT", url, headers, payload: { archived: true } })),
        );
      const journaled = async (targetId: string) =>
        (await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, targetId))).map(
          (e) => e.action,
        );
      const contactAnswers = await twice(`/api/directory/contacts/${contact!.id}/archive`);
      expect(
        contactAnswers.map((r) => r.statusCode),
        contactAnswers.map((r) => r.body).join("\n"),
      ).toEqual([200, 200]);
      expect(await journaled(contact!.id)).toEqual(["directory.contact_archived"]);
      const entryAnswers = await twice(`/api/directory/${entry!.id}/archive`);
      expect(
        entryAnswers.map((r) => r.statusCode),
        entryAnswers.map((r) => r.body).join("\n"),
      ).toEqual([200, 200]);
      expect(await journaled(entry!.id)).toEqual(["directory.entry_archived"]);
    }
  });
});
