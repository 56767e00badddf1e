import { execFileSync } from 'node:child_process';

/** Tests start real workers and the real CLI, so bundle those (fast: esbuild, < 1 s) first. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--only=cli,workers'], { stdio: 'inherit' });
}
