import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import type { Clock } from "../src/server/core/clock";
import { notificationSettings, structure } from "../src/server/db/schema";
import { parseSetupFile, setupStructure } from "../src/server/domains/structures/Setup";
import { type RunningServer, startServer } from "../src/server/main";
import { startFakeBrevo } from "../src/server/testing/fakeBrevo";
import { startFakeProConnect } from "../src/server/testing/fakeProConnect";
import { startSmtpSink } from "../src/server/testing/smtpSink";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    fakesUrl: string;
    /** One line per page state checked by expectAccessible (each at 2 widths × 2 schemes). */
    a11yCountFile: string;
    /** The server's listener for delivery status notifications (BOUNCE_SMTP_PORT), on 127.0.0.1. */
    bounceSmtpPort: number;
  }
}

/** The envelope sender of newsletters in the journeys: `bounces+<token>@passerelle.e2e.test`. */
const BOUNCE_ADDRESS = "bounces@passerelle.e2e.test";

/** A port free at this moment on 127.0.0.1. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Starts the real server (built web app, fresh embedded database with demo data) on a free port,
 * with a real SMTP server and the fake Brevo SMS API, and a small control server for the journeys:
 * what the fakes received, delivery receipts, and moving the server's clock forward.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "passerelle-e2e-"));
  // E2E_PORT: a fixed port; otherwise one the system says is free (a random pick in a range once
  // fell on MariaDB's 3306 on a machine that runs it).
  const port = Number(process.env.E2E_PORT) || (await freePort());
  const publicUrl = `http://localhost:${port}`;
  const [smtp, brevo, proconnect] = await Promise.all([
    startSmtpSink(),
    startFakeBrevo(),
    // A real OpenID provider configured like ProConnect (ADR 0023), on another site than the app.
    startFakeProConnect({
      redirectUri: `${publicUrl}/api/auth/proconnect/callback`,
      postLogoutRedirectUri: `${publicUrl}/connexion`,
    }),
  ]);
  const bounceSmtpPort = await freePort();
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
  const server: RunningServer = await startServer(
    {
      PORT: String(port),
      DATA_DIR: dataDir,
      DEMO_DATA: "yes",
      LOG_LEVEL: "warn",
      PUBLIC_URL: publicUrl,
      SMTP_URL: smtp.url,
      SMS_PROVIDER: "brevo",
      BREVO_API_KEY: brevo.apiKey,
      BREVO_API_URL: brevo.apiUrl,
      SMS_WEBHOOK_TOKEN: "e2e-webhook-secret-0123456789",
      OUTBOX_POLL_SECONDS: "1",
      BOUNCE_ADDRESS: BOUNCE_ADDRESS,
      BOUNCE_SMTP_PORT: String(bounceSmtpPort),
      BOUNCE_SMTP_HOST: "127.0.0.1",
      // No scheduled job: the journeys move the clock forward to their appointments, past the
      // nightly purge's hour, and the retention journey inspects the aged demo files itself.
      JOBS_POLL_SECONDS: "0",
      PROCONNECT_ISSUER: proconnect.issuer,
      PROCONNECT_CLIENT_ID: proconnect.clientId,
      PROCONNECT_CLIENT_SECRET: proconnect.clientSecret,
    },
    clock,
  );
  // The journeys must not depend on the hour they run at: no quiet hours for the demo structure.
  const [demo] = await server.db.db.select({ id: structure.id }).from(structure);
  await server.db.db
    .insert(notificationSettings)
    .values({ structureId: demo!.id, quietFrom: "00:00", quietTo: "00:00" });

  const control = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    if (req.method === "GET" && req.url === "/mails") return reply(200, smtp.mails);
    if (req.method === "GET" && req.url === "/sms") return reply(200, brevo.sent);
    if (req.method === "POST" && req.url === "/receipt")
      return reply(200, { status: await brevo.report(body.messageId, body.status) });
    if (req.method === "POST" && req.url === "/proconnect/agent") {
      proconnect.agents.set(body.email, body);
      return reply(200, {});
    }
    if (req.method === "GET" && req.url === "/proconnect/logouts") return reply(200, proconnect.logouts);
    // A structure just set up, as `npm run setup` writes it (the body is its file): its accounts' links.
    if (req.method === "POST" && req.url === "/setup") {
      try {
        const file = parseSetupFile(JSON.stringify(body));
        return reply(200, await setupStructure(server.db.db, file, { publicUrl, clock }));
      } catch (error) {
        return reply(400, { error: String(error) });
      }
    }
    if (req.method === "POST" && req.url === "/clock") {
      offsetMs = body.now ? new Date(body.now).getTime() - Date.now() : 0;
      return reply(200, { now: clock.now().toISOString() });
    }
    return reply(404, {});
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  project.provide("baseUrl", `http://localhost:${port}`);
  project.provide("bounceSmtpPort", bounceSmtpPort);
  const a11yCountFile = path.join(dataDir, "a11y-states.txt");
  project.provide("a11yCountFile", a11yCountFile);
  project.provide("fakesUrl", `http://127.0.0.1:${(control.address() as AddressInfo).port}`);
  return async () => {
    const states = existsSync(a11yCountFile)
      ? readFileSync(a11yCountFile, "utf8").split("\n").filter(Boolean)
      : [];
    console.log(
      `axe-core: ${states.length} page states checked, each at 1366 px and 390 px in light and dark mode (${states.length * 4} runs)`,
    );
    await server.close();
    control.close();
    await Promise.all([smtp.close(), brevo.close(), proconnect.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
