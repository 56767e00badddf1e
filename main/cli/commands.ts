import { parse, positional, type Command } from './cli-args';
export { usage } from './cli-args';
import { WorkbenchError } from '../../shared/errors';
import { captureGitSource } from '../core/environment';
import { startUiServer } from '../core/http/ui-server';
import { searchRuns } from '../core/tracking/run-search';
import { experimentIdOf, keyValues, metricSummary, printJson, rendererDir, withReader, withWorkbench } from './context';
import { dataCommands } from './data-commands';
import { trainCommand } from './train-command';
import { modelCommands } from './model-commands';
import { pipelineCommands } from './pipeline-commands';
import { importCommands } from './import-commands';
import { syncCommands } from './sync-commands';
import { formatBytes, formatDuration, formatNumber, formatTable, formatTime } from './format';

const ui: Command = {
  words: ['ui'],
  async run(args) {
    const { values } = parse(args, { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' }, 'no-open': { type: 'boolean' }, 'mlflow-port': { type: 'string', default: '5000' } });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WorkbenchError('INVALID_ARGUMENT', `--port must be 0–65535, got '${values.port}'.`);
    return withWorkbench(values.home, async (workbench) => {
      const server = await startUiServer({ dispatch: workbench.dispatch, onDidEmit: workbench.onDidEmit, artifacts: workbench.artifacts, uploads: workbench.uploads, staticDir: rendererDir, port, host: values.host });
      const mlflowPort = Number(values['mlflow-port']);
      const mlflowUrl = await workbench.startMlflow({ port: mlflowPort, fallbackToFreePort: true });
      const recoveredAttempts = workbench.startBackground();
      if (recoveredAttempts > 0) console.log(`Marked ${recoveredAttempts} pipeline attempt(s) left running by a crash as failed (retried per policy).`);
      if (workbench.recovered.killedRuns > 0) console.log(`Marked ${workbench.recovered.killedRuns} run(s) left RUNNING by a crash as KILLED.`);
      console.log(`Trainyard is running at ${server.url}`);
      console.log(`MLflow-compatible server: export MLFLOW_TRACKING_URI=${mlflowUrl}`);
      console.log(`Data folder: ${workbench.layout.root}. Press Ctrl-C to stop.`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
      return 0;
    }, true);
  },
};

const experimentsList: Command = {
  words: ['experiments', 'list'],
  async run(args) {
    const { values } = parse(args, { all: { type: 'boolean' } });
    return withReader(values.home, ({ experiments }) => {
      const list = experiments.list(values.all ? 'all' : 'active');
      if (values.json) printJson(list);
      else console.log(formatTable(['ID', 'NAME', 'RUNS', 'CREATED'], list.map((e) => [e.id, e.name, String(e.runCount), formatTime(e.createdAt)])));
      return 0;
    });
  },
};

const experimentsCreate: Command = {
  words: ['experiments', 'create'],
  async run(args) {
    const { values, positionals } = parse(args, {});
    const name = positional(positionals, 0, 'experiment name');
    return withWorkbench(values.home, ({ experiments }) => {
      const created = experiments.create(name);
      if (values.json) printJson(created);
      else console.log(`Created experiment ${created.id} '${created.name}'.`);
      return 0;
    });
  },
};

const runsList: Command = {
  words: ['runs', 'list'],
  async run(args) {
    const { values } = parse(args, {
      experiment: { type: 'string', multiple: true },
      filter: { type: 'string' },
      'order-by': { type: 'string', multiple: true },
      max: { type: 'string', default: '50' },
      deleted: { type: 'boolean' },
    });
    return withReader(values.home, (reader) => {
      const result = searchRuns(reader.db, reader.tracking.metrics, {
        experimentIds: values.experiment?.map((e) => experimentIdOf(reader, e)),
        ...(values.filter ? { filter: values.filter } : {}),
        ...(values['order-by'] ? { orderBy: values['order-by'] } : {}),
        maxResults: Math.min(1000, Math.max(1, Number(values.max) || 50)),
        view: values.deleted ? 'deleted' : 'active',
      });
      if (values.json) printJson(result);
      else {
        console.log(
          formatTable(
            ['RUN ID', 'NAME', 'STATUS', 'EXP', 'STARTED', 'DURATION', 'METRICS'],
            result.runs.map((run) => [run.id, run.name, run.status, run.experimentId, formatTime(run.startTime), formatDuration(run.startTime, run.endTime), metricSummary(run)]),
          ),
        );
        if (result.nextPageToken) console.log(`… ${result.total - result.runs.length} more; raise --max or narrow --filter.`);
      }
      return 0;
    });
  },
};

const runsShow: Command = {
  words: ['runs', 'show'],
  async run(args) {
    const { values, positionals } = parse(args, {});
    const id = positional(positionals, 0, 'run id');
    return withReader(values.home, ({ tracking }) => {
      const run = tracking.getRun(id);
      if (values.json) return printJson(run), 0;
      const lines = [
        `Run ${run.id}  ${run.name}`,
        `  status      ${run.status}${run.deleted ? ' (deleted)' : ''}`,
        `  experiment  ${run.experimentId}${run.parentRunId ? `   parent ${run.parentRunId}` : ''}`,
        `  started     ${formatTime(run.startTime)}   duration ${formatDuration(run.startTime, run.endTime)}`,
      ];
      if (run.source?.gitCommit) lines.push(`  source      ${run.source.gitCommit.slice(0, 12)}${run.source.gitDirty ? ' (dirty)' : ''} ${run.source.repository ?? ''}`);
      if (run.environment) lines.push(`  machine     ${run.environment.cpuModel} ×${run.environment.cpuCores}, ${formatBytes(run.environment.totalMemoryBytes)} RAM${run.environment.gpus.length ? `, ${run.environment.gpus.join('; ')}` : ''}`);
      const section = (title: string, entries: Array<[string, string]>) => {
        if (entries.length === 0) return;
        lines.push('', title, formatTable(['KEY', 'VALUE'], entries));
      };
      section('Params', Object.entries(run.params));
      section('Metrics (latest)', Object.entries(run.metrics).map(([key, m]) => [key, `${formatNumber(m.value)} @ step ${m.step} (${m.count} points)`]));
      section('Tags', Object.entries(run.tags));
      console.log(lines.join('\n'));
      return 0;
    });
  },
};

const runsCreate: Command = {
  words: ['runs', 'create'],
  async run(args) {
    const { values } = parse(args, {
      experiment: { type: 'string' },
      name: { type: 'string' },
      param: { type: 'string', multiple: true },
      tag: { type: 'string', multiple: true },
      parent: { type: 'string' },
    });
    return withWorkbench(values.home, async (workbench) => {
      const source = await captureGitSource(process.cwd());
      const result = await workbench.dispatch('runs.create', {
        ...(values.experiment ? { experimentId: experimentIdOf(workbench, values.experiment) } : {}),
        ...(values.name ? { name: values.name } : {}),
        ...(values.parent ? { parentRunId: values.parent } : {}),
        params: keyValues(values.param, 'param'),
        tags: keyValues(values.tag, 'tag'),
        source,
      });
      if (!result.ok) throw new WorkbenchError(result.error.code, result.error.message);
      const run = result.result as { id: string; name: string };
      if (values.json) printJson(run);
      else console.log(run.id);
      return 0;
    });
  },
};

const runsLog: Command = {
  words: ['runs', 'log'],
  async run(args) {
    const { values, positionals } = parse(args, { metric: { type: 'string', multiple: true }, param: { type: 'string', multiple: true }, tag: { type: 'string', multiple: true } });
    const runId = positional(positionals, 0, 'run id');
    const metrics = keyValues(values.metric, 'metric').map(({ key, value }) => {
      const [number, step] = value.split('@');
      const parsed = Number(number);
      if (number === undefined || (Number.isNaN(parsed) && number.toLowerCase() !== 'nan')) throw new WorkbenchError('INVALID_ARGUMENT', `--metric ${key}: '${number}' is not a number.`);
      return { key, value: parsed, step: step ? Number(step) : 0 };
    });
    return withWorkbench(values.home, async ({ dispatch }) => {
      const result = await dispatch('runs.logBatch', { runId, metrics, params: keyValues(values.param, 'param'), tags: keyValues(values.tag, 'tag') });
      if (!result.ok) throw new WorkbenchError(result.error.code, result.error.message);
      if (!values.json) console.log(`Logged ${metrics.length} metric(s), ${values.param?.length ?? 0} param(s), ${values.tag?.length ?? 0} tag(s).`);
      return 0;
    });
  },
};

const runsLogArtifact: Command = {
  words: ['runs', 'log-artifact'],
  async run(args) {
    const { values, positionals } = parse(args, { path: { type: 'string' } });
    const runId = positional(positionals, 0, 'run id');
    const source = positional(positionals, 1, 'file or folder to log');
    const { stat } = await import('node:fs/promises');
    const { basename } = await import('node:path');
    const info = await stat(source).catch(() => null);
    if (!info) throw new WorkbenchError('NOT_FOUND', `No file or folder at '${source}'.`);
    return withWorkbench(values.home, async ({ artifacts }) => {
      const entries = info.isDirectory() ? await artifacts.logDirectory(runId, source, values.path ?? '') : [await artifacts.logFile(runId, source, values.path ?? basename(source))];
      if (values.json) printJson(entries);
      else console.log(`Logged ${entries.length} artifact file(s), ${formatBytes(entries.reduce((sum, e) => sum + e.size, 0))}.`);
      return 0;
    });
  },
};

const simpleRunCommand = (word: string, action: (runId: string, values: { status?: string }) => [string, unknown], done: string): Command => ({
  words: ['runs', word],
  async run(args) {
    const { values, positionals } = parse(args, { status: { type: 'string' } });
    const runId = positional(positionals, 0, 'run id');
    return withWorkbench(values.home, async ({ dispatch }) => {
      const [operation, input] = action(runId, values);
      const result = await dispatch(operation, input);
      if (!result.ok) throw new WorkbenchError(result.error.code, result.error.message);
      console.log(done.replace('{id}', runId));
      return 0;
    });
  },
});

const runsPurge: Command = {
  words: ['runs', 'purge'],
  async run(args) {
    const { values } = parse(args, { 'older-than-days': { type: 'string', default: '0' } });
    return withWorkbench(values.home, async ({ dispatch }) => {
      const result = await dispatch('runs.purge', { olderThanMs: Math.round(Number(values['older-than-days']) * 86_400_000) });
      if (!result.ok) throw new WorkbenchError(result.error.code, result.error.message);
      const purged = result.result as { runsPurged: number; objectsDeleted: number; bytesFreed: number };
      if (values.json) printJson(purged);
      else console.log(`Purged ${purged.runsPurged} run(s); deleted ${purged.objectsDeleted} object(s), freed ${formatBytes(purged.bytesFreed)}.`);
      return 0;
    });
  },
};

const probe: Command = {
  words: ['probe'],
  async run(args) {
    const { values } = parse(args, {});
    return withWorkbench(values.home, async ({ dispatch }) => {
      const result = await dispatch('app.probe', {});
      if (!result.ok) throw new WorkbenchError(result.error.code, result.error.message);
      const report = result.result as { preferredProvider: string; providers: Array<{ name: string; available: boolean; error: string | null }> };
      if (values.json) printJson(report);
      else {
        console.log(formatTable(['PROVIDER', 'LOADS', 'WHY NOT'], report.providers.map((p) => [p.name, p.available ? 'yes' : 'no', p.error ?? ''])));
        console.log(`Training and serving will use: ${report.preferredProvider}`);
      }
      return 0;
    });
  },
};

export const commands: readonly Command[] = [
  ...dataCommands,
  trainCommand,
  ...modelCommands,
  ...pipelineCommands,
  ...importCommands,
  ...syncCommands,
  ui,
  experimentsList,
  experimentsCreate,
  runsList,
  runsShow,
  runsCreate,
  runsLog,
  runsLogArtifact,
  simpleRunCommand('end', (id, v) => ['runs.end', { id, status: v.status ?? 'FINISHED' }], 'Ended run {id}.'),
  simpleRunCommand('delete', (id) => ['runs.delete', { id }], 'Moved run {id} to the trash; `trainyard runs restore {id}` brings it back.'),
  simpleRunCommand('restore', (id) => ['runs.restore', { id }], 'Restored run {id}.'),
  runsPurge,
  probe,
];
