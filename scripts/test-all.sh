#!/usr/bin/env bash
# Everything CI checks, in order: lint (the import table included), types, build, the builder
# config, unit/integration tests (vitest), end-to-end tests (Playwright in Chromium). Ends with
# one plain line "N passed, N failed, N skipped" that CI reads.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/unit.json test-results/e2e.json test-results/checks.txt

check() {
  local name="$1"; shift
  echo "== $name: $*"
  if "$@"; then echo "pass $name" >> test-results/checks.txt; else echo "fail $name" >> test-results/checks.txt; echo "!! $name failed"; fi
}

check lint npx eslint .
check typecheck npx tsc -b
check build node scripts/build.mjs
check electron-builder-config node scripts/check-builder.mjs
echo "== unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/unit.json
echo "== end-to-end tests (Playwright, Chromium)"
npx playwright test
node scripts/summarize-tests.mjs
