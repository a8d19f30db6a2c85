import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDateTime } from "../../common/dateFormat";
import {
  auditEvent,
  collectiveAction,
  convocation,
  handoverMeeting,
  person,
  site,
  structure,
  user,
} from "../db/schema";
import { aConvocation, aStructure } from "../testing/builders";
import { TEST_TODAY } from "../testing/constants";
import { aContactablePerson } from "../testing/personFiles";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const call = async (method: "GET" | "POST" | "PUT", url: string, email: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: await t.sessionFor(email),
    ...(method === "GET" ? {} : { payload: payload ?? {} }),
  });

const aSite = {
  name: "Maison France services de Coulommiers",
  kind: "france_services",
  address: "5 rue du Palais de Justice, 77120 Coulommiers",
  accessInstructions: "Entrée par la cour, rez-de-chaussée",
  phone: "01 64 00 00 00",
  capacity: null,
};

const overview = async (who = demo.manager) =>
  (await call("GET", `/api/structures/${t.demoStructureId}`, who)).json() as {
    name: string;
    coHolders: string[];
    minLeadHours: number;
    sites: { id: string; name: string; address: string; phone: string }[];
  };

const journaled = (action: string, targetId: string) =>
  t.handle.db
    .select({ actor: auditEvent.actorUserId, reason: auditEvent.reason })
    .from(auditEvent)
    .where(and(eq(auditEvent.action, action), eq(auditEvent.targetId, targetId)));

