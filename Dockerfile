# syntax=docker/dockerfile:1
# Multi-stage build: compile in a full install, run from a production install of the same lock
# file. The runtime stage's steps are exercised without Docker by .ci/release-check.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts later, once the sources they need (prisma/schema.prisma, web/) are in place.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run db:generate && npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# Without dev dependencies the postinstall only says so; the built tree needs nothing generated.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/web/graphiql/dist ./web/graphiql/dist
COPY prisma/migrations ./prisma/migrations
# The embedded database's directory, when DATABASE_URL is unset (one instance only).
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1's command (no npm, no shell), so SIGTERM reaches the graceful shutdown.
# `docker run --init` (or compose's init: true) adds a signal-forwarding init that reaps zombies.
CMD ["node", "dist/main.js"]
