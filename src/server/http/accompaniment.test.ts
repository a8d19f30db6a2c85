import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convocation, demarche, demarcheType, person, site, visit } from "../db/schema";
import { anAgent, aStructure } from "../testing/builders";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let karimId: string;
let meauxId: string;
let types: Record<string, string>; // catalogue code → id
beforeAll(async () => {
  t = await startTestApp();
  const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karimId = karim!.id;
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  meauxId = meaux!.id;
  types = Object.fromEntries((await t.handle.db.select().from(demarcheType)).map((d) => [d.code, d.id]));
});
afterAll(() => t.close());

const as = (email: string) => t.sessionFor(email);
let hour = 0;

/** A past convocation of Karim at Meaux, with the given status. */
async function aPastConvocation(status: "honoured" | "planned" = "honoured"): Promise<string> {
  hour += 1;
  const startsAt = new Date(Date.UTC(2026, 4, 1 + hour, 8));
  const [created] = await t.handle.db
    .insert(convocation)
    .values({
      structureId: t.demoStructureId,
      siteId: meauxId,
      personId: karimId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 45 * 60_000),
      seat: 1,
      status,
      notifySms: false,
      notifyEmail: false,
      bookedBy: await t.userId(demo.cpip),
    })
    .returning();
  return created!.id;
}

const recordVisit = async (convocationId: string, body: object, email: string = demo.counselor) =>
  t.app.inject({
    method: "POST",
    url: `/api/convocations/${convocationId}/visit`,
    headers: await as(email),
    payload: body,
  });

const accompaniment = async (email: string = demo.cpip) =>
  (
    await t.app.inject({
      method: "GET",
      url: `/api/people/${karimId}/accompaniment`,
      headers: await as(email),
    })
  ).json();

const count = async () => ({
  demarches: (await t.handle.db.select().from(demarche).where(eq(demarche.personId, karimId))).length,
  visits: (await t.handle.db.select().from(visit).where(eq(visit.personId, karimId))).length,
});

const firstVisit = () => ({
  durationMinutes: 50,
  autonomy: "guided",
  created: [
    {
      demarcheTypeId: types["ants-cni-passeport"],
      helpLevel: "guided",
      status: "in_progress",
      nextStep: "Apporter une photo d'identité",
      dueDate: "2026-06-15",
      timeSpentMinutes: 20,
    },
    { demarcheTypeId: types["cpam-css"], helpLevel: "done_for", status: "submitted", timeSpentMinutes: 25 },
  ],
  needs: [
    { domain: "acces-aux-droits", hasNeed: true, priority: "high", situation: "Carte d'identité perdue" },
    { domain: "sante", hasNeed: true, priority: "medium" },
    { domain: "emploi", hasNeed: false },
  ],
  suggestNextInDays: 14,
  suggestion: "Revenir avec la photo pour finir la pré-demande.",
});

