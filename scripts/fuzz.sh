#!/usr/bin/env bash
# `npm run fuzz`: schemathesis against the running app, bounded, on local engines.
#   1. installs what is missing (npm dependencies, local engines, a schemathesis virtualenv under
#      .data/fuzz-venv), builds the app and starts it (NODE_ENV=test, in-memory engines, a free port,
#      generous rate limits, its JSON log to .data/fuzz/app.log);
#   2. registers a tenant, seeds a few leads and interactions, takes the admin's token and the
#      tenant's webhook secret;
#   3. fuzzes /graphql (every query and mutation but `logout`, with the token) and the REST routes
#      described in scripts/fuzz/rest-openapi.yaml (the webhook deliveries signed by
#      scripts/fuzz/hooks.py);
#   4. fails on any 5xx, any non-conformant REST response and any error-level line in the app's log.
# FUZZ_MAX_EXAMPLES (default 150) bounds the cases per operation and phase (examples, coverage,
# fuzzing, stateful); FUZZ_SEED fixes the seed;
# FUZZ_WORKERS (default 1) the concurrent requests. The app and its engines are stopped on exit.
# GraphQL variables ($input) are meant literally inside single quotes.
# shellcheck disable=SC2016
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-150}"
WORKERS="${FUZZ_WORKERS:-1}"
SEED="${FUZZ_SEED:-$RANDOM$RANDOM}"
OUT=.data/fuzz
VENV=.data/fuzz-venv
APP_LOG="$OUT/app.log"

log() { printf '[fuzz] %s\n' "$*"; }
started_at=$(date +%s)

# --- 1. what it needs ----------------------------------------------------------------------------
bash scripts/ensure-deps.sh
if ! command -v python3 >/dev/null 2>&1; then
  log "python3 is missing: install it (apt-get install -y python3 python3-venv)"
  exit 1
fi
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null || true)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  log "creating $VENV with schemathesis $SCHEMATHESIS_VERSION"
  rm -rf "$VENV"
  python3 -m venv "$VENV" || {
    log "python3 -m venv failed: install python3-venv (apt-get install -y python3-venv)"
    exit 1
  }
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
log "building"
npm run --silent build

rm -rf "$OUT"
mkdir -p "$OUT"

# --- 2. the app --------------------------------------------------------------------------------------
PORT="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
BASE="http://127.0.0.1:$PORT"
app_pid=""

stop_app() {
  local code=$?
  trap - EXIT INT TERM
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    log "stopping the app (pid $app_pid) and its engines"
    kill -TERM "$app_pid" 2>/dev/null || true
    # The app stops its engines after a graceful shutdown (SHUTDOWN_TIMEOUT_MS below); bounded wait.
    for _ in $(seq 1 60); do
      kill -0 "$app_pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$app_pid" 2>/dev/null; then
      log "the app did not stop in 30 s: SIGKILL (its watchdog stops the engines)"
      kill -KILL "$app_pid" 2>/dev/null || true
    fi
  fi
  exit "$code"
}
trap stop_app EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting the app on $BASE (log: $APP_LOG)"
env -u MONGODB_URI -u REDIS_URL \
  NODE_ENV=test APP_ROLE=all HOST=127.0.0.1 PORT="$PORT" LOG_LEVEL=log DEMO_DATA=false \
  DATA_DIR="$OUT/data" SHUTDOWN_TIMEOUT_MS=10000 \
  RATE_LIMIT_USER_PER_MINUTE=1000000 RATE_LIMIT_IP_PER_MINUTE=1000000 \
  REGISTER_MAX_PER_IP=1000000 REGISTER_MAX_PER_EMAIL=1000000 LOGIN_MAX_ATTEMPTS=1000000 \
  ACCESS_TOKEN_TTL_SECONDS=7200 \
  node dist/main.js >"$APP_LOG" 2>&1 &
app_pid=$!

ready=""
for _ in $(seq 1 240); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    log "the app exited during start-up:"
    tail -n 40 "$APP_LOG"
    exit 1
  fi
  if grep -q '"msg":"ready: ' "$APP_LOG" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  log "the app was not ready within 120 s:"
  tail -n 40 "$APP_LOG"
  exit 1
