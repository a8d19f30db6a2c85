import { and, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { halfDayOf } from "../../common/agenda/halfDayClash";
import {
  auditEvent,
  convocation,
  directoryContact,
  directoryEntry,
  handoverMeeting,
  handoverParticipant,
  needAssessment,
  notification,
  openingRule,
  openingRuleCounselor,
  person,
  personChange,
  referent,
  site,
} from "../db/schema";
import { logSmsSender, smtpEmailSender } from "../domains/notifications/providers";
import { runOnce, type WorkerDeps } from "../domains/notifications/worker";
import { aConvocation, anAgent, aStructure } from "../testing/builders";
import { TEST_TODAY } from "../testing/constants";
import { aContactablePerson } from "../testing/personFiles";
import { type SmtpSink, startSmtpSink } from "../testing/smtpSink";
import { demo, PUBLIC_URL, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
let smtp: SmtpSink;
let worker: WorkerDeps;
let other: { structureId: string; siteId: string; cpip: { id: string; email: string } };

const RELEASE = "2026-06-10";

beforeAll(async () => {
  t = await startTestApp();
  smtp = await startSmtpSink();
  worker = {
    db: t.handle.db,
    clock: t.clock,
    email: smtpEmailSender(smtp.url, "France services <ne-pas-repondre@test.invalid>"),
    sms: logSmsSender(() => {}),
    publicUrl: PUBLIC_URL,
    smsWebhookToken: null,
    log: () => {},
  };
  // A milieu ouvert structure elsewhere, with a CPIP and a weekly permanence.
  const b = await aStructure(t.handle.db, "France services SPIP 91 (test)");
  const cpip = await anAgent(t.handle.db, {
    structureId: b.structure.id,
    roles: ["probation_officer"],
    serviceId: b.spipServiceId,
  });
  const counselor = await anAgent(t.handle.db, { structureId: b.structure.id, roles: ["counselor"] });
  const [place] = await t.handle.db
    .insert(site)
    .values({
      structureId: b.structure.id,
      name: "Évry",
      kind: "spip_office",
      address: "1 bd de France, Évry",
    })
    .returning();
  for (const weekday of [1, 2, 3, 4, 5]) {
    const [rule] = await t.handle.db
      .insert(openingRule)
      .values({
        structureId: b.structure.id,
        siteId: place!.id,
        weekday,
        startTime: "09:00",
        endTime: "12:00",
        slotMinutes: 45,
        bufferMinutes: 15,
        validFrom: "2026-01-01",
      })
      .returning();
    await t.handle.db.insert(openingRuleCounselor).values({ ruleId: rule!.id, userId: counselor.id });
  }
  other = { structureId: b.structure.id, siteId: place!.id, cpip: { id: cpip.id, email: cpip.email } };
});
afterAll(async () => {
  worker.email.close();
  await smtp.close();
  await t.close();
});

async function aDetainee(phone: string): Promise<string> {
  const id = await aContactablePerson(t, phone, `${phone.slice(-4)}@exemple.invalid`);
  await t.handle.db
    .update(person)
    .set({ status: "detenu", expectedReleaseDate: RELEASE })
    .where(eq(person.id, id));
  await t.handle.db.insert(needAssessment).values({
    structureId: t.demoStructureId,
    personId: id,
    domain: "logement-hebergement",
    hasNeed: true,
    priority: "high",
    assessedAt: new Date("2026-05-20T10:00:00Z"),
  });
  return id;
}

const call = async (method: "GET" | "POST", url: string, email?: string, payload?: unknown) =>
  t.app.inject({
    method,
    url,
    headers: email ? await t.sessionFor(email) : {},
    ...(payload ? { payload } : {}),
  });

const scheduleBody = async (targetStructureId: string) => ({
  startsAt: "2026-06-05T08:00:00Z",
  durationMinutes: 60,
  siteId: null,
  placeText: "Centre pénitentiaire de Meaux-Chauconin, salle des audiences",
  releaseDate: RELEASE,
  targetStructureId,
  agentUserIds: [await t.userId(demo.cpip2), await t.userId(demo.counselor)],
  contacts: [{ name: "Sophie Martin", email: "s.martin@caf.exemple.fr", roleLabel: "CAF" }],
});

async function schedule(personId: string, targetStructureId = t.demoStructureId): Promise<string> {
  const response = await call(
    "POST",
    `/api/people/${personId}/handover`,
    demo.cpip,
    await scheduleBody(targetStructureId),
  );
  expect(response.statusCode, response.body).toBe(200);
  return response.json().meetings.at(-1).id;
}

async function aSlotIn(handoverId: string, email = demo.cpip): Promise<{ siteId: string; startsAt: string }> {
  const response = await call("GET", `/api/handovers/${handoverId}/slots`, email);
  expect(response.statusCode, response.body).toBe(200);
  const slot = response.json().slots[0];
  expect(slot, "a free slot in the window").toBeDefined();
  return { siteId: slot.siteId, startsAt: slot.startsAt };
}

const completeBody = (referentUserId: string, slot: { siteId: string; startsAt: string }) => ({
  minutes: "Réunion tenue au parloir avec la personne, la CPIP milieu fermé et le conseiller.",
  decisions: "Hébergement : demande SIAO à reprendre ; CSS à déposer à la sortie.",
  consentGiven: true,
  consentReference: "Accord écrit signé en réunion",
  personPresent: true,
  targetReferentUserId: referentUserId,
  firstConvocation: { ...slot, notifySms: true, notifyEmail: false },
});

/** Runs `during` with the server's clock an hour after the test meetings began (2026-06-05 08:00Z). */
async function afterTheMeeting<T>(during: () => Promise<T>): Promise<T> {
  t.clock.set(new Date("2026-06-05T09:00:00Z"));
  try {
    return await during();
  } finally {
    t.clock.set(new Date(`${TEST_TODAY}T09:00:00Z`));
  }
}

async function deliverAll(): Promise<void> {
  while ((await runOnce(worker)) > 0) {}
}

describe("scheduling a handover meeting", () => {
  it("401, 404 (a counselor: never convoked, the file is not theirs; another structure), 400 listing the missing fields, nothing written", async () => {
    const id = await aDetainee("+33612300001");
    const body = await scheduleBody(t.demoStructureId);
    expect((await call("POST", `/api/people/${id}/handover`, undefined, body)).statusCode).toBe(401);
    expect((await call("POST", `/api/people/${id}/handover`, demo.counselor, body)).statusCode).toBe(404);
    expect((await call("POST", `/api/people/${id}/handover`, other.cpip.email, body)).statusCode).toBe(404);
    const bad = await call("POST", `/api/people/${id}/handover`, demo.cpip, {
      startsAt: "demain",
      durationMinutes: 60,
      releaseDate: "",
      targetStructureId: "",
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["body.startsAt", "body.releaseDate", "body.targetStructureId"]),
    );
    const unknown = await call("POST", `/api/people/${id}/handover`, demo.cpip, {
      ...body,
      targetStructureId: "00000000-0000-4000-8000-000000000000",
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe("handover.unknownStructure");
    // Said under the field the id was chosen in (another structure's site or agent alike).
    expect(unknown.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.targetStructureId"]);
    const theirs = await call("POST", `/api/people/${id}/handover`, demo.cpip, {
      ...body,
      siteId: other.siteId,
    });
    expect(theirs.json().code).toBe("handover.unknownSite");
    expect(theirs.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.siteId"]);
    const stranger = await call("POST", `/api/people/${id}/handover`, demo.cpip, {
      ...body,
      agentUserIds: ["00000000-0000-4000-8000-000000000000"],
    });
    expect(stranger.json().code).toBe("handover.unknownAgent");
    expect(stranger.json().issues.map((i: { path: string }) => i.path)).toEqual(["body.agentUserIds"]);
    expect(await t.handle.db.select().from(handoverMeeting).where(eq(handoverMeeting.personId, id))).toEqual(
      [],
    );
  });

  it("invites agents and partners with one calendar event: request, update (sequence 1), cancel (sequence 2)", async () => {
    const id = await aDetainee("+33612300002");
    const handoverId = await schedule(id);
    await deliverAll();
    const invitations = smtp.mails.filter((m) =>
      m.subject.startsWith("Invitation : réunion de passage de relais"),
    );
    expect(invitations.map((m) => m.to).sort()).toEqual(
      ["conseiller@demo.passerelle.fr", "cpip2@demo.passerelle.fr", "s.martin@caf.exemple.fr"].sort(),
    );
    const ics = (to: string, subject: string) => {
      const mail = smtp.mails.find((m) => m.to === to && m.subject.startsWith(subject));
      const file = mail?.attachments?.find((a) => a.filename === "invitation.ics");
      expect(file, `${subject} to ${to}`).toBeDefined();
      return { mail: mail!, ics: file!.content };
    };
    const partner = ics("s.martin@caf.exemple.fr", "Invitation");
    const [, name] = (await t.handle.db.select().from(person).where(eq(person.id, id))).map(
      (p) => p.lastName,
    );
    const [row] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(name).toBeUndefined();
    // A partner not named by the person's consent reads no name, no measure.
    expect(partner.mail.text).toContain("une personne accompagnée");
    expect(partner.mail.text).not.toContain(row!.lastName);
    expect(partner.ics).not.toContain(row!.lastName);
    expect(partner.ics).toContain("METHOD:REQUEST");
    expect(partner.ics).toContain("SEQUENCE:0");
    expect(partner.ics).toContain("BEGIN:VEVENT");
    expect(partner.ics).toMatch(/DTSTART[^\n]*20260605T/);
    expect(ics("cpip2@demo.passerelle.fr", "Invitation").mail.text).toContain(row!.lastName);
    const uid = /UID:(.+)/.exec(partner.ics)![1]!.trim();

    const moveBody = {
      startsAt: "2026-06-08T08:00:00Z",
      durationMinutes: 90,
      siteId: null,
      placeText: "Centre pénitentiaire de Meaux-Chauconin",
    };
    const moved = await call("POST", `/api/handovers/${handoverId}/reschedule`, demo.cpip, moveBody);
    expect(moved.statusCode, moved.body).toBe(200);
    // Sent again (a retry after a lost answer): 200, and the participants get the update once.
    const again = await call("POST", `/api/handovers/${handoverId}/reschedule`, demo.cpip, moveBody);
    expect(again.statusCode, again.body).toBe(200);
    await deliverAll();
    const update = ics("s.martin@caf.exemple.fr", "Modification");
    expect(update.ics).toContain(`UID:${uid}`);
    expect(update.ics).toContain("SEQUENCE:1");
    expect(
      smtp.mails.filter((m) => m.to === "s.martin@caf.exemple.fr" && m.subject.startsWith("Modification")),
    ).toHaveLength(1);

    const cancelUrl = `/api/handovers/${handoverId}/cancel`;
    const reason = { reason: "Libération avancée par le juge : réunion reportée à une date à fixer." };
    expect((await call("POST", cancelUrl, demo.counselor, reason)).statusCode).toBe(404);
    // No reason (or a blank one): 400 under body.reason, the meeting still planned, nothing sent.
    for (const body of [{}, { reason: "  " }]) {
      const refused = await call("POST", cancelUrl, demo.cpip, body);
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json().issues).toEqual([
        {
          path: "body.reason",
          message: "Indiquez le motif de l'annulation : il est envoyé aux participants avec l'annulation.",
        },
      ]);
    }
    const [stillPlanned] = await t.handle.db
      .select()
      .from(handoverMeeting)
      .where(eq(handoverMeeting.id, handoverId));
    expect(stillPlanned!.status).toBe("planned");
    const cancelled = await call("POST", cancelUrl, demo.cpip, reason);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    // Sent again (a lost answer, a double click): 200, nothing sent a second time.
    const cancelledAgain = await call("POST", cancelUrl, demo.cpip, reason);
    expect(cancelledAgain.statusCode, cancelledAgain.body).toBe(200);
    await deliverAll();
    const cancel = ics("s.martin@caf.exemple.fr", "Annulation");
    expect(cancel.ics).toContain("METHOD:CANCEL");
    expect(cancel.ics).toContain(`UID:${uid}`);
    expect(cancel.ics).toContain("SEQUENCE:2");
    // Every participant is told why, in the message and the calendar file.
    const cancellations = smtp.mails.filter((m) => m.subject.startsWith("Annulation"));
    expect(cancellations.map((m) => m.to).sort()).toEqual(
      ["conseiller@demo.passerelle.fr", "cpip2@demo.passerelle.fr", "s.martin@caf.exemple.fr"].sort(),
    );
    for (const mail of cancellations) expect(mail.text).toContain(`Motif : ${reason.reason}`);
    expect(cancel.ics).toContain("Motif");
    expect(cancel.mail.text).not.toContain(row!.lastName);
    const page = (await call("GET", `/api/people/${id}/handover`, demo.cpip)).json();
    expect(page.meetings.at(-1)).toMatchObject({ status: "cancelled", cancelReason: reason.reason });
    // Another reason, or another agent, once cancelled: 409, nothing more sent.
    const otherReason = await call("POST", cancelUrl, demo.cpip, { reason: "Une autre raison." });
    expect(otherReason.json().code).toBe("handover.notPlanned");
    await deliverAll();
    expect(smtp.mails.filter((m) => m.subject.startsWith("Annulation"))).toHaveLength(3);
  });
});

describe("a meeting change sent twice at once", () => {
  it("cancelled twice at once by its agent: cancelled, journaled and sent once, both answered 200", async () => {
    for (const phone of ["+33612300091", "+33612300092", "+33612300093"]) {
      const id = await aDetainee(phone);
      const handoverId = await schedule(id);
      const url = `/api/handovers/${handoverId}/cancel`;
      const payload = { reason: "Sortie reportée." };
      const [a, b] = [await t.sessionFor(demo.cpip), await t.sessionFor(demo.cpip)];
      const answers = await Promise.all([
        t.app.inject({ method: "POST", url, headers: a, payload }),
        t.app.inject({ method: "POST", url, headers: b, payload }),
      ]);
      expect(
        answers.map((r) => r.statusCode),
        answers.map((r) => r.body).join("\n"),
      ).toEqual([200, 200]);
      const [meeting] = await t.handle.db
        .select()
        .from(handoverMeeting)
        .where(eq(handoverMeeting.id, handoverId));
      const sent = await t.handle.db
        .select()
        .from(notification)
        .where(
          and(
            eq(notification.kind, "invitation"),
            sql`${notification.subject} like 'Annulation%'`,
            sql`${notification.attachments}::text like ${`%${meeting!.icsUid}%`}`,
          ),
        );
      expect(sent).toHaveLength(3);
      const journal = await t.handle.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, "handover.cancelled"), eq(auditEvent.targetId, id)));
      // One row per side (journalBothSides): the sending and the receiving structure.
      expect(journal.length).toBeLessThanOrEqual(2);
      expect(new Set(journal.map((j) => j.structureId)).size).toBe(journal.length);
    }
  });
});

describe("completing a handover meeting", () => {
  it("refuses each missing field (400, field errors) and a first convocation outside the window, writing nothing", async () => {
    const id = await aDetainee("+33612300003");
    const handoverId = await schedule(id);
    const slot = await aSlotIn(handoverId);
    const cpip2 = await t.userId(demo.cpip2);
    const full = completeBody(cpip2, slot);
    const url = `/api/handovers/${handoverId}/complete`;
    t.clock.set(new Date("2026-06-05T09:00:00Z"));
    try {
      expect((await call("POST", url, undefined, full)).statusCode).toBe(401);
      expect((await call("POST", url, demo.counselor, full)).statusCode).toBe(404);
      expect((await call("POST", url, other.cpip.email, full)).statusCode).toBe(404);
      for (const [field, path] of [
        ["minutes", "body.minutes"],
        ["decisions", "body.decisions"],
        ["consentGiven", "body.consentGiven"],
        ["consentReference", "body.consentReference"],
        ["personPresent", "body.personPresent"],
        ["targetReferentUserId", "body.targetReferentUserId"],
        ["firstConvocation", "body.firstConvocation"],
      ] as const) {
        const { [field]: _left, ...rest } = full;
        const response = await call("POST", url, demo.cpip, rest);
        expect(response.statusCode, field).toBe(400);
        expect(response.json().issues.map((i: { path: string }) => i.path)).toContain(path);
      }
      const { personPresent: _unsaid, ...unsaid } = full;
      const noPresence = await call("POST", url, demo.cpip, unsaid);
      expect(noPresence.json().issues[0].message).toBe(
        "Indiquez si la personne était présente à la réunion.",
      );
      const refused = await call("POST", url, demo.cpip, { ...full, consentGiven: false });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().issues[0].message).toContain("consentir");
      const late = await call("POST", url, demo.cpip, {
        ...full,
        firstConvocation: { ...full.firstConvocation, startsAt: "2026-07-20T07:00:00Z" },
      });
      expect(late.statusCode).toBe(400);
      expect(late.json().code).toBe("handover.outsideWindow");
      const notACpip = await call("POST", url, demo.cpip, {
        ...full,
        targetReferentUserId: await t.userId(demo.counselor),
      });
      expect(notACpip.json().code).toBe("handover.unknownReferent");
      expect(notACpip.json().issues.map((i: { path: string }) => i.path)).toEqual([
        "body.targetReferentUserId",
      ]);
    } finally {
      t.clock.set(new Date(`${TEST_TODAY}T09:00:00Z`));
    }
    const [meeting] = await t.handle.db
      .select()
      .from(handoverMeeting)
      .where(eq(handoverMeeting.id, handoverId));
    expect(meeting!.status).toBe("planned");
    expect(await t.handle.db.select().from(convocation).where(eq(convocation.personId, id))).toEqual([]);
    const [active] = await t.handle.db
      .select()
      .from(referent)
      .where(and(eq(referent.personId, id), isNull(referent.endedAt)));
    expect(active!.userId).toBe(await t.userId(demo.cpip));
  });

  it("same structure: the milieu ouvert CPIP refers the person, first convocation booked, no message before release", async () => {
    const id = await aDetainee("+33612300004");
    const handoverId = await schedule(id);
    const slot = await aSlotIn(handoverId);
    const response = await afterTheMeeting(async () =>
      call(
        "POST",
        `/api/handovers/${handoverId}/complete`,
        demo.cpip,
        completeBody(await t.userId(demo.cpip2), slot),
      ),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().personId).toBe(id);
    const [after] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(after!.status).toBe("milieu_ouvert");
    // The person's presence is kept, shown on the meeting and said in the journal.
    const [stored] = await t.handle.db
      .select()
      .from(handoverMeeting)
      .where(eq(handoverMeeting.id, handoverId));
    expect(stored!.personPresent).toBe(true);
    const view = await call("GET", `/api/people/${id}/handover`, demo.manager);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().meetings.find((m: { id: string }) => m.id === handoverId)).toMatchObject({
      status: "held",
      personPresent: true,
    });
    const [journal] = await t.handle.db
      .select({ reason: auditEvent.reason })
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "handover.held"), eq(auditEvent.targetId, id)));
    expect(journal!.reason).toContain("en présence de la personne");
    const mine = await call("GET", `/api/people?referent=${await t.userId(demo.cpip2)}`, demo.cpip2);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().people.map((p: { id: string }) => p.id)).toContain(id);
    const file = await call("GET", `/api/people/${id}`, demo.cpip2);
    expect(file.statusCode).toBe(200);
    const [booked] = await t.handle.db.select().from(convocation).where(eq(convocation.personId, id));
    expect(booked!.startsAt.toISOString()).toBe(slot.startsAt);
    const messages = await t.handle.db
      .select()
      .from(notification)
      .where(eq(notification.convocationId, booked!.id));
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages)
      expect(m.notBefore.getTime()).toBeGreaterThanOrEqual(new Date(`${RELEASE}T07:00:00Z`).getTime());
    const page = await call("GET", `/api/people/${id}/handover`, demo.cpip);
    const held = page.json().meetings[0];
    expect(held.status).toBe("held");
    expect(held.agenda.needs.map((n: { domain: string }) => n.domain)).toContain("logement-hebergement");
    expect(held.firstConvocationAt).toBe(slot.startsAt);
  });

  it("same structure, another convocation that half-day: 409 convocation.sameHalfDay, nothing passed; confirmed, held", async () => {
    const id = await aDetainee("+33612300033");
    const handoverId = await schedule(id);
    const slot = await aSlotIn(handoverId);
    const [elsewhere] = await t.handle.db
      .select({ id: site.id })
      .from(site)
      .where(and(eq(site.structureId, t.demoStructureId), sql`${site.id} <> ${slot.siteId}`))
      .limit(1);
    const existingAt = new Date(new Date(slot.startsAt).getTime() + 15 * 60_000);
    expect(halfDayOf(existingAt)).toBe(halfDayOf(slot.startsAt));
    await aConvocation(t.handle.db, {
      personId: id,
      structureId: t.demoStructureId,
      bookedBy: await t.userId(demo.cpip),
      siteId: elsewhere!.id,
      startsAt: existingAt,
      status: "planned",
    });
    const body = completeBody(await t.userId(demo.cpip2), slot);
    const url = `/api/handovers/${handoverId}/complete`;
    const refused = await afterTheMeeting(() => call("POST", url, demo.cpip, body));
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().code).toBe("convocation.sameHalfDay");
    const [still] = await t.handle.db
      .select()
      .from(handoverMeeting)
      .where(eq(handoverMeeting.id, handoverId));
    expect(still!.status).toBe("planned");
    expect((await t.handle.db.select().from(person).where(eq(person.id, id)))[0]!.status).toBe("detenu");

    const confirmed = await afterTheMeeting(() =>
      call("POST", url, demo.cpip, {
        ...body,
        firstConvocation: { ...body.firstConvocation, confirmSameHalfDay: true },
      }),
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const planned = await t.handle.db
      .select()
      .from(convocation)
      .where(and(eq(convocation.personId, id), eq(convocation.status, "planned")));
    expect(planned.map((c) => c.startsAt.toISOString()).sort()).toEqual(
      [slot.startsAt, existingAt.toISOString()].sort(),
    );
  });

  it("another structure: the file opens there for its CPIP, the sender keeps a closed read-only file and its history", async () => {
    const id = await aDetainee("+33612300005");
    const handoverId = await schedule(id, other.structureId);
    const slot = await aSlotIn(handoverId);
    expect(slot.siteId).toBe(other.siteId);
    const response = await afterTheMeeting(() =>
      call("POST", `/api/handovers/${handoverId}/complete`, demo.cpip, completeBody(other.cpip.id, slot)),
    );
    expect(response.statusCode, response.body).toBe(200);
    const newId = response.json().personId as string;
    expect(newId).not.toBe(id);
    expect((await call("GET", `/api/people/${newId}`, other.cpip.email)).statusCode).toBe(200);
    expect((await call("GET", `/api/people/${newId}`, demo.cpip)).statusCode).toBe(404);
    const needs = await t.handle.db.select().from(needAssessment).where(eq(needAssessment.personId, newId));
    expect(needs.map((n) => n.domain)).toEqual(["logement-hebergement"]);
    // The need keeps the structure where it was assessed: the sender's figures do not move.
    expect(needs[0]!.structureId).toBe(t.demoStructureId);
    const old = await call("GET", `/api/people/${id}`, demo.cpip);
    expect(old.statusCode).toBe(200);
    const [closed] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(closed!.closedReason).toBe("transfer");
    const write = await call(
      "POST",
      `/api/people/${id}/handover`,
      demo.cpip,
      await scheduleBody(t.demoStructureId),
    );
    expect(write.json().code).toBe("person.closed");
    const history = await call("GET", "/api/transmissions", demo.cpip);
    expect(history.statusCode).toBe(200);
    expect(history.json().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: "handover", id: handoverId, personId: id })]),
    );
    expect((await call("GET", "/api/transmissions", demo.counselor)).statusCode).toBe(403);
  });
});

