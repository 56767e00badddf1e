import { resolve } from 'node:path';
import { WorkbenchError } from '../../shared/errors';
import { parse, positional, type Command } from './cli-args';
import { experimentIdOf, printJson, withWorkbench } from './context';
import { formatNumber, formatTable, formatTime } from './format';
import { parseVersionRef } from './data-commands';

/** `trainyard models import model.onnx`: bring a model trained elsewhere into the workbench. */
const modelsImport: Command = {
  words: ['models', 'import'],
  async run(args) {
    const { values, positionals } = parse(args, { name: { type: 'string' }, experiment: { type: 'string' } });
    const file = resolve(positional(positionals, 0, 'ONNX file'));
    return withWorkbench(values.home, async (workbench) => {
      const { run, info } = await workbench.models.importOnnx(file, {
        ...(values.experiment ? { experimentId: experimentIdOf(workbench, values.experiment) } : {}),
        ...(values.name ? { name: values.name } : {}),
      });
      if (values.json) return printJson({ runId: run.id, info }), 0;
      const tensors = (list: typeof info.inputs) => list.map((t) => `${t.name} ${t.dtype}[${t.shape.map((d) => (d < 0 ? '?' : d)).join(', ')}]`).join(', ');
      console.log(`Imported ${file} as run ${run.id} (${run.name}): ${info.nodes} nodes, produced by ${info.producer}.`);
      console.log(`  inputs:  ${tensors(info.inputs)}`);
      console.log(`  outputs: ${tensors(info.outputs)}`);
      return 0;
    });
  },
};

const modelsList: Command = {
  words: ['models', 'list'],
  async run(args) {
    const { values } = parse(args, { filter: { type: 'string' } });
    return withWorkbench(values.home, ({ registry }) => {
      const models = registry.list(values.filter);
      if (values.json) return printJson(models), 0;
      console.log(formatTable(['NAME', 'VERSIONS', 'ALIASES', 'STAGES', 'UPDATED'], models.map((model) => [
        model.name,
        String(model.versionCount),
        model.aliases.map((a) => `@${a.alias}=v${a.version}`).join(' '),
        model.latestVersions.filter((v) => v.stage !== 'None').map((v) => `${v.stage}=v${v.version}`).join(' '),
        formatTime(model.updatedAt),
      ])));
      return 0;
    });
  },
};

const modelsShow: Command = {
  words: ['models', 'show'],
  async run(args) {
    const { values, positionals } = parse(args, {});
    const name = positional(positionals, 0, 'model name');
    return withWorkbench(values.home, ({ registry }) => {
      const model = registry.get(name);
      const versions = registry.versions(name);
      if (values.json) return printJson({ ...model, versions }), 0;
      console.log(`${model.name}${model.description ? ` — ${model.description}` : ''}`);
      console.log(formatTable(['VERSION', 'STAGE', 'ALIASES', 'SOURCE', 'CREATED'], versions.map((v) => [String(v.version), v.stage, v.aliases.map((a) => `@${a}`).join(' '), v.source, formatTime(v.createdAt)])));
      return 0;
    });
  },
};

const modelsRegister: Command = {
  words: ['models', 'register'],
  async run(args) {
    const { values, positionals } = parse(args, { alias: { type: 'string' }, stage: { type: 'string' }, 'archive-existing': { type: 'boolean' }, path: { type: 'string' }, description: { type: 'string' } });
    const runId = positional(positionals, 0, 'run id');
    const name = positional(positionals, 1, 'model name');
    return withWorkbench(values.home, ({ registry }) => {
      const version = registry.register(runId, name, {
        ...(values.path ? { artifactPath: values.path } : {}),
        ...(values.description ? { description: values.description } : {}),
        ...(values.alias ? { alias: values.alias } : {}),
        ...(values.stage ? { stage: values.stage } : {}),
        archiveExisting: values['archive-existing'] ?? false,
      });
      if (values.json) return printJson(version), 0;
      console.log(`Registered ${version.source} as models:/${version.name}/${version.version}${version.aliases.length ? ` (@${version.aliases.join(', @')})` : ''}${version.stage !== 'None' ? ` in ${version.stage}` : ''}.`);
      return 0;
    });
  },
};

const modelsStage: Command = {
  words: ['models', 'stage'],
  async run(args) {
    const { values, positionals } = parse(args, { 'archive-existing': { type: 'boolean' } });
    const name = positional(positionals, 0, 'model name');
    const version = Number(positional(positionals, 1, 'version'));
    const stage = positional(positionals, 2, 'stage (None, Staging, Production, Archived)');
    return withWorkbench(values.home, ({ registry }) => {
      const moved = registry.transitionStage(name, version, stage, values['archive-existing'] ?? false);
      if (values.json) return printJson(moved), 0;
      console.log(`models:/${name}/${version} is now in ${moved.stage}.`);
      return 0;
    });
  },
};

