import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillPath } from "../../common/contract";
import { roles } from "../../common/roles";
import { allRoutes } from "../../common/routes";
import {
  consent,
  convocation,
  demarche,
  demarcheType,
  openingRule,
  orientation,
  partner,
  person,
  service,
  site,
} from "../db/schema";
import { anAgent } from "../testing/builders";
import { demo, SMS_WEBHOOK_TOKEN, startTestApp, type TestApp } from "../testing/testApp";
import { fieldPaths, sampleOf, withField } from "../testing/zodSample";

/**
 * Issue 10.3, as a property over every route contract: whatever string (control characters,
 * impossible dates, huge values, any unicode) lands in any field of a route's params, query or
 * body, the other fields holding plausible values, the answer is never a 500. Deterministic (seed).
 */
let t: TestApp;
let ids: Record<string, string>;
let callers: string[];
beforeAll(async () => {
  t = await startTestApp();
  const db = t.handle.db;
  const [karim] = await db.select().from(person).where(eq(person.firstName, "Karim"));
  const [other] = await db.select().from(person).where(eq(person.firstName, "Julien"));
  const [spip] = await db.select().from(service).where(eq(service.kind, "spip"));
  const [meaux] = await db.select().from(site).where(eq(site.name, "Meaux"));
  const [caf] = await db.select().from(partner).where(eq(partner.code, "caf"));
  const [type] = await db.select().from(demarcheType).limit(1);
  const [rule] = await db.select().from(openingRule).limit(1);
  const cpipId = await t.userId(demo.cpip);
  const owned = { structureId: t.demoStructureId, personId: karim!.id };
  const [booked] = await db
    .insert(convocation)
    .values({
      ...owned,
      siteId: meaux!.id,
      startsAt: new Date("2026-06-02T08:00:00.000Z"),
      endsAt: new Date("2026-06-02T08:45:00.000Z"),
      seat: 1,
      notifySms: false,
      notifyEmail: false,
      bookedBy: cpipId,
    })
    .returning();
  const [started] = await db
    .insert(demarche)
    .values({ ...owned, demarcheTypeId: type!.id, helpLevel: "guided", status: "todo", createdBy: cpipId })
    .returning();
  const [agreed] = await db
    .insert(consent)
    .values({
      ...owned,
      shareDemarcheDetails: true,
      shareNotes: false,
      recipients: ["spip"],
      purpose: "Test",
      collectedBy: cpipId,
      collectedAt: new Date("2026-05-01T09:00:00Z"),
    })
    .returning();
  const [sent] = await db
    .insert(orientation)
    .values({
      ...owned,
      target: "partner_back_office",
      partnerId: caf!.id,
      reason: "Dossier RSA bloqué depuis trois mois",
      createdBy: cpipId,
      status: "sent",
      sentAt: new Date("2026-06-01T08:00:00Z"),
      expiresAt: new Date("2026-07-01T08:00:00Z"),
    })
    .returning();
  const everyRole = await anAgent(db, {
    structureId: t.demoStructureId,
    roles: [...roles],
    serviceId: spip!.id,
  });
  ids = {
    structureId: t.demoStructureId,
    personId: karim!.id,
    duplicateId: other!.id,
    siteId: meaux!.id,
    serviceId: spip!.id,
    convocationId: booked!.id,
    ruleId: rule!.id,
    demarcheId: started!.id,
    consentId: agreed!.id,
    orientationId: sent!.id,
    partnerId: caf!.id,
    demarcheTypeId: type!.id,
    userId: await t.userId(demo.counselor),
    counselorId: await t.userId(demo.counselor),
    actorUserId: cpipId,
    token: SMS_WEBHOOK_TOKEN,
    phone: "06 12 34 56 78",
  };
  callers = [everyRole.email, demo.cpip, demo.counselor, demo.manager];
});
afterAll(() => t.close());

const pad = (n: number, width: number): string => String(n).padStart(width, "0");
/** Mostly near-real dates (day 0–32, month 0–13) so that only a calendar check refuses them. */
const impossibleDate = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1899, max: 2101 }) },
      fc.integer({ min: 0, max: 99_999 }),
    ),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
  )
  .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
const impossibleDateTime = fc
  .tuple(impossibleDate, fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }))
  .map(([day, h, m]) => `${day}T${pad(h, 2)}:${pad(m, 2)}:00Z`);
const impossibleMonth = fc
  .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99 }))
  .map(([y, m]) => `${pad(y, 4)}-${pad(m, 2)}`);
/** Text with a control character (NUL half of the time) somewhere in it. */
const withControl = fc
  .tuple(
    fc.string({ maxLength: 10 }),
    fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 0x9f })),
    fc.string({ maxLength: 10 }),
  )
  .filter(([, code]) => code < 0x20 || code >= 0x7f)
  .map(([before, code, after]) => `${before}${String.fromCharCode(code)}${after}`);
