#!/usr/bin/env node
// Writes prisma/sqlite/schema.prisma and prisma/postgres/schema.prisma from the
// one source of truth, prisma/schema.base.prisma. With --check it writes nothing
// and exits 1 when either file is out of date (CI runs it).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const base = fs.readFileSync(path.join(root, "prisma/schema.base.prisma"), "utf8");
// The datasource url is never used at run time (the driver adapter connects), but
// prisma generate needs a literal one to stay offline.
const header = (provider, output, url) => `// GENERATED from prisma/schema.base.prisma by scripts/db-schemas.mjs: edit that file, then run npm run db:schemas.

generator client {
  provider = "prisma-client"
  output   = "${output}"
  engineType = "client"
  moduleFormat = "esm"
}

datasource db {
  provider = "${provider}"
  url      = "${url}"
}

`;
const targets = [
  { file: "prisma/sqlite/schema.prisma", text: header("sqlite", "../../app/generated/sqlite", "file:./unused.db") + base },
  { file: "prisma/postgres/schema.prisma", text: header("postgresql", "../../app/generated/postgres", "postgresql://unused/unused") + base },
];
const check = process.argv.includes("--check");
let stale = 0;
for (const t of targets) {
  const abs = path.join(root, t.file);
  const current = fs.existsSync(abs) ? fs.readFileSync(abs, "utf8") : null;
  if (current === t.text) continue;
  if (check) {
    console.error(`${t.file} is out of date with prisma/schema.base.prisma: run npm run db:schemas`);
    stale++;
  } else {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, t.text);
    console.log(`wrote ${t.file}`);
  }
}
process.exit(stale ? 1 : 0);