describe("POST /api/convocations/:convocationId/visit", () => {
  it("401, 403 for a CPIP who is not a counselor, 400 listing every issue, 409 before the visit took place", async () => {
    const honoured = await aPastConvocation();
    expect(
      (await t.app.inject({ method: "POST", url: `/api/convocations/${honoured}/visit`, payload: {} }))
        .statusCode,
    ).toBe(401);
    expect((await recordVisit(honoured, firstVisit(), demo.cpip)).json().code).toBe("access.forbidden");
    const bad = await recordVisit(honoured, {
      durationMinutes: 2,
      autonomy: "expert",
      needs: [
        { domain: "sante", hasNeed: true },
        { domain: "sante", hasNeed: false },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.durationMinutes",
      "body.autonomy",
      "body.needs",
    ]);
    const planned = await aPastConvocation("planned");
    expect((await recordVisit(planned, firstVisit())).json().code).toBe("accompaniment.visitNeedsHonoured");
    expect(await count()).toEqual({ demarches: 0, visits: 0 });
  });

  it('numbers are JSON numbers: [45] or "45" is a 400 naming the field, nothing written', async () => {
    const honoured = await aPastConvocation();
    const visit = firstVisit();
    const bad = await recordVisit(honoured, {
      ...visit,
      durationMinutes: [45],
      suggestNextInDays: "14",
      created: [{ ...visit.created[0], timeSpentMinutes: [20] }],
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().issues).toEqual([
      { path: "body.durationMinutes", message: "Saisissez un nombre." },
      { path: "body.created.0.timeSpentMinutes", message: "Saisissez un nombre." },
      { path: "body.suggestNextInDays", message: "Saisissez un nombre." },
    ]);
    expect(await count()).toEqual({ demarches: 0, visits: 0 });
  });

  it("a wrong démarche writes nothing at all: not the visit, not the other démarches", async () => {
    const honoured = await aPastConvocation();
    const reoriented = firstVisit();
    reoriented.created.push({
      demarcheTypeId: types["caf-rsa"],
      helpLevel: "information",
      status: "reoriented",
      timeSpentMinutes: 5,
    });
    expect((await recordVisit(honoured, reoriented)).json().code).toBe("accompaniment.invalidTransition");
    const unknown = firstVisit();
    unknown.created[0]!.demarcheTypeId = "00000000-0000-4000-8000-000000000000";
    const unknownType = (await recordVisit(honoured, unknown)).json();
    expect(unknownType).toMatchObject({
      code: "accompaniment.unknownDemarcheType",
      issues: [{ path: "body.created.0.demarcheTypeId", message: unknownType.message }],
    });
    expect(await count()).toEqual({ demarches: 0, visits: 0 });
  });

  it("records the visit with démarches and needs; the CPIP sees statuses, checklists and the suggestion", async () => {
    const honoured = await aPastConvocation();
    const recorded = await recordVisit(honoured, firstVisit());
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json()).toMatchObject({ hasVisit: true, permissions: { recordVisit: false } });
    // Sent again (an answer lost, ADR 0036): the same visit answered, nothing more written; another
    // counselor's recording is refused.
    expect((await recordVisit(honoured, firstVisit())).json()).toEqual(recorded.json());
    expect(await count()).toEqual({ demarches: 2, visits: 1 });
    expect((await recordVisit(honoured, firstVisit(), demo.cpip2)).json().code).toBe(
      "accompaniment.visitExists",
    );

    const seen = await accompaniment(demo.cpip);
    expect(seen.permissions).toEqual({ record: false });
    const cni = seen.demarches.find((d: { label: string }) => d.label.startsWith("Pré-demande"));
    expect(cni).toMatchObject({
      partnerName: expect.stringContaining("Intérieur"),
      helpLevel: "guided",
      status: "in_progress",
      nextStep: "Apporter une photo d'identité",
      dueDate: "2026-06-15",
      timeSpentMinutes: 20,
      history: [{ status: "in_progress", byName: "Inès Moreau", visitId: seen.visits[0].id }],
    });
    expect(cni.documents).toHaveLength(4);
    expect(cni.documents.every((d: { provided: boolean }) => !d.provided)).toBe(true);
    expect(
      seen.needs.map((n: { domain: string; hasNeed: boolean }) => `${n.domain}:${n.hasNeed}`).sort(),
    ).toEqual(["acces-aux-droits:true", "emploi:false", "sante:true"]);
    expect(seen.progress).toEqual({ opened: 2, resolved: 0, open: 2 });
    expect(seen.visits[0]).toMatchObject({
      durationMinutes: 50,
      autonomy: "guided",
      demarchesTouched: 2,
      suggestNextInDays: 14,
      counselorName: "Inès Moreau",
    });
    expect((await accompaniment(demo.counselor)).permissions).toEqual({ record: true });

    // A second visit: the CSS is granted, health is no longer a need.
    const second = await aPastConvocation();
    const css = seen.demarches.find((d: { label: string }) => d.label.startsWith("Complémentaire"));
    const again = await recordVisit(second, {
      durationMinutes: 20,
      autonomy: "autonomous_with_help",
      updated: [{ id: css.id, status: "granted", outcome: "CSS accordée pour un an", timeSpentMinutes: 10 }],
      needs: [{ domain: "sante", hasNeed: false }],
    });
    expect(again.statusCode, again.body).toBe(200);
    const after = await accompaniment(demo.cpip);
    expect(after.progress).toEqual({ opened: 2, resolved: 1, open: 1 });
    expect(after.demarches.find((d: { id: string }) => d.id === css.id)).toMatchObject({
      status: "granted",
      outcome: "CSS accordée pour un an",
      timeSpentMinutes: 35,
    });
  });
});

describe("POST /api/demarches/:demarcheId", () => {
  it("follows a démarche between visits; refused transitions, other roles and other structures get nothing", async () => {
    const { demarches } = await accompaniment(demo.counselor);
    const cni = demarches.find((d: { label: string }) => d.label.startsWith("Pré-demande"));
    const update = async (id: string, body: object, email: string = demo.counselor) =>
      t.app.inject({ method: "POST", url: `/api/demarches/${id}`, headers: await as(email), payload: body });
    expect(
      (await t.app.inject({ method: "POST", url: `/api/demarches/${cni.id}`, payload: {} })).statusCode,
    ).toBe(401);
    expect((await update(cni.id, { status: "granted" }, demo.cpip)).statusCode).toBe(403);
    expect((await update(cni.id, { status: "fini" })).statusCode).toBe(400);
    const documents = cni.documents.map((d: { label: string }, i: number) => ({
      label: d.label,
      provided: i < 2,
    }));
    const submitted = await update(cni.id, {
      status: "submitted",
      documents,
      nextStep: "Rendez-vous en mairie",
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().history.map((h: { status: string }) => h.status)).toEqual([
      "in_progress",
      "submitted",
    ]);
    expect(submitted.json().documents.filter((d: { provided: boolean }) => d.provided)).toHaveLength(2);
    expect((await update(cni.id, { status: "granted" })).statusCode).toBe(200);
    expect((await update(cni.id, { status: "in_progress" })).json().code).toBe(
      "accompaniment.invalidTransition",
    );

    const other = await aStructure(t.handle.db);
    const stranger = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["counselor"] });
    expect((await update(cni.id, { status: "granted" }, stranger.email)).statusCode).toBe(404);
  });
});

