import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demo, startTestApp, type TestApp } from "../testing/testApp";
import { cacheControlFor } from "./app";

/** A built web app in miniature: the files `scripts/build-web.ts` writes, with their `.br`/`.gz`. */
const shell = `<!doctype html><html lang="fr"><head><title>Passerelle</title></head><body>${"<div></div>".repeat(200)}</body></html>`;
const script = `export const page = ${JSON.stringify("x".repeat(4000))};`;
const hashedScript = "assets/index-CdbB0A_R.js";

function writeBuilt(dir: string, file: string, content: string): void {
  const target = path.join(dir, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, content);
  writeFileSync(`${target}.br`, brotliCompressSync(content));
  writeFileSync(`${target}.gz`, gzipSync(content));
}

let t: TestApp;
let webDir: string;
beforeAll(async () => {
  webDir = mkdtempSync(path.join(tmpdir(), "passerelle-web-"));
  writeBuilt(webDir, "index.html", shell);
  writeBuilt(webDir, hashedScript, script);
  writeBuilt(webDir, "dsfr/utility/icons/icons.min.css", `.fr-icon-x{color:red}${" ".repeat(2000)}`);
  t = await startTestApp({ webDir });
});
afterAll(async () => {
  await t.close();
  rmSync(webDir, { recursive: true, force: true });
});

const get = (url: string, acceptEncoding?: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: "GET",
    url,
    headers: acceptEncoding ? { "accept-encoding": acceptEncoding, ...headers } : headers,
  });

describe("the web app's files", () => {
  it("sends the brotli file when the browser accepts it, cached for a year as immutable", async () => {
    const response = await get(`/${hashedScript}`, "gzip, deflate, br, zstd");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(brotliDecompressSync(response.rawPayload).toString()).toBe(script);
  });

  it("falls back to gzip, then to the plain file", async () => {
    const gzip = await get(`/${hashedScript}`, "gzip, deflate");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(script);
    const plain = await get(`/${hashedScript}`);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(script);
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  it("never lets a browser keep index.html nor the single-page app's paths without asking", async () => {
    for (const url of ["/", "/index.html", "/personnes/0b5f0c59-6f6b-4a4e-9d55-3f0d5f5a1c11", "/connexion"]) {
      const response = await get(url, "br, gzip");
      expect(response.statusCode, url).toBe(200);
      expect(response.headers["cache-control"], url).toBe("no-cache");
      expect(response.headers["content-encoding"], url).toBe("br");
      expect(brotliDecompressSync(response.rawPayload).toString(), url).toBe(shell);
    }
  });

  it("asks the browser to revalidate files whose address does not change with their content", async () => {
    const response = await get("/dsfr/utility/icons/icons.min.css", "gzip");
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.headers["content-encoding"]).toBe("gzip");
    expect(response.headers.etag ?? response.headers["last-modified"]).toBeDefined();
  });

  it("treats as immutable only a hashed name under assets/", () => {
    expect(cacheControlFor("/srv/web/assets/PersonPage-D2bMrCZD.js")).toMatch(/immutable/);
    expect(cacheControlFor("/srv/web/assets/Marianne-Bold-CYjThbH0.woff2")).toMatch(/immutable/);
    expect(cacheControlFor("/srv/web/assets/index-CdbB0A_R.js.br")).toMatch(/immutable/);
    expect(cacheControlFor("/srv/web/index.html")).toBe("no-cache");
    expect(cacheControlFor("/srv/web/dsfr/favicon/favicon.svg")).toBe("no-cache");
    expect(cacheControlFor("/srv/web/assets/readme.txt")).toBe("no-cache");
  });
});

describe("API answers", () => {
  it("compresses JSON above the threshold, with brotli or gzip", async () => {
    const headers = await t.sessionFor(demo.manager);
    const brotli = await get("/api/openapi.json", "br", headers);
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers["content-encoding"]).toBe("br");
    const document = JSON.parse(brotliDecompressSync(brotli.rawPayload).toString());
    expect(document.openapi).toMatch(/^3\./);
    const gzip = await get("/api/openapi.json", "gzip", headers);
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString())).toEqual(document);
  });

  it("leaves a small answer as it is", async () => {
    const response = await get("/api/health", "br, gzip");
    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("does not compress files that are compressed already (PDF, XLSX)", async () => {
    const headers = await t.sessionFor(demo.steering);
    const pdf = await get("/api/reporting/report?from=2026-01&to=2026-06", "br, gzip", headers);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.headers["content-encoding"]).toBeUndefined();
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    const xlsx = await get("/api/reporting/export?from=2026-01&to=2026-06&format=xlsx", "br, gzip", headers);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers["content-encoding"]).toBeUndefined();
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
  });

  it("answers an unknown API path with the JSON 404, not the web app, however it is spelled", async () => {
    for (const url of ["/api/inconnu", "/%61pi/inconnu", "/%61%70%69/inconnu"]) {
      const response = await get(url, "br");
      expect(response.statusCode, url).toBe(404);
      expect(response.headers["content-type"], url).toMatch(/application\/json/);
    }
  });

  it("answers a missing file of the app (an old build's script) with a 404, not the page", async () => {
    for (const url of ["/assets/index-0ld0ld00.js", "/dsfr/utility/absent.css"]) {
      const response = await get(url, "br");
      expect(response.statusCode, url).toBe(404);
      expect(response.headers["content-type"], url).toMatch(/application\/json/);
    }
  });

  it("never lets a browser or a proxy keep an API answer; an undecodable address is a French 400", async () => {
    const headers = await t.sessionFor(demo.cpip);
    for (const url of ["/api/people", "/api/auth/session", "/api/inconnu"]) {
      const response = await get(url, "br, gzip", headers);
      expect(response.headers["cache-control"], url).toBe("no-store");
    }
    const bad = await get("/api/%ZZ", "br");
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: "request.invalid",
      issues: [{ path: "url", message: "Adresse mal formée." }],
    });
    expect(bad.json().requestId).toEqual(expect.any(String));
  });
});
