import { setMaxListeners } from 'node:events';
import { stat } from 'node:fs/promises';
import { WorkbenchError, invalid } from '../../../shared/errors';
import type { RemoteCapabilities, RemoteConfig, RemoteCredentials, RemoteSummary, SyncDirection, SyncProgress, SyncReport, SyncStatus } from '../../../shared/sync';
import type { Database } from '../db/database';
import { Emitter, type Event } from '../events/emitter';
import type { ObjectStore } from '../objects/object-store';
import { Hlc, collectRecords, eagerObjects, readEvents, settlePending, writeEvents, type ReadEvent } from './events';
import { defaultAuthor } from './events/event-log';
import { ObjectTransfer, type ObjectTransferOptions, type TransferItem } from './object-transfer';
import { probeRemote } from './probe';
import { Remotes, type RemoteInfo } from './remotes';
import { S3Bucket } from './s3-bucket';
import { createS3Client } from './s3-client';
import type { SecretStore } from './secret-store';
import { SyncHistory } from './sync-history';
import { pullEvents } from './sync-pull';

export interface SyncServiceOptions {
  readonly db: Database;
  readonly objects: ObjectStore;
  readonly secrets: SecretStore;
  /** Transfer tuning; tests against emulators with small body limits use small parts. */
  readonly transfer?: Pick<ObjectTransferOptions, 'concurrency' | 'multipartThreshold' | 'partSize' | 'retry'>;
  /** The name teammates see on what this home pushes (default: the OS user). */
  readonly author?: string;
}

export interface SyncRequest {
  readonly remote?: string | undefined;
  readonly direction: SyncDirection;
  readonly dryRun: boolean;
}

interface RunningSync {
  readonly remote: string;
  readonly historyId: number;
  readonly controller: AbortController;
  progress: SyncProgress | null;
}

/** What a sync needs to talk to one remote: its settings and the two layers over its S3 client. */
export interface RemoteSession {
  readonly remote: RemoteInfo;
  readonly transfer: ObjectTransfer;
  readonly bucket: S3Bucket;
}

/** A multipart upload older than this, not in this home's sync_uploads, is someone's abandoned one. */
const staleUploadMs = 7 * 24 * 3600 * 1000;

const emptyReport = (remote: string, dryRun: boolean): SyncReport => ({
  remote,
  dryRun,
  pushed: { objects: 0, bytes: 0, events: 0, records: {} },
  pulled: { objects: 0, bytes: 0, events: 0, records: {} },
  skippedObjects: 0,
  refusedObjects: [],
  conflicts: [],
  unsupportedEvents: 0,
  durationMs: 0,
});

/**
 * One-click team sync (issue 9): push what is new — content objects first, then the events that
 * reference them — and pull what teammates pushed — events, the objects they need at once, then
 * apply and merge. One sync at a time; cancellable; every sync recorded with what it moved.
 */
export class SyncService {
  readonly remotes: Remotes;
  readonly history: SyncHistory;
  readonly clock: Hlc;
  private readonly progressEmitter = new Emitter<SyncProgress>();
  private readonly changeEmitter = new Emitter<{ remote: string | null; pulled?: boolean }>();
  readonly onDidProgress: Event<SyncProgress> = this.progressEmitter.event;
  /** A sync started or ended, a remote changed, conflicts appeared, teammates' data arrived. */
  readonly onDidChange: Event<{ remote: string | null; pulled?: boolean }> = this.changeEmitter.event;
  private running: RunningSync | null = null;
  private readonly author: string;

  constructor(private readonly options: SyncServiceOptions) {
    this.remotes = new Remotes(options.db);
    this.history = new SyncHistory(options.db);
    this.clock = new Hlc(options.db);
    this.author = options.author ?? defaultAuthor;
    this.history.markInterrupted();
  }

  list(): RemoteSummary[] {
    return this.remotes.list().map((remote) => this.summary(remote));
  }

