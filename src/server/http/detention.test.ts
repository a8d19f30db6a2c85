import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, demarche, notification, person, site, siteAccessAuthorisation } from "../db/schema";
import { seedDemoDetention } from "../db/seed/demoDetention";
import { alertExpiringAccess, alertNearReleases } from "../domains/detention/alerts";
import { pdfText } from "../testing/pdfText";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let people: Record<string, string>; // last name → id
let sites: Record<string, string>; // name → id
const PRISON = "Centre pénitentiaire de Meaux-Chauconin";
// The test clock: Monday 1 June 2026, 11:00 in Paris; the prison's permanence is on Thursdays 9:00–12:00.
const THURSDAY_9 = "2026-06-04T07:00:00.000Z";
const MEAUX_TUESDAY_9 = "2026-06-02T07:00:00.000Z";

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoDetention(t.handle.db, new Date("2026-06-01T09:00:00Z"));
  people = Object.fromEntries((await t.handle.db.select().from(person)).map((p) => [p.lastName, p.id]));
  sites = Object.fromEntries((await t.handle.db.select().from(site)).map((s) => [s.name, s.id]));
  await convokedOnce(t, people.Amrani!, people.Caron!, people.Morel!);
});
afterAll(() => t.close());

const as = (email?: string) => (email ? t.sessionFor(email) : Promise.resolve({}));
const notificationsOf = async (personId: string) =>
  t.handle.db.select().from(notification).where(eq(notification.personId, personId));
const book = async (email: string, overrides: Record<string, unknown> = {}) =>
  t.app.inject({
    method: "POST",
    url: "/api/convocations",
    headers: await as(email),
    payload: {
      personId: people.Amrani,
      siteId: sites[PRISON],
      startsAt: THURSDAY_9,
      needDomains: ["acces-aux-droits"],
      notifySms: true,
      notifyEmail: true,
      ...overrides,
    },
  });

