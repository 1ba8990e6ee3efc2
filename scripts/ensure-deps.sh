#!/usr/bin/env bash
# Installs what a fresh clone lacks: npm dependencies (from the lockfile) and the local engines.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[deps] installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -d client/node_modules ] || [ client/package-lock.json -nt client/node_modules/.package-lock.json ]; then
  echo "[deps] installing the dashboard's npm dependencies (npm ci in client/)"
  npm --prefix client ci --no-audit --no-fund --loglevel=error
fi

# Engines are only needed when the environment does not point at running ones.
if [ -z "${MONGODB_URI:-}" ] || [ -z "${REDIS_URL:-}" ]; then
  bash scripts/install-engines.sh
fi
