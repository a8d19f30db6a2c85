import { randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEvent,
  consent,
  counselorAbsence,
  demarche,
  demarcheType,
  documentShare,
  note,
  openingRule,
  orientation,
  person,
  personChange,
  referent,
  site,
  siteClosure,
  visit,
} from "../db/schema";
import { aConvocation, aStructure } from "../testing/builders";
import { aPdf, documentForm } from "../testing/documentFiles";
import { atEveryStatement } from "../testing/interleavings";
import { aContactablePerson } from "../testing/personFiles";
import { convokedOnce, demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The same write sent twice at the same moment (a double click, a client retrying over a second
 * connection): one is applied, the other answers as a retry sent afterwards would, or a clean 409 —
 * never a 500 or a 503, never applied twice. On PostgreSQL the two requests run on two connections
 * and overlap; PGlite (one connection) runs them in turn, where the same answers hold. Each race runs
 * a few rounds on fresh records, so that the two transactions do overlap on PostgreSQL.
 */
let t: TestApp;
let meauxId: string;
let typeId: string;
beforeAll(async () => {
  t = await startTestApp();
  const [meaux] = await t.handle.db.select().from(site).where(eq(site.name, "Meaux"));
  meauxId = meaux!.id;
  const [type] = await t.handle.db.select().from(demarcheType).where(eq(demarcheType.code, "caf-apl"));
  typeId = type!.id;
});
afterAll(() => t.close());

const ROUNDS = 4;
let phoneNumber = 0;
/** A file of the demo structure, its referent the demo CPIP, convoked once (the counselors see it). */
async function aFile(): Promise<string> {
  phoneNumber += 1;
  const id = await aContactablePerson(
    t,
    `+336130${String(phoneNumber).padStart(5, "0")}`,
    `race${phoneNumber}@exemple.invalid`,
  );
  await convokedOnce(t, id);
  return id;
}

const post = async (url: string, email: string, payload: object = {}) =>
  t.app.inject({ method: "POST", url, headers: await t.sessionFor(email), payload });
/** The same request twice at once, each with its own session (as two tabs or two connections). */
const twice = async (url: string, email: string, payload: object = {}) => {
  const [a, b] = await Promise.all([t.sessionFor(email), t.sessionFor(email)]);
  return Promise.all([
    t.app.inject({ method: "POST", url, headers: a, payload }),
    t.app.inject({ method: "POST", url, headers: b, payload }),
  ]);
};
const statuses = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode).sort();
const journalRows = async (action: string, targetId: string) =>
  (
    await t.handle.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, action), eq(auditEvent.targetId, targetId)))
  ).length;

describe("a creation under the id its form chose, sent twice at once (ADR 0036)", () => {
  it("POST /api/people/:personId/demarches: both 200 with the same démarche, one row, one journal row", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const id = randomUUID();
      const body = { id, demarcheTypeId: typeId, helpLevel: "information", status: "todo" };
      const answers = await twice(`/api/people/${personId}/demarches`, demo.counselor, body);
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 200]);
      expect(answers[1]!.json()).toEqual(answers[0]!.json());
      expect(await t.handle.db.select().from(demarche).where(eq(demarche.personId, personId))).toHaveLength(
        1,
      );
      expect(await journalRows("demarche.created", id)).toBe(1);
    }
  });

  it("POST /api/people/:personId/orientations: both 200 with the same orientation, one row, one journal row", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const id = randomUUID();
      const body = { id, target: "mediation", reason: "Dettes à regrouper", send: false };
      const answers = await twice(`/api/people/${personId}/orientations`, demo.counselor, body);
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 200]);
      expect(answers[1]!.json()).toEqual(answers[0]!.json());
      expect(
        await t.handle.db.select().from(orientation).where(eq(orientation.personId, personId)),
      ).toHaveLength(1);
      expect(await journalRows("orientation.created", id)).toBe(1);
    }
  });
});

