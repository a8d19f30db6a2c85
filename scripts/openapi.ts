/**
 * Writes the API's OpenAPI document to a file (default `dist/openapi.json`), for developers: the
 * server only serves it to signed-in agents (ADR 0007). Generated from the route contracts; no
 * server is started and the (in-memory) database is never queried.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { systemClock } from "../src/server/core/clock";
import { loadConfig } from "../src/server/core/config";
import { createDb } from "../src/server/db/createDb";
import { buildApp } from "../src/server/http/app";

const output = path.resolve(process.argv[2] ?? "dist/openapi.json");
const config = loadConfig({});
const db = await createDb({ driver: "pglite" });
const app = await buildApp({ deps: { db: db.db, clock: systemClock, config }, publicUrl: config.PUBLIC_URL });
await app.ready();
mkdirSync(path.dirname(output), { recursive: true });
writeFileSync(output, `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
await db.close();
console.log(`Document OpenAPI écrit dans ${output}`);
