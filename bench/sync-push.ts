// Team sync push (issue 9, Benchmarks): ~1 GB — 10,000 small files (4–64 KB) + 4 × 200 MB —
// imported as a dataset version, pushed to a fresh bucket on a local Ceph RGW with
// `sync.run({ direction: 'push' })` (only the push is timed: the import hashed the files), against
// `aws s3 sync` (Debian awscli) and `rclone copy` (Debian rclone) on the same folder, same RGW,
// each to its own fresh bucket, in the same run. Rounds interleave the contenders (rotated
// order), each round on a fresh RGW (memstore keeps objects in RAM). Then a no-change sync of
// each: Trainyard's in both directions, its requests counted through the fault proxy ('pass').
// Scale down with BENCH_SYNC_SMALL, BENCH_SYNC_LARGE (count), BENCH_SYNC_LARGE_MB, BENCH_SYNC_ROUNDS.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { openWorkbench } from '../main/core/workbench';
import { startFaultProxy } from '../main/core/sync/testing/fault-proxy';
import { rgwAvailable, startRgw } from '../main/core/sync/testing/rgw-server';
import { createBucket, testS3Client } from '../main/core/sync/testing/s3-client';
import { testRemoteConfig } from '../main/core/sync/testing/targets';
import { report, round, scratch } from './harness';
import { writeSyncData } from './support/sync-data';

const small = Number(process.env.BENCH_SYNC_SMALL ?? 10_000);
const largeCount = Number(process.env.BENCH_SYNC_LARGE ?? 4);
const largeMb = Number(process.env.BENCH_SYNC_LARGE_MB ?? 200);
const rounds = Number(process.env.BENCH_SYNC_ROUNDS ?? 3);
/** Trainyard's default object concurrency (SyncService); the peers get the same. */
const concurrency = 16;
const awsBin = '/usr/bin/aws';
const rcloneBin = '/usr/bin/rclone';
const workersDir = resolve('dist/workers');

const available = rgwAvailable();
if (!available.ok) throw new Error(available.reason);
for (const binary of [awsBin, rcloneBin]) if (!existsSync(binary)) throw new Error(`${binary} is missing: apt-get install awscli rclone`);
if (!existsSync(join(workersDir, 'data.js'))) throw new Error('Build first: node scripts/build.mjs --only=workers');

const root = scratch('sync-push');
const data = writeSyncData(join(root, 'data'), { small, largeCount, largeMb });
const awsConfig = join(root, 'aws-config');
writeFileSync(awsConfig, `[default]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = ${concurrency}\n`);

type Contender = 'trainyard' | 'aws' | 'rclone';
/** BENCH_SYNC_ONLY=trainyard (comma-separated) runs a subset, e.g. to profile. */
const contenders: readonly Contender[] = (['trainyard', 'aws', 'rclone'] as const).filter((name) => !process.env.BENCH_SYNC_ONLY || process.env.BENCH_SYNC_ONLY.split(',').includes(name));
const awsFlags = ['--only-show-errors', '--no-progress'];
const rcloneFlags = ['--transfers', String(concurrency), '--checkers', String(concurrency)];

/** CPU seconds (user + system) of the last command run by runPeer() or of the last Trainyard push. */
let lastCpuSeconds = 0;

