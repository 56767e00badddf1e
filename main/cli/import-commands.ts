import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkbenchError } from '../../shared/errors';
import { importMlflowServer, importMlruns, type MlflowImportReport } from '../core/mlflow/import/mlruns-import';
import type { Workbench } from '../core/workbench';
import { parse, positional, type Command } from './cli-args';
import { printJson, withWorkbench } from './context';
import { formatNumber } from './format';

/**
 * `trainyard import mlflow <source>`: copies an MLflow store into the workbench (see
 * mlruns-import.ts). The source is a FileStore folder (`./mlruns`, `file:///…/mlruns`) or a
 * running tracking server (`http(s)://host:port`), read over its REST API with MLflow's own
 * credentials from the environment (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and
 * MLFLOW_TRACKING_PASSWORD).
 */
const importMlflow: Command = {
  words: ['import', 'mlflow'],
  async run(args) {
    const { values, positionals } = parse(args, { verbose: { type: 'boolean' } });
    const source = positional(positionals, 0, 'mlruns folder or tracking URI');
    const progress = values.verbose ? { onProgress: (line: string) => console.log(`  ${line}`) } : {};
    let run: (workbench: Workbench) => Promise<MlflowImportReport>;
    if (/^https?:\/\//i.test(source)) {
      const credentials = { token: process.env['MLFLOW_TRACKING_TOKEN'], username: process.env['MLFLOW_TRACKING_USERNAME'], password: process.env['MLFLOW_TRACKING_PASSWORD'] };
      run = (workbench) => importMlflowServer(workbench, source, { ...progress, ...credentials });
    } else {
      if (/^[a-z][\w+.-]*:/i.test(source) && !/^file:/i.test(source) && !/^[a-z]:[\\/]/i.test(source)) {
        throw new WorkbenchError(
          'INVALID_ARGUMENT',
          `Cannot import from '${source}': give an mlruns folder or an http(s):// tracking URI. A database-backed store (sqlite:, postgresql:, …) is read through the server that uses it (mlflow server --backend-store-uri …), then imported from its URL.`,
        );
      }
      let folder = /^file:/i.test(source) ? fileURLToPath(source) : resolve(source);
      // Pointing at the project folder that holds mlruns/ is a common slip.
      if (!existsSync(join(folder, 'meta.yaml')) && existsSync(join(folder, 'mlruns'))) folder = join(folder, 'mlruns');
      run = (workbench) => importMlruns(workbench, folder, progress);
    }
    return withWorkbench(values.home, async (workbench) => {
      const report = await run(workbench);
      if (values.json) return printJson(report), 0;
      const { experiments, runs, versions, models } = report;
      console.log(`Imported from ${report.source}:`);
      console.log(`  experiments: ${experiments.created} created, ${experiments.merged} merged by name${experiments.skippedDeleted ? `, ${experiments.skippedDeleted} deleted left out` : ''}`);
      console.log(
        `  runs:        ${runs.imported} imported${runs.newIds ? ` (${runs.newIds} under a new id, tagged mlflow.import.source_run_id)` : ''}, ${runs.alreadyThere} already there${runs.skippedDeleted ? `, ${runs.skippedDeleted} deleted left out` : ''}`,
      );
      console.log(`               ${formatNumber(report.params)} params, ${formatNumber(report.tags)} tags, ${formatNumber(report.metricPoints)} metric points, ${formatNumber(report.artifacts)} artifact files`);
      console.log(`  models:      ${models.created} created, ${models.alreadyThere} already there`);
      console.log(`  versions:    ${versions.imported} imported, ${versions.alreadyThere} already there${versions.skipped ? `, ${versions.skipped} left out` : ''}; ${report.aliases} aliases set`);
      for (const warning of report.warnings) console.log(`  note: ${warning}`);
      return 0;
    });
  },
};

export const importCommands: readonly Command[] = [importMlflow];
