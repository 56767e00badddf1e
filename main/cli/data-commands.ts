import { readFile, writeFile } from 'node:fs/promises';
import type { DatasetVersion } from '../../shared/datasets';
import { WorkbenchError } from '../../shared/errors';
import { observedText, prescriptiveText } from '../../shared/expectation-text';
import type { ValidationReport } from '../../shared/expectations';
import { serializeSuite } from '../../shared/suite-format';
import { DatasetRows } from '../core/datasets/dataset-rows';
import { exportFiles } from '../core/datasets/dataset-export';
import type { Workbench } from '../core/workbench';
import { parse, positional, type Command } from './cli-args';
import { printJson, withReader, withWorkbench } from './context';
import { formatBytes, formatNumber, formatTable, formatTime } from './format';

/** `name` or `name@3`. */
export function parseVersionRef(text: string): { dataset: string; version?: number } {
  const at = text.lastIndexOf('@');
  if (at === -1) return { dataset: text };
  const version = Number(text.slice(at + 1));
  if (!Number.isInteger(version) || version < 1) throw new WorkbenchError('INVALID_ARGUMENT', `'${text}': the version after '@' must be a positive whole number.`);
  return { dataset: text.slice(0, at), version };
}

async function call<T>(workbench: Workbench, operation: string, input: unknown): Promise<T> {
  const result = await workbench.dispatch(operation, input);
  if (!result.ok) throw new WorkbenchError(result.error.code, result.error.message);
  return result.result as T;
}

function describeVersion(version: DatasetVersion): string {
  return `${version.dataset}@${version.version}: ${version.rowCount.toLocaleString('en-US')} rows × ${version.schema.length} columns, ${version.fileCount} file(s), ${formatBytes(version.sizeBytes)} (${version.oid})`;
}

/** A progress line on stderr while a long import runs, when a person is watching. */
function progressPrinter(workbench: Workbench): () => void {
  if (!process.stderr.isTTY) return () => undefined;
  const subscription = workbench.jobs.onDidUpdateJob((job) => {
    const seconds = Math.max(0.001, (Date.now() - job.startedAt) / 1000);
    const rate = job.unit === 'bytes' ? `${formatBytes(job.done / seconds)}/s` : '';
    const amount = job.total ? `${job.unit === 'bytes' ? formatBytes(job.done) : job.done} / ${job.unit === 'bytes' ? formatBytes(job.total) : job.total}` : '';
    process.stderr.write(`\r\u001b[2K${job.label}: ${job.phase} ${amount} ${rate}`);
  });
  return () => {
    subscription.dispose();
    process.stderr.write('\r\u001b[2K');
  };
}

const add: Command = {
  words: ['data', 'add'],
  async run(args) {
    const { values, positionals } = parse(args, {
      name: { type: 'string' },
      delimiter: { type: 'string' },
      'no-header': { type: 'boolean' },
      encoding: { type: 'string' },
      'skip-bad-rows': { type: 'boolean' },
      dvc: { type: 'boolean' },
    });
    const { resolve } = await import('node:path');
    const path = resolve(positional(positionals, 0, 'file or folder to import'));
    return withWorkbench(values.home, async (workbench) => {
      const before = new Set(workbench.datasets.rows.summaries().flatMap((d) => [`${d.name}@${d.latestVersion}`]));
      const stop = progressPrinter(workbench);
      let version: DatasetVersion;
      try {
        version = await call<DatasetVersion>(workbench, 'datasets.import', {
          source: { kind: 'path', path },
          ...(values.name ? { name: values.name } : {}),
          writeDvcFile: values.dvc ?? false,
          csv: {
            ...(values.delimiter ? { delimiter: values.delimiter === '\\t' ? '\t' : values.delimiter } : {}),
            ...(values['no-header'] ? { header: false } : {}),
            ...(values.encoding ? { encoding: values.encoding } : {}),
            skipBadRows: values['skip-bad-rows'] ?? false,
          },
        });
      } finally {
        stop();
      }
      if (values.json) return printJson(version), 0;
      const unchanged = before.has(`${version.dataset}@${version.version}`);
      console.log(`${unchanged ? 'Unchanged, already stored as' : 'Added'} ${describeVersion(version)}`);
      for (const warning of version.warnings) console.log(`  note: ${warning}`);
      return 0;
    });
  },
};

