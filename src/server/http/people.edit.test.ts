import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailMessage, phoneMessage } from "../../common/fields";
import { auditEvent, measure, notification, person, personChange, service, smsOptOut } from "../db/schema";
import { anAgent, aStructure } from "../testing/builders";
import { aContactablePerson, bookThroughApi, messagesOf } from "../testing/personFiles";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A contactable person convoked once, so that the structure's counselors see the file (DESIGN §2). */
async function convokedFile(phone: string, email: string): Promise<string> {
  const id = await aContactablePerson(t, phone, email);
  await convokedOnce(t, id);
  return id;
}

const contacts = (overrides: Record<string, unknown> = {}) => ({
  phone: "06 12 00 00 01",
  email: "personne@exemple.invalid",
  address: "",
  domiciliation: "",
  preferredLanguage: "français",
  readsFrench: "",
  ...overrides,
});
const edit = async (personId: string, body: object, email?: string) =>
  t.app.inject({
    method: "PUT",
    url: `/api/people/${personId}`,
    headers: email ? await t.sessionFor(email) : {},
    payload: body,
  });
const changesOf = (personId: string) =>
  t.handle.db.select().from(personChange).where(eq(personChange.personId, personId));
const timeline = async (personId: string, email: string) =>
  (
    await t.app.inject({
      method: "GET",
      url: `/api/people/${personId}/timeline`,
      headers: await t.sessionFor(email),
    })
  ).json().events as { title: string; detail: string; actorName: string | null }[];

