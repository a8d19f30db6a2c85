import { defineConfig } from "vitest/config";

/**
 * Unit and integration tests. Everything runs on PGlite; when TEST_DATABASE_URL is set, the same
 * tests run a second time on that PostgreSQL server (project "postgres"), with the files
 * `*.pg.test.ts` that only make sense there (roles, terminated connections, concurrent startups).
 */
const projects = [
  {
    extends: true as const,
    test: {
      name: "pglite",
      env: { TEST_DB_DRIVER: "pglite" },
      exclude: ["src/**/*.pg.test.ts", "**/node_modules/**"],
    },
  },
  ...(process.env.TEST_DATABASE_URL
    ? [{ extends: true as const, test: { name: "postgres", env: { TEST_DB_DRIVER: "pg" } } }]
    : []),
];

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    globalSetup: ["src/server/testing/globalSetup.ts"],
    testTimeout: 20_000,
    // Vitest's default is one worker per core less one: a single worker on a two-core CI machine,
    // idle while PostgreSQL answers. Two workers overlap one file's database waits with another's work.
    maxWorkers: 2,
    hookTimeout: 60_000,
    projects,
  },
});