const list: Command = {
  words: ['data', 'list'],
  async run(args) {
    const { values } = parse(args, {});
    return withReader(values.home, (reader) => {
      const rows = new DatasetRows(reader.db).summaries();
      if (values.json) return printJson(rows), 0;
      if (rows.length === 0) return console.log('No datasets yet. Add one with `trainyard data add <file or folder>`.'), 0;
      console.log(
        formatTable(
          ['NAME', 'LATEST', 'VERSIONS', 'ROWS', 'SIZE', 'FORMAT', 'UPDATED'],
          rows.map((r) => [r.name, `@${r.latestVersion}`, String(r.versionCount), r.latestRowCount.toLocaleString('en-US'), formatBytes(r.latestSizeBytes), r.latestFormat, formatTime(r.updatedAt)]),
        ),
      );
      return 0;
    });
  },
};

const show: Command = {
  words: ['data', 'show'],
  async run(args) {
    const { values, positionals } = parse(args, {});
    const ref = parseVersionRef(positional(positionals, 0, 'dataset name (name or name@version)'));
    return withWorkbench(values.home, (workbench) => {
      const version = workbench.datasets.rows.version(ref.dataset, ref.version);
      if (values.json) return printJson(version), 0;
      const lines = [describeVersion(version), `  created ${formatTime(version.createdAt)} by ${version.createdBy.kind}${version.createdBy.detail ? ` (${version.createdBy.detail})` : ''}`];
      if (version.parents.length > 0) lines.push(`  derived from ${version.parents.map((p) => `${p.dataset}@${p.version}`).join(', ')}`);
      if (version.sourcePath) lines.push(`  source ${version.sourcePath}`);
      lines.push(
        '',
        formatTable(
          ['COLUMN', 'TYPE', 'NULLS', 'DISTINCT', 'MIN', 'MAX', 'MEAN'],
          version.profile.columns.map((c) => [c.name, c.type, String(c.nullCount), String(c.distinctCount), c.min === null ? '' : String(c.min), c.max === null ? '' : String(c.max), c.mean === null ? '' : formatNumber(c.mean)]),
        ),
      );
      if (version.profile.images) {
        const images = version.profile.images;
        lines.push('', `Images: ${images.imageCount}, ${images.width.min}–${images.width.max} × ${images.height.min}–${images.height.max} px; classes: ${images.classCounts.map((c) => `${c.label} ${c.count}`).join(', ')}`);
      }
      console.log(lines.join('\n'));
      return 0;
    });
  },
};

const preview: Command = {
  words: ['data', 'preview'],
  async run(args) {
    const { values, positionals } = parse(args, { limit: { type: 'string', default: '20' }, offset: { type: 'string', default: '0' } });
    const ref = parseVersionRef(positional(positionals, 0, 'dataset name'));
    return withWorkbench(values.home, async (workbench) => {
      const page = await workbench.datasets.preview(ref.dataset, ref.version, Number(values.offset) || 0, Math.min(5000, Number(values.limit) || 20));
      if (values.json) return printJson(page), 0;
      console.log(formatTable(page.columns.map((c) => c.name), page.rows.map((row) => row.map((cell) => cell ?? ''))));
      console.log(`rows ${page.offset + 1}–${page.offset + page.rows.length} of ${page.total.toLocaleString('en-US')}`);
      return 0;
    });
  },
};

