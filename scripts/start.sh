#!/usr/bin/env bash
# `npm start`: from a fresh clone to a running API. Installs what is missing, builds, starts the
# local engines (unless MONGODB_URI / REDIS_URL are set) and the app in role `all`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
echo "[start] building"
npm run --silent build

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
# A local signing secret that survives restarts (sessions stay valid); production sets its own.
if [ -z "${JWT_SECRET:-}" ] && [ "$NODE_ENV" != production ]; then
  secret_file="${DATA_DIR:-.data}/jwt-secret"
  if [ ! -s "$secret_file" ]; then
    mkdir -p "$(dirname "$secret_file")"
    node -e "process.stdout.write(require('crypto').randomBytes(48).toString('base64url'))" >"$secret_file"
    chmod 600 "$secret_file"
  fi
  JWT_SECRET="$(cat "$secret_file")"
  export JWT_SECRET
fi
# Likewise the key that seals webhook secrets at rest (production sets SECRETS_ENCRYPTION_KEYS).
if [ -z "${SECRETS_ENCRYPTION_KEYS:-}" ] && [ "$NODE_ENV" != production ]; then
  key_file="${DATA_DIR:-.data}/secrets-key"
  if [ ! -s "$key_file" ]; then
    mkdir -p "$(dirname "$key_file")"
    node -e "process.stdout.write('local:' + require('crypto').randomBytes(32).toString('base64'))" >"$key_file"
    chmod 600 "$key_file"
  fi
  SECRETS_ENCRYPTION_KEYS="$(cat "$key_file")"
  export SECRETS_ENCRYPTION_KEYS
fi
export APP_ROLE="${APP_ROLE:-all}"
# A demo tenant with an admin, a manager, three reps and their leads (README: logins).
export DEMO_DATA="${DEMO_DATA:-true}"
echo "[start] starting (NODE_ENV=$NODE_ENV, APP_ROLE=$APP_ROLE); data under ${DATA_DIR:-.data}/; Ctrl-C stops everything"
exec node dist/main.js