  saveRemote(config: RemoteConfig, credentials?: RemoteCredentials): RemoteSummary {
    // A sync in flight holds this remote's settings and fills its object index: change it after.
    if (this.running?.remote === config.name) throw new WorkbenchError('CONFLICT', `A sync with '${config.name}' is running; change the remote when it has finished (or cancel it).`);
    if (config.auth === 'keys' && !credentials && !this.options.secrets.get(config.name)) {
      throw invalid('credentials: enter the access key id and the secret access key (or choose the AWS profile or environment variables)');
    }
    const saved = this.remotes.save(config);
    if (credentials) this.options.secrets.set(saved.name, credentials);
    this.changeEmitter.fire({ remote: saved.name });
    return this.summary(saved);
  }

  removeRemote(name: string): void {
    if (this.running?.remote === name) throw new WorkbenchError('CONFLICT', `A sync with '${name}' is running; cancel it first.`);
    this.remotes.remove(name);
    this.options.secrets.delete(name);
    this.changeEmitter.fire({ remote: name });
  }

  /** Probes the endpoint and keeps what it found (it decides how event objects are written). */
  async testRemote(name: string): Promise<RemoteCapabilities> {
    const remote = this.remotes.get(name);
    const client = createS3Client(remote, this.credentialsOf(remote));
    try {
      const capabilities = await probeRemote(client, remote);
      this.remotes.setCapabilities(name, capabilities);
      this.changeEmitter.fire({ remote: name });
      return capabilities;
    } finally {
      client.destroy();
    }
  }

  /** Starts a sync in the background; `done` settles with its report (or its error). */
  start(request: SyncRequest): { historyId: number; done: Promise<SyncReport> } {
    if (this.running) throw new WorkbenchError('CONFLICT', `A sync with '${this.running.remote}' is already running.`);
    const remote = request.remote ? this.remotes.get(request.remote) : this.remotes.only();
    const historyId = this.history.begin(remote.name, request.direction, request.dryRun);
    const running: RunningSync = { remote: remote.name, historyId, controller: new AbortController(), progress: null };
    // Every request in flight (16 uploads, their parts) listens on this one signal.
    setMaxListeners(256, running.controller.signal);
    this.running = running;
    this.changeEmitter.fire({ remote: remote.name });
    let pulled = false;
    const done = this.perform(remote, request, running).then(
      (report) => {
        this.history.finish(historyId, { status: 'succeeded', report, error: null });
        pulled = !report.dryRun && report.pulled.events > 0;
        return report;
      },
      (error: unknown) => {
        const cancelled = running.controller.signal.aborted;
        const message = cancelled ? 'Cancelled. What was transferred stays; the next sync goes on from there.' : error instanceof Error ? error.message : String(error);
        this.history.finish(historyId, { status: cancelled ? 'cancelled' : 'failed', report: null, error: message });
        throw cancelled ? new WorkbenchError('CONFLICT', message) : error;
      },
    ).finally(() => {
      this.running = null;
      this.changeEmitter.fire({ remote: remote.name, pulled });
    });
    // The caller may only want the id (the UI); a failure is in the history either way.
    done.catch(() => undefined);
    return { historyId, done };
  }

  /** Runs a sync to the end (the CLI). */
  run(request: SyncRequest): Promise<SyncReport> {
    return this.start(request).done;
  }

  cancel(remote?: string): void {
    if (!this.running || (remote && this.running.remote !== remote)) throw new WorkbenchError('NOT_FOUND', remote ? `No sync with '${remote}' is running.` : 'No sync is running.');
    this.running.controller.abort();
  }

  status(remote?: string): SyncStatus {
    const name = remote ?? null;
    const running = this.running && (!remote || this.running.remote === remote) ? { historyId: this.running.historyId, progress: this.running.progress } : null;
    return {
      running,
      history: this.history.list(name),
      conflicts: this.history.conflicts(name),
      unsupportedEvents: this.history.unsupportedEvents(name),
      author: this.author,
      clientId: this.clock.clientId,
      credentialStore: this.options.secrets.description,
    };
  }

  dismissConflict(id: number): void {
    this.history.dismissConflict(id);
    this.changeEmitter.fire({ remote: null });
  }

