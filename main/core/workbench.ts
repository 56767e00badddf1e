import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../../shared/api';
import { providerReportSchema, type ProbeReport } from '../../shared/probe';
import { FileSecretStore, plainCodec, type SecretCodec } from './sync/secret-store';
import { SyncService, type SyncServiceOptions } from './sync/sync-service';
import { openDatabase, type Database } from './db/database';
import { captureEnvironment } from './environment';
import { EventBridge } from './events/event-bridge';
import type { Event } from './events/emitter';
import type { WorkbenchEvent } from '../../shared/events';
import { createDispatcher, type Dispatch, type Handlers } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { acquireHomeLock, homeLayout, resolveHome, type HomeLayout } from './home';
import { ObjectStore } from './objects/object-store';
import { ArtifactService } from './tracking/artifact-service';
import { ExperimentService } from './tracking/experiment-service';
import { TrackingService } from './tracking/tracking-service';
import { trainyardVersion } from './version';
import { forkLauncher } from './workers/fork-launcher';
import { WorkerHost, type WorkerLauncher } from './workers/worker-host';
import { DatasetService } from './datasets/dataset-service';
import { Uploads } from './datasets/uploads';
import { ValidationService } from './datasets/validation-service';
import { JobTracker } from './jobs/job-tracker';
import { TrainingService } from './training/training-service';
import { ModelImportService } from './models/model-import';
import { RegistryService } from './registry/registry-service';
import { EvaluationService } from './models/evaluation-service';
import { ModelServing } from './serving/model-serving';
import { cacheInputs } from './pipelines/cache-inputs';
import { Orchestrator } from './pipelines/orchestrator';
import { Scheduler } from './pipelines/scheduler';
import { commandWithMlflow, type CommandParams } from './pipelines/steps/command-step';
import { startMlflowServer, type MlflowServer, type MlflowServerOptions } from './mlflow/mlflow-server';
import { serviceSteps } from './pipelines/steps/service-steps';
import { ServingService } from './serving/serving-service';
import { HashCache } from './objects/hash-cache';
import { HashPool } from './objects/hash-pool';

export interface WorkbenchOptions {
  /** The data folder; see `resolveHome`. */
  readonly home?: string;
  readonly shell: AppInfo['shell'];
  /** Folder of the bundled worker entries (`probe.js`, …). */
  readonly workersDir: string;
  /** How workers start: fork under Node (default), utilityProcess in Electron. */
  readonly launcher?: WorkerLauncher;
  /** Electron-ABI better-sqlite3 build for the desktop app. */
  readonly nativeBinding?: string;
  /** Objects younger than this survive garbage collection (tests pass 0). */
  readonly gcGraceMs?: number;
  /**
   * One-shot CLI commands: runs they create are not owned by this process (they stay RUNNING
   * after it exits until `runs end`), and start-up does not count them as crashed.
   */
  readonly detachedRuns?: boolean;
  /** How remote keys are encrypted at rest (the app: the OS keychain); default a 0600 file. */
  readonly secretCodec?: SecretCodec;
  /** Sync transfer tuning (tests against emulators with small body limits). */
  readonly syncTransfer?: SyncServiceOptions['transfer'];
}

/** Every service of the main process, wired once (CONVENTIONS.md 7). */
export interface Workbench {
  readonly layout: HomeLayout;
  readonly db: Database;
  readonly experiments: ExperimentService;
  readonly tracking: TrackingService;
  readonly artifacts: ArtifactService;
  readonly objects: ObjectStore;
  readonly workers: WorkerHost;
  readonly datasets: DatasetService;
  readonly validation: ValidationService;
  readonly jobs: JobTracker;
  readonly uploads: Uploads;
  readonly training: TrainingService;
  readonly models: ModelImportService;
  readonly registry: RegistryService;
  readonly evaluation: EvaluationService;
  readonly serving: ModelServing;
  /** Each model server's log lines (one per request). */
  readonly servingLogs: ServingService['onDidLog'];
  readonly pipelines: Orchestrator;
  readonly scheduler: Scheduler;
  readonly sync: SyncService;
  /** Starts the MLflow-compatible server (once) and returns its URL for MLFLOW_TRACKING_URI. */
  readonly startMlflow: (options: MlflowServerOptions) => Promise<string>;
  /** Recovers interrupted DAG runs and starts running pipelines and schedules (app, `trainyard ui`, `run`, `scheduler`). */
  readonly startBackground: () => number;
  readonly handlers: Handlers;
  readonly dispatch: Dispatch;
  /** Push events for every window, already coalesced. */
  readonly onDidEmit: Event<WorkbenchEvent>;
  /** What start-up repaired after a crash: runs marked KILLED, temp files removed. */
  readonly recovered: { readonly killedRuns: number; readonly tempFilesRemoved: number };
  dispose(): Promise<void>;
}

/**
 * The composition root: takes the home's lock, opens and migrates the database, repairs what a
 * crash left (RUNNING runs → KILLED, temp objects removed), then wires services and the contract.
 */
