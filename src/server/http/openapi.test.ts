import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRoutes } from "../../common/routes";
import { createSession } from "../domains/identity/store";
import { COOKIE_NAME, demo, startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const openApiPaths = async () => {
  const response = await t.app.inject({
    method: "GET",
    url: "/api/openapi.json",
    headers: await t.sessionFor(demo.counselor),
  });
  expect(response.statusCode).toBe(200);
  return response.json().paths as Record<string, Record<string, unknown>>;
};

describe("GET /api/openapi.json", () => {
  it("401 for an anonymous caller (ADR 0007)", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("auth.unauthenticated");
  });

  it("403 for a session that has not passed its second factor", async () => {
    const { token } = await createSession(t.handle.db, {
      userId: await t.userId(demo.manager),
      stage: "totp_pending",
      now: t.clock.now(),
      absoluteHours: 12,
      ip: "127.0.0.1",
      userAgent: "test",
    });
    const response = await t.app.inject({
      method: "GET",
      url: "/api/openapi.json",
      headers: { cookie: `${COOKIE_NAME}=${token}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe("auth.secondFactorRequired");
  });

  it("documents every route contract for a signed-in agent, generated from the zod schemas", async () => {
    const paths = await openApiPaths();
    for (const route of Object.values(allRoutes)) {
      const openApiPath = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
      expect(paths[openApiPath]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
  });

  it("has no mounted route outside the contracts (so none escapes the authorization matrix)", async () => {
    const paths = await openApiPaths();
    const contracts = new Set(
      Object.values(allRoutes).map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, "{$1}")}`),
    );
    const mounted = Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(mounted.filter((m) => !contracts.has(m))).toEqual([]);
  });

  it("declares the uploads as multipart/form-data with their real fields, the file as binary", async () => {
    const paths = await openApiPaths();
    const formOf = (path: string) => {
      const operation = paths[path]?.post as
        | { requestBody: { content: Record<string, unknown> } }
        | undefined;
      expect(operation, path).toBeDefined();
      const requestBody = operation!.requestBody;
      expect(Object.keys(requestBody.content)).toEqual(["multipart/form-data"]);
      return (requestBody.content["multipart/form-data"] as { schema: Record<string, unknown> }).schema as {
        properties: Record<string, { type?: string; format?: string; enum?: string[] }>;
        required: string[];
      };
    };
    const document = formOf("/api/people/{personId}/documents");
    expect(Object.keys(document.properties).sort()).toEqual(["demarcheId", "file", "id", "kind", "title"]);
    expect(document.properties.file).toMatchObject({ type: "string", format: "binary" });
    expect(document.properties.kind?.enum).toContain("identity");
    expect(document.required.sort()).toEqual(["file", "kind", "title"]);
    const caseload = formOf("/api/structures/{structureId}/imports");
    expect(caseload.properties).toEqual({
      file: expect.objectContaining({ type: "string", format: "binary" }),
    });
    expect(caseload.required).toEqual(["file"]);
  });
});
