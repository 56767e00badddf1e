import { resolve } from 'node:path';
import { parse, positional, type Command } from './cli-args';
import { experimentIdOf, printJson, withWorkbench } from './context';

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

export const modelCommands: readonly Command[] = [modelsImport];
