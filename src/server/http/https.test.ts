import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeClock } from "../core/clock";
import type { DbHandle } from "../db/createDb";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { openTestDb } from "../testing/testDb";
import { buildApp } from "./app";

let handle: DbHandle;
beforeAll(async () => {
  handle = await openTestDb();
});
afterAll(() => handle.close());

describe("behind https", () => {
  it("sends HSTS and Secure __Host- session and device cookies", async () => {
    const app = await buildApp({
      deps: {
        db: handle.db,
        clock: fakeClock("2026-06-01T09:00:00Z"),
        config: {
          SESSION_IDLE_MINUTES: 30,
          SESSION_ABSOLUTE_HOURS: 12,
          PUBLIC_URL: "http://localhost:3000",
          SMS_WEBHOOK_TOKEN: undefined,
          EXPORT_TIMEOUT_MS: 60_000,
        },
      },
      publicUrl: "https://passerelle.example.gouv.fr",
    });
    const response = await app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: "cpip@demo.passerelle.fr", password: DEMO_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
    const cookie = response.cookies[0];
    expect(cookie?.name).toBe("__Host-passerelle_session");
    expect(cookie?.secure).toBe(true);
    expect(cookie?.path).toBe("/");
    expect(cookie?.domain).toBeUndefined();
    const device = response.cookies.find((c) => c.name === "__Host-passerelle_device");
    expect(device).toMatchObject({ secure: true, httpOnly: true, sameSite: "Strict", path: "/" });
    expect(device?.domain).toBeUndefined();
    await app.close();
  });
});
