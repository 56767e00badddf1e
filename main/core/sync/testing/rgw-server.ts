import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { delimiter, join } from 'node:path';
import type { S3TestServer } from './s3-client';

/**
 * A throwaway single-node Ceph cluster serving S3 on 127.0.0.1 for tests: one mon, one OSD on
 * `memstore` (objects live in the OSD's RAM), and the RADOS Gateway with the beast frontend.
 * Everything — a private ceph.conf, keys, logs, sockets, data — lives in one folder; nothing is
 * written to /etc/ceph or /var/lib/ceph, so several clusters can run side by side.
 * Settings per TOOLCHAIN.md "S3-compatible servers for tests".
 */
export interface RgwServer extends S3TestServer {
  /** The cluster's folder (removed by stop()). */
  readonly dir: string;
  /** Milliseconds from the call to the first S3 answer. */
  readonly startMs: number;
}

const binaries = ['ceph', 'ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'monmaptool'] as const;
const installHint = 'Ceph is not installed: apt-get install ceph-mon ceph-osd radosgw';
const startTimeoutMs = 20_000;
const accessKeyId = 'TRAINYARDRGWTESTKEY0';
const secretAccessKey = 'trainyardrgwtestsecret0123456789abcdefghij';

function onPath(name: string): boolean {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (!folder) continue;
    try {
      accessSync(join(folder, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** Whether startRgw() can work on this machine, and why not. */
export function rgwAvailable(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `Ceph RGW tests run on Linux only (this is ${process.platform})` };
  const missing = binaries.filter((name) => !onPath(name));
  return missing.length === 0 ? { ok: true } : { ok: false, reason: `${installHint} (missing: ${missing.join(', ')})` };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A cephx secret as ceph-authtool writes it: le16 type (1 = AES), le32 sec, le32 nsec, le16 length, 16 bytes. */
function cephKey(): string {
  const key = Buffer.alloc(28);
  key.writeUInt16LE(1, 0);
  key.writeUInt32LE(Math.floor(Date.now() / 1000), 2);
  key.writeUInt32LE(0, 6);
  key.writeUInt16LE(16, 10);
  randomBytes(16).copy(key, 12);
  return key.toString('base64');
}

function keyring(): string {
  const entity = (name: string, caps: Record<string, string>) =>
    [`[${name}]`, `\tkey = ${cephKey()}`, ...Object.entries(caps).map(([service, cap]) => `\tcaps ${service} = "${cap}"`)].join('\n');
  return [
    entity('mon.', { mon: 'allow *' }),
    entity('client.admin', { mds: 'allow *', mgr: 'allow *', mon: 'allow *', osd: 'allow *' }),
    entity('osd.0', { mgr: 'allow profile osd', mon: 'allow profile osd', osd: 'allow *' }),
    entity('client.rgw.s3', { mgr: 'allow rw', mon: 'allow rw', osd: 'allow rwx' }),
    '',
  ].join('\n');
}

function cephConf(dir: string, port: number, monPort: number, fsid: string): string {
  // Admin sockets only where the path fits a UNIX socket name (107 bytes).
  const asok = dir.length + 36 <= 107 ? `${dir}/run/$cluster-$name.asok` : '';
  const quiet = ['ms', 'mon', 'paxos', 'osd', 'memstore', 'objecter', 'rados', 'monc', 'auth', 'optracker', 'objclass', 'finisher', 'heartbeatmap', 'perfcounter', 'throttle', 'asok', 'context', 'crush', 'buffer', 'timer', 'bluestore', 'bluefs', 'bdev', 'rocksdb'];
  return `# written by main/core/sync/testing/rgw-server.ts
[global]
fsid = ${fsid}
mon host = [v2:127.0.0.1:${monPort}]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
keyring = ${dir}/keyring
run dir = ${dir}/run
admin socket = ${asok}
log file = ${dir}/log/$cluster-$name.log
mon cluster log file = ${dir}/log/$cluster.log
crash dir = ${dir}/crash
log to stderr = false
err to stderr = true
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon warn on insecure global id reclaim allowed = false
mon data avail warn = 1
mon data avail crit = 0
# every pool creation / OSD boot step is a map epoch: propose at once, tick often
paxos propose interval = 0.05
mon tick interval = 1
${quiet.map((name) => `debug ${name} = 0/0`).join('\n')}

[mon]
mon data = ${dir}/mon/$cluster-$id

[osd]
osd data = ${dir}/osd/$cluster-$id
osd objectstore = memstore
memstore device bytes = 8589934592
memstore page set = false

[client]
# an op sent while the OSD still boots is resent only on the objecter tick (default 5 s)
objecter tick interval = 0.5

[client.rgw.s3]
# without tcp_nodelay every GET/HEAD takes ~45 ms
rgw frontends = beast endpoint=127.0.0.1:${port} tcp_nodelay=1
debug rgw = 1/1
rgw gc obj min wait = 60
rgw gc processor period = 60
`;
}

/** The environment for Ceph's tools: nothing inherited that points them at another cluster. */
function cephEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CEPH_CONF;
  delete env.CEPH_ARGS;
  return env;
}

/** The last lines of every log in the cluster's folder, for an error message. */
function logTails(dir: string, lines = 15): string {
  const logDir = join(dir, 'log');
  if (!existsSync(logDir)) return '(no logs)';
  return readdirSync(logDir)
    .sort()
    .map((name) => {
      const text = readFileSync(join(logDir, name), 'utf8').trimEnd();
      return text ? `--- ${name}\n${text.split('\n').slice(-lines).join('\n')}` : '';
    })
    .filter(Boolean)
    .join('\n');
}

/** Daemons started by this module and not yet stopped: killed if the test process exits first. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const daemon of live) daemon.kill('SIGKILL');
    });
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts a cluster in `dir` (created; must be empty if it exists) or in a new temp folder, and
 * resolves once S3 answers. Needs the Debian packages (see rgwAvailable()).
 */
export async function startRgw(dir?: string): Promise<RgwServer> {
  const available = rgwAvailable();
  if (!available.ok) throw new Error(available.reason);
  const t0 = performance.now();
  const deadline = Date.now() + startTimeoutMs;
  if (dir && existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`startRgw: ${dir} is not empty`);
  const root = dir ?? mkdtempSync(join(os.tmpdir(), 'yard-rgw-'));
  for (const sub of ['run', 'log', 'mon/ceph-a', 'osd/ceph-0', 'crash']) mkdirSync(join(root, sub), { recursive: true });

  const daemons: ChildProcess[] = [];
  const conf = ['-c', join(root, 'ceph.conf')];
  const remaining = () => Math.max(1, deadline - Date.now());
  const fail = async (why: string): Promise<never> => {
    for (const daemon of daemons) daemon.kill('SIGKILL');
    await Promise.all(daemons.map(exited));
    const message = `Ceph RGW did not start in ${root}: ${why}\n${logTails(root)}`;
    rmSync(root, { recursive: true, force: true });
    throw new Error(message);
  };
  /** A setup command; its output goes to log/<name>.out. */
  const step = (name: string, command: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      execFile(command, args, { env: cephEnv(), timeout: remaining(), killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
        writeFileSync(join(root, 'log', `${name}.out`), `${stdout}${stderr}`);
        if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message.split('\n')[0]}`));
        else resolve();
      });
    });
  /** A daemon in the foreground (-f) in its own session; stdout/stderr to log/<name>.out. */
  const daemon = (name: string, command: string, args: string[]) => {
    const out = openSync(join(root, 'log', `${name}.out`), 'a');
    try {
      const child = spawn(command, args, { env: cephEnv(), detached: true, stdio: ['ignore', out, out] });
      child.unref();
      child.once('error', () => undefined); // reported by the readiness check as an exit
      track(child);
      daemons.push(child);
    } finally {
      closeSync(out);
    }
  };

  try {
    const [port, monPort] = [await freePort(), await freePort()];
    const fsid = randomUUID();
    const osdUuid = randomUUID();
    const endpoint = `http://127.0.0.1:${port}`;
    writeFileSync(join(root, 'ceph.conf'), cephConf(root, port, monPort, fsid));
    writeFileSync(join(root, 'keyring'), keyring(), { mode: 0o600 });
    // allSettled: on a failure, nothing may still be writing into the folder it removes.
    const setup = await Promise.allSettled([
      (async () => {
        await step('monmap', 'monmaptool', ['--create', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, join(root, 'monmap')]);
        await step('mon-mkfs', 'ceph-mon', [...conf, '--mkfs', '-i', 'a', '--monmap', join(root, 'monmap'), '--keyring', join(root, 'keyring')]);
        daemon('mon', 'ceph-mon', [...conf, '-f', '-i', 'a']);
        await step('osd-new', 'ceph', [...conf, '--connect-timeout', String(Math.ceil(remaining() / 1000)), 'osd', 'new', osdUuid, '0']);
      })(),
      // The OSD's store is made without the mon, so meanwhile.
      step('osd-mkfs', 'ceph-osd', [...conf, '-i', '0', '--mkfs', '--osd-uuid', osdUuid, '--no-mon-config']),
    ]);
    for (const result of setup) if (result.status === 'rejected') throw result.reason;
    daemon('osd', 'ceph-osd', [...conf, '-f', '-i', '0']);
    // Creating the user first also creates the zone and the RGW pools, so radosgw does not race
    // radosgw-admin for them.
    await step('user-create', 'radosgw-admin', [...conf, 'user', 'create', '--uid=test', '--display-name=Trainyard tests', `--access-key=${accessKeyId}`, `--secret-key=${secretAccessKey}`]);
    daemon('rgw', 'radosgw', [...conf, '-f', '-n', 'client.rgw.s3']);

    for (;;) {
      const dead = daemons.find((child) => child.exitCode !== null || child.signalCode !== null);
      if (dead) return await fail(`${dead.spawnargs[0]} exited (${dead.exitCode ?? dead.signalCode})`);
      try {
        const response = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(Math.min(2000, remaining())) });
        await response.arrayBuffer();
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() >= deadline) return await fail(`S3 did not answer on ${endpoint} within ${startTimeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    let stopped: Promise<void> | undefined;
    return {
      endpoint,
      accessKeyId,
      secretAccessKey,
      region: 'us-east-1',
      dir: root,
      startMs: performance.now() - t0,
      // radosgw takes ~10 s on SIGTERM and the state is thrown away anyway: SIGKILL everything.
      stop: () =>
        (stopped ??= (async () => {
          for (const child of daemons) {
            child.ref(); // keep the process alive until they are gone
            child.kill('SIGKILL');
          }
          await Promise.all(daemons.map(exited));
          rmSync(root, { recursive: true, force: true });
        })()),
    };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('Ceph RGW did not start')) throw error;
    return fail(error instanceof Error ? error.message : String(error));
  }
}
