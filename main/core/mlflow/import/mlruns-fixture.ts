/**
 * Test helper: writes an `mlruns/` folder by hand exactly as MLflow 2.x's FileStore does
 * (PyYAML `safe_dump`, keys sorted; run status as its enum number; metric lines
 * "<timestamp> <value> <step>" with Python's float spelling; one file per param/tag key, '/'
 * in a key making folders). Only the import tests use it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const statusNumber = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 } as const;

export interface FixtureRun {
  readonly id: string;
  readonly name: string;
  readonly status?: keyof typeof statusNumber;
  readonly startTime: number;
  readonly endTime?: number | null;
  readonly deleted?: boolean;
  readonly params?: Record<string, string>;
  readonly tags?: Record<string, string>;
  /** key → [timestamp, value as Python prints it, step][] */
  readonly metrics?: Record<string, Array<[number, string, number]>>;
  readonly artifacts?: Record<string, string | Buffer>;
}

export class MlrunsFixture {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  experiment(id: string, name: string, options: { tags?: Record<string, string>; deleted?: boolean; time?: number } = {}): string {
    const dir = options.deleted ? join(this.root, '.trash', id) : join(this.root, id);
    const time = options.time ?? 1_700_000_000_000;
    write(join(dir, 'meta.yaml'), [
      `artifact_location: ${pathToFileURL(join(this.root, id)).href}`,
      `creation_time: ${time}`,
      `experiment_id: '${id}'`,
      `last_update_time: ${time}`,
      `lifecycle_stage: ${options.deleted ? 'deleted' : 'active'}`,
      `name: ${name}`,
    ]);
    for (const [key, value] of Object.entries(options.tags ?? {})) write(join(dir, 'tags', ...key.split('/')), value);
    return dir;
  }

  run(experimentDir: string, experimentId: string, run: FixtureRun): string {
    const dir = join(experimentDir, run.id);
    const endTime = run.endTime === undefined ? (run.status === 'RUNNING' ? null : run.startTime + 5_000) : run.endTime;
    write(join(dir, 'meta.yaml'), [
      `artifact_uri: ${pathToFileURL(join(dir, 'artifacts')).href}`,
      `deleted_time: ${run.deleted ? run.startTime + 60_000 : 'null'}`,
      `end_time: ${endTime ?? 'null'}`,
      "entry_point_name: ''",
      `experiment_id: '${experimentId}'`,
      `lifecycle_stage: ${run.deleted ? 'deleted' : 'active'}`,
      `run_id: ${run.id}`,
      `run_name: ${run.name}`,
      `run_uuid: ${run.id}`,
      "source_name: ''",
      'source_type: 4',
      "source_version: ''",
      `start_time: ${run.startTime}`,
      `status: ${statusNumber[run.status ?? 'FINISHED']}`,
      'tags: []',
      'user_id: ana',
    ]);
    mkdirSync(join(dir, 'params'), { recursive: true });
    mkdirSync(join(dir, 'metrics'), { recursive: true });
    mkdirSync(join(dir, 'artifacts'), { recursive: true });
    for (const [key, value] of Object.entries(run.params ?? {})) writeFileSync(ensure(join(dir, 'params', ...key.split('/'))), value);
    const tags = { 'mlflow.runName': run.name, 'mlflow.user': 'ana', 'mlflow.source.type': 'LOCAL', 'mlflow.source.name': 'train.py', ...run.tags };
    for (const [key, value] of Object.entries(tags)) writeFileSync(ensure(join(dir, 'tags', ...key.split('/'))), value);
    for (const [key, points] of Object.entries(run.metrics ?? {})) {
      writeFileSync(ensure(join(dir, 'metrics', ...key.split('/'))), points.map(([timestamp, value, step]) => `${timestamp} ${value} ${step}\n`).join(''));
    }
    for (const [path, content] of Object.entries(run.artifacts ?? {})) writeFileSync(ensure(join(dir, 'artifacts', ...path.split('/'))), content);
    return dir;
  }

  model(name: string, options: { description?: string | null; tags?: Record<string, string>; aliases?: Record<string, number>; time?: number } = {}): void {
    const dir = join(this.root, 'models', name);
    const time = options.time ?? 1_700_000_100_000;
    const aliases = Object.entries(options.aliases ?? {});
    write(join(dir, 'meta.yaml'), [
      ...(aliases.length === 0 ? ['aliases: {}'] : ['aliases:', ...aliases.map(([alias, version]) => `  ${alias}: '${version}'`)]),
      `creation_timestamp: ${time}`,
      `description: ${options.description ?? 'null'}`,
      `last_updated_timestamp: ${time}`,
      `name: ${name}`,
    ]);
    for (const [key, value] of Object.entries(options.tags ?? {})) write(join(dir, 'tags', key), value);
    for (const [alias, version] of aliases) write(join(dir, 'aliases', alias), String(version));
  }

  version(name: string, version: number, options: { source: string; runId: string | null; stage?: string; description?: string | null; tags?: Record<string, string>; aliases?: string[] }): void {
    const dir = join(this.root, 'models', name, `version-${version}`);
    const time = 1_700_000_100_000 + version;
    write(join(dir, 'meta.yaml'), [
      options.aliases?.length ? `aliases:\n${options.aliases.map((alias) => `- ${alias}`).join('\n')}` : 'aliases: []',
      `creation_timestamp: ${time}`,
      `current_stage: ${options.stage ?? 'None'}`,
      `description: ${options.description ?? 'null'}`,
      `last_updated_timestamp: ${time}`,
      `name: ${name}`,
      `run_id: ${options.runId ?? 'null'}`,
      "run_link: ''",
      `source: ${options.source}`,
      'status: READY',
      'status_message: null',
      'user_id: null',
      `version: ${version}`,
    ]);
    for (const [key, value] of Object.entries(options.tags ?? {})) write(join(dir, 'tags', key), value);
  }
}

function write(file: string, lines: readonly string[] | string): void {
  writeFileSync(ensure(file), typeof lines === 'string' ? lines : `${lines.join('\n')}\n`);
}

function ensure(file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  return file;
}