describe("the dates of a meeting (server clock)", () => {
  it("a meeting in the past and a release decades ago: 400 under each field, nothing written nor sent", async () => {
    const id = await aDetainee("+33612300011");
    const before = (await t.handle.db.select().from(notification)).length;
    const response = await call("POST", `/api/people/${id}/handover`, demo.cpip, {
      ...(await scheduleBody(t.demoStructureId)),
      startsAt: "2020-12-10T09:00:00Z",
      releaseDate: "1990-12-22",
    });
    expect(response.statusCode, response.body).toBe(400);
    const issues = response.json().issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path).sort()).toEqual(["body.releaseDate", "body.startsAt"]);
    expect(issues.find((i) => i.path === "body.startsAt")!.message).toContain("dans le futur");
    expect(issues.find((i) => i.path === "body.releaseDate")!.message).toContain("Date déjà passée");
    expect(await t.handle.db.select().from(handoverMeeting).where(eq(handoverMeeting.personId, id))).toEqual(
      [],
    );
    expect((await t.handle.db.select().from(notification)).length).toBe(before);
  });

  it("an hour ago, a release yesterday, a meeting after the release or years ahead: 400 in French", async () => {
    const id = await aDetainee("+33612300012");
    const url = `/api/people/${id}/handover`;
    const body = await scheduleBody(t.demoStructureId);
    const refused = async (change: object, path: string, words: string) => {
      const response = await call("POST", url, demo.cpip, { ...body, ...change });
      expect(response.statusCode, response.body).toBe(400);
      const issue = (response.json().issues as { path: string; message: string }[]).find(
        (i) => i.path === path,
      );
      expect(issue?.message, JSON.stringify(change)).toContain(words);
    };
    await refused({ startsAt: "2026-06-01T08:00:00Z" }, "body.startsAt", "dans le futur");
    await refused({ releaseDate: "2026-05-31" }, "body.releaseDate", "Date déjà passée");
    await refused({ releaseDate: "2040-01-01" }, "body.releaseDate", "Date trop lointaine");
    await refused({ startsAt: "2026-06-12T08:00:00Z" }, "body.startsAt", "au plus tard le jour de la sortie");
    await refused(
      { startsAt: "2035-06-12T08:00:00Z", releaseDate: "2031-05-01" },
      "body.startsAt",
      "Date trop lointaine",
    );
    expect(await t.handle.db.select().from(handoverMeeting).where(eq(handoverMeeting.personId, id))).toEqual(
      [],
    );
    // Later today and on the release day itself: accepted.
    const ok = await call("POST", url, demo.cpip, { ...body, startsAt: "2026-06-01T14:00:00Z" });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it("moving the meeting to the past or after the release: 400, the meeting and its invitation unchanged", async () => {
    const id = await aDetainee("+33612300013");
    const handoverId = await schedule(id);
    const url = `/api/handovers/${handoverId}/reschedule`;
    const move = (startsAt: string) =>
      call("POST", url, demo.cpip, { startsAt, durationMinutes: 60, siteId: null, placeText: "Parloir" });
    const past = await move("2019-03-01T08:00:00Z");
    expect(past.statusCode, past.body).toBe(400);
    expect(past.json().issues[0]).toMatchObject({ path: "body.startsAt" });
    expect(past.json().issues[0].message).toContain("dans le futur");
    const late = await move("2026-06-11T08:00:00Z");
    expect(late.statusCode).toBe(400);
    expect(late.json().issues[0].message).toContain("au plus tard le jour de la sortie");
    const [meeting] = await t.handle.db
      .select()
      .from(handoverMeeting)
      .where(eq(handoverMeeting.id, handoverId));
    expect(meeting!.startsAt.toISOString()).toBe("2026-06-05T08:00:00.000Z");
    expect(meeting!.icsSequence).toBe(0);
    expect((await move("2026-06-09T08:00:00Z")).statusCode).toBe(200);
  });
});

