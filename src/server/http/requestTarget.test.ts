import { request } from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { person } from "../db/schema";
import { DEMO_PASSWORD } from "../db/seed/demo";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * The router reads the path decoded, and the absolute form of a target (`http://host/api/…`) as
 * its path: every spelling that reaches an API route goes through the session and CSRF checks.
 */
let t: TestApp;
let origin: string;
let karimId: string;
beforeAll(async () => {
  t = await startTestApp();
  origin = await t.app.listen({ port: 0, host: "127.0.0.1" });
  const [karim] = await t.handle.db.select().from(person).where(eq(person.firstName, "Karim"));
  karimId = karim!.id;
});
afterAll(() => t.close());

const EVIL = "https://evil.example";
const login = { email: demo.cpip, password: DEMO_PASSWORD };

/** One request over its own connection, `target` as sent on the request line. */
function send(
  method: string,
  target: string,
  headers: Record<string, string>,
  payload?: object,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(origin);
  const body = payload ? JSON.stringify(payload) : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        method,
        path: target,
        agent: false,
        headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("a path spelled with escapes (/%61pi/…)", () => {
  it("a read resolves the session and is not kept by caches", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/%61pi/people?mine=true",
      headers: await t.sessionFor(demo.cpip),
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
  });

  it("a public POST from another origin is refused (login)", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/%61pi/auth/login",
      headers: { origin: EVIL },
      payload: login,
    });
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json().code).toBe("request.csrf");
  });

  it("a signed-in POST without its CSRF token is refused", async () => {
    const { cookie } = await t.sessionFor(demo.cpip);
    const response = await t.app.inject({
      method: "POST",
      url: `/%61pi/people/${karimId}/notes`,
      headers: { cookie },
      payload: { visibility: "service", body: "Écrite sans jeton" },
    });
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json().code).toBe("request.csrf");
  });
});

describe("an absolute-form target (http://host/api/…)", () => {
  it("a read resolves the session", async () => {
    const { cookie } = await t.sessionFor(demo.cpip);
    const response = await send("GET", `${origin}/api/people?mine=true`, { cookie });
    expect(response.status, response.body).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
  });

  it("a public POST from another origin is refused (login)", async () => {
    const response = await send("POST", `${origin}/api/auth/login`, { origin: EVIL }, login);
    expect(response.status, response.body).toBe(403);
    expect(JSON.parse(response.body).code).toBe("request.csrf");
  });

  it("a signed-in POST without its CSRF token is refused", async () => {
    const { cookie } = await t.sessionFor(demo.cpip);
    const response = await send(
      "POST",
      `${origin}/api/people/${karimId}/notes`,
      { cookie },
      {
        visibility: "service",
        body: "Écrite sans jeton",
      },
    );
    expect(response.status, response.body).toBe(403);
    expect(JSON.parse(response.body).code).toBe("request.csrf");
  });
});