fi

# POSTs a GraphQL operation; prints the JSON answer. $1: query, $2: variables (JSON), $3: token.
gql() {
  local body
  body="$("$VENV/bin/python" -c 'import json,sys; print(json.dumps({"query": sys.argv[1], "variables": json.loads(sys.argv[2])}))' "$1" "$2")"
  curl -sS --max-time 30 -X POST "$BASE/graphql" -H 'Content-Type: application/json' \
    ${3:+-H "Authorization: Bearer $3"} --data-binary "$body"
}
# Reads a dotted path out of a JSON document on stdin; fails when it is absent.
json_get() {
  "$VENV/bin/python" -c '
import json, sys
value = json.load(sys.stdin)
try:
    for key in sys.argv[1].split("."):
        value = value[int(key)] if isinstance(value, list) else value[key]
except (KeyError, IndexError, TypeError):
    sys.exit("missing " + sys.argv[1])
print(value)' "$1"
}

# --- 3. a tenant, its token, its webhook secret, a few leads -----------------------------------------
email="fuzz-$(date +%s)-$RANDOM@example.test"
answer="$(gql 'mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { tenantId } } }' \
  "{\"input\":{\"email\":\"$email\",\"name\":\"Fuzz Admin\",\"password\":\"fuzz-password-123\",\"tenantName\":\"Fuzz Co\"}}")"
TOKEN="$(json_get data.register.accessToken <<<"$answer")" || {
  log "register failed: $answer"
  exit 1
}
TENANT_ID="$(json_get data.register.user.tenantId <<<"$answer")"
# The tenant's webhook secret, for the hook that signs deliveries. Fetched again before the REST
# run: fuzzing rotateWebhookSecret over GraphQL replaces it.
webhook_secret() {
  local answer
  answer="$(gql 'mutation { rotateWebhookSecret }' '{}' "$TOKEN")"
  json_get data.rotateWebhookSecret <<<"$answer" || {
    log "rotateWebhookSecret failed: $answer"
    return 1
  }
}
webhook_secret >/dev/null
leads='[{"leadId":"FUZZ-1","name":"Ada","email":"ada@example.test","attributes":{"industry":"bank","size":10}},
  {"leadId":"FUZZ-2","name":"Bo","status":"WORKING"},{"leadId":"FUZZ-3"},{"leadId":"FUZZ-4"},{"leadId":"FUZZ-5"}]'
answer="$(gql 'mutation ($input: UpsertLeadsInput!) { upsertLeads(input: $input) { created failed { reason } } }' \
  "{\"input\":{\"leads\":$leads}}" "$TOKEN")"
