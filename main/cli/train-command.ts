import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { WorkbenchError, toApiError } from '../../shared/errors';
import { sweepSpecSchema, trainingConfigSchema, type SweepSpec } from '../../shared/training';
import { searchRuns } from '../core/tracking/run-search';
import { parse, type Command } from './cli-args';
import { experimentIdOf, printJson, withWorkbench } from './context';
import { parseVersionRef } from './data-commands';
import { formatNumber, formatTable } from './format';

/**
 * `trainyard train`: one training job, headless, logged as a run. The config is train.yaml (or
 * JSON); flags override its fields. Exit code 1 when the run fails.
 */
export const trainCommand: Command = {
  words: ['train'],
  async run(args) {
    const { values } = parse(args, {
      data: { type: 'string' },
      dataset: { type: 'string' },
      target: { type: 'string' },
      config: { type: 'string' },
      epochs: { type: 'string' },
      lr: { type: 'string' },
      'batch-size': { type: 'string' },
      hidden: { type: 'string' },
      experiment: { type: 'string' },
      name: { type: 'string' },
      sweep: { type: 'string' },
    });
    if (!values.data === !values.dataset) throw new WorkbenchError('INVALID_ARGUMENT', 'Say what to train on: --data <csv|parquet file> or --dataset <name>[@version].');
    let fromFile: Record<string, unknown> = {};
    if (values.config) {
      try {
        fromFile = (parseYaml(await readFile(values.config, 'utf8')) as Record<string, unknown> | null) ?? {};
      } catch (error) {
        throw new WorkbenchError('INVALID_ARGUMENT', `Could not read ${values.config}: ${(error as Error).message}`);
      }
    }
    const overrides: Record<string, unknown> = {
      ...(values.target ? { target: values.target } : {}),
      ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
      ...(values['batch-size'] ? { batchSize: Number(values['batch-size']) } : {}),
    };
    const merged = {
      ...fromFile,
      ...overrides,
      ...(values.lr ? { optimizer: { ...(fromFile.optimizer as object | undefined), lr: Number(values.lr) } } : {}),
      ...(values.hidden ? { model: { ...(fromFile.model as object | undefined), hidden: values.hidden.split(',').filter(Boolean).map(Number) } } : {}),
    };
    const parsed = trainingConfigSchema.safeParse(merged);
    if (!parsed.success) throw new WorkbenchError('INVALID_ARGUMENT', `Invalid training config${values.config ? ` in ${values.config}` : ''}: ${toApiError(parsed.error).message}`);
    const config = parsed.data;

    let sweep: SweepSpec | null = null;
    if (values.sweep) {
      const parsedSweep = sweepSpecSchema.safeParse(parseYaml(await readFile(values.sweep, 'utf8')));
      if (!parsedSweep.success) throw new WorkbenchError('INVALID_ARGUMENT', `Invalid sweep in ${values.sweep}: ${toApiError(parsedSweep.error).message}`);
      sweep = parsedSweep.data;
    }

    return withWorkbench(values.home, async (workbench) => {
      const data = values.data ? { file: resolve(values.data) } : parseVersionRef(values.dataset!);
      if (sweep) {
        const options = { ...(values.experiment ? { experimentId: experimentIdOf(workbench, values.experiment) } : {}), ...(values.name ? { name: values.name } : {}) };
        const result = await workbench.training.sweep(data, config, sweep, options).done;
        const trials = workbench.tracking.getRun(result.run.id).childCount;
        const children = searchRuns(workbench.db, workbench.tracking.metrics, { parentRunId: result.run.id, maxResults: 1000, view: 'active' }).runs;
        if (values.json) return printJson({ run: workbench.tracking.getRun(result.run.id), trials: children, bestRunId: result.bestRunId }), result.run.status === 'FINISHED' ? 0 : 1;
        console.log(`Sweep ${result.run.id} ${result.run.status}: ${trials} trials; best ${result.bestRunId ?? 'none'} by ${sweep.metric}`);
        const keys = Object.keys(sweep.parameters);
        console.log(formatTable(['RUN', 'STATUS', ...keys, sweep.metric], children.map((child) => [child.id === result.bestRunId ? `* ${child.name}` : `  ${child.name}`, child.status, ...keys.map((key) => child.params[key] ?? ''), child.metrics[sweep.metric] ? formatNumber(child.metrics[sweep.metric]!.value) : ''])));
        return result.run.status === 'FINISHED' ? 0 : 1;
      }
      const started = workbench.training.start(data, config, {
        ...(values.experiment ? { experimentId: experimentIdOf(workbench, values.experiment) } : {}),
        ...(values.name ? { name: values.name } : {}),
      });
      const progress = process.stderr.isTTY
        ? workbench.jobs.onDidUpdateJob((job) => {
            const width = 30;
            const filled = job.total ? Math.round((job.done / job.total) * width) : 0;
            process.stderr.write(`\r\u001b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${job.phase}`);
          })
        : null;
      const { run, summary, error } = await started.done;
      progress?.dispose();
      if (process.stderr.isTTY) process.stderr.write('\r\u001b[2K');
      const latest = workbench.tracking.getRun(run.id).metrics;
      if (values.json) return printJson({ run: workbench.tracking.getRun(run.id), summary, error }), run.status === 'FINISHED' ? 0 : 1;
      console.log(`Run ${run.id} (${run.name}) ${run.status}${error ? `: ${error}` : ''}`);
      if (summary) {
        console.log(`  ${summary.rows} rows, ${summary.features.length} features${summary.classes ? `, ${summary.classes.length} classes` : ''}; ${summary.epochs} epochs on ${summary.provider} (${summary.execution}), ${formatNumber(Math.round(summary.samplesPerSec))} samples/s`);
        const keys = ['train_loss', 'val_loss', 'val_accuracy', 'val_rmse', 'train_accuracy'].filter((key) => latest[key]);
        console.log(formatTable(['METRIC', 'LATEST', 'BEST EPOCH'], keys.map((key) => [key, formatNumber(latest[key]!.value), summary.best?.[key] === undefined ? '' : formatNumber(summary.best[key]!)])));
      }
      return run.status === 'FINISHED' ? 0 : 1;
    });
  },
};