describe("the structure's details", () => {
  it("the direction edits them, journaled with the fields changed; field errors and a taken label are refused in French", async () => {
    const before = await overview();
    const [row] = await t.handle.db.select().from(structure).where(eq(structure.id, t.demoStructureId));
    const body = {
      name: `${before.name} (Meaux)`,
      labelNumber: row!.labelNumber,
      departement: row!.departement,
      coHolders: [...before.coHolders, "Commune de Meaux"],
      minLeadHours: 4,
    };
    const url = `/api/structures/${t.demoStructureId}`;
    const bad = await call("PUT", url, demo.manager, {
      ...body,
      departement: "Seine-et-Marne",
      coHolders: [],
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.coHolders", "body.departement"]);
    expect((await call("PUT", url, demo.manager, { ...body, extra: 1 })).statusCode).toBe(400);
    const other = await aStructure(t.handle.db);
    const [otherRow] = await t.handle.db.select().from(structure).where(eq(structure.id, other.structure.id));
    const taken = await call("PUT", url, demo.manager, { ...body, labelNumber: otherRow!.labelNumber });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe("structure.labelTaken");
    // The same label in another case, with spaces for dashes, is the same label.
    const variant = ` ${otherRow!.labelNumber.toLowerCase().replaceAll("-", " ")}`;
    const alike = await call("PUT", url, demo.manager, { ...body, labelNumber: variant });
    expect(alike.json().code).toBe("structure.labelTaken");
    expect((await call("PUT", url, demo.counselor, body)).statusCode).toBe(403);
    expect((await call("PUT", `/api/structures/${other.structure.id}`, demo.manager, body)).statusCode).toBe(
      403,
    );

    expect((await call("PUT", url, demo.manager, body)).statusCode).toBe(200);
    const after = await overview();
    expect(after).toMatchObject({ name: body.name, coHolders: body.coHolders, minLeadHours: 4 });
    const [entry] = await journaled("structure.updated", t.demoStructureId);
    expect(entry?.reason).toBe(
      "champs modifiés : Nom de la structure, Co-porteurs, Délai minimum de réservation (heures)",
    );
    // Put back: other tests of this file read the demo structure.
    await call("PUT", url, demo.admin, {
      ...body,
      name: before.name,
      coHolders: before.coHolders,
      minLeadHours: 2,
    });
    expect((await overview()).name).toBe(before.name);
  });
});

describe("a change of département", () => {
  it("is refused while a planned convocation falls on a public holiday of the new one (Alsace-Moselle: 26 December)", async () => {
    // A site of its own, open once on Saturday 26 December 2026 (a working day in Seine-et-Marne).
    const { siteId } = (
      await call("POST", `/api/structures/${t.demoStructureId}/sites`, demo.manager, {
        ...aSite,
        name: "Permanence du 26 décembre",
      })
    ).json();
    const [counselor] = await t.handle.db.select().from(user).where(eq(user.email, demo.counselor));
    const opened = await call("POST", `/api/structures/${t.demoStructureId}/opening-rules`, demo.manager, {
      siteId,
      weekday: null,
      onDate: "2026-12-26",
      startTime: "09:00",
      endTime: "10:00",
      slotMinutes: 60,
      bufferMinutes: 0,
      validFrom: "2026-06-01",
      validTo: null,
      counselorIds: [counselor!.id],
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const mine = (await call("GET", "/api/people?mine=true", demo.cpip)).json().people as {
      id: string;
      lastName: string;
    }[];
    const booked = await call("POST", "/api/convocations", demo.cpip, {
      personId: mine[0]!.id,
      siteId,
      startsAt: "2026-12-26T08:00:00.000Z",
      needDomains: ["acces-aux-droits"],
      notifySms: false,
      notifyEmail: false,
    });
    expect(booked.statusCode, booked.body).toBe(200);
    const [row] = await t.handle.db.select().from(structure).where(eq(structure.id, t.demoStructureId));
    const body = {
      name: row!.name,
      labelNumber: row!.labelNumber,
      departement: "67",
      coHolders: row!.coHolders,
      minLeadHours: row!.minLeadHours,
    };
    const url = `/api/structures/${t.demoStructureId}`;
    const refused = await call("PUT", url, demo.manager, body);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("convocation.departementStrandsBookings");
    expect(refused.json().message).toContain("un jour férié du nouveau département");
    expect(refused.json().message).toContain(mine[0]!.lastName);
    // The administrator reads no person data: the day and the site only.
    const forAdmin = await call("PUT", url, demo.admin, body);
    expect(forAdmin.statusCode).toBe(409);
    expect(forAdmin.body).not.toContain(mine[0]!.lastName);
    expect(forAdmin.json().message).toContain("Permanence du 26 décembre");
    const [unchanged] = await t.handle.db.select().from(structure).where(eq(structure.id, t.demoStructureId));
    expect(unchanged!.departement).toBe(row!.departement);
    // Another département with the same holidays goes through (then back).
    expect((await call("PUT", url, demo.manager, { ...body, departement: "91" })).statusCode).toBe(200);
    expect(
      (await call("PUT", url, demo.manager, { ...body, departement: row!.departement })).statusCode,
    ).toBe(200);
    await t.handle.db
      .update(convocation)
      .set({ status: "cancelled" })
      .where(eq(convocation.id, booked.json().id));
  });
});

describe("the structure's sites", () => {
  const sites = `/api/structures/${"{id}"}/sites`;
  const url = (suffix = "") => `${sites.replace("{id}", t.demoStructureId)}${suffix}`;

  it("the direction adds a site, then edits its address and phone; the overview shows them", async () => {
    const added = await call("POST", url(), demo.manager, aSite);
    expect(added.statusCode, added.body).toBe(200);
    const { siteId } = added.json();
    expect((await overview()).sites.find((s) => s.id === siteId)).toMatchObject({ address: aSite.address });
    expect((await journaled("site.created", siteId))[0]?.actor).not.toBeNull();

    const again = await call("POST", url(), demo.manager, { ...aSite, name: aSite.name.toUpperCase() });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("structure.siteNameTaken");
    expect(again.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.name"]);

    const edited = {
      ...aSite,
      address: "7 avenue de Strasbourg, 77120 Coulommiers",
      phone: "06 12 34 56 78",
    };
    expect((await call("PUT", url(`/${siteId}`), demo.admin, edited)).statusCode).toBe(200);
    expect((await overview()).sites.find((s) => s.id === siteId)).toMatchObject({
      address: edited.address,
      phone: edited.phone,
    });
    expect((await journaled("site.updated", siteId))[0]?.reason).toBe("champs modifiés : Adresse, Téléphone");
  });

  it("refuses malformed fields by name, a capacity outside a SAS, a detention kind change, another structure's site", async () => {
    const bad = await call("POST", url(), demo.manager, { ...aSite, name: " ", phone: "12", capacity: 3 });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(["body.capacity", "body.name", "body.phone"]);
    const capacity = await call("POST", url(), demo.manager, { ...aSite, name: "Autre", capacity: 3 });
    expect(capacity.statusCode).toBe(400);
    expect(capacity.json().issues[0]).toMatchObject({ path: "body.capacity" });
    const castle = await call("POST", url(), demo.manager, { ...aSite, kind: "château" });
    expect(castle.statusCode).toBe(400);
    // Said for this field, not the generic « Choisissez une valeur dans la liste. ».
    expect(castle.json().issues).toEqual([{ path: "body.kind", message: "Choisissez le type de lieu." }]);

    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    const asPrison = { ...aSite, name: "Meaux", kind: "prison", address: meaux!.address };
    const locked = await call("PUT", url(`/${meaux!.id}`), demo.manager, asPrison);
    expect(locked.statusCode).toBe(409);
    expect(locked.json().code).toBe("structure.siteKindLocked");

    const other = await aStructure(t.handle.db);
    const [foreign] = await t.handle.db
      .insert(site)
      .values({ structureId: other.structure.id, name: "Ailleurs", kind: "mobile", address: "Ailleurs" })
      .returning();
    expect((await call("PUT", url(`/${foreign!.id}`), demo.manager, aSite)).statusCode).toBe(404);
    expect((await call("PUT", url("/pas-un-id"), demo.manager, aSite)).statusCode).toBe(400);
    expect((await call("POST", url(), demo.cpip, aSite)).statusCode).toBe(403);
  });

  it("archiving a site with permanences or convocations ahead is a 409 listing them; a site with none is archived and no longer offered", async () => {
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    // A convocation planned there tomorrow.
    const [someone] = await t.handle.db
      .select()
      .from(person)
      .where(eq(person.structureId, t.demoStructureId));
    const [manager] = await t.handle.db.select().from(user).where(eq(user.email, demo.manager));
    const booked = await aConvocation(t.handle.db, {
      personId: someone!.id,
      structureId: t.demoStructureId,
      bookedBy: manager!.id,
      siteId: meaux!.id,
    });
    const tomorrow = new Date(t.clock.now().getTime() + 24 * 3_600_000);
    await t.handle.db
      .update(convocation)
      .set({ status: "planned", startsAt: tomorrow, endsAt: new Date(tomorrow.getTime() + 45 * 60_000) })
      .where(eq(convocation.id, booked.id));
    const refused = await call("POST", url(`/${meaux!.id}/archive`), demo.manager);
    expect(refused.statusCode).toBe(409);
    const body = refused.json();
    expect(body.code).toBe("structure.siteArchiveBlocked");
    expect(body.message).toContain("ne peut pas être archivé");
    expect(body.issues.map((i: { message: string }) => i.message).join(" ; ")).toMatch(
      /permanence des (lundis|mardis|mercredis|jeudis|vendredis) de \d+\u00a0h\u00a0\d\d à \d+\u00a0h\u00a0\d\d/,
    );
    expect(body.issues.some((i: { message: string }) => i.message.startsWith("convocation du "))).toBe(true);
    // The refusal names no one (the site's agenda does): the same for the administrator, who reads
    // no person data, and for the direction.
    const forAdmin = (await call("POST", url(`/${meaux!.id}/archive`), demo.admin)).json();
    expect(forAdmin.issues).toEqual(body.issues);
    const [named] = await t.handle.db.select().from(person).where(eq(person.id, booked.personId));
    expect(refused.body).not.toContain(named!.lastName);
    expect((await overview()).sites.some((s) => s.id === meaux!.id)).toBe(true);

    const { siteId } = (
      await call("POST", url(), demo.manager, { ...aSite, name: "Lieu à archiver" })
    ).json();
    // A collective action to come there holds the site too; once cancelled, the site may go.
    const inAWeek = new Date(t.clock.now().getTime() + 7 * 24 * 3_600_000).toISOString().slice(0, 10);
    const action = {
      kind: "atelier",
      title: "Atelier numérique au lieu à archiver",
      description: "",
      day: inAWeek,
      startTime: "09:30",
      endTime: "11:30",
      siteId,
      capacity: 8,
    };
    const actions = `/api/structures/${t.demoStructureId}/collective-actions`;
    const held = await call("POST", actions, demo.manager, action);
    expect(held.statusCode, held.body).toBe(200);
    const heldBack = await call("POST", url(`/${siteId}/archive`), demo.manager);
    expect(heldBack.statusCode).toBe(409);
    expect(heldBack.json().issues.map((i: { message: string }) => i.message)).toEqual([
      expect.stringMatching(/^action collective « Atelier numérique au lieu à archiver » du /),
    ]);
    await t.handle.db
      .update(collectiveAction)
      .set({ status: "cancelled" })
      .where(eq(collectiveAction.id, held.json().id));
    const [free] = await t.handle.db
      .select({ id: person.id })
      .from(person)
      .where(and(eq(person.structureId, t.demoStructureId), isNull(person.detentionSiteId)));
    const offered = async () =>
      (await call("GET", `/api/structures/${t.demoStructureId}/slots?personId=${free!.id}`, demo.cpip)).json()
        .forPerson.siteIds as string[];
    expect(await offered()).toContain(siteId);
    expect((await call("POST", url(`/${siteId}/archive`), demo.manager)).statusCode).toBe(200);
    // Not offered for a convocation any more.
    expect(await offered()).not.toContain(siteId);
    // An archived site takes no new action.
    expect((await call("POST", actions, demo.manager, action)).statusCode).toBe(400);
    expect((await overview()).sites.some((s) => s.id === siteId)).toBe(false);
    expect(await journaled("site.archived", siteId)).toHaveLength(1);
    expect((await call("POST", url(`/${siteId}/archive`), demo.manager)).statusCode).toBe(404);
    expect((await call("PUT", url(`/${siteId}`), demo.manager, aSite)).statusCode).toBe(404);
    // It takes no new permanence.
    const [counselor] = await t.handle.db.select().from(user).where(eq(user.email, demo.counselor));
    const opening = await call("POST", `/api/structures/${t.demoStructureId}/opening-rules`, demo.manager, {
      siteId,
      weekday: 4,
      onDate: null,
      startTime: "09:00",
      endTime: "11:00",
      slotMinutes: 60,
      bufferMinutes: 0,
      validFrom: "2026-06-01",
      validTo: null,
      counselorIds: [counselor!.id],
    });
    expect(opening.statusCode).toBe(400);
    // Its name is free again.
    expect((await call("POST", url(), demo.manager, { ...aSite, name: "Lieu à archiver" })).statusCode).toBe(
      200,
    );
  });
});

describe("archiving a site that people or meetings still hold", () => {
  const url = (rest = "") => `/api/structures/${t.demoStructureId}/sites${rest}`;
  const reasons = (response: { json: () => { issues: { message: string }[] } }) =>
    response.json().issues.map((i) => i.message);

  it("a planned handover meeting to come holds its site; an archived site takes no new meeting and is not offered", async () => {
    const { siteId } = (
      await call("POST", url(), demo.manager, { ...aSite, name: "Salle des relais" })
    ).json();
    const personId = await aContactablePerson(t, "0611223344", "relais@exemple.invalid");
    await t.handle.db
      .update(person)
      .set({ status: "detenu", expectedReleaseDate: "2026-06-10" })
      .where(eq(person.id, personId));
    const startsAt = new Date(t.clock.now().getTime() + 2 * 24 * 3_600_000);
    const [meeting] = await t.handle.db
      .insert(handoverMeeting)
      .values({
        structureId: t.demoStructureId,
        personId,
        targetStructureId: t.demoStructureId,
        startsAt,
        durationMinutes: 60,
        siteId,
        releaseDate: "2026-06-10",
        status: "planned",
        icsUid: "archive-test@passerelle",
        createdBy: await t.userId(demo.cpip),
      })
      .returning();
    const refused = await call("POST", url(`/${siteId}/archive`), demo.manager);
    expect(refused.statusCode).toBe(409);
    expect(reasons(refused)).toEqual([`réunion de passage de relais du ${formatDateTime(startsAt)}`]);
    const [named] = await t.handle.db.select().from(person).where(eq(person.id, personId));
    expect(refused.body).not.toContain(named!.lastName);

    await t.handle.db
      .update(handoverMeeting)
      .set({ status: "cancelled" })
      .where(eq(handoverMeeting.id, meeting!.id));
    const archived = await call("POST", url(`/${siteId}/archive`), demo.manager);
    expect(archived.statusCode, archived.body).toBe(200);

    const page = await call("GET", `/api/people/${personId}/handover`, demo.cpip);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().sites.some((s: { id: string }) => s.id === siteId)).toBe(false);
    const scheduled = await call("POST", `/api/people/${personId}/handover`, demo.cpip, {
      startsAt: "2026-06-05T08:00:00Z",
      durationMinutes: 60,
      siteId,
      placeText: "",
      releaseDate: "2026-06-10",
      targetStructureId: t.demoStructureId,
      agentUserIds: [await t.userId(demo.counselor)],
      contacts: [],
    });
    expect(scheduled.statusCode, scheduled.body).toBe(400);
    expect(scheduled.json().code).toBe("handover.unknownSite");
  });

  it("a prison where people are held today may not be archived (their number only); archived, it takes no one new but stays on the files", async () => {
    const { siteId } = (
      await call("POST", url(), demo.manager, { ...aSite, name: "Maison d'arrêt à fermer", kind: "prison" })
    ).json();
    expect(siteId).toBeTruthy();
    const held = await aContactablePerson(t, "0611223355", "detenu1@exemple.invalid");
    const released = await aContactablePerson(t, "0611223366", "detenu2@exemple.invalid");
    const outside = await aContactablePerson(t, "0611223377", "libre@exemple.invalid");
    await t.handle.db
      .update(person)
      .set({ detentionSiteId: siteId, expectedReleaseDate: null })
      .where(eq(person.id, held));
    await t.handle.db
      .update(person)
      .set({ detentionSiteId: siteId, expectedReleaseDate: "2026-09-01" })
      .where(eq(person.id, released));
    const refused = await call("POST", url(`/${siteId}/archive`), demo.manager);
    expect(refused.statusCode).toBe(409);
    expect(reasons(refused)).toEqual(["2 personnes détenues y sont rattachées"]);
    const [named] = await t.handle.db.select().from(person).where(eq(person.id, held));
    expect(refused.body).not.toContain(named!.lastName);

    // Released (recorded, or expected by today), they hold the site no longer.
    await t.handle.db.update(person).set({ releasedOn: TEST_TODAY }).where(eq(person.id, released));
    expect(reasons(await call("POST", url(`/${siteId}/archive`), demo.manager))).toEqual([
      "1 personne détenue y est rattachée",
    ]);
    await t.handle.db.update(person).set({ expectedReleaseDate: TEST_TODAY }).where(eq(person.id, held));
    const archived = await call("POST", url(`/${siteId}/archive`), demo.manager);
    expect(archived.statusCode, archived.body).toBe(200);

    // No new placement there, nor a new access authorisation; not offered for a new choice.
    const placed = await call("PUT", `/api/people/${outside}`, demo.cpip, { detention: { siteId } });
    expect(placed.statusCode).toBe(400);
    expect(placed.json().code).toBe("detention.siteNotDetention");
    const access = `/api/structures/${t.demoStructureId}/access-authorisations`;
    const listed = await call("GET", access, demo.manager);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().sites.some((s: { id: string }) => s.id === siteId)).toBe(false);
    // The file attached to it still shows it, and its release is still recorded there.
    const file = await call("GET", `/api/people/${released}`, demo.cpip);
    expect(file.json().detention).toMatchObject({ siteId, siteName: "Maison d'arrêt à fermer" });
    const kept = await call("PUT", `/api/people/${released}`, demo.cpip, {
      detention: { siteId, releaseKind: "end_of_sentence", releasedOn: TEST_TODAY },
    });
    expect(kept.statusCode, kept.body).toBe(200);
  });
});
