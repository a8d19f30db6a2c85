import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  consent,
  convocation,
  document,
  note,
  orientation,
  person,
  referent,
  service,
  site,
} from "../db/schema";
import { aConvocation, aPerson } from "../testing/builders";
import { aPdf, documentForm } from "../testing/documentFiles";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Outside review (2026-12-06): writes on a person's file follow the role that gives sight of it.
 * Nicolas (cpip2) is a CPIP and a counselor at Meaux: he reads a colleague's person as a CPIP of the
 * service, and writes on it only if it is in his counselor scope (convoked in the structure); a CPIP
 * who only reads a file adds no document; a counselor changes the status of the permanence
 * convocations of the sites where she holds a permanence that day, not of every site.
 */
let t: TestApp;
let spipServiceId: string;
let sites: Record<string, string>;
beforeAll(async () => {
  t = await startTestApp();
  const [spip] = await t.handle.db.select().from(service).where(eq(service.kind, "spip"));
  spipServiceId = spip!.id;
  const rows = await t.handle.db.select().from(site).where(eq(site.structureId, t.demoStructureId));
  sites = Object.fromEntries(rows.map((s) => [s.name, s.id]));
});
afterAll(() => t.close());

const call = async (
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  email: string,
  payload?: object,
) => t.app.inject({ method, url, headers: await t.sessionFor(email), ...(payload ? { payload } : {}) });

/** A person referred by `referentEmail` (a CPIP of the SPIP service), never convoked. */
const aFileOf = async (referentEmail: string) =>
  (
    await aPerson(t.handle.db, {
      structureId: t.demoStructureId,
      referentUserId: await t.userId(referentEmail),
      referentServiceId: spipServiceId,
    })
  ).id;

const consentBody = {
  shareNotes: true,
  shareDemarcheDetails: true,
  recipients: ["spip", "association"],
  purpose: "Accompagnement aux démarches",
};
const narrowConsent = {
  shareNotes: false,
  shareDemarcheDetails: false,
  recipients: ["spip"],
  purpose: "Suivi",
};
const contactsBody = (phone: string) => ({
  contacts: {
    phone,
    email: "personne@exemple.invalid",
    address: "",
    domiciliation: "",
    preferredLanguage: "français",
    readsFrench: "",
    smsAtNewNumber: false,
  },
});
const mediation = { target: "mediation", reason: "Situation complexe, dettes de loyer", send: false };

async function upload(email: string, personId: string, kind: string) {
  const form = documentForm({ kind, title: "Pièce" }, { name: "piece.pdf", bytes: aPdf() });
  return t.app.inject({
    method: "POST",
    url: `/api/people/${personId}/documents`,
    payload: form.payload,
    headers: { ...form.headers, ...(await t.sessionFor(email)) },
  });
}
const documentsOf = (personId: string) =>
  t.handle.db.select().from(document).where(eq(document.personId, personId));

