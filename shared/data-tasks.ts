import { z } from 'zod';
import { dataSourceSchema } from './datasets';
import { expectationSuiteSchema, resultFormats } from './expectations';
import { transformStepSchema } from './transforms';

/** The `data` worker's tasks (DESIGN.md §5): one per attempt, chosen by `task`. */
export const dataTaskSchema = z.discriminatedUnion('task', [
  z.object({ task: z.literal('ingest'), source: dataSourceSchema }),
  z.object({
    task: z.literal('preview'),
    source: dataSourceSchema,
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(10_000).default(200),
  }),
  z.object({
    task: z.literal('validate'),
    source: dataSourceSchema,
    suite: expectationSuiteSchema,
    resultFormat: z.enum(resultFormats).default('SUMMARY'),
  }),
  z.object({
    task: z.literal('transform'),
    source: dataSourceSchema,
    steps: z.array(transformStepSchema).min(1),
    /** A staging folder main created for this attempt; outputs are written only here. */
    outputDir: z.string(),
  }),
]);
export type DataTask = z.input<typeof dataTaskSchema>;
export type ParsedDataTask = z.output<typeof dataTaskSchema>;
