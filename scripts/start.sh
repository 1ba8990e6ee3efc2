#!/usr/bin/env bash
# `npm start`: from a fresh clone to a running API. Installs what is missing, builds, starts the
# local engines (unless MONGODB_URI / REDIS_URL are set) and the app in role `all`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
echo "[start] building"
npm run --silent build

export NODE_ENV="${NODE_ENV:-development}"
export APP_ROLE="${APP_ROLE:-all}"
echo "[start] starting (NODE_ENV=$NODE_ENV, APP_ROLE=$APP_ROLE); data under ${DATA_DIR:-.data}/; Ctrl-C stops everything"
exec node dist/main.js
