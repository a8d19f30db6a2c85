import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errors } from "../../common/errors";
import { demo, startTestApp, type TestApp } from "../testing/testApp";

/**
 * Requests Node refuses before Fastify routes them answer in the app's shape (code, French
 * message, request id), over a real connection: `inject` never goes through Node's parser.
 */
let t: TestApp;
let origin: string;
beforeAll(async () => {
  t = await startTestApp();
  origin = await t.app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(() => t.close());

/** One request over its own connection: status, headers and body as sent. */
function send(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("a request Node refuses before routing", () => {
  it("a query string past 16 KB: 431 with the app's French error, not Fastify's English one", async () => {
    const response = await send(`/api/people?search=${"a".repeat(17_000)}`, await t.sessionFor(demo.cpip));
    expect(response.status).toBe(431);
    expect(String(response.headers["content-type"])).toMatch(/^application\/json/);
    const body = JSON.parse(response.body);
    expect(Object.keys(body).sort()).toEqual(["code", "message", "requestId"]);
    expect(body).toMatchObject({
      code: "request.headersTooLarge",
      message: errors.request.headersTooLarge().message,
    });
    expect(response.headers["x-request-id"]).toBe(body.requestId);
  });

  it("an ordinary request on the same server is answered as usual", async () => {
    const response = await send("/api/people?search=benali", await t.sessionFor(demo.cpip));
    expect(response.status, response.body).toBe(200);
  });
});