describe("the person's history", () => {
  it("shows visits and each status of the démarches, with who", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: `/api/people/${karimId}/timeline`,
      headers: await as(demo.cpip),
    });
    const events = response.json().events as { title: string; detail: string; actorName: string | null }[];
    const titles = events.map((e) => e.title);
    // One row a visit, at the time it was recorded, saying its appointment and what was saved with it
    // (the journal row of its recording is not a second row).
    expect(
      events.find((e) => e.title === "Visite à la permanence (50 min, accompagnée de bout en bout)"),
    ).toEqual(
      expect.objectContaining({
        detail: expect.stringMatching(
          /^Rendez-vous du \S+ \d+ mai 2026 à 10 h 00, Meaux — Saisi avec la visite : 2 démarches, 3 besoins évalués — Nouvelle convocation proposée sous 14 jours$/,
        ),
        actorName: "Inès Moreau",
      }),
    );
    expect(
      events.find((e) => e.title === "Visite à la permanence (20 min, autonome avec de l'aide)")?.detail,
    ).toMatch(/^Rendez-vous du .*, Meaux — Saisi avec la visite : 1 démarche, 1 besoin évalué$/);
    expect(titles).toContain("Démarche « Complémentaire santé solidaire (CSS) » : accordée");
    expect(titles).toContain("Démarche « Pré-demande de carte d'identité ou de passeport » : déposée");
    expect(titles).toContain("Besoin « Santé » : non");
    expect(titles).not.toContain("Visite saisie");
    // No journal action ever shows as its code.
    expect(titles.filter((title) => /^[a-z_]+\.[a-z_]+$/.test(title))).toEqual([]);
  });

  it("places a visit when it was recorded, not at its appointment's time, among what followed it", async () => {
    // The person came early for a noon appointment: the visit is recorded at 9:50 (Paris), then a
    // démarche is started at 10:30, still before the appointment's time.
    const appointment = new Date("2026-06-02T10:00:00Z");
    const [early] = await t.handle.db
      .insert(convocation)
      .values({
        structureId: t.demoStructureId,
        siteId: meauxId,
        personId: karimId,
        startsAt: appointment,
        endsAt: new Date(appointment.getTime() + 45 * 60_000),
        seat: 1,
        status: "honoured",
        notifySms: false,
        notifyEmail: false,
        bookedBy: await t.userId(demo.cpip),
      })
      .returning();
    try {
      t.clock.set(new Date("2026-06-02T07:50:00Z"));
      const recorded = await recordVisit(early!.id, { durationMinutes: 35, autonomy: "autonomous" });
      expect(recorded.statusCode, recorded.body).toBe(200);
      t.clock.set(new Date("2026-06-02T08:30:00Z"));
      const started = await t.app.inject({
        method: "POST",
        url: `/api/people/${karimId}/demarches`,
        headers: await as(demo.counselor),
        payload: { demarcheTypeId: types["ft-inscription"], helpLevel: "information", status: "todo" },
      });
      expect(started.statusCode, started.body).toBe(200);
      const events = (
        await t.app.inject({
          method: "GET",
          url: `/api/people/${karimId}/timeline`,
          headers: await as(demo.cpip),
        })
      ).json().events as { at: string; title: string }[];
      const visitAt = events.findIndex((e) => e.title === "Visite à la permanence (35 min, autonome)");
      const demarcheAt = events.findIndex(
        (e) => e.title === "Démarche « Inscription à France Travail » : à faire",
      );
      expect(events[visitAt]?.at).toBe("2026-06-02T07:50:00.000Z");
      // Newest first: the démarche started after the visit was recorded comes above it.
      expect(demarcheAt).toBeGreaterThanOrEqual(0);
      expect(visitAt).toBeGreaterThan(demarcheAt);
    } finally {
      t.clock.set(new Date("2026-06-01T09:00:00Z"));
    }
  });
});

