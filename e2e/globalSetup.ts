import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type RunningServer, startServer } from "../src/server/main";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Starts the real server (built web app, fresh embedded database with demo data) on a free port. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "passerelle-e2e-"));
  const port = 3100 + Math.floor(Math.random() * 800);
  const server: RunningServer = await startServer({
    PORT: String(port),
    DATA_DIR: dataDir,
    DEMO_DATA: "yes",
    LOG_LEVEL: "warn",
    PUBLIC_URL: `http://localhost:${port}`,
  });
  project.provide("baseUrl", `http://localhost:${port}`);
  return async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
