import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import { importMlruns } from '../core/mlflow/import/mlruns-import';
import { parse, positional, type Command } from './cli-args';
import { printJson, withWorkbench } from './context';
import { formatNumber } from './format';

/**
 * `trainyard import mlflow ./mlruns`: copies an MLflow FileStore folder into the workbench
 * (see mlruns-import.ts). Reading a running MLflow server (a tracking URI) is not supported:
 * point it at the server's backing mlruns folder instead.
 */
const importMlflow: Command = {
  words: ['import', 'mlflow'],
  async run(args) {
    const { values, positionals } = parse(args, { verbose: { type: 'boolean' } });
    const source = positional(positionals, 0, 'mlruns folder');
    if (/^[a-z][\w+.-]*:\/\//i.test(source)) {
      throw new WorkbenchError(
        'INVALID_ARGUMENT',
        `Importing from a tracking URI (${source}) is not supported yet. Import the folder the MLflow server stores its runs in (its --backend-store-uri, by default ./mlruns); a database-backed server can first be exported with mlflow-export-import.`,
      );
    }
    let folder = resolve(source);
    // Pointing at the project folder that holds mlruns/ is a common slip.
    if (!existsSync(join(folder, 'meta.yaml')) && existsSync(join(folder, 'mlruns'))) folder = join(folder, 'mlruns');
    return withWorkbench(values.home, async (workbench) => {
      const report = await importMlruns(workbench, folder, values.verbose ? { onProgress: (line) => console.log(`  ${line}`) } : {});
      if (values.json) return printJson(report), 0;
      const { experiments, runs, versions, models } = report;
      console.log(`Imported from ${folder}:`);
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
