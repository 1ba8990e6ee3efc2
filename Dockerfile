# Multi-stage image for the api and worker roles (same image, APP_ROLE decides).
# Node 22 LTS here; the code also runs on Node 20 (the development machines).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# prune drops devDependencies (mongodb-memory-server-core among them: tests only).
RUN npm run build && npm prune --omit=dev

# The dashboard: built from the same schema.gql the API was generated with, served by the api role.
FROM node:22-bookworm-slim AS client
WORKDIR /app/client
COPY client/package.json client/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY schema.gql /app/schema.gql
COPY client ./
RUN npm run build

FROM node:22-bookworm-slim AS runtime
# DASHBOARD_DIR defaults to client/dist, relative to WORKDIR: /app/client/dist, copied below.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=client /app/client/dist ./client/dist
COPY package.json ./
USER node
EXPOSE 3000
# Liveness only (/health/live: the process answers; engines are not looked at): an engine outage is
# not cured by restarting replicas. Readiness (/health/ready, 503 while draining or when an engine
# fails) is what a load balancer or compose's `api` healthcheck asks.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# SIGTERM reaches node directly (no shell), so the graceful shutdown runs.
CMD ["node", "dist/main.js"]
