import { defineConfig } from "vitest/config";

/** Browser journeys: Playwright (playwright-core) driving Debian's Chromium against the real server. */
export default defineConfig({
  test: {
    include: ["e2e/**/*.spec.ts"],
    globalSetup: ["e2e/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
