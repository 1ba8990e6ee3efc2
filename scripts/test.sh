#!/usr/bin/env bash
# `npm test`: the whole suite, as CI runs it. Static checks first (cheap), then the dashboard's
# checks and build, then the API's build, then unit and integration tests (real MongoDB-compatible
# engine and Redis, started once) in one Jest run with coverage: below a threshold of
# jest.config.js, it fails.
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

coverage=.data/coverage
# Coverage by folder, from Jest's json-summary: src/ and each folder under it, src/ml/'s too; the
# folders with a threshold in jest.config.js show it.
coverage_table() {
  node -e '
    const path = require("path");
    const summary = require(path.resolve(process.argv[1]));
    const thresholds = require(path.resolve("jest.config.js")).coverageThreshold || {};
    const src = path.resolve("src") + path.sep;
    const folders = new Map();
    const add = (folder, file) => {
      const row = folders.get(folder) || { files: 0, lines: [0, 0], branches: [0, 0] };
      row.files += 1;
      for (const key of ["lines", "branches"]) {
        row[key][0] += file[key].covered;
        row[key][1] += file[key].total;
      }
      folders.set(folder, row);
    };
    for (const [file, numbers] of Object.entries(summary)) {
      if (!file.startsWith(src)) continue;
      const parts = file.slice(src.length).split(path.sep);
      add("src/", numbers);
      if (parts.length > 1) add(`src/${parts[0]}/`, numbers);
      if (parts[0] === "ml" && parts.length > 2) add(`src/ml/${parts[1]}/`, numbers);
    }
    const pct = ([covered, total]) => (total ? ((100 * covered) / total).toFixed(2) : "100.00");
    const cell = ([covered, total]) => `${pct([covered, total]).padStart(6)} % ${`${covered}/${total}`.padStart(11)}`;
    const gate = (folder, key) => {
      const minimum = (thresholds[`./${folder}`] || {})[key];
      return minimum === undefined ? "      " : `(>=${minimum})`;
    };
    console.log(`${"coverage (unit + integration)".padEnd(30)} files ${"lines".padEnd(27)}branches`);
    for (const folder of [...folders.keys()].sort()) {
      const row = folders.get(folder);
      console.log(
        `${folder.padEnd(30)} ${String(row.files).padStart(5)} ${cell(row.lines)} ${gate(folder, "lines")}  ${cell(row.branches)} ${gate(folder, "branches")}`,
      );
    }
  ' "$coverage/coverage-summary.json"
}
# Unit and integration tests in one Jest run, so that Jest checks the thresholds against the
# coverage of both, merged. --forceExit: a handle left open by a failed test must not keep the run
# waiting (CI has a hard limit); `timeout` bounds the run for the same reason (a clean run takes a
# fraction of it). The table is printed whether the run passed or not.
jest_tests() {
  local status=0
  rm -rf "$coverage"
  timeout --kill-after=30s 50m npx jest --selectProjects unit integration --ci --forceExit --coverage --json --outputFile="$results/jest.json" || status=$?
  if [ -f "$coverage/coverage-summary.json" ]; then
    echo
    coverage_table || echo "(the coverage table could not be printed)"
  fi
  return "$status"
}
step "unit and integration tests (real engines), coverage gate" jest_tests
echo
echo "npm test: all steps passed in $((SECONDS - total_started)) s"
# The closing line CI reads: totals over the Jest run and the dashboard's Vitest tests.
node -e '
  const files = process.argv.slice(1).map((f) => require(require("path").resolve(f)));
  const sum = (key) => files.reduce((n, r) => n + r[key], 0);
  console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed`);
' "$results/jest.json" "$results/client.json"
