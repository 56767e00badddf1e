import { z } from 'zod';
import { dataSourceSchema } from '../../shared/datasets';
import { trainerPreprocessingSchema, trainingConfigSchema } from '../../shared/training';
import { runWorker } from '../runtime';
import { imageJob } from './image-job';
import { tabularJob } from './tabular-job';

const inputSchema = z.object({
  source: dataSourceSchema,
  validation: dataSourceSchema.optional(),
  preprocessing: trainerPreprocessingSchema.optional(),
  config: trainingConfigSchema,
  runId: z.string().optional(),
});

/** The trainer worker: one training job per process (DESIGN.md §1), metrics streamed as they happen. */
runWorker(async (input, context) => {
  const job = inputSchema.parse(input);
  return job.source.format === 'images' ? imageJob(job, context) : tabularJob(job, context);
});
