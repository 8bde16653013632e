import { defineConfig } from "@playwright/test";

// Debian's Chromium by default (npx playwright install cannot download here);
// CHROMIUM_PATH points elsewhere, or "" to use Playwright's own browser.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: `test-results/e2e-${port}`,
  // Spec files run two at a time (E2E_WORKERS changes it), the tests of one file in order; every test
  // signs up its own learner. The one spec that rewrites a file the server serves (the service worker)
  // runs first and alone: the other project depends on it, so it starts once that spec is done.
  // A run filtered to some files or tests still runs that spec first (`--no-deps` leaves it out).
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS || 2),
  projects: [
    { name: "alone", testMatch: /offline-new-build\.spec\.ts$/ },
    { name: "shared", testIgnore: /offline-new-build\.spec\.ts$/, dependencies: ["alone"] },
  ],
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 7_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: executablePath || undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `http://localhost:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    env: { PORT: String(port) },
  },
});
