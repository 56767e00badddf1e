// `npm run test:e2e`: build everything the specs drive, then run Playwright (browser mode in
// Debian's Chromium; desktop specs where Electron's runtime exists).
import { spawnSync } from 'node:child_process';

const steps = [
  [process.execPath, ['scripts/build.mjs']],
  [process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...process.argv.slice(2)]],
];
for (const [command, args] of steps) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
