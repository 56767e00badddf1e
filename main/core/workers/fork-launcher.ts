import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { WorkerChannel, WorkerLauncher } from './worker-host';

/**
 * Starts workers with `child_process.fork` (plain Node: CLI, browser mode, tests). The packaged
 * app uses Electron's utilityProcess instead, because its RunAsNode fuse is off.
 * `advanced` serialization carries NaN, typed arrays and Maps unchanged.
 */
export const forkLauncher: WorkerLauncher = (entryFile, options) => {
  const child = fork(entryFile, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...options.env, TRAINYARD_WORKER: options.name },
  });
  const channel: WorkerChannel = {
    pid: child.pid,
    postMessage: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', listener),
    // 'close' (not 'exit') fires after stdout/stderr are drained, so a crash report has its last lines.
    onExit: (listener) => child.on('close', (code, signal) => listener({ code, signal })),
    onOutput: (listener) => {
      if (child.stdout) createInterface({ input: child.stdout }).on('line', (line) => listener(line, 'stdout'));
      if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => listener(line, 'stderr'));
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  return channel;
};
