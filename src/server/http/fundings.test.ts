import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvent,
  collectiveAction,
  collectiveActionCofunder,
  directoryEntry,
  funding,
} from "../db/schema";
import { anAgent, aStructure } from "../testing/builders";
import { expectSafeRetries } from "../testing/retriedCreations";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

// Fundings (ADR 0039): the direction records what the préfecture, the mairie… give, per year;
// nobody else reads them; a funder, a convention or an action from elsewhere is a field error.
let t: TestApp;
let base: string;
let prefectureId: string;
let mairieId: string;
beforeAll(async () => {
  t = await startTestApp();
  base = `/api/structures/${t.demoStructureId}/fundings`;
  const entry = async (name: string) =>
    (await t.handle.db.select().from(directoryEntry).where(eq(directoryEntry.name, name)))[0]!.id;
  prefectureId = await entry("Préfecture de Seine-et-Marne");
  mairieId = await entry("Mairie de Meaux");
  // The demo's stage is seeded with the collective actions, which the test template leaves out.
  await t.handle.db.insert(collectiveAction).values({
    structureId: t.demoStructureId,
    kind: "stage",
    title: "Stage de citoyenneté",
    startsAt: new Date("2026-06-22T07:00:00Z"),
    endsAt: new Date("2026-06-22T14:30:00Z"),
    address: "Hôtel de ville, 77100 Meaux",
    hostEntryId: mairieId,
  });
});
afterAll(() => t.close());

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
const count = async () => (await t.handle.db.select().from(funding)).length;
const aFunding = () => ({
  funderEntryId: mairieId,
  amountEuros: 2_500,
  purpose: "Stage de sensibilisation à la sécurité routière",
  year: 2026,
  startsOn: "2026-09-01",
  endsOn: "2026-12-31",
});

describe("fundings: access", () => {
  it("401 without a session; 403 for CPIP, counselors, steering, partners, and a direction elsewhere", async () => {
    expect((await call("GET", base)).statusCode).toBe(401);
    for (const email of [demo.cpip, demo.counselor, demo.steering, demo.partner, demo.admin])
      expect((await call("GET", base, email)).statusCode).toBe(403);
    expect((await call("POST", base, demo.counselor, aFunding())).statusCode).toBe(403);
    const other = await aStructure(t.handle.db);
    const stranger = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["service_manager"],
    });
    expect((await call("GET", base, stranger.email)).statusCode).toBe(403);
    const [subvention] = await t.handle.db.select().from(funding).where(eq(funding.amountEuros, 40_000));
    const edit = await call("PUT", `/api/fundings/${subvention!.id}`, stranger.email, aFunding());
    expect(edit.statusCode).toBe(404);
    expect((await call("DELETE", `/api/fundings/${subvention!.id}`, stranger.email)).statusCode).toBe(404);
    expect((await call("DELETE", `/api/fundings/${subvention!.id}`, demo.cpip)).statusCode).toBe(404);
    // The other structure's direction may not name the demo's funder in its own fundings either.
    const theirs = await call(
      "POST",
      `/api/structures/${other.structure.id}/fundings`,
      stranger.email,
      aFunding(),
    );
    expect(theirs.statusCode).toBe(400);
    expect(theirs.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.funderEntryId"]);
  });
});