describe("completing before the meeting", () => {
  it("409 handover.notHeldYet until the meeting begins (server clock): the file, its referent and status unchanged", async () => {
    const id = await aDetainee("+33612300014");
    const handoverId = await schedule(id);
    const slot = await aSlotIn(handoverId);
    const body = completeBody(await t.userId(demo.cpip2), slot);
    const url = `/api/handovers/${handoverId}/complete`;
    const early = await call("POST", url, demo.cpip, body);
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().code).toBe("handover.notHeldYet");
    expect(early.json().message).toContain("La réunion n'a pas encore eu lieu");
    t.clock.set(new Date("2026-06-05T07:59:00Z"));
    try {
      expect((await call("POST", url, demo.cpip, body)).json().code).toBe("handover.notHeldYet");
    } finally {
      t.clock.set(new Date(`${TEST_TODAY}T09:00:00Z`));
    }
    const [still] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(still!.status).toBe("detenu");
    const [active] = await t.handle.db
      .select()
      .from(referent)
      .where(and(eq(referent.personId, id), isNull(referent.endedAt)));
    expect(active!.userId).toBe(await t.userId(demo.cpip));
    expect(await t.handle.db.select().from(convocation).where(eq(convocation.personId, id))).toEqual([]);
    const [meeting] = await t.handle.db
      .select()
      .from(handoverMeeting)
      .where(eq(handoverMeeting.id, handoverId));
    expect(meeting!.status).toBe("planned");
    const held = await afterTheMeeting(() => call("POST", url, demo.cpip, body));
    expect(held.statusCode, held.body).toBe(200);
  });
});

