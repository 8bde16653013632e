// Prisma CLI configuration. The CLI is only used to generate clients and to
// write migration SQL (`prisma migrate diff`); the app applies migrations itself
// (app/db/migrate.server.ts). engine "js" keeps everything offline: Prisma uses
// its bundled WebAssembly engines and never downloads a binary.
import os from "node:os";
import path from "node:path";
import { defineConfig } from "prisma/config";

const provider = process.env.PRISMA_PROVIDER === "postgresql" ? "postgres" : "sqlite";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", provider, "schema.prisma"),
  migrations: { path: path.join("prisma", provider, "migrations") },
  async adapter() {
    if (provider === "postgres") {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://localhost/attention_span" });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    // The CLI needs a database to talk to even for diffs between schema files: a scratch file.
    return new PrismaBetterSQLite3({ url: process.env.PRISMA_SQLITE_URL ?? `file:${path.join(os.tmpdir(), "attention-span-prisma-cli.db")}` });
  },
});