describe("PUT /api/people/:personId", () => {
  it("401 when anonymous", async () => {
    const id = await convokedFile("+33612000001", "a@exemple.invalid");
    expect((await edit(id, { contacts: contacts() })).statusCode).toBe(401);
  });

  it("404 for an agent of another structure's role, 403 for roles without files", async () => {
    const id = await convokedFile("+33612000001", "a@exemple.invalid");
    for (const email of [demo.steering, demo.partner, demo.admin]) {
      expect((await edit(id, { contacts: contacts() }, email)).statusCode).toBe(403);
    }
    // Another CPIP of the service sees the file read-only: no correction.
    const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
    const colleague = await anAgent(t.handle.db, {
      structureId: t.demoStructureId,
      roles: ["probation_officer"],
      serviceId: spip!.id,
    });
    const response = await edit(id, { contacts: contacts({ address: "ailleurs" }) }, colleague.email);
    expect(response.statusCode).toBe(403);
    const other = await aStructure(t.handle.db);
    const outsider = await anAgent(t.handle.db, {
      structureId: other.structure.id,
      roles: ["probation_officer", "counselor", "service_manager"],
      serviceId: other.spipServiceId,
    });
    expect((await edit(id, { contacts: contacts() }, outsider.email)).statusCode).toBe(404);
    expect(await changesOf(id)).toEqual([]);
  });

  it("400 on a bad input writes nothing (unknown key, impossible date, bad e-mail, nothing to save)", async () => {
    const id = await convokedFile("+33612000001", "a@exemple.invalid");
    for (const body of [
      { contacts: contacts({ nickname: "x" }) },
      {
        identity: { firstName: "Léa", lastName: "Martin", birthDate: "2023-02-30", birthPlace: "", sex: "" },
      },
      { contacts: contacts({ email: "pas-une-adresse" }) },
      { reason: "rien" },
    ]) {
      const response = await edit(id, body, demo.cpip);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
    const [row] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(row!.phone).toBe("+33612000001");
    expect(await changesOf(id)).toEqual([]);
  });

  it("400 on a birth date before 1900 or in the future, under the field, nothing written", async () => {
    const id = await convokedFile("+33612000001", "a@exemple.invalid");
    for (const [birthDate, message] of [
      ["1899-12-31", "Saisissez une date de naissance à partir de 1900."],
      ["2099-01-01", "La date de naissance est dans le futur : vérifiez l'année."],
    ] as const) {
      const response = await edit(
        id,
        { identity: { firstName: "Léa", lastName: "Martin", birthDate, birthPlace: "", sex: "" } },
        demo.cpip,
      );
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().issues).toEqual([{ path: "body.identity.birthDate", message }]);
    }
    expect(await changesOf(id)).toEqual([]);
  });

  it("400 lists a bad e-mail and a bad phone together, with the new-person form's messages", async () => {
    const id = await convokedFile("+33612000001", "a@exemple.invalid");
    const response = await edit(
      id,
      { contacts: contacts({ email: "ferdinand@@x", phone: "+33 6 12", smsAtNewNumber: true }) },
      demo.counselor,
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().issues).toEqual([
      { path: "body.contacts.phone", message: phoneMessage },
      { path: "body.contacts.email", message: emailMessage },
    ]);
    expect(await changesOf(id)).toEqual([]);
  });

  it("a counselor corrects contacts, never identity nor measure (403, nothing written)", async () => {
    const id = await convokedFile("+33612000001", "a@exemple.invalid");
    const forbidden = [
      {
        identity: { firstName: "Léa", lastName: "Martin", birthDate: "1990-01-01", birthPlace: "", sex: "" },
      },
      { measure: { type: "sursis_probatoire", endDate: "2027-06-01" } },
      { measure: { type: "sursis_probatoire", endDate: "2027-01-01", offence: "Autre" } },
    ];
    for (const body of forbidden) {
      expect((await edit(id, body, demo.counselor)).statusCode, JSON.stringify(body)).toBe(403);
    }
    expect(await changesOf(id)).toEqual([]);
    const response = await edit(
      id,
      { contacts: contacts({ phone: "+33612000001", email: "a@exemple.invalid", address: "2 rue Neuve" }) },
      demo.counselor,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().changed).toEqual(["address"]);
  });

  it("the referent corrects identity and measure: history before → after, a journal row per change without values", async () => {
    const id = await convokedFile("+33612000001", "a@exemple.invalid");
    const response = await edit(
      id,
      {
        identity: {
          firstName: "Léa",
          lastName: "Martin",
          birthDate: "1990-01-01",
          birthPlace: "Melun",
          sex: "female",
        },
        measure: { type: "sursis_probatoire", endDate: "2027-03-01", offence: "Infraction corrigée" },
        reason: "Erreur de saisie",
      },
      demo.cpip,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().changed.sort()).toEqual(
      ["birthPlace", "firstName", "lastName", "measure.endDate", "measure.offence", "sex"].sort(),
    );
    const [m] = await t.handle.db.select().from(measure).where(eq(measure.personId, id));
    expect(m).toMatchObject({ endDate: "2027-03-01", offence: "Infraction corrigée" });
    const offence = (await changesOf(id)).find((c) => c.field === "measure.offence")!;
    expect(offence).toMatchObject({
      before: "Infraction de test",
      after: "Infraction corrigée",
      judicial: true,
    });
    const journal = await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, "person.updated"), eq(auditEvent.targetId, id)));
    expect(journal).toHaveLength(6);
    expect(journal.map((j) => j.reason).join(" ")).not.toContain("Infraction corrigée");

    // The history on the file: the CPIP reads the values, the counselor never the judicial ones.
    const full = await timeline(id, demo.cpip);
    expect(full.find((e) => e.title === "Modification : Infraction")?.detail).toContain(
      "Infraction corrigée",
    );
    const restricted = await timeline(id, demo.counselor);
    const masked = restricted.find((e) => e.title === "Modification : Infraction")!;
    expect(masked.detail).not.toContain("Infraction");
    expect(masked.detail).not.toContain("Erreur de saisie");
    expect(JSON.stringify(restricted)).not.toContain("Infraction de test");
    expect(restricted.find((e) => e.title === "Modification : Prénom")?.detail).toContain("Test → Léa");
  });
});