describe("person file in detention: masking per role", () => {
  it("the CPIP sees the establishment, the release and the prison number", async () => {
    const file = await t.app.inject({
      method: "GET",
      url: `/api/people/${people.Amrani}`,
      headers: await as(demo.cpip),
    });
    expect(file.statusCode).toBe(200);
    expect(file.json()).toMatchObject({
      view: "full",
      prisonNumber: "77-24-1183",
      detention: {
        siteName: PRISON,
        siteKind: "prison",
        expectedReleaseDate: "2026-06-21",
        releaseKind: "end_of_sentence",
      },
    });
  });

  it("a counselor sees the establishment and the release date, never the prison number nor the offence", async () => {
    const file = await t.app.inject({
      method: "GET",
      url: `/api/people/${people.Amrani}`,
      headers: await as(demo.counselor),
    });
    expect(file.statusCode).toBe(200);
    expect(file.json().detention).toMatchObject({ siteName: PRISON, expectedReleaseDate: "2026-06-21" });
    expect(file.body).not.toContain("77-24-1183");
    expect(file.body).not.toContain("prisonNumber");
    expect(file.body).not.toContain("Vol avec violence");
  });

  it("a prison number correction is judicial in the history: counselors see neither value", async () => {
    const edit = await t.app.inject({
      method: "PUT",
      url: `/api/people/${people.Caron}`,
      headers: await as(demo.cpip),
      payload: {
        detention: {
          siteId: sites[PRISON],
          prisonNumber: "77-26-0001",
          expectedReleaseDate: "2026-09-29",
          releaseKind: "end_of_sentence",
        },
      },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json().changed).toEqual(["detention.prisonNumber"]);
    const history = await t.app.inject({
      method: "GET",
      url: `/api/people/${people.Caron}/timeline`,
      headers: await as(demo.counselor),
    });
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain("Numéro d'écrou");
    expect(history.body).not.toContain("77-26-0001");
    expect(history.body).not.toContain("77-25-1290");
  });

  it("a counselor may not change the detention (403), a site that is not a prison or SAS is a 400", async () => {
    const counselor = await t.app.inject({
      method: "PUT",
      url: `/api/people/${people.Caron}`,
      headers: await as(demo.counselor),
      payload: { detention: { siteId: null } },
    });
    expect(counselor.statusCode).toBe(403);
    const office = await t.app.inject({
      method: "PUT",
      url: `/api/people/${people.Caron}`,
      headers: await as(demo.cpip),
      payload: { detention: { siteId: sites.Meaux } },
    });
    expect(office.statusCode).toBe(400);
    expect(office.json().code).toBe("detention.siteNotDetention");
    // Said under the form's establishment field.
    expect(office.json().issues).toEqual([
      { path: "body.detention.siteId", message: expect.stringContaining("établissement pénitentiaire") },
    ]);
  });
});

describe("convocations in detention: no SMS, no e-mail", () => {
  it("booking a detainee at the prison writes no notification row, whatever was asked", async () => {
    const booked = await book(demo.cpip);
    expect(booked.statusCode, booked.body).toBe(200);
    expect(booked.json()).toMatchObject({ notifySms: false, notifyEmail: false });
    expect(await notificationsOf(people.Amrani!)).toEqual([]);
    // Cancelling it sends nothing either.
    const cancelled = await t.app.inject({
      method: "POST",
      url: `/api/convocations/${booked.json().id}/status`,
      headers: await as(demo.cpip),
      payload: { status: "cancelled" },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await notificationsOf(people.Amrani!)).toEqual([]);
  });

  it("a detainee cannot be convoked at an office site (409, convocationPlace.test.ts has the rule)", async () => {
    const booked = await book(demo.cpip, {
      personId: people.Morel,
      siteId: sites.Meaux,
      startsAt: MEAUX_TUESDAY_9,
    });
    expect(booked.statusCode).toBe(409);
    expect(booked.json().code).toBe("detention.placeOutsideEstablishment");
    expect(await notificationsOf(people.Morel!)).toEqual([]);
  });

  it("a person put in detention loses the messages still to leave", async () => {
    const booked = await t.app.inject({
      method: "POST",
      url: "/api/convocations",
      headers: await as(demo.cpip),
      payload: {
        personId: (await t.handle.db.select().from(person).where(eq(person.firstName, "Karim")))[0]!.id,
        siteId: sites.Meaux,
        startsAt: MEAUX_TUESDAY_9,
        needDomains: ["acces-aux-droits"],
        notifySms: true,
        notifyEmail: false,
      },
    });
    expect(booked.statusCode, booked.body).toBe(200);
    const karim = booked.json().personId as string;
    const edit = await t.app.inject({
      method: "PUT",
      url: `/api/people/${karim}`,
      headers: await as(demo.cpip),
      payload: { detention: { siteId: sites[PRISON], prisonNumber: "77-26-0042" } },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const rows = await notificationsOf(karim);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.status).toBe("skipped");
  });

  it("the letter says the establishment hands it, without phone nor SMS", async () => {
    const booked = await book(demo.cpip, { startsAt: "2026-06-04T08:00:00.000Z" });
    expect(booked.statusCode, booked.body).toBe(200);
    const letter = await t.app.inject({
      method: "GET",
      url: `/api/convocations/${booked.json().id}/letter`,
      headers: await as(demo.cpip),
    });
    expect(letter.statusCode).toBe(200);
    const text = pdfText(letter.rawPayload);
    expect(text).toContain("remise par l");
    expect(text).not.toContain("portable");
  });
});

describe("access authorisations", () => {
  it("a CPIP without a valid authorisation is refused with a French error; renewed, the booking passes", async () => {
    const camille = await t.userId(demo.cpip);
    await t.handle.db
      .update(siteAccessAuthorisation)
      .set({ validUntil: "2026-06-03" })
      .where(
        and(eq(siteAccessAuthorisation.userId, camille), eq(siteAccessAuthorisation.siteId, sites[PRISON]!)),
      );
    const refused = await book(demo.cpip, { personId: people.Caron, startsAt: "2026-06-04T09:00:00.000Z" });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: "detention.noAccessAuthorisation" });
    expect(refused.json().message).toMatch(/expirée le 3\s*juin\s*2026/);
    const renewed = await t.app.inject({
      method: "POST",
      url: `/api/structures/${t.demoStructureId}/access-authorisations`,
      headers: await as(demo.manager),
      payload: {
        siteId: sites[PRISON],
        userId: camille,
        reference: "CP77-AUT-2026-099",
        validUntil: "2027-06-30",
      },
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(
      (await book(demo.cpip, { personId: people.Caron, startsAt: "2026-06-04T09:00:00.000Z" })).statusCode,
    ).toBe(200);
  });

  it("a permanence in a SAS refuses a counselor without an authorisation in its pool", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: `/api/structures/${t.demoStructureId}/opening-rules`,
      headers: await as(demo.manager),
      payload: {
        siteId: sites["SAS de Meaux"],
        weekday: 1,
        onDate: null,
        startTime: "14:00",
        endTime: "16:00",
        slotMinutes: 45,
        bufferMinutes: 15,
        validFrom: "2026-06-08",
        validTo: null,
        counselorIds: [await t.userId(demo.counselor)],
      },
    });
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json()).toMatchObject({ code: "detention.noAccessAuthorisation" });
    expect(response.json().message).toContain("Inès Moreau n'a pas d'autorisation d'accès à la SAS de Meaux");
  });

  it("401, 403 for a CPIP, 400 listing issues, 404 on an unknown authorisation", async () => {
    const url = `/api/structures/${t.demoStructureId}/access-authorisations`;
    expect((await t.app.inject({ method: "GET", url })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url, headers: await as(demo.cpip) })).statusCode).toBe(403);
    const bad = await t.app.inject({ method: "POST", url, headers: await as(demo.manager), payload: {} });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.length).toBeGreaterThanOrEqual(4);
    const unknown = await t.app.inject({
      method: "POST",
      url: `${url}/00000000-0000-4000-8000-000000000000/revoke`,
      headers: await as(demo.manager),
    });
    expect(unknown.statusCode).toBe(404);
    const list = await t.app.inject({ method: "GET", url, headers: await as(demo.manager) });
    expect(list.statusCode).toBe(200);
    const states = list
      .json()
      .authorisations.map((a: { reference: string; state: string }) => [a.reference, a.state]);
    expect(states).toContainEqual(["SAS77-2025-009", "expiring"]);
  });

  it("names an agent of the structure and one of its establishments, else a 400 under the field, nothing written", async () => {
    const url = `/api/structures/${t.demoStructureId}/access-authorisations`;
    const record = async (userId: string, siteId = sites[PRISON]) =>
      t.app.inject({
        method: "POST",
        url,
        headers: await as(demo.manager),
        payload: { siteId, userId, reference: "REFUSED-1", validUntil: "2027-06-30" },
      });
    const before = await t.handle.db.select().from(siteAccessAuthorisation);
    // A partner referent of the structure is no agent the form offers: refused like a stranger.
    const partnerId = await t.userId(demo.iae);
    const offered = await t.app.inject({ method: "GET", url, headers: await as(demo.manager) });
    expect(offered.json().agents.map((a: { id: string }) => a.id)).not.toContain(partnerId);
    for (const userId of [partnerId, await t.userId(demo.steering)]) {
      const refused = await record(userId);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().issues).toEqual([
        { path: "body.userId", message: "Choisissez un agent de la structure." },
      ]);
    }
    // An office site is no establishment: the 400 names the field.
    const office = await record(await t.userId(demo.cpip), sites.Meaux);
    expect(office.statusCode).toBe(400);
    expect(office.json()).toMatchObject({
      code: "detention.siteNotDetention",
      issues: [{ path: "body.siteId", message: expect.stringContaining("établissement pénitentiaire") }],
    });
    expect(await t.handle.db.select().from(siteAccessAuthorisation)).toEqual(before);
  });

  it("the expiry alert e-mail leaves once", async () => {
    const now = t.clock.now();
    const first = await alertExpiringAccess(t.handle.db, now);
    expect(first).toBe(1);
    expect(await alertExpiringAccess(t.handle.db, now)).toBe(0);
    const mails = await t.handle.db.select().from(notification).where(eq(notification.kind, "agent_alert"));
    expect(mails.filter((m) => m.subject?.includes("SAS de Meaux"))).toHaveLength(1);
  });
});

