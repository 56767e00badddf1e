// Adds up the static checks, vitest's JSON report and Playwright's JSON report into the one line
// CI reads; exits non-zero when anything failed or a report is missing (a runner that crashed
// before writing its report must not count as green).
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

for (const line of existsSync('test-results/checks.txt') ? readFileSync('test-results/checks.txt', 'utf8').trim().split('\n') : []) {
  if (line.startsWith('pass ')) passed++;
  else if (line.startsWith('fail ')) {
    failed++;
    problems.push(`check ${line.slice(5)} failed`);
  }
}

if (existsSync('test-results/unit.json')) {
  const unit = JSON.parse(readFileSync('test-results/unit.json', 'utf8'));
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + unit.numTodoTests;
  if (unit.numFailedTestSuites > 0 && unit.numFailedTests === 0) {
    failed += unit.numFailedTestSuites;
    problems.push(`${unit.numFailedTestSuites} vitest file(s) failed to load`);
  }
} else {
  failed++;
  problems.push('vitest wrote no report');
}

if (existsSync('test-results/e2e.json')) {
  const e2e = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'));
  passed += e2e.stats.expected + e2e.stats.flaky;
  failed += e2e.stats.unexpected;
  skipped += e2e.stats.skipped;
  for (const error of e2e.errors ?? []) {
    failed++;
    problems.push(`playwright: ${String(error.message).split('\n')[0]}`);
  }
} else {
  failed++;
  problems.push('Playwright wrote no report');
}

for (const problem of problems) console.log(`!! ${problem}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
