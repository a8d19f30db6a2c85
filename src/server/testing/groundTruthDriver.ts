/**
 * The API driver of the steering ground-truth tests: a structure's activity loaded through the HTTP API
 * as its users would (sites, permanences, people, convocations, visits, démarches, orientations), and
 * the dashboard read back. Every call must answer 200 or 201, or the load stops saying which.
 */
import type { LightMyRequestResponse } from "fastify";
import type { Dashboard } from "../../common/reporting/reporting.schema";
import { demarcheType, partner } from "../db/schema";
import type { TestApp } from "./testApp";

export const MINUTE = 60_000;
export const DAY = 86_400_000;

export type NewDemarche = { demarcheTypeId: string | undefined; helpLevel: string; status: string };
export type Visit = {
  minutes: number;
  autonomy: "guided" | "autonomous_with_help" | "autonomous";
  created?: NewDemarche[];
  updated?: { code: string; status: string }[];
  needs?: { domain: string; hasNeed: boolean }[];
};
/** Who is convoked where and when, by which CPIP, and which counselor receives them (emails). */
export type Booking = { personId: string; siteId: string; at: Date; cpip: string; counselor: string };
export type OpeningRule = {
  siteId: string;
  on: { weekday?: number; onDate?: string };
  from: string;
  to: string;
  slotMinutes: number;
  validFrom: string;
  counselorIds: string[];
};
export type NewPerson = {
  structureId: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  measure: { startDate: string; endDate: string };
};

export const figuresOf = (d: Dashboard): Record<string, number | null> =>
  Object.fromEntries(d.figures.map((f) => [f.id, f.value]));
export const tableOf = (d: Dashboard, id: string): Record<string, (number | null)[]> =>
  Object.fromEntries(d.tables.find((x) => x.id === id)?.rows.map((r) => [r.label, r.values]) ?? []);

/**
 * The driver of the app `app()` returns (started in the test's `beforeAll`). The catalogue records
 * (`partners`, `types`, `typeLabels`: by code) are filled by `loadCatalogue`.
 */