describe("a creation under the id its form chose, the second committing between any two statements of the first (ADR 0036)", () => {
  type Answer = Awaited<ReturnType<typeof post>>;
  /** Both 200 with the same answer, one row of `table` under the id and one journal row. */
  const bothTheSame = async (
    answers: Answer[],
    rows: () => Promise<unknown[]>,
    journal: () => Promise<number>,
  ) => {
    expect(
      answers.map((a) => a.statusCode),
      answers.map((a) => a.body).join("\n"),
    ).toEqual([200, 200]);
    expect(answers[1]!.json()).toEqual(answers[0]!.json());
    expect(await rows()).toHaveLength(1);
    expect(await journal()).toBe(1);
  };
  /** The same request on two sessions of the agent (two tabs, two connections). */
  const onTwoSessions = async (url: string, email: string, one: object, other: object = one) => {
    const [a, b] = await Promise.all([t.sessionFor(email), t.sessionFor(email)]);
    return {
      first: () => t.app.inject({ method: "POST", url, headers: a, payload: one }),
      second: () => t.app.inject({ method: "POST", url, headers: b, payload: other }),
    };
  };

  it("POST /api/people/:personId/demarches", async () => {
    const personId = await aFile();
    await atEveryStatement(t, async () => {
      const id = randomUUID();
      const body = { id, demarcheTypeId: typeId, helpLevel: "information", status: "todo" };
      return {
        ...(await onTwoSessions(`/api/people/${personId}/demarches`, demo.counselor, body)),
        check: (answers) =>
          bothTheSame(
            answers,
            () => t.handle.db.select().from(demarche).where(eq(demarche.id, id)),
            () => journalRows("demarche.created", id),
          ),
      };
    });
  });

  it("POST /api/people/:personId/orientations, handing a démarche over: the second finds it reoriented by the first's orientation", async () => {
    const personId = await aFile();
    await atEveryStatement(t, async () => {
      const started = await post(`/api/people/${personId}/demarches`, demo.counselor, {
        demarcheTypeId: typeId,
        helpLevel: "guided",
        status: "in_progress",
      });
      expect(started.statusCode, started.body).toBe(200);
      const id = randomUUID();
      const body = {
        id,
        target: "mediation",
        demarcheId: started.json().id,
        reason: "Dettes à regrouper",
        send: false,
      };
      return {
        ...(await onTwoSessions(`/api/people/${personId}/orientations`, demo.counselor, body)),
        check: async (answers) => {
          await bothTheSame(
            answers,
            () => t.handle.db.select().from(orientation).where(eq(orientation.id, id)),
            () => journalRows("orientation.created", id),
          );
          const [handed] = await t.handle.db
            .select()
            .from(demarche)
            .where(eq(demarche.id, started.json().id));
          expect(handed!.status).toBe("reoriented");
        },
      };
    });
  });

  it("POST /api/people/:personId/notes", async () => {
    const personId = await aFile();
    await atEveryStatement(t, async () => {
      const id = randomUUID();
      const body = { id, visibility: "service", body: `Note ${id}` };
      return {
        ...(await onTwoSessions(`/api/people/${personId}/notes`, demo.cpip, body)),
        check: (answers) =>
          bothTheSame(
            answers,
            () => t.handle.db.select().from(note).where(eq(note.id, id)),
            // A note's journal row names the person: as many as the person's notes, one a round.
            async () =>
              (await journalRows("note.created", personId)) -
              (await t.handle.db.select().from(note).where(eq(note.personId, personId))).length +
              1,
          ),
      };
    });
  });

  it("POST /api/people with its measure and consent; other values at once: one file, the other 409", async () => {
    let round = 0;
    const newPerson = (id: string) => {
      round += 1;
      return {
        id,
        structureId: t.demoStructureId,
        firstName: "Inès",
        lastName: `Entrelacée-${"abcdefghijklmnopqrstuvwxyz"[round % 26]}${"abcdefghijklmnopqrstuvwxyz"[Math.floor(round / 26)]}`,
        birthDate: "1991-04-05",
        phone: "",
        status: "sortant_detention",
        measure: {
          type: "liberation_conditionnelle",
          startDate: "2026-05-01",
          endDate: "2027-05-01",
          offence: "Vol",
        },
        consent: {
          shareNotes: true,
          shareDemarcheDetails: false,
          recipients: ["association"],
          purpose: "Accompagnement vers l'emploi",
        },
      };
    };
    const files = (id: string) => t.handle.db.select().from(person).where(eq(person.id, id));
    await atEveryStatement(t, async () => {
      const id = randomUUID();
      return {
        ...(await onTwoSessions("/api/people", demo.cpip, newPerson(id))),
        check: (answers) =>
          bothTheSame(
            answers,
            () => files(id),
            () => journalRows("person.created", id),
          ),
      };
    });
    await atEveryStatement(t, async () => {
      const id = randomUUID();
      const body = newPerson(id);
      const other = { ...body, lastName: `${body.lastName}-bis`, address: "1 rue du Port, 77100 Meaux" };
      return {
        ...(await onTwoSessions("/api/people", demo.cpip, body, other)),
        check: async (answers) => {
          expect(answers.map((a) => (a.statusCode === 409 ? a.json().code : a.statusCode)).sort()).toEqual(
            [200, "person.retriedWithOtherValues"].sort(),
          );
          expect(await files(id)).toHaveLength(1);
          expect(await journalRows("person.created", id)).toBe(1);
        },
      };
    });
  });
});