describe("POST /api/people/:personId/demarches", () => {
  it("starts a démarche between visits with the catalogue's checklist; CPIP refused, bad input refused", async () => {
    const url = `/api/people/${karimId}/demarches`;
    const start = async (body: object, email: string) =>
      t.app.inject({ method: "POST", url, headers: await as(email), payload: body });
    const body = { demarcheTypeId: types["caf-apl"], helpLevel: "information", status: "todo" };
    expect((await t.app.inject({ method: "POST", url, payload: body })).statusCode).toBe(401);
    expect((await start(body, demo.cpip)).statusCode).toBe(403);
    expect((await start({ ...body, status: "ouvert" }, demo.counselor)).statusCode).toBe(400);
    expect((await start({ ...body, status: "reoriented" }, demo.counselor)).json().code).toBe(
      "accompaniment.invalidTransition",
    );
    const unknownType = await start(
      { ...body, demarcheTypeId: "00000000-0000-4000-8000-000000000000" },
      demo.counselor,
    );
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.json().issues).toEqual([
      { path: "body.demarcheTypeId", message: unknownType.json().message },
    ]);
    const started = await start(body, demo.counselor);
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({
      label: "Aide personnalisée au logement (APL)",
      status: "todo",
      documents: [
        { label: "Bail ou attestation d'hébergement", provided: false },
        { label: "Relevé d'identité bancaire", provided: false },
        { label: "Avis d'imposition", provided: false },
      ],
      history: [{ status: "todo", visitId: null }],
    });
  });

  it("sent again with the id the form chose (an answer lost), the same démarche comes back, not a second one", async () => {
    const url = `/api/people/${karimId}/demarches`;
    const id = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
    const body = { id, demarcheTypeId: types["caf-apl"], helpLevel: "information", status: "todo" };
    const send = async (email: string, payload: object = body) =>
      t.app.inject({ method: "POST", url, headers: await as(email), payload });
    const first = await send(demo.counselor);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().id).toBe(id);
    const again = await send(demo.counselor);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(first.json());
    const rows = await t.handle.db.select().from(demarche).where(eq(demarche.id, id));
    expect(rows).toHaveLength(1);
    // Someone else's id is not theirs to reuse; a malformed id is refused; none writes anything.
    expect((await send(demo.manager)).statusCode).toBe(400);
    expect((await send(demo.counselor, { ...body, id: "pas-un-uuid" })).statusCode).toBe(400);
    expect(await t.handle.db.select().from(demarche).where(eq(demarche.id, id))).toHaveLength(1);
  });
});

