import { modelTaskSchema } from '../../shared/models';
import { runWorker } from '../runtime';
import { evaluateModel } from './evaluate/evaluate';
import { inspectOnnx } from './inspect';

/** The `model` worker: inference-side work on a model file, one task per process. */
runWorker(async (input, context) => {
  const task = modelTaskSchema.parse(input);
  switch (task.task) {
    case 'inspect':
      return inspectOnnx(task.file, task.runId);
    case 'evaluate':
      return evaluateModel({ file: task.file, source: task.source, target: task.target, ...(task.threads ? { threads: task.threads } : {}) }, context);
  }
});
