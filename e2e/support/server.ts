import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface UiServerHandle {
  /** The address `trainyard ui` printed, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly home: string;
  stop(): Promise<void>;
}

const cliPath = resolve('dist/cli/trainyard.js');
const startTimeoutMs = 30_000;

/**
 * Starts `trainyard ui` on a fresh home folder with plain Node (not npx, which does not forward
 * SIGTERM) and waits for the line announcing its URL.
 */
export async function startUiServer(label: string): Promise<UiServerHandle> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` before the e2e tests.`);
  const home = await mkdtemp(join(tmpdir(), `trainyard-e2e-${label.replace(/[^\w-]/g, '').slice(0, 24)}-`));
  const child = spawn(process.execPath, [cliPath, 'ui', '--home', home, '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`trainyard ui printed no URL within ${startTimeoutMs} ms. Output:\n${output}`)), startTimeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /^Trainyard is running at (http\S+)/m.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`trainyard ui exited with ${code} before printing its URL. Output:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    home,
    stop: () => stop(child, home),
  };
}

async function stop(child: ChildProcess, home: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  await rm(home, { recursive: true, force: true });
}
