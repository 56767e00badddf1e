#!/usr/bin/env node
// `npm start`: build, then open the desktop app when this machine can run it, else browser mode.
//
// The desktop app needs three things this machine may lack: Electron's runtime (an offline
// install never downloads it), a display, and better-sqlite3 built for Electron's ABI (which needs
// Electron's headers once). Missing any of them is normal here, so it is said in ONE line and the
// same UI starts in browser mode (`trainyard ui`) instead. Arguments go to whichever starts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareElectronNative } from './prepare-electron-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const runtime = electronRuntime();
const display = runtime.binary ? displayProblem() : null;
let why = runtime.problem ?? display;
if (!why) {
  const prepared = prepareElectronNative({ root });
  if (prepared.ok) {
    const env = { ...process.env, TRAINYARD_SQLITE_BINDING: prepared.file };
    // Set by some tools (and by Electron for its own children): it would make Electron a plain Node.
    delete env.ELECTRON_RUN_AS_NODE;
    // The app folder, not the bundle: Electron then reads package.json (name "Trainyard", whose
    // `main` is dist/electron/main.js), so app.getPath('userData') matches the CLI's home.
    forward(spawn(runtime.binary, [root, ...args], { cwd: root, stdio: 'inherit', env }));
  } else {
    why = prepared.message;
  }
}
if (why) {
  console.log(`${why}: starting browser mode`);
  forward(spawn(process.execPath, [join(root, 'dist', 'cli', 'trainyard.js'), 'ui', ...args], { cwd: root, stdio: 'inherit' }));
}

/** The Electron binary, found the way electron's own index.js finds it, without requiring it (that throws). */
function electronRuntime() {
  let packageDir;
  try {
    packageDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return { problem: 'Electron is not installed (run npm install)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, executable ?? 'electron') : executable ? join(packageDir, 'dist', executable) : null;
  if (!binary || !existsSync(binary)) return { problem: "Electron's runtime is not installed (offline install)" };
  return { binary };
}

function displayProblem() {
  if (process.platform !== 'linux') return null;
  return process.env.DISPLAY || process.env.WAYLAND_DISPLAY ? null : 'No display (DISPLAY and WAYLAND_DISPLAY are unset)';
}

/** Runs the child as if it were this process: signals go to it, its exit becomes ours. */
function forward(child) {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const relay = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of signals) process.on(signal, relay);
  child.on('error', (error) => {
    console.error(`Could not start ${child.spawnfile}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const name of signals) process.off(name, relay);
    // Die of the same signal, so whoever started `npm start` sees what really happened.
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
