import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ToWorkerMessage } from '../../shared/worker-protocol';
import { WorkerHost, type WorkerExit } from '../core/workers/worker-host';
import { createUtilityLauncher, type UtilityForkOptions, type UtilityProcessLike } from './utility-launcher';

/** Behaves like Electron's UtilityProcess as documented: pid and 'spawn' come later, 'exit' has a code only. */
class FakeUtilityProcess extends EventEmitter implements UtilityProcessLike {
  pid: number | undefined = undefined;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly received: ToWorkerMessage[] = [];
  kills = 0;
  constructor(readonly forkOptions: UtilityForkOptions) {
    super();
  }
  postMessage(message: ToWorkerMessage): void {
    if (this.pid === undefined) throw new Error('posted before spawn');
    this.received.push(message);
  }
  kill(): boolean {
    this.kills += 1;
    return true;
  }
  spawn(pid = 4242): void {
    this.pid = pid;
    this.emit('spawn');
  }
  exit(code: number): void {
    this.emit('exit', code);
    this.stdout.end();
    this.stderr.end();
  }
}

function setup(options = {}) {
  const processes: FakeUtilityProcess[] = [];
  const launcher = createUtilityLauncher((_entry, _args, forkOptions) => {
    const child = new FakeUtilityProcess(forkOptions);
    processes.push(child);
    return child;
  }, options);
  return { launcher, processes };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('utilityProcess launcher', () => {
  it('forks with a service name, piped output and the worker environment', () => {
    const { launcher, processes } = setup();
    launcher('/dist/workers/probe.js', { name: 'probe', env: { EXTRA: '1' } });
    const options = processes[0]?.forkOptions;
    expect(options?.serviceName).toBe('Trainyard probe worker');
    expect(options?.stdio).toBe('pipe');
    expect(options?.env).toMatchObject({ EXTRA: '1', TRAINYARD_WORKER: 'probe' });
  });

  it('holds messages until the process has spawned, then sends them in order; pid is read live', () => {
    const { launcher, processes } = setup();
    const channel = launcher('/w.js', { name: 'probe' });
    channel.postMessage({ type: 'start', input: { a: 1 } });
    channel.postMessage({ type: 'cancel' });
    expect(channel.pid).toBeUndefined();
    processes[0]?.spawn(77);
    expect(channel.pid).toBe(77);
    expect(processes[0]?.received).toEqual([{ type: 'start', input: { a: 1 } }, { type: 'cancel' }]);
  });

  it('reports the exit after the last output lines, like fork\'s close', async () => {
    const { launcher, processes } = setup();
    const channel = launcher('/w.js', { name: 'probe' });
    const seen: string[] = [];
    channel.onOutput((line, stream) => seen.push(`${stream}:${line}`));
    const exited = new Promise<WorkerExit>((resolve) => channel.onExit(resolve));
    const child = processes[0];
    child?.spawn();
    child?.stderr.write('Segmentation fault\n');
    child?.stdout.write('last words');
    child?.exit(139);
    await expect(exited).resolves.toEqual({ code: 139, signal: null });
    expect(seen).toEqual(['stderr:Segmentation fault', 'stdout:last words']);
  });

  it('kills with SIGTERM, then SIGKILL when the worker ignores it', async () => {
    vi.useFakeTimers();
    const killed = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const { launcher, processes } = setup({ killGraceMs: 1000, drainMs: 10 });
    const channel = launcher('/w.js', { name: 'trainer' });
    const exits: WorkerExit[] = [];
    channel.onExit((exit) => exits.push(exit));
    processes[0]?.spawn(555);
    channel.kill();
    channel.kill();
    expect(processes[0]?.kills).toBe(1);
    vi.advanceTimersByTime(999);
    expect(killed).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(killed).toHaveBeenCalledWith(555, 'SIGKILL');
    processes[0]?.exit(0);
    await vi.runAllTimersAsync();
    expect(exits).toEqual([{ code: null, signal: 'SIGKILL' }]);
  });

  it('drives a WorkerHost attempt end to end', async () => {
    const { launcher, processes } = setup();
    const host = new WorkerHost(launcher, '/dist/workers');
    const handle = host.run<number>('probe', { n: 41 });
    const child = processes[0];
    child?.spawn();
    const start = child?.received[0];
    expect(start).toEqual({ type: 'start', input: { n: 41 } });
    child?.emit('message', { type: 'progress', done: 1, total: 2 });
    child?.emit('message', { type: 'result', value: 42 });
    await expect(handle.result).resolves.toBe(42);
    child?.exit(0);
    host.dispose();
  });
});