describe("the same document share sent twice at once (ADR 0036)", () => {
  it("POST /api/documents/:documentId/shares to a structure: one live share, both 200 with it, one journal row per side", async () => {
    const receiving = await aStructure(t.handle.db);
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const form = documentForm(
        { kind: "proof", title: "Justificatif" },
        { name: "piece.pdf", bytes: aPdf() },
      );
      const uploaded = await t.app.inject({
        method: "POST",
        url: `/api/people/${personId}/documents`,
        payload: form.payload,
        headers: { ...form.headers, ...(await t.sessionFor(demo.cpip)) },
      });
      expect(uploaded.statusCode, uploaded.body).toBe(200);
      const documentId = uploaded.json().id as string;
      const body = {
        to: "structure",
        recipientStructureId: receiving.structure.id,
        legalBasis: "Transfert du suivi (art. D. 574 CPP)",
        reason: "Changement de résidence",
        until: "2027-01-15",
      };
      const answers = await twice(`/api/documents/${documentId}/shares`, demo.cpip, body);
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 200]);
      expect(answers[1]!.json().shares).toEqual(answers[0]!.json().shares);
      expect(answers[0]!.json().shares).toHaveLength(1);
      const shares = await t.handle.db
        .select()
        .from(documentShare)
        .where(eq(documentShare.documentId, documentId));
      expect(shares).toHaveLength(1);
      // Sent again later: the same answer, still one share.
      const again = await post(`/api/documents/${documentId}/shares`, demo.cpip, body);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().shares.map((s: { id: string }) => s.id)).toEqual([shares[0]!.id]);
      // One row in the sharing structure's journal, one in the receiving one's.
      expect(await journalRows("document.shared", personId)).toBe(2);
    }
  });
});

