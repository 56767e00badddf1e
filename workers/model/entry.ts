import { modelTaskSchema } from '../../shared/models';
import { runWorker } from '../runtime';
import { inspectOnnx } from './inspect';

/** The `model` worker: inference-side work on a model file, one task per process. */
runWorker(async (input) => {
  const task = modelTaskSchema.parse(input);
  switch (task.task) {
    case 'inspect':
      return inspectOnnx(task.file, task.runId);
  }
});