json_get data.upsertLeads.created <<<"$answer" >/dev/null || {
  log "upsertLeads failed: $answer"
  exit 1
}
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
answer="$(gql 'mutation ($input: RecordInteractionsInput!) { recordInteractions(input: $input) { accepted } }' \
  "{\"input\":{\"interactions\":[
    {\"leadId\":\"FUZZ-1\",\"type\":\"EMAIL_OPEN\",\"occurredAt\":\"$now\",\"idempotencyKey\":\"seed-1\"},
    {\"leadId\":\"FUZZ-1\",\"type\":\"WEBSITE_VISIT\",\"occurredAt\":\"$now\",\"secondsSpent\":120,\"idempotencyKey\":\"seed-2\"},
    {\"leadId\":\"FUZZ-2\",\"type\":\"ACTIVITY\",\"occurredAt\":\"$now\",\"secondsSpent\":30,\"idempotencyKey\":\"seed-3\"}]}}" "$TOKEN")"
json_get data.recordInteractions.accepted <<<"$answer" >/dev/null || {
  log "recordInteractions failed: $answer"
  exit 1
}
log "tenant $TENANT_ID registered and seeded (5 leads, 3 interactions)"

# --- 4. fuzzing ---------------------------------------------------------------------------------------
export SCHEMATHESIS_HOOKS="$PWD/scripts/fuzz/hooks.py"
# Crash files (replay them with `.data/fuzz-venv/bin/schemathesis --config-file
# scripts/fuzz/schemathesis.toml replay`) are kept across runs.
export FUZZ_CACHE_DIR="$PWD/.data/fuzz-cache"
st=("$VENV/bin/schemathesis" --config-file scripts/fuzz/schemathesis.toml)
export FUZZ_TENANT_ID="$TENANT_ID"
common=(
  --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers "$WORKERS"
  --generation-database none --request-timeout 30 --no-color
  --suppress-health-check all --warnings off
  -H "Authorization: Bearer $TOKEN"
)
status_graphql=0
status_rest=0

log "GraphQL: $BASE/graphql (max $MAX_EXAMPLES examples per operation, seed $SEED)"
# logout would revoke the fuzzer's own token; subscriptions need a WebSocket.
"${st[@]}" run "$BASE/graphql" "${common[@]}" \
  --checks not_a_server_error,response_schema_conformance \
  --exclude-name Mutation.logout \
  --report junit,ndjson --report-junit-path "$OUT/graphql.junit.xml" \
  --report-ndjson-path "$OUT/graphql.ndjson" \
  2>&1 | tee "$OUT/graphql.txt" || status_graphql=$?

log "REST: scripts/fuzz/rest-openapi.yaml against $BASE"
FUZZ_WEBHOOK_SECRET="$(webhook_secret)"
export FUZZ_WEBHOOK_SECRET
"${st[@]}" run scripts/fuzz/rest-openapi.yaml --url "$BASE" "${common[@]}" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --report junit,ndjson --report-junit-path "$OUT/rest.junit.xml" \
  --report-ndjson-path "$OUT/rest.ndjson" \
  2>&1 | tee "$OUT/rest.txt" || status_rest=$?

# --- 5. the app's log -----------------------------------------------------------------------------
# Imports the fuzzer queued run in the app's worker: give the last ones a moment to be processed.
sleep 5
grep -E '"level":"(error|fatal)"' "$APP_LOG" >"$OUT/error-lines.log" || true
error_lines=$(wc -l <"$OUT/error-lines.log")

# --- 6. summary ---------------------------------------------------------------------------------------
summary() {
  "$VENV/bin/python" - "$1" <<'PY'
import json, sys
cases = 0
server_errors = 0
failures = 0
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        event = json.loads(line)
    except ValueError:
        continue
    for name, payload in event.items():
        if not isinstance(payload, dict):
            continue
        for interaction in (payload.get("recorder") or {}).get("interactions", {}).values():
            cases += 1
            response = interaction.get("response") or {}
            if (response.get("status_code") or 0) >= 500:
                server_errors += 1
        for check_list in (payload.get("recorder") or {}).get("checks", {}).values():
            failures += sum(1 for check in check_list if str(check.get("status")).lower() == "failure")
print(f"{cases} {server_errors} {failures}")
PY
}
read -r g_cases g_5xx g_fail < <(summary "$OUT/graphql.ndjson" 2>/dev/null || echo "? ? ?")
read -r r_cases r_5xx r_fail < <(summary "$OUT/rest.ndjson" 2>/dev/null || echo "? ? ?")
duration=$(($(date +%s) - started_at))

echo
log "summary (seed $SEED, $MAX_EXAMPLES examples per operation and phase, ${duration} s in all)"
printf '  %-8s %8s %6s %16s %9s\n' target requests 5xx "check failures" "exit" \
  graphql "$g_cases" "$g_5xx" "$g_fail" "$status_graphql" \
  rest "$r_cases" "$r_5xx" "$r_fail" "$status_rest"
printf '  error-level lines in the app log: %s' "$error_lines"
if [ "$error_lines" -gt 0 ]; then
  printf ' (%s)\n' "$OUT/error-lines.log"
  head -c 4000 "$OUT/error-lines.log"
  echo
else
  echo
fi
log "reports: $OUT/ (graphql.txt, rest.txt, *.junit.xml, *.ndjson, app.log)"

if [ "$status_graphql" -ne 0 ] || [ "$status_rest" -ne 0 ] || [ "$error_lines" -gt 0 ]; then
  log "FAILED"
  exit 1
fi
log "passed: no 5xx, no non-conformant response, no error in the log"