describe("a write a unique index allows once, sent twice at once", () => {
  it("POST /api/people/:personId/consents: one consent in force; the other answer is 200 (it replaced it) or 409 in French", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const answers = await twice(`/api/people/${personId}/consents`, demo.cpip, {
        shareNotes: false,
        shareDemarcheDetails: false,
        recipients: ["association"],
        domains: ["budget"],
        purpose: "Accompagnement budgétaire",
      });
      const [first, second] = statuses(answers);
      expect(first, answers.map((a) => a.body).join("\n")).toBe(200);
      expect([200, 409]).toContain(second);
      const refused = answers.find((a) => a.statusCode === 409);
      if (refused) {
        expect(refused.json().code).toBe("consent.changedMeanwhile");
        expect(refused.json().message).toMatch(/consentement/);
      }
      const active = await t.handle.db
        .select()
        .from(consent)
        .where(and(eq(consent.personId, personId), isNull(consent.revokedAt)));
      expect(active).toHaveLength(1);
    }
  });

  it("POST /api/convocations/:convocationId/visit: one visit, both 200 with it, one journal row", async () => {
    const personId = await aFile();
    for (let round = 0; round < ROUNDS; round += 1) {
      const startsAt = new Date(Date.UTC(2026, 4, 4 + round, 8));
      const honoured = await aConvocation(t.handle.db, {
        structureId: t.demoStructureId,
        siteId: meauxId,
        personId,
        startsAt,
        status: "honoured",
        bookedBy: await t.userId(demo.cpip),
      });
      const answers = await twice(`/api/convocations/${honoured.id}/visit`, demo.counselor, {
        durationMinutes: 30,
        autonomy: "guided",
      });
      // The second answers as a retry sent afterwards (ADR 0036): the same counselor's visit.
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 200]);
      expect(answers[0]!.json()).toEqual(answers[1]!.json());
      expect(await t.handle.db.select().from(visit).where(eq(visit.convocationId, honoured.id))).toHaveLength(
        1,
      );
      expect(await journalRows("visit.recorded", honoured.id)).toBe(1);
    }
  });

  it("POST /api/people/:personId/referent: one referent in force, one change in the history", async () => {
    const cpip2Id = await t.userId(demo.cpip2);
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const answers = await twice(`/api/people/${personId}/referent`, demo.cpip, { userId: cpip2Id });
      const [first, second] = statuses(answers);
      expect(first, answers.map((a) => a.body).join("\n")).toBe(200);
      // As when sent afterwards: the new referent is already the current one.
      expect(second, answers.map((a) => a.body).join("\n")).toBe(400);
      expect(answers.find((a) => a.statusCode === 400)!.json().code).toBe("person.unknownReferent");
      const active = await t.handle.db
        .select()
        .from(referent)
        .where(and(eq(referent.personId, personId), isNull(referent.endedAt)));
      expect(active.map((r) => r.userId)).toEqual([cpip2Id]);
      const changes = await t.handle.db
        .select()
        .from(personChange)
        .where(eq(personChange.personId, personId));
      expect(changes.filter((c) => c.field === "referent")).toHaveLength(1);
    }
  });
});