describe("fundings: the direction's register", () => {
  it("the demo's fundings, received per year: the préfecture's 40 000 € for the médiateur", async () => {
    const list = (await call("GET", base, demo.manager)).json();
    expect(list.years).toEqual([
      { year: 2026, totalEuros: 40_000, count: 1 },
      { year: 2025, totalEuros: 3_000, count: 1 },
    ]);
    const mediator = list.fundings.find((f: { amountEuros: number }) => f.amountEuros === 40_000);
    expect(mediator).toMatchObject({
      funder: { name: "Préfecture de Seine-et-Marne", kind: "state_service" },
      purpose: "Recrutement d'un médiateur France services",
      year: 2026,
      convention: { title: "Convention attributive de subvention – médiateur France services" },
      collectiveAction: null,
    });
    const of2025 = (await call("GET", `${base}?year=2025`, demo.manager)).json().fundings;
    expect(of2025.map((f: { funder: { kind: string } }) => f.funder.kind)).toEqual(["local_authority"]);
  });

  it("bad input: French messages under each field, nothing written", async () => {
    const before = await count();
    const bad = await call("POST", base, demo.manager, {
      funderEntryId: "",
      amountEuros: 0,
      purpose: "",
      year: 1999,
      startsOn: "2026-09-01",
      endsOn: "2026-08-01",
      conventionId: null,
      collectiveActionId: null,
    });
    expect(bad.statusCode).toBe(400);
    const messages = Object.fromEntries(
      bad.json().issues.map((i: { path: string; message: string }) => [i.path, i.message]),
    );
    expect(messages).toEqual({
      "body.funderEntryId": "Choisissez le financeur dans l'annuaire.",
      "body.amountEuros": "Le montant doit être d'au moins 1 €.",
      "body.purpose": expect.stringContaining("Saisissez l'objet du financement"),
      "body.year": "Saisissez une année à partir de 2000.",
      "body.endsOn": "La fin de la période doit être postérieure ou égale à son début.",
    });
    const cents = await call("POST", base, demo.manager, { ...aFunding(), amountEuros: 12.5 });
    expect(cents.json().issues[0].message).toBe("Saisissez un montant en euros entiers, sans centimes.");
    const text = await call("POST", base, demo.manager, { ...aFunding(), amountEuros: "40 000" });
    expect(text.statusCode).toBe(400);
    // An amount beyond every bound (1e300, a fraction below 1 €) is one clear message on its field, not two.
    for (const [amountEuros, message] of [
      [1e300, "100 000 000 € au plus."],
      [100_000_000.5, "100 000 000 € au plus."],
      [0.5, "Le montant doit être d'au moins 1 €."],
      [-1e300, "Le montant doit être d'au moins 1 €."],
    ] as const) {
      const huge = await call("POST", base, demo.manager, { ...aFunding(), amountEuros });
      expect(huge.statusCode, huge.body).toBe(400);
      expect(huge.json().issues).toEqual([{ path: "body.amountEuros", message }]);
    }
    const [convention] = (await call("GET", base, demo.manager))
      .json()
      .fundings.filter((f: { convention: unknown }) => f.convention);
    const [stage] = await t.handle.db
      .select()
      .from(collectiveAction)
      .where(eq(collectiveAction.kind, "stage"));
    const both = await call("POST", base, demo.manager, {
      ...aFunding(),
      conventionId: convention.convention.id,
      collectiveActionId: stage!.id,
    });
    expect(both.json().issues).toEqual([
      {
        path: "body.collectiveActionId",
        message: "Rattachez le financement à une convention ou à une action collective, pas aux deux.",
      },
    ]);
    const unknown = await call("POST", base, demo.manager, {
      ...aFunding(),
      conventionId: "00000000-0000-4000-8000-000000000000",
    });
    expect(unknown.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.conventionId"]);
    expect(await count()).toBe(before);
  });

  it("a period that misses the budget year is refused under the period's field, nothing written; one overlapping it is kept", async () => {
    const before = await count();
    const later = await call("POST", base, demo.manager, {
      ...aFunding(),
      year: 2025,
      startsOn: "2027-01-01",
      endsOn: "2027-12-31",
    });
    expect(later.statusCode).toBe(400);
    expect(later.json().issues).toEqual([
      {
        path: "body.startsOn",
        message:
          "La période doit recouper l'année budgétaire 2025 : saisissez un début au plus tard le 31/12/2025, ou corrigez l'année.",
      },
    ]);
    // Open-ended periods too: a start after the year, an end before it.
    const startsLater = await call("POST", base, demo.manager, {
      ...aFunding(),
      year: 2025,
      startsOn: "2026-01-01",
      endsOn: "",
    });
    expect(startsLater.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.startsOn"]);
    const endedBefore = await call("POST", base, demo.manager, {
      ...aFunding(),
      year: 2025,
      startsOn: "",
      endsOn: "2024-12-31",
    });
    expect(endedBefore.json().issues).toEqual([
      {
        path: "body.endsOn",
        message:
          "La période doit recouper l'année budgétaire 2025 : saisissez une fin à partir du 01/01/2025, ou corrigez l'année.",
      },
    ]);
    // Told with the other fields' problems, in one answer.
    const withOthers = await call("POST", base, demo.manager, {
      ...aFunding(),
      amountEuros: 0,
      year: 2025,
      startsOn: "2027-01-01",
      endsOn: "2027-12-31",
    });
    expect(withOthers.json().issues.map((i: { path: string }) => i.path)).toEqual([
      "body.amountEuros",
      "body.startsOn",
    ]);
    expect(await count()).toBe(before);
    // A correction is held to the same rule.
    const [kept] = (await call("GET", base, demo.manager)).json().fundings;
    const corrected = await call("PUT", `/api/fundings/${kept.id}`, demo.manager, {
      ...aFunding(),
      year: 2025,
      startsOn: "2027-01-01",
      endsOn: "2027-12-31",
    });
    expect(corrected.statusCode).toBe(400);
    expect(corrected.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.startsOn"]);
    // Overlapping the year by its first or last day is enough (a period over two budget years).
    const recorded: string[] = [];
    for (const period of [
      { startsOn: "2024-09-01", endsOn: "2025-01-01" },
      { startsOn: "2025-12-31", endsOn: "2026-06-30" },
      { startsOn: "2025-03-01", endsOn: "" },
    ]) {
      const overlapping = await call("POST", base, demo.manager, { ...aFunding(), year: 2025, ...period });
      expect(overlapping.statusCode, overlapping.body).toBe(200);
      recorded.push(overlapping.json().funding.id);
    }
    expect(await count()).toBe(before + 3);
    for (const id of recorded)
      expect((await call("DELETE", `/api/fundings/${id}`, demo.manager)).statusCode).toBe(200);
    expect(await count()).toBe(before);
  });

  it("records, corrects and removes a funding, journaled; a funder of an action becomes its cofunder", async () => {
    const [stage] = await t.handle.db
      .select()
      .from(collectiveAction)
      .where(eq(collectiveAction.kind, "stage"));
    const cofunders = async () =>
      (
        await t.handle.db
          .select()
          .from(collectiveActionCofunder)
          .where(eq(collectiveActionCofunder.actionId, stage!.id))
      ).map((c) => c.entryId);
    const capEmploi = (
      await t.handle.db.select().from(directoryEntry).where(eq(directoryEntry.name, "Cap emploi 77"))
    )[0]!.id;
    expect(await cofunders()).not.toContain(capEmploi);
    const created = await call("POST", base, demo.manager, {
      ...aFunding(),
      funderEntryId: capEmploi,
      collectiveActionId: stage!.id,
    });
    expect(created.statusCode).toBe(200);
    const id = created.json().funding.id;
    expect(created.json().funding).toMatchObject({
      amountEuros: 2_500,
      funder: { kind: "cap_emploi" },
      collectiveAction: { id: stage!.id, title: "Stage de citoyenneté" },
    });
    expect(await cofunders()).toContain(capEmploi);
    const years = (await call("GET", base, demo.manager)).json().years;
    expect(years[0]).toEqual({ year: 2026, totalEuros: 42_500, count: 2 });

    const changed = await call("PUT", `/api/fundings/${id}`, demo.manager, {
      ...aFunding(),
      funderEntryId: prefectureId,
      amountEuros: 3_000,
      year: 2027,
      startsOn: "2027-01-01",
      endsOn: "2027-06-30",
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().funding).toMatchObject({ amountEuros: 3_000, year: 2027, collectiveAction: null });
    expect((await call("DELETE", `/api/fundings/${id}`, demo.manager)).json()).toEqual({ ok: true });
    expect((await call("DELETE", `/api/fundings/${id}`, demo.manager)).statusCode).toBe(404);
    const journal = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, id));
    expect(journal.map((e) => e.action).sort()).toEqual([
      "funding.changed",
      "funding.created",
      "funding.removed",
    ]);
  });

  it("removed twice at once: removed and journaled once, the other 404 (ADR 0036)", async () => {
    // PostgreSQL runs the two requests on two connections: a few rounds so that they overlap.
    for (const purpose of ["Doublon A", "Doublon B", "Doublon C"]) {
      const created = await call("POST", base, demo.manager, { ...aFunding(), purpose });
      expect(created.statusCode).toBe(200);
      const id = created.json().funding.id;
      const [a, b] = [await t.sessionFor(demo.manager), await t.sessionFor(demo.manager)];
      const url = `/api/fundings/${id}`;
      const answers = await Promise.all([
        t.app.inject({ method: "DELETE", url, headers: a }),
        t.app.inject({ method: "DELETE", url, headers: b }),
      ]);
      expect(answers.map((r) => r.statusCode).sort(), answers.map((r) => r.body).join("\n")).toEqual([
        200, 404,
      ]);
      const removals = await t.handle.db.select().from(auditEvent).where(eq(auditEvent.targetId, id));
      expect(removals.map((e) => e.action).sort()).toEqual(["funding.created", "funding.removed"]);
    }
  });
});

describe("a funding sent again with the id its form chose (an answer lost, ADR 0036)", () => {
  it("one funding and journal row, the same answer; someone else's id a 400; other values a 409; twice at once", async () => {
    const here = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["service_manager"] });
    const other = await aStructure(t.handle.db);
    const there = await anAgent(t.handle.db, { structureId: other.structure.id, roles: ["service_manager"] });
    await expectSafeRetries(t, {
      url: base,
      email: demo.manager,
      body: (id) => ({ id, ...aFunding() }),
      changed: (body) => [
        { ...body, amountEuros: 3_000 },
        { ...body, purpose: "Stage de sensibilisation aux addictions" },
        { ...body, funderEntryId: prefectureId },
        { ...body, endsOn: "" },
      ],
      code: "funding.retriedWithOtherValues",
      table: funding,
      action: "funding.created",
      otherAgent: here.email,
      otherScope: { url: `/api/structures/${other.structure.id}/fundings`, email: there.email },
      idOf: (answer) => (answer.funding as { id: string }).id,
    });
  });
});

describe("a funding whose collective action was cancelled", () => {
  it("stays listed and counted as received, marked « action annulée » (cancelled: true)", async () => {
    const [action] = await t.handle.db
      .insert(collectiveAction)
      .values({
        structureId: t.demoStructureId,
        kind: "stage",
        title: "Stage annulé",
        startsAt: new Date("2026-10-06T07:00:00Z"),
        endsAt: new Date("2026-10-06T14:30:00Z"),
        address: "Hôtel de ville, 77100 Meaux",
      })
      .returning();
    const created = await call("POST", base, demo.manager, {
      ...aFunding(),
      amountEuros: 7_500,
      collectiveActionId: action!.id,
    });
    expect(created.json().funding.collectiveAction).toMatchObject({ id: action!.id, cancelled: false });
    const cancelled = await call("POST", `/api/collective-actions/${action!.id}/cancel`, demo.manager, {});
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const listed = (await call("GET", `${base}?year=2026`, demo.manager))
      .json()
      .fundings.find((f: { id: string }) => f.id === created.json().funding.id);
    expect(listed.collectiveAction).toEqual({
      id: action!.id,
      title: "Stage annulé",
      startsAt: "2026-10-06T07:00:00.000Z",
      cancelled: true,
    });
  });
});
