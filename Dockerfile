# syntax=docker/dockerfile:1
# Attention Span: multi-stage build on Node 20 slim.
#   docker build -t attention-span .
#   docker run -p 3000:3000 -v attention-data:/data attention-span
# PostgreSQL: add -e DATABASE_URL=postgresql://... -e SESSION_SECRET=... (see docs/deploy.md)

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm ci refuses the lock when optional platform packages of the FSRS binding are unpublished (scripts/lib.mjs): npm install installs the locked tree.
RUN npm ci --no-audit --no-fund || npm install --no-audit --no-fund

FROM deps AS build
WORKDIR /app
COPY . .
# Runtime dependencies only. --omit=optional also drops what @prisma/client
# lists as optional peers (the prisma CLI with effect, and typescript: ~120 MB
# that --omit=dev keeps); migrations run through app/db/migrate.server.ts, not
# the CLI, and the generated clients are inside the build.
# The FSRS optimizer's native build is an optional dependency of its binding:
# kept through the prune (ADR 026).
RUN npm run build && cp -r node_modules/@open-spaced-repetition /tmp/fsrs-binding \
    && npm prune --omit=dev --omit=optional \
    && mkdir -p node_modules/@open-spaced-repetition && cp -rn /tmp/fsrs-binding/. node_modules/@open-spaced-repetition/

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
RUN groupadd --system app && useradd --system --gid app --home /app app \
    && mkdir -p /data && chown app:app /data
COPY --from=build --chown=app:app /app/node_modules ./node_modules
COPY --from=build --chown=app:app /app/build ./build
COPY --from=build --chown=app:app /app/public ./public
COPY --from=build --chown=app:app /app/content ./content
COPY --from=build --chown=app:app /app/prisma ./prisma
COPY --from=build --chown=app:app /app/server.mjs /app/pyodide-files.mjs /app/package.json ./
USER app
VOLUME ["/data"]
EXPOSE 3000
# Migrations and the content sync run on start (server.mjs), before the port opens.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "server.mjs"]