describe("movements list", () => {
  it("401, 404 for a counselor, 400 without a day, 403 to other roles; the PDF names who is expected, with the prison number", async () => {
    const url = `/api/sites/${sites[PRISON]}/movements.pdf`;
    expect((await t.app.inject({ method: "GET", url: `${url}?date=2026-06-04` })).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: "GET",
          url: `${url}?date=2026-06-04`,
          headers: await as(demo.counselor),
        })
      ).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: "GET", url, headers: await as(demo.cpip) })).statusCode).toBe(400);
    // A role that never reads it (partner, mediator, administrator): 403 before the query is read.
    for (const email of [demo.partner, demo.mediator, demo.admin])
      expect((await t.app.inject({ method: "GET", url, headers: await as(email) })).statusCode).toBe(403);
    const pdf = await t.app.inject({
      method: "GET",
      url: `${url}?date=2026-06-04`,
      headers: await as(demo.cpip),
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain("AMRANI Rachid");
    expect(text).toContain("77-24-1183");
    expect(text).toContain("CARON Bruno");
    expect(text).toContain("Inès Moreau");
    // The cancelled convocation of 9:00 is not on the list: Rachid is expected once (at 10:00).
    expect(text.match(/AMRANI Rachid/g)).toHaveLength(1);
    // The count agrees in French, as everywhere else ("2 personnes attendues", not "personne(s)").
    expect(text.replace(/\s+/g, " ")).toContain("2 personnes attendues.");
    expect(text).not.toContain("personne(s)");
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "detention.movements_printed"));
    expect(journal).toHaveLength(1);
    expect(journal[0]!.targetId).toContain(people.Amrani);
  });

  it("the same list on screen: the lines of the PDF, journaled as a read; an empty day is an empty list", async () => {
    const url = `/api/sites/${sites[PRISON]}/movements`;
    expect((await t.app.inject({ method: "GET", url: `${url}?date=2026-06-04` })).statusCode).toBe(401);
    const list = await t.app.inject({
      method: "GET",
      url: `${url}?date=2026-06-04`,
      headers: await as(demo.cpip),
    });
    expect(list.statusCode).toBe(200);
    const body = list.json<{ lines: { personId: string; personName: string; prisonNumber: string }[] }>();
    expect(body.lines.filter((l) => l.personName === "AMRANI Rachid")).toEqual([
      expect.objectContaining({ personId: people.Amrani, prisonNumber: "77-24-1183" }),
    ]);
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "detention.movements_read"));
    expect(journal).toHaveLength(1);
    expect(journal[0]!.targetId).toContain(people.Amrani);
    const empty = await t.app.inject({
      method: "GET",
      url: `${url}?date=2026-06-05`,
      headers: await as(demo.cpip),
    });
    expect(empty.json<{ lines: unknown[] }>().lines).toEqual([]);
  });

  it("an office site has no movements list (400)", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: `/api/sites/${sites.Meaux}/movements.pdf?date=2026-06-04`,
      headers: await as(demo.cpip),
    });
    expect(response.statusCode).toBe(400);
  });
});