describe("a completion sent twice (ADR 0036)", () => {
  it("at once: held once, the other 409 handover.notPlanned (not 403: the sender is no longer referent)", async () => {
    for (const phone of ["+33612300081", "+33612300082", "+33612300083"]) {
      const id = await aDetainee(phone);
      const handoverId = await schedule(id);
      const slot = await aSlotIn(handoverId);
      const body = completeBody(await t.userId(demo.cpip2), slot);
      const url = `/api/handovers/${handoverId}/complete`;
      const answers = await afterTheMeeting(async () => {
        const [a, b] = [await t.sessionFor(demo.cpip), await t.sessionFor(demo.cpip)];
        return Promise.all([
          t.app.inject({ method: "POST", url, headers: a, payload: body }),
          t.app.inject({ method: "POST", url, headers: b, payload: body }),
        ]);
      });
      expect(answers.map((r) => r.statusCode).sort(), answers.map((r) => r.body).join("\n")).toEqual([
        200, 409,
      ]);
      expect(answers.find((r) => r.statusCode === 409)!.json().code).toBe("handover.notPlanned");
      expect(await t.handle.db.select().from(convocation).where(eq(convocation.personId, id))).toHaveLength(
        1,
      );
      const journal = await t.handle.db
        .select()
        .from(auditEvent)
        .where(and(eq(auditEvent.action, "handover.held"), eq(auditEvent.targetId, id)));
      expect(journal.length).toBe(1);
    }
  });

  it("again later (to another structure): 409 handover.notPlanned; who never saw the file still 404", async () => {
    const id = await aDetainee("+33612300084");
    const handoverId = await schedule(id, other.structureId);
    const slot = await aSlotIn(handoverId);
    const body = completeBody(other.cpip.id, slot);
    const url = `/api/handovers/${handoverId}/complete`;
    await afterTheMeeting(async () => {
      expect((await call("POST", url, demo.cpip, body)).statusCode).toBe(200);
      const again = await call("POST", url, demo.cpip, body);
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json().code).toBe("handover.notPlanned");
      expect((await call("POST", url, demo.counselor, body)).statusCode).toBe(404);
      const cancel = await call("POST", `/api/handovers/${handoverId}/cancel`, demo.cpip, {
        reason: "Trop tard.",
      });
      expect(cancel.json().code).toBe("handover.notPlanned");
    });
  });
});

