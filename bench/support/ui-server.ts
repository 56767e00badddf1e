/** `trainyard ui` on a seeded home, started and stopped as the e2e tests do (bench-only). */
import { spawn, type ChildProcess } from 'node:child_process';

export interface UiServer {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly child: ChildProcess;
}

export async function startUi(cliPath: string, homeDir: string): Promise<UiServer> {
  const child = spawn(process.execPath, [cliPath, 'ui', '--home', homeDir, '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`trainyard ui printed no URL in 30 s:\n${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^Trainyard is running at (http\S+)/m.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`trainyard ui exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return { url, origin: parsed.origin, token: parsed.searchParams.get('token') ?? '', child };
}

export async function stopUi(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