describe("a CPIP who is also a counselor writes as a counselor only on the people of their counselor scope", () => {
  it("on a colleague's person never convoked: the file says read-only, and every write it hides is refused", async () => {
    const id = await aFileOf(demo.cpip);
    // The referent records a narrow consent; Nicolas must not replace it with a wider one.
    expect((await call("POST", `/api/people/${id}/consents`, demo.cpip, narrowConsent)).statusCode).toBe(200);

    const file = await call("GET", `/api/people/${id}`, demo.cpip2);
    expect(file.statusCode, file.body).toBe(200);
    expect(file.json().permissions).toMatchObject({ edit: false, editContacts: false });
    expect((await call("GET", `/api/people/${id}/consents`, demo.cpip2)).json().permissions).toEqual({
      record: false,
    });
    expect((await call("GET", `/api/people/${id}/orientations`, demo.cpip2)).json().permissions).toEqual({
      create: false,
    });
    expect((await call("GET", `/api/people/${id}/notes`, demo.cpip2)).json().permissions).toEqual({
      write: false,
    });
    expect((await call("GET", `/api/people/${id}/documents`, demo.cpip2)).json().permissions).toEqual({
      upload: false,
      uploadJudicial: false,
    });

    expect((await call("POST", `/api/people/${id}/consents`, demo.cpip2, consentBody)).statusCode).toBe(403);
    expect((await call("POST", `/api/people/${id}/orientations`, demo.cpip2, mediation)).statusCode).toBe(
      403,
    );
    expect(
      (await call("PUT", `/api/people/${id}`, demo.cpip2, contactsBody("06 12 00 00 77"))).statusCode,
    ).toBe(403);
    const noteBody = { visibility: "service", body: "Vu au service" };
    expect((await call("POST", `/api/people/${id}/notes`, demo.cpip2, noteBody)).statusCode).toBe(403);

    // Nothing written: the referent's consent stands as recorded, no orientation, no note, same phone.
    const consents = await t.handle.db
      .select()
      .from(consent)
      .where(and(eq(consent.personId, id), isNull(consent.revokedAt)));
    expect(consents.map((c) => [c.recipients, c.shareNotes])).toEqual([[["spip"], false]]);
    expect(await t.handle.db.select().from(orientation).where(eq(orientation.personId, id))).toEqual([]);
    expect(await t.handle.db.select().from(note).where(eq(note.personId, id))).toEqual([]);
    const [after] = await t.handle.db.select().from(person).where(eq(person.id, id));
    expect(after!.phone).not.toBe("+33612000077");
  });

  it("once the person is convoked in the structure, Nicolas writes as any counselor; the referent and the direction always", async () => {
    const id = await aFileOf(demo.cpip);
    await aConvocation(t.handle.db, {
      personId: id,
      structureId: t.demoStructureId,
      bookedBy: await t.userId(demo.cpip),
    });
    const file = (await call("GET", `/api/people/${id}`, demo.cpip2)).json();
    expect(file.permissions).toMatchObject({ edit: false, editContacts: true });
    for (const email of [demo.cpip2, demo.counselor, demo.cpip, demo.manager]) {
      const recorded = await call("POST", `/api/people/${id}/consents`, email, consentBody);
      expect(recorded.statusCode, `${email} ${recorded.body}`).toBe(200);
      const oriented = await call("POST", `/api/people/${id}/orientations`, email, mediation);
      expect(oriented.statusCode, `${email} ${oriented.body}`).toBe(200);
      const noted = await call("POST", `/api/people/${id}/notes`, email, {
        visibility: "service",
        body: "Vu",
      });
      expect(noted.statusCode, `${email} ${noted.body}`).toBe(200);
    }
    const corrected = await call("PUT", `/api/people/${id}`, demo.cpip2, contactsBody("06 12 00 00 78"));
    expect(corrected.statusCode, corrected.body).toBe(200);
    // The direction and the referent, on a file never convoked.
    const notConvoked = await aFileOf(demo.cpip2);
    for (const email of [demo.cpip2, demo.manager]) {
      expect((await call("POST", `/api/people/${notConvoked}/consents`, email, consentBody)).statusCode).toBe(
        200,
      );
    }
  });
});

describe("documents follow the same rule", () => {
  it("a CPIP who only reads a colleague's person adds no document, judicial or not; nothing is stored", async () => {
    const id = await aFileOf(demo.cpip2);
    for (const kind of ["judgment_extract", "proof"]) {
      const refused = await upload(demo.cpip, id, kind);
      expect(refused.statusCode, `${kind} ${refused.body}`).toBe(403);
    }
    expect(await documentsOf(id)).toEqual([]);
    // The referent does, judicial kinds included; the read-only colleague does not remove them.
    const extract = await upload(demo.cpip2, id, "judgment_extract");
    expect(extract.statusCode, extract.body).toBe(200);
    expect((await call("DELETE", `/api/documents/${extract.json().id}`, demo.cpip)).statusCode).toBe(403);
    expect((await documentsOf(id)).map((d) => d.deletedAt)).toEqual([null]);
  });

  it("an uploader who no longer works on the file no longer removes what they added", async () => {
    const id = await aFileOf(demo.cpip);
    const proof = await upload(demo.cpip, id, "proof");
    expect(proof.statusCode, proof.body).toBe(200);
    // The file goes to Nicolas: Camille now only reads it.
    await t.handle.db
      .update(referent)
      .set({ userId: await t.userId(demo.cpip2) })
      .where(eq(referent.personId, id));
    const list = (await call("GET", `/api/people/${id}/documents`, demo.cpip)).json();
    expect(list.documents[0].permissions.delete).toBe(false);
    expect((await call("DELETE", `/api/documents/${proof.json().id}`, demo.cpip)).statusCode).toBe(403);
    expect((await call("DELETE", `/api/documents/${proof.json().id}`, demo.cpip2)).statusCode).toBe(200);
  });

  it("a counselor adds a document to a person convoked in her structure, never a judicial one", async () => {
    const id = await aFileOf(demo.cpip);
    await aConvocation(t.handle.db, {
      personId: id,
      structureId: t.demoStructureId,
      bookedBy: await t.userId(demo.cpip),
    });
    expect((await upload(demo.counselor, id, "proof")).statusCode).toBe(200);
    expect((await upload(demo.counselor, id, "judgment_extract")).statusCode).toBe(403);
    // Nicolas reads the file as a CPIP of the service and works on it as a counselor: no judicial kind.
    expect((await upload(demo.cpip2, id, "proof")).statusCode).toBe(200);
    expect((await upload(demo.cpip2, id, "judgment_extract")).statusCode).toBe(403);
    expect((await documentsOf(id)).map((d) => d.kind).sort()).toEqual(["proof", "proof"]);
  });
});