describe("reading one meeting (GET /api/handovers/:handoverId)", () => {
  it("an invited counselor who may not open the file reads the meeting, journaled; an agent not invited: 404", async () => {
    const id = await aDetainee("+33612300031");
    const handoverId = await schedule(id);
    const url = `/api/handovers/${handoverId}`;
    expect((await call("GET", url)).statusCode).toBe(401);
    // Invited, never convoked to her: the file stays closed to her, the meeting opens.
    expect((await call("GET", `/api/people/${id}/handover`, demo.counselor)).statusCode).toBe(404);
    const invited = await call("GET", url, demo.counselor);
    expect(invited.statusCode, invited.body).toBe(200);
    const page = invited.json();
    expect(page).toMatchObject({
      personId: id,
      fileVisible: false,
      meeting: { id: handoverId, status: "planned" },
    });
    const [who] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(page.personName).toBe(`${who!.lastName.toUpperCase()} ${who!.firstName}`);
    expect(Object.keys(page).sort()).toEqual(["fileVisible", "meeting", "personId", "personName"]);
    expect(page.meeting.participants.map((p: { name: string }) => p.name)).toContain("Sophie Martin");
    // Only what the meeting shows: no measure, no offence, no contact of the person.
    expect(invited.body).not.toMatch(/offence|court|phone|\+33612300031|@exemple\.invalid/);
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.action, "handover.read"),
          eq(auditEvent.targetId, id),
          eq(auditEvent.actorUserId, await t.userId(demo.counselor)),
        ),
      );
    expect(journal).toHaveLength(1);
    expect(journal[0]!.reason).toMatch(/^réunion du .+ \(agent invité à la réunion\)$/);
    // The file's referent reads it too, with the file.
    const referentRead = await call("GET", url, demo.cpip);
    expect(referentRead.json()).toMatchObject({ fileVisible: true, meeting: { id: handoverId } });
    // A counselor of the structure not invited, a CPIP of another structure, steering: no meeting.
    const notInvited = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    expect((await call("GET", url, notInvited.email)).statusCode).toBe(404);
    const elsewhere = await anAgent(t.handle.db, { structureId: other.structureId, roles: ["counselor"] });
    await t.handle.db.insert(handoverParticipant).values({
      meetingId: handoverId,
      userId: elsewhere.id,
      name: "Invitée ailleurs",
      email: elsewhere.email,
    });
    // Named on the meeting but a member of neither structure of it: nothing.
    expect((await call("GET", url, elsewhere.email)).statusCode).toBe(404);
    expect((await call("GET", url, demo.steering)).statusCode).toBe(403);
    expect(
      (await call("GET", "/api/handovers/00000000-0000-4000-8000-000000000000", demo.counselor)).statusCode,
    ).toBe(404);
  });
});