describe("release plan", () => {
  it("shows within 90 days of the release, built from the catalogue; a démarche starts with its due date", async () => {
    const plan = await t.app.inject({
      method: "GET",
      url: `/api/people/${people.Morel}/release-plan`,
      headers: await as(demo.counselor),
    });
    expect(plan.statusCode).toBe(200);
    const body = plan.json();
    expect(body).toMatchObject({ active: true, expectedReleaseDate: "2026-07-31", daysLeft: 60 });
    expect(body.items.map((i: { code: string }) => i.code)).toContain("domiciliation-siao");
    expect(body.items.every((i: { demarcheTypeId: string | null }) => i.demarcheTypeId !== null)).toBe(true);
    const cni = body.items.find((i: { code: string }) => i.code === "ants-cni-passeport");
    expect(cni).toMatchObject({ needed: true, state: "open", dueDate: "2026-06-01" });
    const started = await t.app.inject({
      method: "POST",
      url: `/api/people/${people.Morel}/release-plan/items`,
      headers: await as(demo.counselor),
      payload: { code: "cpam-affiliation" },
    });
    expect(started.statusCode, started.body).toBe(200);
    const item = started.json().items.find((i: { code: string }) => i.code === "cpam-affiliation");
    expect(item).toMatchObject({ state: "in_progress", demarche: { status: "todo", dueDate: "2026-07-01" } });
    // The journal says which démarche of the plan, in words: no code, no id.
    const [journaled] = await t.handle.db
      .select({ reason: auditEvent.reason })
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "demarche.created"), eq(auditEvent.targetId, people.Morel!)));
    expect(journaled!.reason.replaceAll("\u00a0", " ")).toBe(
      `plan de sortie : ${item.label}, à faire avant le 1er juillet 2026`,
    );
  });

  it("is closed 120 days before the release, and a plan item cannot start then (409)", async () => {
    const plan = await t.app.inject({
      method: "GET",
      url: `/api/people/${people.Caron}/release-plan`,
      headers: await as(demo.cpip),
    });
    expect(plan.json()).toMatchObject({ active: false, showsFrom: "2026-07-01", items: [] });
    const start = await t.app.inject({
      method: "POST",
      url: `/api/people/${people.Caron}/release-plan/items`,
      headers: await as(demo.cpip),
      payload: { code: "cpam-affiliation" },
    });
    expect(start.statusCode).toBe(409);
  });

  it("401, 404 for steering, 400 without a code", async () => {
    const url = `/api/people/${people.Morel}/release-plan`;
    expect((await t.app.inject({ method: "GET", url })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url, headers: await as(demo.steering) })).statusCode).toBe(
      403,
    );
    const bad = await t.app.inject({
      method: "POST",
      url: `${url}/items`,
      headers: await as(demo.counselor),
      payload: {},
    });
    expect(bad.statusCode).toBe(400);
  });

  it("release alerts reach the referent and the counselors once per threshold, naming the file number only", async () => {
    const now = t.clock.now();
    const sent = await alertNearReleases(t.handle.db, now);
    // Rachid (20 days: the 30-day alert), Kevin (60: 90), Nadia (85: 90); Bruno is 120 days away.
    expect(sent).toBe(3);
    expect(await alertNearReleases(t.handle.db, now)).toBe(0);
    const mails = await t.handle.db.select().from(notification).where(eq(notification.kind, "agent_alert"));
    const release = mails.filter((m) => m.subject?.startsWith("Préparer la sortie"));
    expect(release.length).toBeGreaterThanOrEqual(6);
    for (const m of release) {
      expect(m.body).not.toContain("Amrani");
      expect(m.body).not.toContain("AMRANI");
    }
    // Counselors see a file once the person was convoked in the structure (Rachid, Kevin): Nadia was
    // not, so the counselor is not sent a file number they cannot open; her referent is.
    const files = Object.fromEntries(
      (await t.handle.db.select().from(person)).map((p) => [p.lastName, `dossier n° ${p.fileNumber},`]),
    );
    const to = (email: string, lastName: string) =>
      release.filter((m) => m.recipient === email && m.subject?.includes(files[lastName]!)).length;
    expect(to(demo.counselor, "Amrani")).toBe(1);
    expect(to(demo.counselor, "Morel")).toBe(1);
    expect(to(demo.counselor, "Belkacem")).toBe(0);
    expect(to("cpip2@demo.passerelle.fr", "Belkacem")).toBe(1);
    // Thirteen days later Rachid is 7 days from release: one more alert, for him only.
    expect(await alertNearReleases(t.handle.db, new Date("2026-06-14T09:00:00Z"))).toBe(1);
  });
});

