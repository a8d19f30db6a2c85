import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvent, demarche, demarcheEvent, demarcheType, needAssessment, site, visit } from "../db/schema";
import { aConvocation } from "../testing/builders";
import { aContactablePerson } from "../testing/personFiles";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * A fault review (2026-12-03) lost the answer of a visit's recording (the connection cut after the
 * commit, the counselor told "Service momentanément indisponible, réessayez") and clicked
 * « Enregistrer la visite » again: « L'enregistrement n'a pas abouti · La visite de cette
 * convocation est déjà saisie », though the visit, its démarches and needs were the counselor's own
 * and saved — who then starts the démarches again on the file, twice. A visit sent again now
 * answers as the first did when it is the same counselor's with the same content (ADR 0036).
 */
let t: TestApp;
let meauxId: string;
let types: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  meauxId = meaux!.id;
  types = Object.fromEntries((await t.handle.db.select().from(demarcheType)).map((d) => [d.code, d.id]));
});
afterAll(() => t.close());

let phone = 0;
/** A file convoked in the demo structure, and a convocation of it honoured yesterday. */
async function anHonouredConvocation(): Promise<{ personId: string; convocationId: string }> {
  phone += 1;
  const personId = await aContactablePerson(
    t,
    `+336140${String(phone).padStart(5, "0")}`,
    `visite${phone}@exemple.invalid`,
  );
  await convokedOnce(t, personId);
  const startsAt = new Date(Date.UTC(2026, 4, 10 + phone, 8));
  const honoured = await aConvocation(t.handle.db, {
    structureId: t.demoStructureId,
    siteId: meauxId,
    personId,
    startsAt,
    status: "honoured",
    bookedBy: await t.userId(demo.cpip),
  });
  return { personId, convocationId: honoured.id };
}

const recordVisit = async (convocationId: string, body: object, email: string = demo.counselor) =>
  t.app.inject({
    method: "POST",
    url: `/api/convocations/${convocationId}/visit`,
    headers: await t.sessionFor(email),
    payload: body,
  });

/** What the visit wrote: visits, démarches, history rows, needs and journal rows of the recording. */
async function written(personId: string, convocationId: string) {
  const count = async (rows: Promise<unknown[]>) => (await rows).length;
  return {
    visits: await count(t.handle.db.select().from(visit).where(eq(visit.convocationId, convocationId))),
    demarches: await count(t.handle.db.select().from(demarche).where(eq(demarche.personId, personId))),
    events: await count(
      t.handle.db
        .select()
        .from(demarcheEvent)
        .innerJoin(demarche, eq(demarche.id, demarcheEvent.demarcheId))
        .where(eq(demarche.personId, personId)),
    ),
    needs: await count(
      t.handle.db.select().from(needAssessment).where(eq(needAssessment.personId, personId)),
    ),
    journal: await count(
      t.handle.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, "visit.recorded"), eq(auditEvent.targetId, convocationId))),
    ),
  };
}

const aVisit = () => ({
  durationMinutes: 40,
  autonomy: "guided",
  created: [
    {
      demarcheTypeId: types["caf-apl"],
      helpLevel: "guided",
      status: "in_progress",
      nextStep: "Apporter le bail",
      timeSpentMinutes: 15,
    },
    { demarcheTypeId: types["cpam-css"], helpLevel: "done_for", status: "submitted", timeSpentMinutes: 20 },
  ],
  needs: [
    { domain: "acces-aux-droits", hasNeed: true, priority: "high", situation: "Carte perdue" },
    { domain: "emploi", hasNeed: false },
  ],
  suggestNextInDays: 14,
  suggestion: "Revenir avec le bail.",
});