const hostileString = fc.oneof(
  { weight: 3, arbitrary: withControl },
  { weight: 2, arbitrary: impossibleDate },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "%00",
      "\ud800",
      "2023-02-30",
      "0000-00-00",
      "2024-02-29T24:00:00Z",
      "1e400",
      "-1",
      "NaN",
      "'; DROP TABLE person; --",
      "x".repeat(100_000),
    ),
  },
);
const hostileJson = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(null, true, -1, 1e308, Number.MAX_SAFE_INTEGER, [], {}, ["\u0000"]),
  },
);
/** A path segment must be encodable (no lone surrogate); raw bad bytes are tested in strictInput. */
const encodable = (value: string): boolean => {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
};

type Part = "params" | "query" | "body";
/** Where a field-by-field sample breaks a cross-field rule, the valid value to start from. */
const bodyOverrides: Record<string, Record<string, unknown>> = {
  "people.create": { consent: null },
  "consent.record": { recipients: ["spip"] },
  "agenda.addRule": { weekday: 4, onDate: null, startTime: "14:00", endTime: "16:00", validTo: null },
  "agenda.addClosure": { endsAt: "2026-06-17T08:00:00Z" },
  "agenda.addAbsence": { endsAt: "2026-06-17T08:00:00Z" },
  "orientations.create": { target: "mediation", demarcheId: null, partnerId: null },
};
interface Field {
  part: Part;
  path: string[];
}
interface Mutation extends Field {
  value: unknown;
}

/** What to put in a field: hostile values of its own kind (dates for a date) more often than not. */
function hostileFor({ part, path }: Field, baseline: Record<Part, unknown>): fc.Arbitrary<Mutation> {
  const current = path.reduce<unknown>(
    (value, key) => (value as Record<string, unknown> | undefined)?.[key],
    baseline[part],
  );
  const general = part === "body" ? hostileJson : hostileString;
  const ofItsKind =
    typeof current !== "string"
      ? general
      : /^\d{4}-\d{2}-\d{2}T/.test(current)
        ? impossibleDateTime
        : /^\d{4}-\d{2}-\d{2}$/.test(current)
          ? impossibleDate
          : /^\d{4}-\d{2}$/.test(current)
            ? impossibleMonth
            : withControl;
  const value = fc.oneof(ofItsKind, general);
  return (part === "params" ? value.filter((v) => encodable(String(v))) : value).map((v) => ({
    part,
    path,
    value: v,
  }));
}

describe("no input gives a 500", () => {
  for (const [key, route] of Object.entries(allRoutes)) {
    it(`${key} (${route.method} ${route.path})`, async () => {
      const parts: Part[] = route.method === "GET" ? ["params", "query"] : ["params", "query", "body"];
      const baseline = Object.fromEntries(parts.map((part) => [part, sampleOf(route[part], ids)])) as Record<
        Part,
        unknown
      >;
      baseline.body = { ...(baseline.body as object), ...bodyOverrides[key] };
      const fields = parts.flatMap((part) => fieldPaths(route[part]).map((path) => ({ part, path })));
      if (fields.length === 0) return;
      const mutation = fc.constantFrom(...fields).chain((field) => hostileFor(field, baseline));
      await fc.assert(
        fc.asyncProperty(
          mutation,
          fc.constantFrom(...callers),
          async ({ part, path, value }: Mutation, caller) => {
            const input = { ...baseline };
            input[part] = withField(input[part], path, value);
            const response = await t.app.inject({
              method: route.method,
              url: fillPath(route.path, input.params as Record<string, string>),
              query: input.query as Record<string, string>,
              headers: await t.sessionFor(caller),
              ...(route.method === "GET" ? {} : { payload: input.body as object }),
            });
            expect(
              response.statusCode,
              `${JSON.stringify({ part, path, value }).slice(0, 500)} → ${response.body}`,
            ).toBeLessThan(500);
          },
        ),
        { numRuns: Math.min(60, Math.max(20, 4 * fields.length)), seed: 20261130, endOnFailure: true },
      );
    });
  }
});

/**
 * The whole body of the wrong shape (an array, null, a number, a string, an object whose fields
 * are all of the wrong kind): a 400 with a French message, never a 500. A cross-field rule that
 * runs along with the fields' problems (`when`) must not read a field that did not parse.
 */
describe("a body of the wrong shape never gives a 500", () => {
  const wrongBodies: unknown[] = [[1, 2], [], null, 3, "texte", true];
  for (const [key, route] of Object.entries(allRoutes)) {
    if (route.method === "GET") continue;
    it(`${key} (${route.method} ${route.path})`, async () => {
      const params = sampleOf(route.params, ids) as Record<string, string>;
      const query = sampleOf(route.query, ids) as Record<string, string>;
      const fields = fieldPaths(route.body).filter((path) => path.length === 1);
      const allWrong = (value: unknown) =>
        Object.fromEntries(fields.map(([name]) => [name as string, value]));
      const bodies = [...wrongBodies, allWrong(null), allWrong(7), allWrong([1]), allWrong({})];
      for (const body of bodies) {
        // The agent holding every role: no route turns them away before reading the body.
        const response = await t.app.inject({
          method: route.method,
          url: fillPath(route.path, params),
          query,
          headers: { ...(await t.sessionFor(callers[0] as string)), "content-type": "application/json" },
          payload: JSON.stringify(body),
        });
        expect(response.statusCode, `${JSON.stringify(body)} → ${response.body}`).toBeLessThan(500);
      }
    });
  }
});