describe("release plan delay (direction)", () => {
  const url = () => `/api/structures/${t.demoStructureId}/detention-settings`;
  const put = async (email: string | undefined, payload: Record<string, unknown>) =>
    t.app.inject({ method: "PUT", url: url(), headers: await as(email), payload });

  it("401, 403 for a CPIP, 400 with a French field error outside 30–365 days", async () => {
    expect((await put(undefined, { releasePlanDays: 120 })).statusCode).toBe(401);
    expect((await put(demo.cpip, { releasePlanDays: 120 })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: "GET", url: url(), headers: await as(demo.counselor) })).statusCode,
    ).toBe(403);
    expect((await put(demo.manager, { releasePlanDays: 20 })).json().issues).toEqual([
      { path: "body.releasePlanDays", message: "Saisissez 30 jours au moins." },
    ]);
    expect((await put(demo.manager, { releasePlanDays: 400 })).json().issues).toEqual([
      { path: "body.releasePlanDays", message: "Saisissez 365 jours au plus." },
    ]);
    expect((await put(demo.manager, { releasePlanDays: 45.5 })).statusCode).toBe(400);
  });

  it("a longer delay opens the plan earlier at once; the change is journaled with both values", async () => {
    const read = async () =>
      (
        await t.app.inject({
          method: "GET",
          url: `/api/people/${people.Caron}/release-plan`,
          headers: await as(demo.cpip),
        })
      ).json();
    expect(
      (await t.app.inject({ method: "GET", url: url(), headers: await as(demo.manager) })).json(),
    ).toEqual({ releasePlanDays: 90 });
    expect((await read()).active).toBe(false);
    const saved = await put(demo.manager, { releasePlanDays: 150 });
    expect(saved.json()).toEqual({ releasePlanDays: 150 });
    expect(await read()).toMatchObject({ active: true, daysLeft: 120 });
    const rows = await t.handle.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, "detention.settings_changed"));
    expect(rows.map((r) => r.reason)).toEqual(["plan de sortie 90 → 150 jours avant la libération"]);
    // Saved again unchanged: the same answer, no second journal row.
    expect((await put(demo.manager, { releasePlanDays: 150 })).json()).toEqual({ releasePlanDays: 150 });
    expect(
      await t.handle.db.select().from(auditEvent).where(eq(auditEvent.action, "detention.settings_changed")),
    ).toHaveLength(1);
    await put(demo.manager, { releasePlanDays: 90 });
    expect((await read()).active).toBe(false);
  });
});