/** Runs a peer CLI under /usr/bin/time (its CPU seconds into lastCpuSeconds); resolves with its wall time in ms. */
function runPeer(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const timesFile = join(root, 'peer-times');
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    execFile('/usr/bin/time', ['-f', '%U %S', '-o', timesFile, command, ...args], { env, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      const ms = performance.now() - started;
      if (error) return reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr.slice(-2000)}`));
      const [user = 0, system = 0] = readFileSync(timesFile, 'utf8').trim().split(/\s+/).map(Number);
      lastCpuSeconds = user + system;
      resolvePromise(ms);
    });
  });
}

function peerEnv(endpoint: string, keys: { accessKeyId: string; secretAccessKey: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // rclone fails on the machine's AWS_CA_BUNDLE; plain http anyway.
  for (const name of Object.keys(env)) if (name.startsWith('AWS_') || name.startsWith('RCLONE_')) delete env[name];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: awsConfig,
    AWS_SHARED_CREDENTIALS_FILE: join(root, 'no-credentials'),
    AWS_PAGER: '',
    RCLONE_CONFIG: join(root, 'no-rclone.conf'),
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Ceph',
    RCLONE_CONFIG_BENCH_ENDPOINT: endpoint,
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: keys.accessKeyId,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: keys.secretAccessKey,
    RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
    RCLONE_CONFIG_BENCH_REGION: 'us-east-1',
  };
}

async function countKeys(client: S3Client, bucket: string): Promise<{ keys: number; bytes: number }> {
  let keys = 0;
  let bytes = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }));
    for (const entry of page.Contents ?? []) {
      keys += 1;
      bytes += entry.Size ?? 0;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { keys, bytes };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Experiments only (the figures are for the product's defaults): BENCH_SYNC_PART_MB, BENCH_SYNC_THRESHOLD_MB. */
const partMb = process.env.BENCH_SYNC_PART_MB ? Number(process.env.BENCH_SYNC_PART_MB) : undefined;
const thresholdMb = process.env.BENCH_SYNC_THRESHOLD_MB ? Number(process.env.BENCH_SYNC_THRESHOLD_MB) : undefined;
const syncTransfer = { ...(partMb ? { partSize: partMb * 1024 * 1024 } : {}), ...(thresholdMb ? { multipartThreshold: thresholdMb * 1024 * 1024 } : {}) };
const workbench = await openWorkbench({ home: join(root, 'home'), shell: 'browser', workersDir, ...(partMb || thresholdMb ? { syncTransfer } : {}) });
const samples: Record<Contender, number[]> = { trainyard: [], aws: [], rclone: [] };
const noChange: Record<Contender, number[]> = { trainyard: [], aws: [], rclone: [] };
/** Trainyard's push phases: when each began, ms from the start of the push. */
const phaseSamples: Array<Record<string, number>> = [];
/** The client's own CPU seconds per push (the server shares the machine's cores). */
const cpuSamples: Record<Contender, number[]> = { trainyard: [], aws: [], rclone: [] };
const trainyardNoChangeViaProxy: number[] = [];
const noChangeRequests: Array<{ requests: number; connections: number; byKind: Record<string, number> }> = [];
const stored: Array<Partial<Record<Contender, { keys: number; bytes: number }>>> = [];
let pushed: { objects: number; bytes: number; events: number } | null = null;
let importMs = 0;
try {
  const importStarted = performance.now();
  await workbench.datasets.importPath(data.dir, { name: 'bench-sync' });
  importMs = performance.now() - importStarted;

  for (let roundIndex = 0; roundIndex < rounds; roundIndex += 1) {
    const rgw = await startRgw(join(root, `rgw-${roundIndex}`));
    const admin = testS3Client(rgw);
    const proxy = await startFaultProxy(rgw.endpoint);
    try {
      const buckets: Record<Contender, string> = { trainyard: `yard-${roundIndex}`, aws: `aws-${roundIndex}`, rclone: `rclone-${roundIndex}` };
      for (const contender of contenders) await createBucket(admin, buckets[contender]);
      const remote = `bench${roundIndex}`;
      const config = testRemoteConfig(rgw, buckets.trainyard, { name: remote, prefix: 'team/project' });
      if (contenders.includes('trainyard')) {
        workbench.sync.saveRemote(config, { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey });
        await workbench.sync.testRemote(remote);
      }
      const env = peerEnv(rgw.endpoint, rgw);
      const push: Record<Contender, () => Promise<number>> = {
        trainyard: async () => {
          const cpu = process.cpuUsage();
          const started = performance.now();
          // When each phase began (the first progress of each), ms from the start.
          const phases: Record<string, number> = {};
          const listener = workbench.sync.onDidProgress((progress) => {
            phases[progress.phase] ??= round(performance.now() - started, 0);
          });
          const result = await workbench.sync.run({ remote, direction: 'push', dryRun: false });
          const ms = performance.now() - started;
          listener.dispose();
          phaseSamples.push(phases);
          const used = process.cpuUsage(cpu);
          lastCpuSeconds = (used.user + used.system) / 1e6;
          pushed = { objects: result.pushed.objects, bytes: result.pushed.bytes, events: result.pushed.events };
          return ms;
        },
        aws: () => runPeer(awsBin, ['s3', 'sync', data.dir, `s3://${buckets.aws}/team/project`, '--endpoint-url', rgw.endpoint, ...awsFlags], env),
        rclone: () => runPeer(rcloneBin, ['copy', data.dir, `bench:${buckets.rclone}/team/project`, ...rcloneFlags], env),
      };
      // Rotated order, so no contender always goes first (or last) on a fresh server.
      const order = contenders.map((_, index) => contenders[(index + roundIndex) % contenders.length]!);
      for (const contender of order) {
        const ms = await push[contender]();
        samples[contender].push(ms);
        cpuSamples[contender].push(lastCpuSeconds);
        process.stderr.write(`round ${roundIndex} ${contender} push ${round(ms / 1000)} s, ${round(lastCpuSeconds)} CPU s\n`);
      }
      const counts: Partial<Record<Contender, { keys: number; bytes: number }>> = {};
      for (const contender of contenders) counts[contender] = await countKeys(admin, buckets[contender]);
      stored.push(counts);

      // No-change syncs: the same commands again.
      for (const contender of order) {
        const started = performance.now();
        if (contender === 'trainyard') await workbench.sync.run({ remote, direction: 'both', dryRun: false });
        else await push[contender]();
        noChange[contender].push(performance.now() - started);
      }
      if (!contenders.includes('trainyard')) continue;
      // Once more through the proxy, counting requests. The endpoint is changed under the remote
      // directly: saveRemote() would (rightly) forget what the bucket holds.
      workbench.db.prepare('UPDATE sync_remotes SET endpoint = ? WHERE name = ?').run(proxy.endpoint, remote);
      proxy.resetStats();
      const started = performance.now();
      const again = await workbench.sync.run({ remote, direction: 'both', dryRun: false });
      trainyardNoChangeViaProxy.push(performance.now() - started);
      if (again.pushed.objects + again.pushed.events + again.pulled.events > 0) throw new Error(`a no-change sync moved something: ${JSON.stringify(again)}`);
      const byKind: Record<string, number> = {};
      for (const line of proxy.requestLines) {
        const [method, target = ''] = line.split(' ');
        const query = target.includes('list-type=2') ? 'list' : target.includes('?') ? 'query' : 'object';
        byKind[`${method} ${query}`] = (byKind[`${method} ${query}`] ?? 0) + 1;
      }
      noChangeRequests.push({ requests: proxy.stats().requests, connections: proxy.stats().connections, byKind });
      workbench.sync.removeRemote(remote);
    } finally {
      admin.destroy();
      await proxy.close();
      await rgw.stop();
    }
  }
} finally {
  await workbench.dispose();
}

