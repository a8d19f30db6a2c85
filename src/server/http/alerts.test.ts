import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, parisDay } from "../../common/calendar";
import {
  convocation,
  demarche,
  demarcheType,
  measure,
  orientation,
  partner,
  person,
  service,
  site,
} from "../db/schema";
import { anAgent } from "../testing/builders";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let people: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  people = Object.fromEntries((await t.handle.db.select().from(person)).map((p) => [p.firstName, p.id]));
});
afterAll(() => t.close());

const alerts = async (email: string) =>
  (await t.app.inject({ method: "GET", url: "/api/alerts", headers: await t.sessionFor(email) })).json();
const names = (list: { personName: string }[]) => list.map((a) => a.personName);

describe("GET /api/alerts", () => {
  it("401 anonymous, 403 steering", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/alerts" })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/alerts", headers: await t.sessionFor(demo.steering) }))
        .statusCode,
    ).toBe(403);
  });

  it("an open file whose every measure has ended: to close or to update", async () => {
    const today = parisDay(t.clock.now());
    expect(names((await alerts(demo.cpip)).measureEnded)).not.toContain("ROUX Julien");
    const [before] = await t.handle.db.select().from(measure).where(eq(measure.personId, people.Julien!));
    await t.handle.db
      .update(measure)
      .set({ endDate: addDays(today, -3) })
      .where(eq(measure.personId, people.Julien!));
    const ended = (await alerts(demo.cpip)).measureEnded;
    expect(ended).toContainEqual({
      personId: people.Julien,
      personName: "ROUX Julien",
      detail: "Mesure terminée, dossier encore ouvert",
      date: addDays(today, -3),
    });
    // Steering reads no alert; another CPIP does not see Julien's.
    expect(names((await alerts(demo.cpip2)).measureEnded)).not.toContain("ROUX Julien");
    await t.handle.db
      .update(measure)
      .set({ endDate: before!.endDate })
      .where(eq(measure.personId, people.Julien!));
  });

  it("measure ending with an open démarche, démarche past due, orientation without answer, person not seen", async () => {
    const before = await alerts(demo.cpip);
    expect(names(before.measureEnding)).not.toContain("BENALI Karim");
    expect(before.settings).toEqual({ measureAlertDays: 60, notSeenWeeks: 8 });

    const [type] = await t.handle.db.select().from(demarcheType).where(eq(demarcheType.code, "cpam-css"));
    const counselorId = await t.userId(demo.counselor);
    await t.handle.db.insert(demarche).values({
      structureId: t.demoStructureId,
      personId: people.Karim!,
      demarcheTypeId: type!.id,
      helpLevel: "guided",
      status: "waiting_documents",
      dueDate: "2026-05-20",
      createdBy: counselorId,
    });
    const [caf] = await t.handle.db.select().from(partner).where(eq(partner.code, "caf"));
    await t.handle.db.insert(orientation).values({
      structureId: t.demoStructureId,
      personId: people.Karim!,
      target: "partner_back_office",
      partnerId: caf!.id,
      reason: "RSA",
      status: "sent",
      createdBy: counselorId,
      sentAt: new Date("2026-05-25T08:00:00Z"),
      expiresAt: new Date("2026-06-24T08:00:00Z"),
    });
    const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
    await t.handle.db.insert(convocation).values({
      structureId: t.demoStructureId,
      siteId: meaux!.id,
      personId: people.Julien!,
      startsAt: new Date("2026-03-17T08:00:00Z"),
      endsAt: new Date("2026-03-17T08:45:00Z"),
      seat: 1,
      status: "honoured",
      notifySms: false,
      notifyEmail: false,
      bookedBy: await t.userId(demo.cpip),
    });

    const after = await alerts(demo.cpip);
    expect(after.measureEnding[0]).toMatchObject({ personName: "BENALI Karim", date: "2026-07-16" });
    expect(after.overdueDemarches).toEqual([
      {
        personId: people.Karim,
        personName: "BENALI Karim",
        detail: "Complémentaire santé solidaire (CSS)",
        date: "2026-05-20",
      },
    ]);
    expect(after.pendingOrientations[0]).toMatchObject({
      personName: "BENALI Karim",
      detail: expect.stringContaining("CAF"),
    });
    expect(names(after.notSeen)).toEqual(["ROUX Julien"]);

    // The counselor follows the people convoked in the structure: Karim once convoked; another CPIP
    // of the service does not get Karim's alerts.
    expect(names((await alerts(demo.counselor)).overdueDemarches)).toEqual([]);
    await convokedOnce(t, people.Karim!);
    expect(names((await alerts(demo.counselor)).overdueDemarches)).toEqual(["BENALI Karim"]);
    const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
    const colleague = await anAgent(t.handle.db, {
      structureId: t.demoStructureId,
      roles: ["probation_officer"],
      serviceId: spip!.id,
    });
    const theirs = await alerts(colleague.email);
    expect([
      ...theirs.measureEnding,
      ...theirs.overdueDemarches,
      ...theirs.pendingOrientations,
      ...theirs.notSeen,
    ]).toEqual([]);

    // A longer "not seen" window: Julien came 11 weeks ago, within 12.
    const settings = await t.app.inject({
      method: "PUT",
      url: `/api/structures/${t.demoStructureId}/notification-settings`,
      headers: await t.sessionFor(demo.manager),
      payload: {
        reminderHours: 48,
        notifyMissed: false,
        quietFrom: "20:00",
        quietTo: "08:00",
        preparationUrl: "",
        letterhead: "",
        measureAlertDays: 30,
        notSeenWeeks: 12,
      },
    });
    expect(settings.statusCode).toBe(200);
    const narrower = await alerts(demo.cpip);
    expect(narrower.notSeen).toEqual([]);
    expect(narrower.measureEnding).toEqual([]);
  });
  it("a deposited démarche past its date waits for the partner: not late; back with us, it is", async () => {
    const [type] = await t.handle.db.select().from(demarcheType).where(eq(demarcheType.code, "caf-rsa"));
    const [deposited] = await t.handle.db
      .insert(demarche)
      .values({
        structureId: t.demoStructureId,
        personId: people.Julien!,
        demarcheTypeId: type!.id,
        helpLevel: "done_for",
        status: "submitted",
        dueDate: "2026-05-10",
        createdBy: await t.userId(demo.cpip),
      })
      .returning();
    const julien = async () =>
      (await alerts(demo.cpip)).overdueDemarches.filter(
        (a: { personId: string }) => a.personId === people.Julien,
      );
    try {
      expect(await julien()).toEqual([]);
      await t.handle.db.update(demarche).set({ status: "in_progress" }).where(eq(demarche.id, deposited!.id));
      expect(await julien()).toMatchObject([{ personName: "ROUX Julien", date: "2026-05-10" }]);
    } finally {
      await t.handle.db.delete(demarche).where(eq(demarche.id, deposited!.id));
    }
  });
});