describe("a counselor changes the status of the convocations of her own permanences", () => {
  /** A planned permanence convocation of a colleague's person, booked by Camille. */
  const planned = async (siteName: string, startsAt: string) => {
    const personId = await aFileOf(demo.cpip);
    const c = await aConvocation(t.handle.db, {
      personId,
      structureId: t.demoStructureId,
      bookedBy: await t.userId(demo.cpip),
      siteId: sites[siteName]!,
      startsAt: new Date(startsAt),
      status: "planned",
    });
    return c.id;
  };
  const setStatus = (id: string, email: string, status: string) =>
    call("POST", `/api/convocations/${id}/status`, email, { status });
  const statusOf = async (id: string) =>
    (await t.handle.db.select().from(convocation).where(eq(convocation.id, id)))[0]!.status;

  it("Nicolas, counselor at Meaux only, neither cancels nor fills in a Fontainebleau convocation; Inès, who holds it, does", async () => {
    // Monday 8 June, 9 h 00 at Fontainebleau (Inès's permanence); today's, 9 h 00 (started).
    const ahead = await planned("Fontainebleau", "2026-06-08T07:00:00Z");
    const today = await planned("Fontainebleau", "2026-06-01T07:00:00Z");
    const [aheadRow] = await t.handle.db.select().from(convocation).where(eq(convocation.id, ahead));
    const seen = (await call("GET", `/api/convocations?personId=${aheadRow!.personId}`, demo.cpip2)).json();
    expect(seen.convocations[0].permissions).toMatchObject({ setStatus: false, reschedule: false });
    expect((await setStatus(ahead, demo.cpip2, "cancelled")).statusCode).toBe(403);
    for (const status of ["honoured", "missed", "excused"])
      expect((await setStatus(today, demo.cpip2, status)).statusCode, status).toBe(403);
    const arrival = await call("POST", `/api/convocations/${today}/arrival`, demo.cpip2, { arrived: true });
    expect(arrival.statusCode).toBe(403);
    expect([await statusOf(ahead), await statusOf(today)]).toEqual(["planned", "planned"]);

    expect((await setStatus(ahead, demo.counselor, "cancelled")).statusCode).toBe(200);
    expect((await setStatus(today, demo.counselor, "honoured")).statusCode).toBe(200);
  });

  it("at Meaux, Nicolas and Inès hold Tuesday's permanence; the referent and the direction anywhere", async () => {
    const tuesday = await planned("Meaux", "2026-06-02T07:00:00Z");
    expect((await setStatus(tuesday, demo.cpip2, "cancelled")).statusCode).toBe(200);
    // Friday at Meaux is Nicolas's permanence alone (Inès, who holds Tuesday's there, is of the site too).
    const friday = await planned("Meaux", "2026-06-05T07:00:00Z");
    expect((await setStatus(friday, demo.cpip2, "cancelled")).statusCode).toBe(200);
    const rochette = await planned("La Rochette", "2026-06-03T07:00:00Z");
    expect((await setStatus(rochette, demo.cpip, "cancelled")).statusCode).toBe(200);
    const other = await planned("La Rochette", "2026-06-10T07:00:00Z");
    expect((await setStatus(other, demo.manager, "cancelled")).statusCode).toBe(200);
  });
});