const seconds = (ms: number) => round(ms / 1000, 2);
const mbps = (ms: number) => round(data.bytes / 1e6 / (ms / 1000), 1);
const summary = Object.fromEntries(
  contenders.map((contender) => [
    contender,
    {
      seconds: seconds(median(samples[contender])),
      mbPerS: mbps(median(samples[contender])),
      secondsAll: samples[contender].map(seconds),
      clientCpuSeconds: round(median(cpuSamples[contender]), 1),
      clientCpuSecondsAll: cpuSamples[contender].map((value) => round(value, 1)),
      noChangeSeconds: seconds(median(noChange[contender])),
      noChangeSecondsAll: noChange[contender].map(seconds),
    },
  ]),
) as Record<Contender, { seconds: number; mbPerS: number; secondsAll: number[]; clientCpuSeconds: number; clientCpuSecondsAll: number[]; noChangeSeconds: number; noChangeSecondsAll: number[] }>;
const peers = (['aws', 'rclone'] as const).filter((name) => summary[name]);
const fasterPeer = peers.length === 0 ? null : peers.reduce((best, name) => (summary[name].mbPerS > summary[best].mbPerS ? name : best));
const ratio = fasterPeer && summary.trainyard ? summary.trainyard.mbPerS / summary[fasterPeer].mbPerS : Number.NaN;
const noChangeSeconds = summary.trainyard?.noChangeSeconds ?? Number.NaN;
const requests = noChangeRequests.map((entry) => entry.requests);
report({
  benchmark: 'sync-push',
  server: 'Ceph RGW 16 (memstore, beast, 127.0.0.1), a fresh one per round',
  bytes: data.bytes,
  files: data.files,
  data: { smallFiles: data.smallFiles, smallBytes: data.smallBytes, largeFiles: data.largeFiles, largeBytes: data.largeBytes },
  rounds,
  importSeconds: seconds(importMs),
  trainyardPushed: pushed,
  trainyardPhaseStartsMs: phaseSamples,
  stored: stored[0],
  contenders: summary,
  flags: {
    trainyard: `sync.run({ direction: 'push' }), defaults (concurrency ${concurrency}, multipart over 64 MiB in 16 MiB parts, 4 parts at once)`,
    aws: `aws s3 sync ${awsFlags.join(' ')}; s3.max_concurrent_requests = ${concurrency} (defaults otherwise: multipart over 8 MiB in 8 MiB parts)`,
    rclone: `rclone copy ${rcloneFlags.join(' ')} (defaults otherwise: upload cutoff 200 MiB, 5 MiB chunks, 4 at once)`,
  },
  fasterPeer,
  ratio: round(ratio, 2),
  noChange: {
    trainyardSeconds: noChangeSeconds,
    trainyardViaProxySecondsAll: trainyardNoChangeViaProxy.map(seconds),
    requests: median(requests),
    requestsAll: noChangeRequests,
  },
  goals: { ratio: '>= 1.0', noChangeSeconds: '<= 1', noChangeRequests: 'no per-object HEAD' },
  met: { ratio: ratio >= 1, noChange: noChangeSeconds <= 1, noPerObjectHead: noChangeRequests.every((entry) => (entry.byKind['HEAD object'] ?? 0) < 10) },
});