export function formatReport(report: ValidationReport): string {
  const stats = report.result.statistics;
  const lines = [
    `${report.success ? 'PASSED' : 'FAILED'}  ${report.dataset}@${report.version} against '${report.suiteName}': ${stats.successful_expectations}/${stats.evaluated_expectations} expectations met${stats.success_percent === null ? '' : ` (${formatNumber(stats.success_percent)}%)`}`,
    '',
  ];
  const rows = report.result.results.map((result) => {
    const column = typeof result.expectation_config.kwargs.column === 'string' ? result.expectation_config.kwargs.column : '(table)';
    const text = result.exception_info.raised_exception ? `error: ${result.exception_info.exception_message}` : observedText(result);
    return [result.success ? 'ok' : 'FAIL', column, prescriptiveText(result.expectation_config), text];
  });
  lines.push(formatTable(['', 'COLUMN', 'EXPECTATION', 'OBSERVED'], rows));
  return lines.join('\n');
}

const validate: Command = {
  words: ['data', 'validate'],
  async run(args) {
    const { values, positionals } = parse(args, { suite: { type: 'string' }, format: { type: 'string', default: 'SUMMARY' } });
    const ref = parseVersionRef(positional(positionals, 0, 'dataset name'));
    if (!values.suite) throw new WorkbenchError('INVALID_ARGUMENT', 'Pass the expectation suite with --suite suite.json (Great Expectations JSON).');
    let suite: unknown;
    try {
      suite = JSON.parse(await readFile(values.suite, 'utf8'));
    } catch (error) {
      throw new WorkbenchError('INVALID_ARGUMENT', `Could not read the suite ${values.suite}: ${(error as Error).message}`);
    }
    return withWorkbench(values.home, async (workbench) => {
      const report = await call<ValidationReport>(workbench, 'datasets.validate', { ...ref, suite, resultFormat: values.format });
      if (values.json) printJson(report);
      else console.log(formatReport(report));
      return report.success ? 0 : 1;
    });
  },
};

const suggest: Command = {
  words: ['data', 'suggest'],
  async run(args) {
    const { values, positionals } = parse(args, { out: { type: 'string' }, name: { type: 'string' } });
    const ref = parseVersionRef(positional(positionals, 0, 'dataset name'));
    return withWorkbench(values.home, async (workbench) => {
      const suite = await call<Parameters<typeof serializeSuite>[0]>(workbench, 'datasets.suggestSuite', { ...ref, ...(values.name ? { name: values.name } : {}) });
      const text = serializeSuite(suite);
      if (values.out) {
        await writeFile(values.out, text);
        console.log(`Wrote ${suite.expectations.length} expectations to ${values.out}.`);
      } else console.log(text);
      return 0;
    });
  },
};

const transform: Command = {
  words: ['data', 'transform'],
  async run(args) {
    const { values, positionals } = parse(args, { steps: { type: 'string' }, name: { type: 'string' } });
    const ref = parseVersionRef(positional(positionals, 0, 'dataset name'));
    if (!values.steps) throw new WorkbenchError('INVALID_ARGUMENT', 'Pass the steps with --steps steps.json (a JSON list of steps, e.g. [{"op":"drop","columns":["id"]}]).');
    const steps = JSON.parse(await readFile(values.steps, 'utf8')) as unknown;
    return withWorkbench(values.home, async (workbench) => {
      const version = await call<DatasetVersion>(workbench, 'datasets.transform', { ...ref, steps, ...(values.name ? { outputName: values.name } : {}) });
      if (values.json) printJson(version);
      else console.log(`Derived ${describeVersion(version)}`);
      return 0;
    });
  },
};

const exportCommand: Command = {
  words: ['data', 'export'],
  async run(args) {
    const { values, positionals } = parse(args, { force: { type: 'boolean' } });
    const ref = parseVersionRef(positional(positionals, 0, 'dataset name'));
    const folder = positional(positionals, 1, 'folder to export into');
    return withWorkbench(values.home, async (workbench) => {
      const version = workbench.datasets.rows.version(ref.dataset, ref.version);
      const done = await exportFiles(workbench.datasets.rows.files(version.id), workbench.objects, folder, { overwrite: values.force ?? false });
      console.log(`Exported ${version.dataset}@${version.version}: ${done.files} file(s), ${formatBytes(done.bytes)} into ${folder}.`);
      return 0;
    });
  },
};

export const dataCommands: readonly Command[] = [add, list, show, preview, validate, suggest, transform, exportCommand];
