import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRoutes } from "../../common/routes";
import { startTestApp, type TestApp } from "../testing/testApp";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("GET /api/openapi.json", () => {
  it("documents every route contract, generated from the zod schemas", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(response.statusCode).toBe(200);
    const paths = response.json().paths as Record<string, Record<string, unknown>>;
    for (const route of Object.values(allRoutes)) {
      const openApiPath = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
      expect(paths[openApiPath]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
  });

  it("has no mounted route outside the contracts (so none escapes the authorization matrix)", async () => {
    const paths = (await t.app.inject({ method: "GET", url: "/api/openapi.json" })).json().paths as Record<
      string,
      Record<string, unknown>
    >;
    const contracts = new Set(
      Object.values(allRoutes).map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, "{$1}")}`),
    );
    const mounted = Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(mounted.filter((m) => !contracts.has(m))).toEqual([]);
  });
});