describe("a state change sent twice (or two opposite ones) at once: applied once, the other 409", () => {
  it("POST /api/orientations/:orientationId/answer: accept and refuse at once, one wins, one journal row", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      // The person agreed to share with the association (its mediation may take the file on).
      const agreed = await post(`/api/people/${personId}/consents`, demo.cpip, {
        shareNotes: false,
        shareDemarcheDetails: false,
        recipients: ["association"],
        purpose: "Dossier de surendettement avec la médiation",
      });
      expect(agreed.statusCode, agreed.body).toBe(200);
      const [sent] = await t.handle.db
        .insert(orientation)
        .values({
          structureId: t.demoStructureId,
          personId,
          target: "mediation",
          reason: "Dettes à regrouper",
          status: "sent",
          sentAt: t.clock.now(),
          expiresAt: new Date(t.clock.now().getTime() + 30 * 86_400_000),
          createdBy: await t.userId(demo.counselor),
        })
        .returning();
      const url = `/api/orientations/${sent!.id}/answer`;
      const [sessionA, sessionB] = [await t.sessionFor(demo.mediator), await t.sessionFor(demo.mediator)];
      const answers = await Promise.all([
        t.app.inject({ method: "POST", url, headers: sessionA, payload: { decision: "accept" } }),
        t.app.inject({
          method: "POST",
          url,
          headers: sessionB,
          payload: { decision: "refuse", reason: "Hors de notre champ d'action" },
        }),
      ]);
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe("orientation.invalidTransition");
      const winner = answers.findIndex((a) => a.statusCode === 200) === 0 ? "accepted" : "refused";
      const [row] = await t.handle.db.select().from(orientation).where(eq(orientation.id, sent!.id));
      expect(row!.status).toBe(winner);
      expect(
        (await journalRows("orientation.accepted", sent!.id)) +
          (await journalRows("orientation.refused", sent!.id)),
      ).toBe(1);
    }
  });

  it("POST /api/demarches/:demarcheId to a final status: applied once (one history row), the other 409", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const started = await post(`/api/people/${personId}/demarches`, demo.counselor, {
        demarcheTypeId: typeId,
        helpLevel: "guided",
        status: "in_progress",
      });
      expect(started.statusCode, started.body).toBe(200);
      const id = started.json().id;
      const answers = await twice(`/api/demarches/${id}`, demo.counselor, {
        status: "granted",
        outcome: "Droits ouverts",
        timeSpentMinutes: 15,
      });
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe("accompaniment.invalidTransition");
      const [row] = await t.handle.db.select().from(demarche).where(eq(demarche.id, id));
      expect(row!.timeSpentMinutes).toBe(15);
      expect(await journalRows("demarche.updated", id)).toBe(1);
    }
  });

  it("POST /api/orientations/:orientationId/send: sent once (one journal row), the other 409", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const draft = await post(`/api/people/${personId}/orientations`, demo.counselor, {
        target: "mediation",
        reason: "Dettes à regrouper",
        send: false,
      });
      expect(draft.statusCode, draft.body).toBe(200);
      const id = draft.json().id;
      const answers = await twice(`/api/orientations/${id}/send`, demo.counselor);
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe("orientation.invalidTransition");
      expect(await journalRows("orientation.sent", id)).toBe(1);
    }
  });

  it("POST /api/people/:personId/reopen: reopened once (one history row), the other 409 person.notClosed", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const closed = await post(`/api/people/${personId}/close`, demo.cpip, {
        reason: "end_of_measure",
        closedOn: "2026-06-01",
      });
      expect(closed.statusCode, closed.body).toBe(200);
      const answers = await twice(`/api/people/${personId}/reopen`, demo.cpip, {
        reason: "Erreur de dossier",
      });
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe("person.notClosed");
      const changes = await t.handle.db
        .select()
        .from(personChange)
        .where(eq(personChange.personId, personId));
      expect(changes.filter((c) => c.field === "reopened")).toHaveLength(1);
    }
  });

  it("POST /api/consents/:consentId/revoke: revoked once (one journal row), the other 409 consent.alreadyRevoked", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const recorded = await post(`/api/people/${personId}/consents`, demo.cpip, {
        shareNotes: false,
        shareDemarcheDetails: false,
        recipients: ["association"],
        purpose: "Accompagnement budgétaire",
      });
      expect(recorded.statusCode, recorded.body).toBe(200);
      const consentId = recorded.json().active.id;
      const answers = await twice(`/api/consents/${consentId}/revoke`, demo.cpip);
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe("consent.alreadyRevoked");
      expect(await journalRows("consent.revoked", personId)).toBe(1);
    }
  });

  it("POST /api/people/:personId/close: closed once (one history row), the other 409 person.closed", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const answers = await twice(`/api/people/${personId}/close`, demo.cpip, {
        reason: "end_of_measure",
        closedOn: "2026-06-01",
      });
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe("person.closed");
      const changes = await t.handle.db
        .select()
        .from(personChange)
        .where(eq(personChange.personId, personId));
      expect(changes.filter((c) => c.field === "closed")).toHaveLength(1);
    }
  });

  it("POST /api/people/:personId/merge: A into B and B into A at once, one merge, the other 409", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const a = await aFile();
      const b = await aFile();
      const [sessionA, sessionB] = [await t.sessionFor(demo.manager), await t.sessionFor(demo.manager)];
      const answers = await Promise.all([
        t.app.inject({
          method: "POST",
          url: `/api/people/${b}/merge`,
          headers: sessionA,
          payload: { duplicateId: a },
        }),
        t.app.inject({
          method: "POST",
          url: `/api/people/${a}/merge`,
          headers: sessionB,
          payload: { duplicateId: b },
        }),
      ]);
      expect(statuses(answers), answers.map((r) => r.body).join("\n")).toEqual([200, 409]);
      expect(answers.find((r) => r.statusCode === 409)!.json().code).toBe("person.merged");
      const rows = await t.handle.db.select().from(person).where(isNull(person.mergedIntoId));
      expect(rows.filter((p) => p.id === a || p.id === b)).toHaveLength(1);
    }
  });
});