export function groundTruthDriver(app: () => TestApp) {
  const partners: Record<string, string> = {};
  const types: Record<string, string> = {};
  const typeLabels: Record<string, string> = {};

  async function loadCatalogue(): Promise<void> {
    const db = app().handle.db;
    for (const p of await db.select().from(partner)) partners[p.code] = p.id;
    for (const d of await db.select().from(demarcheType)) {
      types[d.code] = d.id;
      typeLabels[d.code] = d.label;
    }
  }

  async function call(
    method: "GET" | "POST" | "PUT",
    url: string,
    email: string,
    payload?: object,
  ): Promise<LightMyRequestResponse> {
    const t = app();
    const response = await t.app.inject({ method, url, headers: await t.sessionFor(email), payload });
    if (response.statusCode !== 200 && response.statusCode !== 201)
      throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response;
  }
  /** The answer's JSON, read by the tests as they expect it. */
  const post = async (url: string, email: string, payload: object = {}) =>
    (await call("POST", url, email, payload)).json();

  async function demarcheIdOf(personId: string, typeCode: string, email: string): Promise<string> {
    const acc = (await call("GET", `/api/people/${personId}/accompaniment`, email)).json();
    const found = acc.demarches.find((d: { label: string; id: string }) => d.label === typeLabels[typeCode]);
    if (!found) throw new Error(`no démarche ${typeCode}: ${JSON.stringify(acc.demarches)}`);
    return found.id;
  }

  const newDemarche = (code: string, helpLevel: string, status: string): NewDemarche => ({
    demarcheTypeId: types[code],
    helpLevel,
    status,
  });

  /** A convocation booked by the CPIP three days before it (the clock moved there): its id. */
  async function book(booking: Booking): Promise<string> {
    app().clock.set(new Date(booking.at.getTime() - 3 * DAY));
    const booked = await post("/api/convocations", booking.cpip, {
      personId: booking.personId,
      siteId: booking.siteId,
      startsAt: booking.at.toISOString(),
      needDomains: ["acces-aux-droits"],
      notifySms: false,
      notifyEmail: false,
    });
    return booked.id;
  }

  /** A status set by `email` at `at` (honoured or missed by a counselor, excused or cancelled by the CPIP). */
  async function setStatus(id: string, email: string, status: string, at: Date): Promise<void> {
    app().clock.set(at);
    await post(`/api/convocations/${id}/status`, email, { status });
  }

  /** A status corrected after the fact (ADR 0014) by `email` at `at`. */
  async function correct(id: string, email: string, status: string, at: Date): Promise<void> {
    app().clock.set(at);
    await post(`/api/convocations/${id}/status-correction`, email, { status, reason: "Erreur de saisie" });
  }

  /** A planned convocation moved by its CPIP at `at` to another slot: the new convocation's id. */
  async function reschedule(id: string, email: string, to: { siteId: string; at: Date }, at: Date) {
    app().clock.set(at);
    const moved = await post(`/api/convocations/${id}/reschedule`, email, {
      siteId: to.siteId,
      startsAt: to.at.toISOString(),
      notifySms: false,
      notifyEmail: false,
    });
    return moved.id as string;
  }

  /** The visit of an honoured convocation, recorded by `counselor` at `at` (the same day or later). */
  async function recordVisit(
    id: string,
    personId: string,
    counselor: string,
    visit: Visit,
    at: Date,
  ): Promise<void> {
    app().clock.set(at);
    const updated = [];
    for (const u of visit.updated ?? [])
      updated.push({ id: await demarcheIdOf(personId, u.code, counselor), status: u.status });
    await post(`/api/convocations/${id}/visit`, counselor, {
      durationMinutes: visit.minutes,
      autonomy: visit.autonomy,
      created: visit.created ?? [],
      updated,
      needs: visit.needs ?? [],
    });
  }

  /**
   * A convocation booked by the CPIP three days before, its status set ten minutes after the start
   * (honoured or missed by the counselor, excused or cancelled by the CPIP), and its visit if any.
   */
  async function convocation(
    booking: Booking,
    status: "honoured" | "missed" | "excused" | "cancelled",
    visit?: Visit,
  ): Promise<string> {
    const id = await book(booking);
    const tenPast = new Date(booking.at.getTime() + 10 * MINUTE);
    const byCounselor = status === "honoured" || status === "missed";
    await setStatus(id, byCounselor ? booking.counselor : booking.cpip, status, tenPast);
    if (visit) await recordVisit(id, booking.personId, booking.counselor, visit, tenPast);
    return id;
  }

  async function orient(personId: string, email: string, at: Date, body: object): Promise<string> {
    app().clock.set(at);
    return (await post(`/api/people/${personId}/orientations`, email, body)).id;
  }

  /** A person created by their CPIP, who agrees to share with the association and the CAF/CPAM. */
  async function person(input: NewPerson, cpip: string): Promise<string> {
    const id: string = (
      await post("/api/people", cpip, {
        structureId: input.structureId,
        firstName: input.firstName,
        lastName: input.lastName,
        birthDate: input.birthDate,
        status: "milieu_ouvert",
        measure: { type: "sursis_probatoire", ...input.measure },
      })
    ).id;
    await post(`/api/people/${id}/consents`, cpip, {
      shareNotes: false,
      shareDemarcheDetails: true,
      recipients: ["spip", "association"],
      partnerIds: [partners.caf, partners.cpam],
      domains: [],
      purpose: "Accès aux droits",
    });
    return id;
  }

  async function site(
    structureId: string,
    email: string,
    input: { name: string; kind: string; address: string },
  ): Promise<string> {
    return (
      await post(`/api/structures/${structureId}/sites`, email, {
        ...input,
        accessInstructions: "",
        phone: "",
        capacity: null,
      })
    ).siteId;
  }

  const openingRule = (structureId: string, email: string, rule: OpeningRule): Promise<unknown> =>
    post(`/api/structures/${structureId}/opening-rules`, email, {
      siteId: rule.siteId,
      weekday: rule.on.weekday ?? null,
      onDate: rule.on.onDate ?? null,
      startTime: rule.from,
      endTime: rule.to,
      slotMinutes: rule.slotMinutes,
      bufferMinutes: 0,
      validFrom: rule.validFrom,
      validTo: null,
      counselorIds: rule.counselorIds,
    });

  /** A counselor's training (ADR 0038), recorded by the direction. */
  const trained = (structureId: string, userId: string, email: string, trainedOn: string): Promise<unknown> =>
    call("PUT", `/api/structures/${structureId}/users/${userId}/training`, email, {
      trainedOn,
      organisation: "CNFPT",
    });

  async function dashboard(email: string, query: string): Promise<Dashboard> {
    return (await call("GET", `/api/reporting/dashboard?${query}`, email)).json();
  }

  return {
    partners,
    types,
    typeLabels,
    loadCatalogue,
    call,
    post,
    demarcheIdOf,
    newDemarche,
    book,
    setStatus,
    correct,
    reschedule,
    recordVisit,
    convocation,
    orient,
    person,
    site,
    openingRule,
    trained,
    dashboard,
  };
}
