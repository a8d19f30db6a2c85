import { eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { user } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { ACCOUNT_SLOWDOWN_AFTER, hashToken, TRUSTED_DEVICE_DAYS } from "../domains/identity/rules";
import { newTotpSecret, totpCode } from "../domains/identity/totp";
import { anAgent } from "../testing/builders";
import { PUBLIC_URL, sessionCookieOf, startTestApp, type TestApp } from "../testing/testApp";
import { cookieSettings } from "./security";

const DEVICE_COOKIE = cookieSettings(PUBLIC_URL).deviceName;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const login = (email: string, password: string, ip: string, device?: string) =>
  t.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { email, password },
    remoteAddress: ip,
    headers: device ? { cookie: `${DEVICE_COOKIE}=${device}` } : {},
  });
const deviceOf = (response: LightMyRequestResponse): string | undefined =>
  response.cookies.find((c) => c.name === DEVICE_COOKIE)?.value;

/**
 * An attacker keeps the account's slowdown clock fresh from IPs of their own: past the threshold,
 * one wrong password from a new IP each time the wait is over.
 */
let attackerIp = 0;
async function attackerFails(email: string): Promise<void> {
  attackerIp++;
  const ip = `10.99.${Math.floor(attackerIp / 250)}.${(attackerIp % 250) + 1}`;
  const first = await login(email, "mauvais mot de passe", ip);
  if (first.statusCode === 429) {
    t.clock.advance(Number(first.headers["retry-after"]) * 1000);
    expect((await login(email, "mauvais mot de passe", ip)).statusCode).toBe(401);
  } else expect(first.statusCode).toBe(401);
}
async function attackerSlowsDown(email: string): Promise<void> {
  for (let i = 0; i < ACCOUNT_SLOWDOWN_AFTER + 2; i++) await attackerFails(email);
}