describe("PUT /api/people/:personId twice at once (the same correction)", () => {
  it("applied once: both 200 (the second finds nothing left to change), one history row, no deadlock", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const personId = await aFile();
      const [row] = await t.handle.db.select().from(person).where(eq(person.id, personId));
      const url = `/api/people/${personId}`;
      const body = {
        contacts: {
          phone: row!.phone,
          email: row!.email,
          address: `${round + 1} rue Neuve`,
          domiciliation: "",
          preferredLanguage: "français",
          readsFrench: "",
        },
      };
      const [a, b] = [await t.sessionFor(demo.cpip), await t.sessionFor(demo.cpip)];
      const answers = await Promise.all([
        t.app.inject({ method: "PUT", url, headers: a, payload: body }),
        t.app.inject({ method: "PUT", url, headers: b, payload: body }),
      ]);
      expect(statuses(answers), answers.map((r) => r.body).join("\n")).toEqual([200, 200]);
      const changes = await t.handle.db
        .select()
        .from(personChange)
        .where(eq(personChange.personId, personId));
      expect(changes.filter((c) => c.field === "address")).toHaveLength(1);
    }
  });
});

describe("POST /api/people twice at once with the same identity, no duplicate confirmed", () => {
  it("one file is created, the other answers 409 person.possibleDuplicate", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const lastName = `Doublon-${"abcdefgh"[round]}`;
      const answers = await twice("/api/people", demo.cpip, {
        structureId: t.demoStructureId,
        firstName: "Sami",
        lastName,
        birthDate: "1994-02-03",
        phone: `07 12 34 56 ${String(10 + round)}`,
        status: "sortant_detention",
        measure: {
          type: "liberation_conditionnelle",
          startDate: "2026-05-01",
          endDate: "2027-05-01",
          offence: "Vol",
        },
      });
      expect(statuses(answers), answers.map((r) => r.body).join("\n")).toEqual([200, 409]);
      expect(answers.find((r) => r.statusCode === 409)!.json().code).toBe("person.possibleDuplicate");
      expect(await t.handle.db.select().from(person).where(eq(person.lastName, lastName))).toHaveLength(1);
    }
  });
});

describe("a permanence added twice at once", () => {
  it("POST /api/structures/:structureId/opening-rules: one rule (a slot counts its counselor once), the other 409", async () => {
    const ines = await t.userId(demo.counselor);
    for (let round = 0; round < ROUNDS; round += 1) {
      const onDate = `2026-07-${String(6 + round).padStart(2, "0")}`;
      const answers = await twice(`/api/structures/${t.demoStructureId}/opening-rules`, demo.manager, {
        siteId: meauxId,
        weekday: null,
        onDate,
        startTime: "18:00",
        endTime: "19:00",
        slotMinutes: 30,
        bufferMinutes: 0,
        validFrom: onDate,
        validTo: null,
        counselorIds: [ines],
      });
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().code).toBe("convocation.ruleOverlaps");
      expect(
        await t.handle.db
          .select()
          .from(openingRule)
          .where(and(eq(openingRule.siteId, meauxId), eq(openingRule.onDate, onDate))),
      ).toHaveLength(1);
    }
  });
});

describe("a permanence changed twice at once from the same day (a retry over a second connection)", () => {
  it("POST …/opening-rules/:ruleId/change: changed once (one new rule, one journal row), both 200", async () => {
    const ines = await t.userId(demo.counselor);
    const rules = () => `/api/structures/${t.demoStructureId}/opening-rules`;
    for (let round = 0; round < ROUNDS; round += 1) {
      const hours = { startTime: `1${round}:00`, endTime: `1${round}:30` };
      const weekly = {
        siteId: meauxId,
        weekday: 6,
        onDate: null,
        ...hours,
        slotMinutes: 30,
        bufferMinutes: 0,
      };
      const added = await post(rules(), demo.manager, {
        ...weekly,
        validFrom: "2026-06-01",
        validTo: null,
        counselorIds: [ines],
      });
      expect(added.statusCode, added.body).toBe(200);
      /** This round's Saturday rules at Meaux: the one added, then it and its replacement. */
      const saturdayRules = () =>
        t.handle.db
          .select()
          .from(openingRule)
          .where(
            and(
              eq(openingRule.siteId, meauxId),
              eq(openingRule.weekday, 6),
              eq(openingRule.startTime, hours.startTime),
            ),
          );
      const [rule] = await saturdayRules();
      const { siteId: _, onDate: __, ...change } = weekly;
      const answers = await twice(`${rules()}/${rule!.id}/change`, demo.manager, {
        ...change,
        endTime: `1${round}:45`,
        slotMinutes: 45,
        effectiveFrom: "2026-07-04",
        validTo: null,
        counselorIds: [ines],
      });
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 200]);
      const after = await saturdayRules();
      expect(after.map((r) => [r.validFrom, r.validTo, r.endTime]).sort()).toEqual([
        ["2026-06-01", "2026-07-03", hours.endTime],
        ["2026-07-04", null, `1${round}:45`],
      ]);
      expect(await journalRows("opening_rule.changed", rule!.id)).toBe(1);
    }
  });
});