describe("milieu fermé figures", () => {
  const url = "/api/reporting/milieu-ferme?from=2026-06&to=2026-06";
  it("401, 403 for a CPIP, 400 on a bad period", async () => {
    expect((await t.app.inject({ method: "GET", url })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url, headers: await as(demo.cpip) })).statusCode).toBe(403);
    const bad = await t.app.inject({
      method: "GET",
      url: "/api/reporting/milieu-ferme?from=juin",
      headers: await as(demo.manager),
    });
    expect(bad.statusCode).toBe(400);
  });

  it("match the ground truth for the direction; steering reads small counts hidden", async () => {
    // Rachid leaves on 10 June with his identity card granted on 5 June: one démarche before release.
    await t.handle.db.update(person).set({ releasedOn: "2026-06-10" }).where(eq(person.id, people.Amrani!));
    await t.handle.db
      .update(demarche)
      .set({ status: "granted", outcomeAt: new Date("2026-06-05T10:00:00Z") })
      .where(eq(demarche.personId, people.Amrani!));
    const exact = await t.app.inject({ method: "GET", url, headers: await as(demo.manager) });
    expect(exact.statusCode, exact.body).toBe(200);
    const values = Object.fromEntries(
      exact.json().figures.map((f: { key: string; value: number | null }) => [f.key, f.value]),
    );
    expect(exact.json().protected).toBe(false);
    expect(values).toMatchObject({
      released: 1,
      metBeforeRelease: 0,
      identityOnRelease: 1,
      healthOnRelease: 0,
      incomeOnRelease: 0,
      registrationOnRelease: 0,
      medianDaysToFirstVisit: null,
    });
    const demarchesBefore = await t.handle.db
      .select()
      .from(demarche)
      .where(eq(demarche.personId, people.Amrani!));
    expect(values.demarchesBeforeRelease).toBe(demarchesBefore.length);
    const steering = await t.app.inject({ method: "GET", url, headers: await as(demo.steering) });
    expect(steering.statusCode).toBe(200);
    expect(steering.json().protected).toBe(true);
    const released = steering.json().figures.find((f: { key: string }) => f.key === "released");
    expect(released.value).toBeNull();
  });
});