  /**
   * Fetches content objects from the remote teammates' entities came from (or the only remote):
   * artifacts of pulled runs are fetched on demand, the first time they are opened.
   */
  async fetch(oids: readonly string[], remoteName?: string): Promise<void> {
    let missing = [...oids];
    let lastProblem: { oid: string; reason: string; remote: string } | null = null;
    for (const remote of remoteName ? [this.remotes.get(remoteName)] : this.fetchCandidates(oids)) {
      const session = this.session(remote, undefined);
      try {
        const report = await session.transfer.pull(missing);
        const problem = [...report.refused, ...report.failed][0];
        if (problem) lastProblem = { ...problem, remote: remote.name };
      } finally {
        session.close();
      }
      missing = missing.filter((oid) => !this.options.objects.hasSync(oid));
      if (missing.length === 0) return;
    }
    if (lastProblem) throw new WorkbenchError('NOT_FOUND', `Could not fetch ${lastProblem.oid} from '${lastProblem.remote}': ${lastProblem.reason}`);
    throw new WorkbenchError('NOT_FOUND', `${missing.length} object(s) are not in this home and no remote is configured to fetch them from (first: ${missing[0]}).`);
  }

  /** The remotes to fetch objects from: those the runs holding them came from first, then the rest. */
  private fetchCandidates(oids: readonly string[]): RemoteInfo[] {
    const origins = this.options.db
      .prepare(
        `SELECT DISTINCT o.remote FROM artifacts a JOIN runs r ON r.pk = a.run_pk JOIN sync_origins o ON o.kind = 'run' AND o.entity = r.id
         WHERE a.md5 IN (SELECT value FROM json_each(?))`,
      )
      .pluck()
      .all(JSON.stringify(oids)) as string[];
    const all = this.remotes.list();
    return [...all.filter((remote) => origins.includes(remote.name)), ...all.filter((remote) => !origins.includes(remote.name))];
  }

  dispose(): void {
    this.running?.controller.abort();
    this.progressEmitter.dispose();
    this.changeEmitter.dispose();
  }

  private summary(remote: RemoteInfo): RemoteSummary {
    const { capabilities, createdAt, ...config } = remote;
    return {
      ...config,
      capabilities,
      createdAt,
      hasCredentials: this.options.secrets.get(remote.name) !== null,
      credentialStore: this.options.secrets.description,
      ...this.history.lastSyncs(remote.name),
    };
  }

  private credentialsOf(remote: RemoteInfo): RemoteCredentials | null {
    const credentials = remote.auth === 'keys' ? this.options.secrets.get(remote.name) : null;
    if (remote.auth === 'keys' && !credentials) throw invalid(`Remote '${remote.name}' has no stored keys: enter them in the Sync section or with \`trainyard remote add ${remote.name} …\`.`);
    return credentials;
  }

  private session(remote: RemoteInfo, signal: AbortSignal | undefined): RemoteSession & { close(): void } {
    const concurrency = this.options.transfer?.concurrency ?? 16;
    const client = createS3Client(remote, this.credentialsOf(remote), { maxSockets: concurrency * 2 });
    // Without a connection test, assume no conditional writes: a HEAD before each event PUT is safe anywhere.
    const capabilities = remote.capabilities ?? { conditionalCreate: false };
    const transfer = new ObjectTransfer({ client, config: remote, remote: remote.name, db: this.options.db, objects: this.options.objects, ...this.options.transfer });
    return { remote, transfer, bucket: new S3Bucket(client, remote, capabilities, signal ? { signal } : {}), close: () => client.destroy() };
  }

  private async perform(remote: RemoteInfo, request: SyncRequest, running: RunningSync): Promise<SyncReport> {
    const started = performance.now();
    const { signal } = running.controller;
    const report = emptyReport(remote.name, request.dryRun);
    const onProgress = (progress: SyncProgress): void => {
      running.progress = progress;
      this.progressEmitter.fire(progress);
    };
    const session = this.session(remote, signal);
    try {
      // Multipart uploads abandoned for a week (a home that never came back) cost storage until
      // aborted (SEMANTICS.md §4.3); best effort — an endpoint that cannot list them is no error.
      if (request.direction !== 'pull' && !request.dryRun) await session.transfer.abortStaleUploads(staleUploadMs, signal).catch(() => 0);
      // Push first: a registry change gets its place in the shared order before the merge.
      if (request.direction !== 'pull') await this.push(session, request.dryRun, report, { onProgress, signal });
      if (request.direction !== 'push') await pullEvents(this.options.db, this.options.objects, session, { clock: this.clock, dryRun: request.dryRun, report, onProgress, signal, readEvents: (bucket) => readEvents(this.options.db, bucket, { remote: remote.name, clock: this.clock }) });
      onProgress({ remote: remote.name, phase: 'done', objectsDone: 0, objectsTotal: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null });
      return { ...report, durationMs: Math.round(performance.now() - started) };
    } finally {
      session.close();
    }
  }