describe("a cancelled meeting", () => {
  it("still shows the file's agenda, consent line included (it never froze one)", async () => {
    const id = await aDetainee("+33612300032");
    const handoverId = await schedule(id);
    const cancelled = await call("POST", `/api/handovers/${handoverId}/cancel`, demo.cpip, {
      reason: "Libération avancée par le juge.",
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    for (const url of [`/api/handovers/${handoverId}`, `/api/people/${id}/handover`]) {
      const read = await call("GET", url, demo.cpip);
      expect(read.statusCode, read.body).toBe(200);
      const body = read.json();
      const meeting = body.meeting ?? body.meetings.find((m: { id: string }) => m.id === handoverId);
      expect(meeting.status).toBe("cancelled");
      expect(meeting.agenda.consent.summary).toBe("Aucun consentement au partage d'informations enregistré.");
      expect(meeting.agenda.needs.map((n: { domain: string }) => n.domain)).toEqual(["logement-hebergement"]);
    }
  });
});

describe("who a meeting may be planned for", () => {
  it("a person in milieu ouvert: 409 handover.notDetained, the page says manage: false", async () => {
    const id = await aContactablePerson(t, "+33612300021", "0021@exemple.invalid");
    const page = await call("GET", `/api/people/${id}/handover`, demo.cpip);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().permissions.manage).toBe(false);
    expect(page.json().inDetention).toBe(false);
    const response = await call(
      "POST",
      `/api/people/${id}/handover`,
      demo.cpip,
      await scheduleBody(t.demoStructureId),
    );
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().code).toBe("handover.notDetained");
    expect(response.json().message).toContain("n'est pas en détention");
    expect(await t.handle.db.select().from(handoverMeeting).where(eq(handoverMeeting.personId, id))).toEqual(
      [],
    );
    const detainee = await call("GET", `/api/people/${await aDetainee("+33612300022")}/handover`, demo.cpip);
    expect(detainee.json().permissions.manage).toBe(true);
    expect(detainee.json().inDetention).toBe(true);
  });
});

