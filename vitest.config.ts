import os from "node:os";
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    setupFiles: ["tests/setup/console.ts"],
    pool: "forks",
    // Vitest runs cores - 1 files at once: one on a 2-core machine, where most files spend their time
    // waiting on a server or a database. Two at once there; each file has its own database and server.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    minWorkers: 1,
    testTimeout: 20_000,
  },
});