describe("a visit recorded again after a lost answer (ADR 0036)", () => {
  it("the same content by the same counselor answers the visit as recorded and writes nothing more", async () => {
    const { personId, convocationId } = await anHonouredConvocation();
    const first = await recordVisit(convocationId, aVisit());
    expect(first.statusCode, first.body).toBe(200);
    const once = await written(personId, convocationId);
    expect(once).toEqual({ visits: 1, demarches: 2, events: 2, needs: 2, journal: 1 });
    // Its journal row counts in words that agree (outside review: "0 démarche(s) mise(s) à jour").
    const [row] = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "visit.recorded"), eq(auditEvent.targetId, convocationId)));
    expect(row?.reason).toBe("0 démarche mise à jour, 2 créées, 2 besoins évalués");

    // The démarches and needs in another order: the same visit.
    const reordered = {
      ...aVisit(),
      created: [...aVisit().created].reverse(),
      needs: [...aVisit().needs].reverse(),
    };
    for (const again of [aVisit(), reordered]) {
      const retry = await recordVisit(convocationId, again);
      expect(retry.statusCode, retry.body).toBe(200);
      expect(retry.json()).toEqual(first.json());
    }
    expect(await written(personId, convocationId)).toEqual(once);
  });

  it("a démarche updated at the visit, sent again: the same answer, the time spent counted once", async () => {
    const { personId, convocationId } = await anHonouredConvocation();
    const started = await t.app.inject({
      method: "POST",
      url: `/api/people/${personId}/demarches`,
      headers: await t.sessionFor(demo.counselor),
      payload: { demarcheTypeId: types["caf-apl"], helpLevel: "guided", status: "todo", timeSpentMinutes: 5 },
    });
    expect(started.statusCode, started.body).toBe(200);
    const body = {
      durationMinutes: 30,
      autonomy: "autonomous_with_help",
      updated: [{ id: started.json().id, status: "submitted", outcome: "", timeSpentMinutes: 10 }],
    };
    expect((await recordVisit(convocationId, body)).statusCode).toBe(200);
    const retry = await recordVisit(convocationId, body);
    expect(retry.statusCode, retry.body).toBe(200);
    const [row] = await t.handle.db.select().from(demarche).where(eq(demarche.id, started.json().id));
    expect(row).toMatchObject({ status: "submitted", timeSpentMinutes: 15 });
    expect(await written(personId, convocationId)).toMatchObject({
      visits: 1,
      demarches: 1,
      events: 2,
      journal: 1,
    });
  });

  it("other values (another tab's, or a field changed before sending again), or a démarche changed since, are a 409 saying the visit is already recorded, not that it was this tab's; another counselor's is visitExists", async () => {
    const { personId, convocationId } = await anHonouredConvocation();
    expect((await recordVisit(convocationId, aVisit())).statusCode).toBe(200);
    const once = await written(personId, convocationId);
    const changed = [
      { ...aVisit(), durationMinutes: 45 },
      { ...aVisit(), suggestion: "Autre chose" },
      { ...aVisit(), created: aVisit().created.slice(0, 1) },
      { ...aVisit(), created: [{ ...aVisit().created[0], status: "todo" }, aVisit().created[1]] },
      {
        ...aVisit(),
        needs: [{ domain: "acces-aux-droits", hasNeed: true, priority: "low" }, aVisit().needs[1]],
      },
      { ...aVisit(), needs: [] },
    ];
    for (const body of changed) {
      const retry = await recordVisit(convocationId, body);
      expect(retry.statusCode, JSON.stringify(body)).toBe(409);
      expect(retry.json()).toMatchObject({
        code: "accompaniment.visitRetriedWithOtherValues",
        message: expect.stringContaining(
          "déjà enregistrée, avec d'autres valeurs : depuis un autre onglet ou une autre fenêtre, ou par un envoi précédent",
        ),
      });
    }
    expect(await written(personId, convocationId)).toEqual(once);

    // The same content after a démarche of the visit was changed on the file: it differs now.
    const [apl] = await t.handle.db
      .select()
      .from(demarche)
      .where(and(eq(demarche.personId, personId), eq(demarche.demarcheTypeId, types["caf-apl"]!)));
    await t.handle.db.update(demarche).set({ nextStep: "Bail reçu" }).where(eq(demarche.id, apl!.id));
    expect((await recordVisit(convocationId, aVisit())).json().code).toBe(
      "accompaniment.visitRetriedWithOtherValues",
    );

    // Another counselor (a CPIP holding permanences) sending the same: the visit is someone else's.
    const other = await recordVisit(convocationId, aVisit(), demo.cpip2);
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({
      code: "accompaniment.visitExists",
      message: expect.stringContaining("déjà enregistrée, par un·e collègue"),
    });
    expect(await written(personId, convocationId)).toEqual(once);
  });
});
