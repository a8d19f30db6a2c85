import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "./db/seed/demo";
import {
  buildServerForTest,
  type ServerDatabase,
  type SpawnedServer,
  serverDatabase,
  spawnServer,
  WEB_MARKER,
} from "./testing/spawnedServer";
import { demo } from "./testing/testApp";

/** `npm run build` then `node dist/server/main.js` with NODE_ENV=production: no tsx anywhere. */
describe("the compiled server, started for production", () => {
  let build: { mainJs: string; root: string };
  let database: ServerDatabase;
  let server: SpawnedServer;
  beforeAll(async () => {
    build = await buildServerForTest();
    database = await serverDatabase();
    server = await spawnServer(build.mainJs, {
      ...database.env,
      NODE_ENV: "production",
      PUBLIC_URL: "https://passerelle.example.fr",
      // A copy of the demo template: a production server refuses the demo accounts unless told.
      DEMO_DATA: "yes",
      DOCUMENT_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
      // Required in production; nothing is sent in this test.
      SMTP_URL: "smtp://127.0.0.1:9",
      OUTBOX_POLL_SECONDS: "60",
    });
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill("SIGKILL");
    await database?.drop();
    if (build) rmSync(build.root, { recursive: true, force: true });
  });

  it("is ready, answers the probes, serves the web app and the API", async () => {
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: "ready" });
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: "ok" });
    const page = await fetch(`${server.url}/personnes`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(WEB_MARKER);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: demo.cpip, password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get("set-cookie")).toMatch(/HttpOnly/i);
  });

  it("logs each request as JSON with its request id, which the answer carries too", async () => {
    const response = await fetch(`${server.url}/healthz`);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = server.stdout
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { reqId?: string; msg: string });
    expect(lines.filter((line) => line.reqId === requestId).map((line) => line.msg)).toEqual([
      "incoming request",
      "request completed",
    ]);
  });

  it("ships the operator commands compiled beside the server (setup, backups, documents' key rotation)", () => {
    for (const [script, args, said] of [
      ["setup.js", [], /Usage : npm run setup/],
      ["db.js", [], /Usage : npm run db:backup -- <fichier>.*\n.*node dist\/server\/db\.js backup\|restore/],
      ["rotate.js", [], /DOCUMENT_KEYS: obligatoire pour rechiffrer/],
    ] as const) {
      const run = spawnSync(process.execPath, [path.join(path.dirname(build.mainJs), script), ...args], {
        env: { PATH: process.env.PATH ?? "", ...database.env },
        encoding: "utf8",
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(said);
    }
  });

  it("stops on SIGTERM with status 0, and the data directory is free again", async () => {
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const db = await database.open();
    await db.close();
  });
});
