import { eq } from "drizzle-orm";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import type { Territories } from "../../common/reporting/territories.schema";
import { fakeClock } from "../core/clock";
import type { Deps } from "../core/deps";
import type { Db } from "../db/createDb";
import { structure, user } from "../db/schema";
import { requiresTotp } from "../domains/identity/rules";
import { createSession, loadMemberships } from "../domains/identity/store";
import { newTotpSecret } from "../domains/identity/totp";
import { createFigureCache } from "../domains/reporting/figureCache";
import { type AppOptions, buildApp } from "../http/app";
import { cookieSettings } from "../http/security";
import { aConvocation } from "./builders";
import { TEST_TODAY } from "./constants";
import { openTestDb, type TestDbHandle } from "./testDb";

export const PUBLIC_URL = "http://localhost:3000";
export const SMS_WEBHOOK_TOKEN = "test-webhook-secret-0123456789";
const testConfig: Deps["config"] = {
  SESSION_IDLE_MINUTES: 30,
  SESSION_ABSOLUTE_HOURS: 12,
  PUBLIC_URL,
  SMS_WEBHOOK_TOKEN,
  EXPORT_TIMEOUT_MS: 60_000,
};
export const COOKIE_NAME = cookieSettings(PUBLIC_URL).name;

/** A type alias (not an interface) so it fits Fastify inject's header index signature. */
export type AuthHeaders = { cookie: string; "x-csrf-token": string };

export interface TestApp {
  app: FastifyInstance;
  handle: TestDbHandle;
  deps: Deps;
  clock: ReturnType<typeof fakeClock>;
  demoStructureId: string;
  userId(email: string): Promise<string>;
  /** A full session for a demo (or built) account, without going through the login. */
  sessionFor(email: string): Promise<AuthHeaders>;
  close(): Promise<void>;
}

/** The real Fastify app on a fresh copy of the seeded template, with a fake clock. */
export async function startTestApp(
  options: Pick<AppOptions, "logger" | "trustProxy" | "webDir" | "proconnect"> = {},
): Promise<TestApp> {
  const handle = await openTestDb();
  const clock = fakeClock(`${TEST_TODAY}T09:00:00Z`);
  const deps: Deps = {
    db: handle.db,
    clock,
    config: testConfig,
    figureCache: createFigureCache(),
  };
  const app = await buildApp({ deps, publicUrl: PUBLIC_URL, ...options });
  const [demo] = await handle.db
    .select({ id: structure.id })
    .from(structure)
    .where(eq(structure.labelNumber, "FS-77-035"));
  if (!demo) throw new Error("demo structure missing from the template");
  const userId = async (email: string) => {
    const [found] = await handle.db.select({ id: user.id }).from(user).where(eq(user.email, email));
    if (!found) throw new Error(`no user ${email}`);
    return found.id;
  };
  return {
    app,
    handle,
    deps,
    clock,
    demoStructureId: demo.id,
    userId,
    sessionFor: async (email) => {
      const id = await userId(email);
      await enrolSecondFactorIfRequired(handle.db, id);
      const { token, csrfToken } = await createSession(handle.db, {
        userId: id,
        stage: "active",
        now: clock.now(),
        absoluteHours: 12,
        ip: "127.0.0.1",
        userAgent: "test",
      });
      return { cookie: `${COOKIE_NAME}=${token}`, "x-csrf-token": csrfToken };
    },
    close: async () => {
      await app.close();
      await handle.close();
    },
  };
}

/**
 * A full session of an agent whose roles need a second factor is one who enrolled it: their
 * account gets a TOTP secret (not used by the tests that go through `sessionFor`).
 */
async function enrolSecondFactorIfRequired(db: Db, id: string): Promise<void> {
  const [found] = await db.select({ totpSecret: user.totpSecret }).from(user).where(eq(user.id, id));
  if (found?.totpSecret) return;
  const roles = (await loadMemberships(db, id)).map((m) => m.role);
  if (requiresTotp(roles)) await db.update(user).set({ totpSecret: newTotpSecret() }).where(eq(user.id, id));
}

/** The session cookie an answer sets, as a Cookie header value. */
export function sessionCookieOf(response: LightMyRequestResponse): string {
  const set = response.cookies.find((c) => c.name === COOKIE_NAME);
  if (!set) throw new Error("no session cookie set");
  return `${COOKIE_NAME}=${set.value}`;
}

export const demo = {
  cpip: "cpip@demo.passerelle.fr",
  cpip2: "cpip2@demo.passerelle.fr",
  counselor: "conseiller@demo.passerelle.fr",
  manager: "direction@demo.passerelle.fr",
  steering: "pilotage@demo.passerelle.fr",
  partner: "partenaire@demo.passerelle.fr",
  iae: "iae@demo.passerelle.fr",
  mediator: "mediation@demo.passerelle.fr",
  admin: "admin@demo.passerelle.fr",
} as const;

/**
 * The demo people given a past convocation in the demo structure, so that its counselors see them
 * (DESIGN §2: a counselor sees the people convoked in their structure).
 */
export async function convokedOnce(t: TestApp, ...personIds: string[]): Promise<void> {
  const bookedBy = await t.userId(demo.cpip);
  for (const personId of personIds)
    await aConvocation(t.handle.db, { personId, structureId: t.demoStructureId, bookedBy });
}

/**
 * A convocation booked by the demo CPIP (no message sent) at `startsAt` on `siteId`; 200 expected,
 * its id answered.
 */
export async function bookedConvocation(
  t: TestApp,
  { personId, siteId, startsAt }: { personId: string; siteId: string; startsAt: string },
): Promise<string> {
  const booked = await t.app.inject({
    method: "POST",
    url: "/api/convocations",
    headers: await t.sessionFor(demo.cpip),
    payload: {
      personId,
      siteId,
      startsAt,
      needDomains: ["acces-aux-droits"],
      notifySms: false,
      notifyEmail: false,
    },
  });
  expect(booked.statusCode, booked.body).toBe(200);
  return booked.json().id as string;
}

/** The territories compared (`GET /api/reporting/territories?<query>`) as `email` reads them; 200 expected. */
export async function territoriesOf(t: TestApp, email: string, query: string): Promise<Territories> {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/reporting/territories?${query}`,
    headers: await t.sessionFor(email),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