describe("the journal of handovers", () => {
  it("names the meeting by its date and never quotes an id, in the journal and the file's history", async () => {
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    const rows = await t.handle.db
      .select({ action: auditEvent.action, reason: auditEvent.reason })
      .from(auditEvent)
      .where(sql`${auditEvent.action} like 'handover.%' or ${auditEvent.action} like 'person.%'`);
    const written = rows.filter((r) => r.reason !== "" && !r.reason.startsWith("GET "));
    expect(written.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        "handover.scheduled",
        "handover.rescheduled",
        "handover.cancelled",
        "handover.held",
      ]),
    );
    expect(written.filter((r) => uuid.test(r.reason))).toEqual([]);
    for (const row of written.filter(
      (r) => r.action.startsWith("handover.") && r.action !== "handover.transmitted",
    ))
      expect(row.reason).toMatch(/^réunion du \S+ \d/);
    const history = await t.handle.db.select({ reason: personChange.reason }).from(personChange);
    expect(history.filter((h) => uuid.test(h.reason))).toEqual([]);
  });
});

describe("contacts picked from the directory", () => {
  it("a contact from the directory: the structure's own only (another's, an unknown one: 400 under its field, nothing written), invited at the directory's address", async () => {
    const id = await aDetainee("+33612300009");
    const contactIn = async (structureId: string) => {
      const [entry] = await t.handle.db
        .insert(directoryEntry)
        .values({ structureId, name: "CAF (annuaire)", kind: "local_correspondent" })
        .returning();
      const [contact] = await t.handle.db
        .insert(directoryContact)
        .values({ entryId: entry!.id, name: "Sophie Martin", email: "s.martin@caf.exemple.fr" })
        .returning();
      return contact!.id;
    };
    const withContact = async (directoryContactId: string) => ({
      ...(await scheduleBody(t.demoStructureId)),
      contacts: [
        { name: "Quelqu'un d'autre", email: "autre@ailleurs.exemple.fr", directoryContactId: null },
        { name: "Quelqu'un", email: "quelquun@ailleurs.exemple.fr", directoryContactId },
      ],
    });
    for (const directoryContactId of [
      "00000000-0000-4000-8000-000000000000",
      await contactIn(other.structureId),
    ]) {
      const refused = await call(
        "POST",
        `/api/people/${id}/handover`,
        demo.cpip,
        await withContact(directoryContactId),
      );
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json()).toMatchObject({
        code: "handover.unknownContact",
        issues: [{ path: "body.contacts.1.directoryContactId" }],
      });
    }
    expect(await t.handle.db.select().from(handoverMeeting).where(eq(handoverMeeting.personId, id))).toEqual(
      [],
    );
    const ours = await contactIn(t.demoStructureId);
    const scheduled = await call("POST", `/api/people/${id}/handover`, demo.cpip, await withContact(ours));
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    const [participant] = await t.handle.db
      .select({ name: handoverParticipant.name, email: handoverParticipant.email })
      .from(handoverParticipant)
      .where(eq(handoverParticipant.directoryContactId, ours));
    expect(participant).toEqual({ name: "Sophie Martin", email: "s.martin@caf.exemple.fr" });
  });
});
