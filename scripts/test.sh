#!/usr/bin/env bash
# `npm test`: the whole suite, as CI runs it. Static checks first (cheap), then unit tests (no
# engines), then integration tests (real MongoDB-compatible engine and Redis, started once).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh

step() {
  local name=$1
  shift
  local started=$SECONDS
  echo
  echo "=== $name"
  "$@"
  echo "=== $name: ok in $((SECONDS - started)) s"
}

total_started=$SECONDS
# The dashboard's operation types, generated from schema.gql (lint and typecheck read them); an
# operation the schema no longer has fails here.
step "dashboard: codegen (operations against schema.gql)" npm --prefix client run --silent codegen
step "format (prettier --check)" npx prettier --check --log-level warn .
step "lint (eslint, type-checked rules)" npx eslint .
step "typecheck (tsc --noEmit)" npx tsc -p tsconfig.json --noEmit
results=.data/test-results
rm -rf "$results" && mkdir -p "$results"
# --forceExit: a handle left open by a failed test must not keep the run waiting (CI has a hard
# limit); `timeout` bounds each Jest run for the same reason (a clean run takes a fraction of it).
step "unit tests" timeout --kill-after=30s 10m npx jest --selectProjects unit --ci --forceExit --json --outputFile="$results/unit.json"
# The dashboard (client/): its types, then its
# Vitest + React Testing Library tests, then the production build the browser test loads.
client_typecheck() { (cd client && npx tsc -p tsconfig.json --noEmit); }
step "dashboard: typecheck" client_typecheck
client_tests() { (cd client && timeout --kill-after=30s 10m npx vitest run --reporter=default --reporter=json --outputFile="../$results/client.json"); }
client_build() { (cd client && npx vite build --logLevel warn); }
step "dashboard: unit tests (vitest)" client_tests
step "dashboard: build" client_build
# The kill-mid-batch test runs the built app as a real worker process.
step "build" npm run --silent build
step "integration tests (real engines)" timeout --kill-after=30s 40m npx jest --selectProjects integration --ci --forceExit --json --outputFile="$results/integration.json"
echo
echo "npm test: all steps passed in $((SECONDS - total_started)) s"
# The closing line CI reads: totals over the Jest projects and the dashboard's Vitest tests.
node -e '
  const files = process.argv.slice(1).map((f) => require(require("path").resolve(f)));
  const sum = (key) => files.reduce((n, r) => n + r[key], 0);
  console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed`);
' "$results/unit.json" "$results/client.json" "$results/integration.json"
