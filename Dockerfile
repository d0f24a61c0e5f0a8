# StackAudit server image. Multi-stage: dependencies are installed without dev tools in
# their own stage, the server and the web app are built in another; the runtime image holds
# only what runs (the compiled server and the built web app), as the unprivileged `node` user.
# (Not built on the development machines, which have no Docker engine; see docs/OPERATIONS.md.)

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY web ./web
COPY scripts/build.ts ./scripts/
# The server compiled to JavaScript (dist/server) and the web app (dist/web): scripts/build.ts.
RUN node --import tsx scripts/build.ts

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
# src stays for the command-line tools (npm run migrate, backup, …), which run it through tsx.
COPY src ./src
COPY scripts/serve.sh ./scripts/
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# The embedded database (no DATABASE_URL) lives here; mount a volume to keep it.
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# As `npm start`: a heap cap, and on the embedded database malloc tuned to give memory back;
# without them RSS drifts past what a 512 MB plan allows (docs/OPERATIONS.md, "Memory").
CMD ["sh", "scripts/serve.sh"]