describe("device cookies against the per-account slowdown", () => {
  it("a completed login gives the browser a long-lived HttpOnly SameSite=Strict device cookie", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const response = await login(agent.email, DEMO_PASSWORD, "10.20.0.1");
    const cookie = response.cookies.find((c) => c.name === DEVICE_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    expect(cookie?.maxAge).toBe(TRUSTED_DEVICE_DAYS * 86_400);
    expect(cookie?.value).not.toBe(sessionCookieOf(response).split("=")[1]);
  });

  it("the agent's browser gets in at the first try, from any network, while an attacker keeps the account slowed down", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    let device = deviceOf(await login(agent.email, DEMO_PASSWORD, "10.21.0.1"));
    expect(device).toBeDefined();
    await attackerSlowsDown(agent.email);
    for (let round = 1; round <= 5; round++) {
      await attackerFails(agent.email);
      // Without the cookie, from a new network: slowed down, as designed.
      const without = await login(agent.email, DEMO_PASSWORD, `10.22.${round}.1`);
      expect(without.statusCode).toBe(429);
      expect(without.json().code).toBe("auth.tooManyAttempts");
      // With it, from another new network: in at once. The cookie is renewed at each login.
      const withCookie = await login(agent.email, DEMO_PASSWORD, `10.23.${round}.1`, device);
      expect(withCookie.statusCode).toBe(200);
      const renewed = deviceOf(withCookie);
      expect(renewed).toBeDefined();
      expect(renewed).not.toBe(device);
      // The replaced token no longer exempts anything.
      expect((await login(agent.email, DEMO_PASSWORD, `10.24.${round}.1`, device)).statusCode).toBe(429);
      device = renewed;
    }
  });

  it("a device cookie exempts only the account it was given to, and not from the per-pair limit", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const colleague = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const colleagueDevice = deviceOf(await login(colleague.email, DEMO_PASSWORD, "10.25.0.1"));
    const device = deviceOf(await login(agent.email, DEMO_PASSWORD, "10.25.0.2"));
    await attackerSlowsDown(agent.email);
    expect((await login(agent.email, DEMO_PASSWORD, "10.25.1.1", colleagueDevice)).statusCode).toBe(429);
    // A stolen cookie still gets 5 guesses per IP in the window, no more.
    for (let i = 0; i < 5; i++)
      expect((await login(agent.email, "mauvais mot de passe", "10.25.2.1", device)).statusCode).toBe(401);
    const capped = await login(agent.email, DEMO_PASSWORD, "10.25.2.1", device);
    expect(capped.statusCode).toBe(429);
  });

  it("a device cookie exempts 5 attempts until the next completed login renews it", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const device = deviceOf(await login(agent.email, DEMO_PASSWORD, "10.29.0.1"));
    await attackerSlowsDown(agent.email);
    // A stolen cookie, from a new address each time: 5 guesses, then slowed down like anyone.
    const concurrent = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        login(agent.email, "mauvais mot de passe", `10.29.${i + 1}.1`, device),
      ),
    );
    expect(concurrent.map((r) => r.statusCode).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect((await login(agent.email, DEMO_PASSWORD, "10.29.10.1", device)).statusCode).toBe(429);
    // The agent's next completed login (here from their usual place) gives the browser a fresh one.
    const renewed = deviceOf(await login(agent.email, DEMO_PASSWORD, "10.29.0.1", device));
    expect(renewed).toBeDefined();
    await attackerFails(agent.email);
    expect((await login(agent.email, DEMO_PASSWORD, "10.29.11.1", renewed)).statusCode).toBe(200);
  });

  it("an expired device cookie exempts nothing", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    const device = deviceOf(await login(agent.email, DEMO_PASSWORD, "10.26.0.1"));
    t.clock.advance((TRUSTED_DEVICE_DAYS + 1) * 86_400_000);
    await attackerSlowsDown(agent.email);
    expect((await login(agent.email, DEMO_PASSWORD, "10.26.1.1", device)).statusCode).toBe(429);
  });

  it("the password alone gives no device cookie: the second factor must pass", async () => {
    const secret = newTotpSecret();
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    await t.handle.db.update(user).set({ totpSecret: secret }).where(eq(user.id, agent.id));
    const pending = await login(agent.email, DEMO_PASSWORD, "10.27.0.1");
    expect(pending.json()).toEqual({ stage: "totp_pending" });
    expect(deviceOf(pending)).toBeUndefined();
    const cookie = sessionCookieOf(pending);
    const csrf = (await t.app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie } })).json()
      .csrfToken as string;
    const verified = await t.app.inject({
      method: "POST",
      url: "/api/auth/second-factor",
      headers: { cookie, "x-csrf-token": csrf },
      payload: { code: totpCode(secret, t.clock.now()) },
      remoteAddress: "10.27.0.1",
    });
    expect(verified.statusCode).toBe(200);
    const device = deviceOf(verified);
    await attackerSlowsDown(agent.email);
    const again = await login(agent.email, DEMO_PASSWORD, "10.27.1.1", device);
    expect(again.json()).toEqual({ stage: "totp_pending" });
  });

  it("a manager's enrolment of the second factor completes the login and gives the device cookie", async () => {
    const manager = await anAgent(t.handle.db, {
      structureId: t.demoStructureId,
      roles: ["service_manager"],
    });
    const first = await login(manager.email, DEMO_PASSWORD, "10.31.0.1");
    expect(first.json()).toEqual({ stage: "enrolment_required" });
    expect(deviceOf(first)).toBeUndefined();
    const cookie = sessionCookieOf(first);
    const csrf = (await t.app.inject({ method: "GET", url: "/api/auth/session", headers: { cookie } })).json()
      .csrfToken as string;
    const headers = { cookie, "x-csrf-token": csrf };
    const setup = await t.app.inject({
      method: "POST",
      url: "/api/account/totp/setup",
      headers,
      payload: {},
    });
    const secret = setup.json().secret as string;
    const confirmed = await t.app.inject({
      method: "POST",
      url: "/api/account/totp/confirm",
      headers,
      payload: { code: totpCode(secret, t.clock.now()) },
      remoteAddress: "10.31.0.1",
    });
    expect(confirmed.statusCode).toBe(200);
    const device = deviceOf(confirmed);
    expect(device).toBeDefined();
    await attackerSlowsDown(manager.email);
    expect((await login(manager.email, DEMO_PASSWORD, "10.31.1.1")).statusCode).toBe(429);
    expect((await login(manager.email, DEMO_PASSWORD, "10.31.2.1", device)).json()).toEqual({
      stage: "totp_pending",
    });
  });

  it("activation trusts the browser and the network: the new agent's first login is not slowed down", async () => {
    const agent = await anAgent(t.handle.db, { structureId: t.demoStructureId, roles: ["counselor"] });
    await t.handle.db
      .update(user)
      .set({
        activationTokenHash: hashToken("lien-d-activation-de-test"),
        activationExpiresAt: new Date(t.clock.now().getTime() + 86_400_000),
      })
      .where(eq(user.id, agent.id));
    const password = "une longue phrase de passe";
    const activated = await t.app.inject({
      method: "POST",
      url: "/api/auth/activate",
      payload: { token: "lien-d-activation-de-test", password },
      remoteAddress: "10.28.0.1",
    });
    expect(activated.statusCode).toBe(200);
    const device = deviceOf(activated);
    expect(device).toBeDefined();
    await attackerSlowsDown(agent.email);
    expect((await login(agent.email, password, "10.28.1.1")).statusCode).toBe(429);
    expect((await login(agent.email, password, "10.28.2.1", device)).statusCode).toBe(200);
    expect((await login(agent.email, password, "10.28.0.1")).statusCode).toBe(200);
  });
});