describe("two corrections from the same loaded file (two tabs, two agents)", () => {
  it("the second keeps what the first changed and it left as shown; changing the same field is a 409 naming it", async () => {
    const id = await convokedFile("+33612000001", "a@exemple.invalid");
    // Both forms were filled from this file.
    const shown = contacts({ phone: "06 12 00 00 01", email: "a@exemple.invalid", address: "" });
    const expected = { contacts: { ...shown } };
    const first = await edit(
      id,
      { contacts: { ...shown, address: "12 rue des Lilas, 77000 Melun" }, expected },
      demo.cpip,
    );
    expect(first.statusCode, first.body).toBe(200);
    // The other tab corrects the domiciliation; its address field still shows the old (empty) value.
    const second = await edit(
      id,
      { contacts: { ...shown, domiciliation: "CCAS de Melun" }, expected },
      demo.counselor,
    );
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().changed).toEqual(["domiciliation"]);
    const [row] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(row).toMatchObject({ address: "12 rue des Lilas, 77000 Melun", domiciliation: "CCAS de Melun" });
    // A third, from the same stale form, changes the address too: refused, the field named, nothing written.
    const third = await edit(
      id,
      { contacts: { ...shown, address: "3 place du Marché" }, expected },
      demo.cpip,
    );
    expect(third.statusCode).toBe(409);
    expect(third.json()).toMatchObject({
      code: "person.editedMeanwhile",
      issues: [{ path: "body.contacts.address", message: expect.stringContaining("12 rue des Lilas") }],
    });
    const [after] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(after!.address).toBe("12 rue des Lilas, 77000 Melun");
  });
});

describe("a new phone number and the pending SMS", () => {
  it("the SMS choice must be asked again: 400 without it, nothing written", async () => {
    const id = await convokedFile("+33612000011", "b@exemple.invalid");
    const response = await edit(id, { contacts: contacts({ phone: "07 00 00 00 11" }) }, demo.cpip);
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].path).toBe("body.contacts.smsAtNewNumber");
    expect(await changesOf(id)).toEqual([]);
  });

  it("accepted: pending SMS to the old number are withdrawn and queued again to the new one", async () => {
    const id = await convokedFile("+33612000012", "c@exemple.invalid");
    await bookThroughApi(t, id, 24 * 5);
    expect(await messagesOf(t, id)).toEqual([
      "reminder/email/pending/c@exemple.invalid",
      "reminder/sms/pending/+33612000012",
      "summon/email/pending/c@exemple.invalid",
      "summon/sms/pending/+33612000012",
    ]);
    const response = await edit(
      id,
      { contacts: contacts({ phone: "07 00 00 00 12", email: "c@exemple.invalid", smsAtNewNumber: true }) },
      demo.cpip,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ withdrawnMessages: 2, requeuedMessages: 2 });
    expect(await messagesOf(t, id)).toEqual([
      "reminder/email/pending/c@exemple.invalid",
      "reminder/sms/pending/+33700000012",
      "reminder/sms/skipped/+33612000012",
      "summon/email/pending/c@exemple.invalid",
      "summon/sms/pending/+33700000012",
      "summon/sms/skipped/+33612000012",
    ]);
    const events = await timeline(id, demo.cpip);
    // Numbers as the file shows them (non-breaking spaces), not as stored.
    // The message names its appointment, then whom it goes to.
    expect(
      events.some((e) =>
        /^Rendez-vous du .+ — Destinataire : 07\u00a000\u00a000\u00a000\u00a012$/.test(e.detail),
      ),
    ).toBe(true);
    expect(events.find((e) => e.title === "Modification : Téléphone")?.detail).toContain(
      "06\u00a012\u00a000\u00a000\u00a012 → 07\u00a000\u00a000\u00a000\u00a012",
    );
  });

  it("refused: pending SMS are withdrawn, none queued, the refusal recorded (later SMS are skipped)", async () => {
    const id = await convokedFile("+33612000013", "d@exemple.invalid");
    await bookThroughApi(t, id, 24 * 5, { sms: true, email: false });
    const response = await edit(
      id,
      { contacts: contacts({ phone: "07 00 00 00 13", email: "d@exemple.invalid", smsAtNewNumber: false }) },
      demo.cpip,
    );
    expect(response.json()).toMatchObject({ withdrawnMessages: 2, requeuedMessages: 0 });
    const rows = await t.handle.db.select().from(notification).where(eq(notification.personId, id));
    expect(rows.every((r) => r.status === "skipped" && r.recipient === "+33612000013")).toBe(true);
    expect(rows[0]!.lastError).toContain("Numéro de téléphone modifié");
    const [choice] = await t.handle.db.select().from(smsOptOut).where(eq(smsOptOut.personId, id));
    expect(choice!.optedOutAt).not.toBeNull();
    await bookThroughApi(t, id, 24 * 6, { sms: true, email: false });
    const later = await messagesOf(t, id);
    expect(later.filter((m) => m.includes("+33700000013"))).toEqual(["summon/sms/skipped/+33700000013"]);
  });
});