const modelsAlias: Command = {
  words: ['models', 'alias'],
  async run(args) {
    const { values, positionals } = parse(args, { delete: { type: 'boolean' } });
    const name = positional(positionals, 0, 'model name');
    const alias = positional(positionals, 1, 'alias');
    return withWorkbench(values.home, ({ registry }) => {
      if (values.delete) {
        registry.deleteAlias(name, alias);
        console.log(`Removed @${alias} from ${name}.`);
        return 0;
      }
      const version = Number(positional(positionals, 2, 'version'));
      registry.setAlias(name, alias, version);
      console.log(`models:/${name}@${alias} now points at version ${version}.`);
      return 0;
    });
  },
};

/** `trainyard evaluate <model uri> --dataset name[@v]`: exit code 1 when the run fails (a failed gate included). */
const evaluate: Command = {
  words: ['evaluate'],
  async run(args) {
    const { values, positionals } = parse(args, { dataset: { type: 'string' }, target: { type: 'string' }, 'fail-if': { type: 'string' }, experiment: { type: 'string' }, name: { type: 'string' } });
    const uri = positional(positionals, 0, 'model URI (models:/name/1, models:/name@alias, runs:/<id>/model)');
    if (!values.dataset) throw new WorkbenchError('INVALID_ARGUMENT', 'Say what to evaluate on: --dataset <name>[@version].');
    const data = parseVersionRef(values.dataset);
    return withWorkbench(values.home, async (workbench) => {
      const { run, result, error } = await workbench.evaluation.evaluate({
        uri,
        ...data,
        ...(values.target ? { target: values.target } : {}),
        ...(values['fail-if'] ? { failIf: values['fail-if'] } : {}),
        ...(values.experiment ? { experimentId: experimentIdOf(workbench, values.experiment) } : {}),
        ...(values.name ? { name: values.name } : {}),
      }).done;
      if (values.json) return printJson({ runId: run.id, status: run.status, result: result ? { ...result, plots: result.plots.map((plot) => plot.name) } : null, error }), run.status === 'FINISHED' ? 0 : 1;
      console.log(`Run ${run.id} (${run.name}) ${run.status}${error ? `: ${error}` : ''}`);
      if (result) {
        console.log(`  ${result.rows} rows${result.skippedRows ? ` (${result.skippedRows} left out)` : ''}; plots in eval/ of the run: ${result.plots.map((plot) => plot.name).join(', ')}`);
        // Per-class metrics (f1_setosa…) stay in the run; the table shows the overall ones.
        const perClass = (key: string): boolean => (result.classes ?? []).some((label) => key.endsWith(`_${label}`));
        const keys = Object.keys(result.metrics).filter((key) => !perClass(key)).sort();
        console.log(formatTable(['METRIC', 'VALUE'], keys.map((key) => [key, formatNumber(result.metrics[key]!)])));
        for (const note of result.notes) console.log(`  note: ${note}`);
      }
      return run.status === 'FINISHED' ? 0 : 1;
    });
  },
};

/** `trainyard serve models:/name@champion --port 5001`: serves until Ctrl-C, printing one line per request. */
const serve: Command = {
  words: ['serve'],
  async run(args) {
    const { values, positionals } = parse(args, { port: { type: 'string', default: '5001' }, host: { type: 'string', default: '127.0.0.1' } });
    const uri = positional(positionals, 0, 'model URI (models:/name@alias, models:/name/1, runs:/<id>/model)');
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WorkbenchError('INVALID_ARGUMENT', `--port must be 0–65535, got '${values.port}'.`);
    return withWorkbench(values.home, async (workbench) => {
      const logs = workbench.servingLogs((line) => console.log(line.message));
      const server = await workbench.serving.start(uri, { port, host: values.host });
      if (values.json) printJson(server);
      else {
        console.log(`Serving ${server.label} (${uri}) at ${server.url}`);
        console.log(`  curl -s ${server.url}/invocations -H 'content-type: application/json' -d '{"dataframe_records": [{...}]}'`);
        console.log(`  inputs: ${server.inputs.map((input) => `${input.name} ${input.type}`).join(', ')}. Press Ctrl-C to stop.`);
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await workbench.serving.stop(server.id);
      logs.dispose();
      return 0;
    }, true);
  },
};

export const modelCommands: readonly Command[] = [evaluate, serve, modelsImport, modelsList, modelsShow, modelsRegister, modelsStage, modelsAlias];