describe("a closure or an absence lifted twice at once (ADR 0016, last addendum)", () => {
  const liftTwice = async (path: string) => {
    const [a, b] = await Promise.all([t.sessionFor(demo.manager), t.sessionFor(demo.manager)]);
    const url = `/api/structures/${t.demoStructureId}${path}`;
    return Promise.all([
      t.app.inject({ method: "DELETE", url, headers: a }),
      t.app.inject({ method: "DELETE", url, headers: b }),
    ]);
  };
  const closureOf = async (siteId: string, startsAt: string) =>
    (
      await t.handle.db
        .select()
        .from(siteClosure)
        .where(and(eq(siteClosure.siteId, siteId), eq(siteClosure.startsAt, new Date(startsAt))))
    )[0];
  const closures = () => `/api/structures/${t.demoStructureId}/closures`;

  it("one to come: removed once, one journal row; the other answers 404 as a lift sent afterwards", async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const startsAt = `2027-01-1${round}T07:00:00.000Z`;
      const body = { siteId: meauxId, startsAt, endsAt: `2027-01-1${round}T17:00:00.000Z`, reason: "Grève" };
      const added = await post(closures(), demo.manager, body);
      expect(added.statusCode, added.body).toBe(200);
      const { id } = (await closureOf(meauxId, startsAt))!;
      const answers = await liftTwice(`/closures/${id}`);
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 404]);
      expect(answers.find((a) => a.statusCode === 404)!.json().code).toBe("convocation.periodNotFound");
      expect(await closureOf(meauxId, startsAt)).toBeUndefined();
      expect(await journalRows("site.closure_lifted", id)).toBe(1);
    }
  });

  it("one started, closure or absence: ended at today's midnight once, both 200, one journal row", async () => {
    const sites = await t.handle.db.select().from(site).where(eq(site.structureId, t.demoStructureId));
    for (const { id: siteId } of sites.filter((s) => s.archivedAt === null).slice(0, ROUNDS)) {
      const startsAt = "2026-05-20T06:00:00.000Z";
      const body = { siteId, startsAt, endsAt: "2026-06-01T09:30:00.000Z", reason: "Travaux" };
      const added = await post(closures(), demo.manager, body);
      expect(added.statusCode, added.body).toBe(200);
      const { id } = (await closureOf(siteId, startsAt))!;
      const answers = await liftTwice(`/closures/${id}`);
      expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 200]);
      expect((await closureOf(siteId, startsAt))!.endsAt.toISOString()).toBe("2026-05-31T22:00:00.000Z");
      expect(await journalRows("site.closure_lifted", id)).toBe(1);
    }
    const userId = await t.userId(demo.counselor);
    const body = {
      userId,
      startsAt: "2026-05-20T06:00:00.000Z",
      endsAt: "2026-06-01T09:30:00.000Z",
      reason: "",
    };
    const added = await post(`/api/structures/${t.demoStructureId}/absences`, demo.manager, body);
    expect(added.statusCode, added.body).toBe(200);
    const [absence] = await t.handle.db
      .select()
      .from(counselorAbsence)
      .where(
        and(eq(counselorAbsence.userId, userId), eq(counselorAbsence.startsAt, new Date(body.startsAt))),
      );
    const answers = await liftTwice(`/absences/${absence!.id}`);
    expect(statuses(answers), answers.map((a) => a.body).join("\n")).toEqual([200, 200]);
    expect(await journalRows("counselor.absence_lifted", absence!.id)).toBe(1);
  });
});