  private async push(session: RemoteSession, dryRun: boolean, report: SyncReport, callbacks: { onProgress: (progress: SyncProgress) => void; signal: AbortSignal }): Promise<void> {
    const { db, objects } = this.options;
    const { remote, transfer, bucket } = session;
    callbacks.onProgress({ remote: remote.name, phase: 'listing', objectsDone: 0, objectsTotal: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null });
    // An event of ours whose PUT landed without an answer is kept as written, not sent again (a dry run writes nothing).
    if (!dryRun) await settlePending(db, bucket, { remote: remote.name });
    const batch = await collectRecords(db, objects, { remote: remote.name, scope: remote.scope, dryRun });
    if (batch.records.length === 0) return;
    const oids = [...new Set([...batch.objects.eager, ...batch.objects.lazy])];
    // A dry run hashes metrics objects without storing them: their sizes come with the batch.
    const items = (await sizedItems(objects, oids)).map((item) => (item.size < 0 && batch.unstored[item.oid] !== undefined ? { ...item, size: batch.unstored[item.oid]! } : item));
    // An object referenced but in neither place would leave a dangling reference: refuse the push.
    const absent = items.filter((item) => item.size < 0).map((item) => item.oid);
    if (absent.length > 0) {
      const stillMissing = await transfer.missing(absent, callbacks.signal);
      if (stillMissing.length > 0) throw new WorkbenchError('NOT_FOUND', `${stillMissing.length} object(s) the records reference are neither in this home nor in the bucket (first: ${stillMissing[0]}); nothing was pushed.`);
    }
    const present = items.filter((item) => item.size >= 0);
    const files = present.filter((item) => !item.oid.endsWith('.dir'));
    const manifests = present.filter((item) => item.oid.endsWith('.dir'));
    if (dryRun) {
      const missing = new Set(await transfer.missing(present.map((item) => item.oid), callbacks.signal));
      report.pushed.objects = missing.size;
      report.pushed.bytes = present.filter((item) => missing.has(item.oid)).reduce((sum, item) => sum + item.size, 0);
      report.skippedObjects += present.length - missing.size;
      report.pushed.records = batch.counts;
      return;
    }
    const pushed = await transfer.push({ files, manifests }, callbacks);
    report.pushed.objects += pushed.uploaded;
    report.pushed.bytes += pushed.bytes;
    report.skippedObjects += pushed.skipped;
    if (pushed.failed.length > 0) {
      // No event may reference an object that is not in the bucket: the events wait for the next sync.
      throw new WorkbenchError('INTERNAL', `${pushed.failed.length} object(s) could not be uploaded (first: ${pushed.failed[0]!.oid}: ${pushed.failed[0]!.message}); the records that need them were not pushed. Sync again to retry.`);
    }
    callbacks.onProgress({ remote: remote.name, phase: 'writing-events', objectsDone: 0, objectsTotal: batch.records.length, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null });
    // Each event is kept with what its records mark (digests, hlc, registry cursor, version keys) in one transaction.
    const written = await writeEvents(db, bucket, { remote: remote.name, clock: this.clock, author: this.author }, batch.records, batch.marks);
    report.pushed.events += written.events.length;
    report.pushed.records = batch.counts;
    db.prepare('UPDATE sync_remote_state SET last_push_at = ? WHERE remote = ?').run(Date.now(), remote.name);
  }
}

/** Each object with its size, or -1 when this home does not hold it. */
async function sizedItems(objects: ObjectStore, oids: readonly string[]): Promise<Array<TransferItem & { size: number }>> {
  return Promise.all(
    oids.map(async (oid) => {
      try {
        return { oid, size: (await stat(objects.pathOf(oid))).size };
      } catch {
        return { oid, size: -1 };
      }
    }),
  );
}

export type { ReadEvent };
export { eagerObjects };