describe("a status corrected after a change of contacts", () => {
  it("brings the withdrawn reminders back to the new contacts only, never to the old number or address, and no SMS once refused", async () => {
    const id = await convokedFile("+33612000014", "old@exemple.invalid");
    const convocationId = await bookThroughApi(t, id, 24 * 5);
    const headers = await t.sessionFor(demo.cpip);
    const status = await t.app.inject({
      method: "POST",
      url: `/api/convocations/${convocationId}/status`,
      headers,
      payload: { status: "excused" },
    });
    expect(status.statusCode, status.body).toBe(200);
    const changed = await edit(
      id,
      {
        contacts: contacts({ phone: "07 00 00 00 14", email: "new@exemple.invalid", smsAtNewNumber: false }),
      },
      demo.cpip,
    );
    expect(changed.statusCode, changed.body).toBe(200);
    const corrected = await t.app.inject({
      method: "POST",
      url: `/api/convocations/${convocationId}/status-correction`,
      headers,
      payload: { status: "planned", reason: "Excusée par erreur" },
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const pending = (await messagesOf(t, id)).filter((m) => m.includes("/pending/"));
    expect(pending.filter((m) => m.startsWith("reminder/"))).toEqual([
      "reminder/email/pending/new@exemple.invalid",
    ]);
    expect(pending.some((m) => m.includes("old@exemple.invalid") || m.includes("+33612000014"))).toBe(false);
    expect(pending.some((m) => m.includes("/sms/"))).toBe(false);
  });
});

describe("who corrects which part of a file (property)", () => {
  const sections = {
    identity: { firstName: "Léa", lastName: "Martin", birthDate: "1990-01-01", birthPlace: "", sex: "" },
    contacts: contacts({ phone: "+33612000301", email: "p@exemple.invalid", address: "3 rue Haute" }),
    measure: { type: "sursis_probatoire", endDate: "2027-02-01" },
  } as const;
  it("a counselor's correction passes only when it holds contacts alone; the referent's always; a refusal writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(["identity", "contacts", "measure"] as const, { minLength: 1 }),
        fc.constantFrom(demo.cpip, demo.counselor),
        async (parts, email) => {
          const id = await convokedFile("+33612000301", "p@exemple.invalid");
          const body = Object.fromEntries(parts.map((part) => [part, sections[part]]));
          const response = await edit(id, body, email);
          const allowed = email === demo.cpip || (parts.length === 1 && parts[0] === "contacts");
          expect(response.statusCode, `${email} ${parts.join("+")}`).toBe(allowed ? 200 : 403);
          if (!allowed) expect(await changesOf(id)).toEqual([]);
        },
      ),
      { numRuns: 12, seed: 11 },
    );
  });
});