export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const layout = homeLayout(resolveHome(options.home));
  const lock = acquireHomeLock(layout);
  let db: Database | null = null;
  try {
    mkdirSync(layout.objects, { recursive: true });
    mkdirSync(layout.logs, { recursive: true });
    // Staging holds uploads and worker outputs of unfinished work; none survives a restart.
    rmSync(layout.staging, { recursive: true, force: true });
    mkdirSync(layout.staging, { recursive: true });
    db = openDatabase(layout.database, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    const objects = new ObjectStore(layout.objects, options.gcGraceMs);
    const tempFilesRemoved = await objects.clearTemp();
    const environment = await captureEnvironment();
    const experiments = new ExperimentService(db);
    const session = options.detachedRuns ? null : randomUUID();
    const tracking = new TrackingService(db, experiments, () => environment, session);
    const killedRuns = tracking.markInterruptedRuns();
    const artifacts = new ArtifactService(db, objects, tracking);
    const workers = new WorkerHost(options.launcher ?? forkLauncher, options.workersDir);
    const jobs = new JobTracker();
    const pool = new HashPool();
    const datasets = new DatasetService(db, { objects, workers, pool, cache: new HashCache(db), stagingDir: layout.staging });
    const validation = new ValidationService(db, datasets);
    const uploads = new Uploads(join(layout.staging, 'uploads'));
    const training = new TrainingService(db, { tracking, datasets, workers, jobs, artifacts });
    const models = new ModelImportService({ tracking, artifacts, workers });
    const registry = new RegistryService(db, { tracking, artifacts, objects, cacheDir: join(layout.staging, 'models') });
    const evaluation = new EvaluationService(db, { tracking, artifacts, datasets, registry, workers, jobs });
    const serving = new ServingService({ workers });
    const pipelines = new Orchestrator({
      db,
      experiments,
      logsDir: layout.logs,
      executors: {
        ...serviceSteps({ datasets, validation, training, evaluation, registry, jobs }),
        command: (params, context) => commandWithMlflow(params as unknown as CommandParams, context, { tracking, url: () => mlflowServer?.url ?? null }),
      },
      cacheInputs: cacheInputs({ datasets, registry }),
    });
    const scheduler = new Scheduler({ orchestrator: pipelines, datasets });
    const secrets = new FileSecretStore(layout.root, options.secretCodec ?? plainCodec, options.secretCodec ? 'credentials.bin' : 'credentials.json');
    const sync = new SyncService({ db, objects, secrets, ...(options.syncTransfer ? { transfer: options.syncTransfer } : {}) });
    // Teammates' artifacts arrive as rows; their bytes are fetched from the bucket when first read.
    objects.setFetcher((oids) => sync.fetch(oids));
    let mlflowServer: MlflowServer | null = null;
    const modelServing = new ModelServing({ serving, registry });
    const bridge = new EventBridge({ tracking, experiments, jobs, datasets, registry, serving: modelServing, pipelines, sync });
    const database = db;

    const info = (): AppInfo => ({ version: trainyardVersion, home: layout.root, platform: `${process.platform}-${process.arch}`, shell: options.shell, mlflowTrackingUri: mlflowServer?.url ?? null });
    let probeCache: Promise<ProbeReport> | null = null;
    const probe = (): Promise<ProbeReport> => {
      probeCache ??= workers
        .run<unknown>('probe', {}, { timeoutMs: 60_000 })
        .result.then((report) => ({ ...providerReportSchema.parse(report), environment }))
        .catch((error: unknown) => {
          probeCache = null; // a failed probe may succeed later (e.g. after installing a provider)
          throw error;
        });
      return probeCache;
    };
    const purge = async (request: { ids?: string[]; olderThanMs?: number }) => {
      const purged = tracking.purgeDeleted(request);
      const referenced = new Set([...artifacts.referencedHashes(), ...datasets.referencedObjects(), ...registry.referencedHashes()]);
      const collected = await objects.collectGarbage((md5) => referenced.has(md5));
      tracking.firePurged(purged);
      return { runsPurged: purged.length, ...collected };
    };
    const handlers = createHandlers({ db, experiments, tracking, artifacts, info, probe, purge, datasets, validation, uploads, jobs, training, models, registry, evaluation, serving: modelServing, pipelines, sync });

    return {
      layout,
      db,
      experiments,
      tracking,
      artifacts,
      objects,
      workers,
      datasets,
      validation,
      jobs,
      uploads,
      training,
      models,
      registry,
      evaluation,
      serving: modelServing,
      servingLogs: serving.onDidLog,
      pipelines,
      scheduler,
      sync,
      startMlflow: async (serverOptions) => {
        mlflowServer ??= await startMlflowServer({ db: database, experiments, tracking, artifacts, objects, registry }, serverOptions);
        return mlflowServer.url;
      },
      startBackground: () => {
        // Only a long-lived process runs pipelines: a one-shot CLI command must not pick up (and
        // then kill) a DAG run left running by the app.
        const recovered = pipelines.recover();
        scheduler.start();
        return recovered;
      },
      handlers,
      dispatch: createDispatcher(handlers),
      onDidEmit: bridge.onDidEmit,
      recovered: { killedRuns, tempFilesRemoved },
      dispose: async () => {
        sync.dispose();
        scheduler.dispose();
        pipelines.dispose();
        await mlflowServer?.close();
        // Servers finish their requests in flight before the worker host kills what is left.
        await serving.dispose();
        jobs.dispose();
        workers.dispose();
        await pool.dispose();
        bridge.dispose();
        datasets.dispose();
        tracking.dispose();
        experiments.dispose();
        database.close();
        lock.release();
      },
    };
  } catch (error) {
    db?.close();
    lock.release();
    throw error;
  }
}
