#!/bin/sh
# One-shot Temporal setup for docker-compose.yml, run by the `temporal-setup` service in the
# temporalio/admin-tools image once the server is healthy:
#   1. wait until the frontend answers SERVING,
#   2. make sure the namespace exists (auto-setup creates DEFAULT_NAMESPACE in the background;
#      we create it ourselves if it is still missing),
#   3. register the custom search attributes the order workflow upserts, and check them.
# Idempotent: it runs on every `docker compose up` and only creates what is missing.
#
# Environment:
#   TEMPORAL_ADDRESS              frontend, e.g. temporal:7233 (read by the temporal CLI too)
#   TEMPORAL_NAMESPACE            namespace, default "default"
#   TEMPORAL_NAMESPACE_RETENTION  retention when this script creates the namespace, default 168h
#   SEARCH_ATTRIBUTES             space-separated Name=Type pairs, e.g. "OrderId=Keyword OrderTotal=Int"
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS must be set}"
: "${SEARCH_ATTRIBUTES:?SEARCH_ATTRIBUTES must be set, e.g. OrderId=Keyword}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-168h}"
export TEMPORAL_ADDRESS

log() { echo "temporal-setup: $*"; }
fail() { echo "temporal-setup: ERROR: $*" >&2; exit 1; }

# Prints the registered type of search attribute $1 in $NAMESPACE, or nothing.
registered_type() {
  temporal operator search-attribute list --namespace "$NAMESPACE" 2>/dev/null \
    | awk -v name="$1" '$1 == name { print $2; exit }'
}

log "waiting for the Temporal frontend at $TEMPORAL_ADDRESS"
tries=0
until temporal operator cluster health 2>/dev/null | grep -q SERVING; do
  tries=$((tries + 1))
  [ "$tries" -lt 180 ] || fail "frontend at $TEMPORAL_ADDRESS not SERVING after 180 s"
  sleep 1
done

log "ensuring namespace $NAMESPACE"
tries=0
until temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; do
  if [ "$tries" -eq 10 ]; then
    # Still missing after 10 s: auto-setup did not create it (another name), so we do.
    temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" || true
  fi
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || fail "namespace $NAMESPACE does not exist and could not be created"
  sleep 1
done

for pair in $SEARCH_ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  [ -n "$name" ] && [ -n "$type" ] && [ "$name" != "$pair" ] || fail "bad SEARCH_ATTRIBUTES entry '$pair' (want Name=Type)"

  tries=0
  while :; do
    current="$(registered_type "$name")"
    if [ -n "$current" ]; then
      [ "$current" = "$type" ] || fail "search attribute $name exists as $current, expected $type"
      log "search attribute $name ($type) registered"
      break
    fi
    tries=$((tries + 1))
    [ "$tries" -lt 30 ] || fail "could not register search attribute $name ($type)"
    # The namespace cache may lag right after creation: retry until the list shows it.
    temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type "$type" || true
    sleep 1
  done
done

log "done"
