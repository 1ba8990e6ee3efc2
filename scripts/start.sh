#!/usr/bin/env bash
# `npm start`: from a fresh clone to a running API. Installs what is missing, builds, starts the
# local engines (unless MONGODB_URI / REDIS_URL are set) and the app in role `all`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
echo "[start] building the API and the dashboard"
npm run --silent build
npm run --silent build:client

export NODE_ENV="${NODE_ENV:-development}"

# Local engine data written by an older layout of the documents (format 3: leads carry their
# engagement version and applied events; format 2: leads and events keyed
# by ids derived from tenant + external key) is set aside, not mixed: the demo tenant is seeded anew.
data_dir="${DATA_DIR:-.data}"
data_format=3
if [ -z "${MONGODB_URI:-}" ] && [ -d "$data_dir/mongo" ] &&
  [ "$(cat "$data_dir/format" 2>/dev/null || echo 1)" != "$data_format" ]; then
  aside="$data_dir/previous-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$aside"
  mv "$data_dir/mongo" "$aside/" && { [ ! -d "$data_dir/redis" ] || mv "$data_dir/redis" "$aside/"; }
  echo "[start] local data from an older format moved to $aside; starting with fresh demo data"
fi
mkdir -p "$data_dir" && echo "$data_format" >"$data_dir/format"
# Local secrets that survive restarts, kept under DATA_DIR (production sets its own):
# local_secret VARIABLE FILE JS-EXPRESSION exports VARIABLE from FILE, made once by the expression.
local_secret() {
  local name=$1 file="${DATA_DIR:-.data}/$2" make=$3
  [ -z "${!name:-}" ] && [ "$NODE_ENV" != production ] || return 0
  if [ ! -s "$file" ]; then
    mkdir -p "$(dirname "$file")"
    node -e "process.stdout.write($make)" >"$file"
    chmod 600 "$file"
  fi
  export "$name=$(cat "$file")"
}
# The JWT signing secret (sessions stay valid across restarts).
local_secret JWT_SECRET jwt-secret "require('crypto').randomBytes(48).toString('base64url')"
# The key that seals webhook secrets at rest.
local_secret SECRETS_ENCRYPTION_KEYS secrets-key "'local:' + require('crypto').randomBytes(32).toString('base64')"
export APP_ROLE="${APP_ROLE:-all}"
# A demo tenant with an admin, a manager, three reps and their leads (README: logins).
export DEMO_DATA="${DEMO_DATA:-true}"
echo "[start] starting (NODE_ENV=$NODE_ENV, APP_ROLE=$APP_ROLE); data under ${DATA_DIR:-.data}/; Ctrl-C stops everything"
exec node dist/main.js