describe("a démarche sent again after a lost answer with a field changed", () => {
  it("is a 409 saying the first submission was recorded with its values; nothing is written", async () => {
    const url = `/api/people/${karimId}/demarches`;
    const id = "7a2b3c4d-5e6f-4a70-8b9c-0d1e2f3a4b5c";
    const body = { id, demarcheTypeId: types["caf-apl"], helpLevel: "information", status: "todo" };
    const send = async (payload: object) =>
      t.app.inject({ method: "POST", url, headers: await as(demo.counselor), payload });
    const first = await send(body);
    expect(first.statusCode, first.body).toBe(200);
    const stored = async () => t.handle.db.select().from(demarche).where(eq(demarche.id, id));
    const before = await stored();
    for (const changed of [
      { ...body, status: "in_progress" },
      { ...body, helpLevel: "guided" },
      { ...body, nextStep: "Rappeler la CAF" },
      { ...body, documents: [{ label: "Bail", provided: true }] },
    ]) {
      const again = await send(changed);
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json()).toMatchObject({
        code: "accompaniment.retriedWithOtherValues",
        message: expect.stringContaining("Ouvrez-la dans le dossier"),
      });
    }
    expect(await stored()).toEqual(before);
    const same = await send(body);
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toEqual(first.json());
  });
});

describe("a due day (« À faire avant le ») in the past", () => {
  it("is refused under its field at creation (between visits, at a visit) and when changed; today and an unchanged one pass", async () => {
    // The test clock: Monday 1 June 2026 in Paris.
    const base = { demarcheTypeId: types["caf-apl"], helpLevel: "information", status: "todo" };
    const start = async (body: object) =>
      t.app.inject({
        method: "POST",
        url: `/api/people/${karimId}/demarches`,
        headers: await as(demo.counselor),
        payload: body,
      });
    const before = await count();
    const past = await start({ ...base, dueDate: "2026-05-31" });
    expect(past.statusCode).toBe(400);
    expect(past.json().issues).toEqual([
      {
        path: "body.dueDate",
        message: "Date déjà passée : choisissez une date à partir d'aujourd'hui (01/06/2026).",
      },
    ]);
    const honoured = await aPastConvocation();
    const atVisit = firstVisit();
    atVisit.created[0]!.dueDate = "2026-05-01";
    const refused = await recordVisit(honoured, atVisit);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.created.0.dueDate"]);
    expect(await count()).toEqual(before);

    const today = await start({ ...base, dueDate: "2026-06-01" });
    expect(today.statusCode, today.body).toBe(200);
    const id = today.json().id as string;
    // A démarche already overdue (the clock moved on) keeps its due day when followed, not a new past one.
    t.clock.set(new Date("2026-06-10T09:00:00Z"));
    const update = async (body: object) =>
      t.app.inject({
        method: "POST",
        url: `/api/demarches/${id}`,
        headers: await as(demo.counselor),
        payload: body,
      });
    expect((await update({ status: "in_progress", dueDate: "2026-06-01" })).statusCode).toBe(200);
    const moved = await update({ status: "in_progress", dueDate: "2026-06-05" });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.dueDate"]);
    expect((await update({ status: "in_progress", dueDate: "2026-06-20" })).statusCode).toBe(200);
    t.clock.set(new Date("2026-06-01T09:00:00Z"));
  });
});
