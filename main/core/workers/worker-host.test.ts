import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FromWorkerMessage } from '../../../shared/worker-protocol';
import { testWorkersDir } from '../testing/temp-home';
import { forkLauncher } from './fork-launcher';
import { WorkerFailure, type WorkerHandle, WorkerHost } from './worker-host';

const fixture = join(import.meta.dirname, 'fixtures', 'behave.mjs');
const host = new WorkerHost(forkLauncher, testWorkersDir);
const failureOf = async (promise: Promise<unknown>): Promise<WorkerFailure> => {
  const error = await promise.then(() => null, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(WorkerFailure);
  return error as WorkerFailure;
};

describe('worker host', () => {
  it('returns the result and passes validated messages through (NaN intact)', async () => {
    const messages: FromWorkerMessage[] = [];
    const value = await host.runEntry(fixture, 'echo', { mode: 'echo', value: { answer: 42 } }, { onMessage: (m) => messages.push(m) }).result;
    expect(value).toEqual({ answer: 42 });
    expect(messages.map((m) => m.type)).toEqual(['progress', 'metrics', 'result']);
    const metrics = messages[1] as Extract<FromWorkerMessage, { type: 'metrics' }>;
    expect(metrics.points[0]!.value).toBeNaN();
  });

  it('reports a crash with its exit code and last output', async () => {
    const failure = await failureOf(host.runEntry(fixture, 'crashy', { mode: 'crash' }).result);
    expect(failure.reason).toBe('crashed');
    expect(failure.exit?.code).toBe(3);
    expect(failure.message).toMatch(/exited with code 3.*about to fail hard/s);
  });

  it('explains a SIGKILL as a likely out-of-memory', async () => {
    const failure = await failureOf(host.runEntry(fixture, 'oom', { mode: 'abort' }).result);
    expect(failure.message).toMatch(/signal SIGKILL.*out of memory/);
  });

  it('kills on request', async () => {
    const handle = host.runEntry(fixture, 'hangs', { mode: 'hang' });
    setTimeout(() => handle.kill('cancelled by the user'), 200);
    const failure = await failureOf(handle.result);
    expect(failure.reason).toBe('killed');
    expect(failure.message).toMatch(/cancelled by the user/);
  });

  it('stops a worker that runs past its timeout', async () => {
    const failure = await failureOf(host.runEntry(fixture, 'slow', { mode: 'hang' }, { timeoutMs: 300 }).result);
    expect(failure.reason).toBe('timeout');
    expect(failure.message).toMatch(/within 300 ms/);
  });

  it('fails the attempt on a malformed message', async () => {
    const failure = await failureOf(host.runEntry(fixture, 'garbled', { mode: 'malformed' }).result);
    expect(failure.reason).toBe('protocol');
  });

  it('tells a long-lived worker is ready, then lets it wind down on cancel', async () => {
    const messages: string[] = [];
    let handle!: WorkerHandle<string>;
    const info = await new Promise<unknown>((resolve) => {
      handle = host.runEntry<string>(fixture, 'server', { mode: 'serve' }, { onReady: resolve, onMessage: (m) => messages.push(m.type) });
    });
    expect(info).toEqual({ port: 1234 });
    handle.cancel();
    expect(await handle.result).toBe('stopped cleanly');
    expect(messages).toEqual(['ready', 'result']);
  });

  it('carries the worker\'s own error message', async () => {
    const failure = await failureOf(host.runEntry(fixture, 'sad', { mode: 'error' }).result);
    expect(failure).toMatchObject({ reason: 'error', message: 'the data file is empty' });
  });

  it('runs the real probe worker: onnxruntime loads and computes on the CPU', async () => {
    const report = await host.run<{ providers: Array<{ name: string; available: boolean }>; preferredProvider: string; checkOutput: number[] }>('probe', {}, { timeoutMs: 60_000 }).result;
    expect(report.providers.find((p) => p.name === 'cpu')?.available).toBe(true);
    expect(report.checkOutput).toEqual([2, 4, 6, 8]);
    expect(report.preferredProvider).not.toBe('none');
  });
});
