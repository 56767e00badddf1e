import { z } from 'zod';

const columns = z.array(z.string().min(1)).min(1);

/**
 * Declarative transform steps (so a pipeline can run them and a version can record them). Each
 * produces a new dataset version; fitted statistics are kept so the training engine can bake the
 * same preprocessing into an exported model.
 */
export const transformStepSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('drop'), columns }),
  z.object({ op: z.literal('rename'), mapping: z.record(z.string(), z.string().min(1)) }),
  z.object({ op: z.literal('cast'), types: z.record(z.string(), z.enum(['integer', 'float', 'boolean', 'string', 'date', 'timestamp'])) }),
  /** A DuckDB SQL boolean expression over the columns, e.g. `age >= 18 and country = 'FR'`. */
  z.object({ op: z.literal('filter'), where: z.string().min(1) }),
  z.object({
    op: z.literal('impute'),
    columns,
    strategy: z.enum(['mean', 'median', 'mode', 'constant']),
    value: z.union([z.number(), z.string(), z.boolean()]).optional(),
  }),
  z.object({ op: z.literal('scale'), columns, method: z.enum(['standard', 'minmax']) }),
  z.object({ op: z.literal('encode'), columns, method: z.enum(['onehot', 'ordinal']) }),
  /** A new column from a DuckDB SQL expression, e.g. `price / nullif(area, 0)`. */
  z.object({ op: z.literal('derive'), column: z.string().min(1), expression: z.string().min(1) }),
  /** Seeded split into named parts; `stratify` keeps each class's share in every part. */
  z.object({
    op: z.literal('split'),
    fractions: z.record(z.string(), z.number().positive()),
    seed: z.number().int().default(42),
    stratify: z.string().optional(),
  }),
]);
export type TransformStep = z.infer<typeof transformStepSchema>;

/** What fitting a step learned from the data, keyed by column. */
export const fittedStepSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('impute'), values: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])) }),
  z.object({
    op: z.literal('scale'),
    method: z.enum(['standard', 'minmax']),
    /** standard: (x − center) / scale with center = mean, scale = std; minmax: center = min, scale = max − min. */
    columns: z.record(z.string(), z.object({ center: z.number(), scale: z.number() })),
  }),
  z.object({
    op: z.literal('encode'),
    method: z.enum(['onehot', 'ordinal']),
    categories: z.record(z.string(), z.array(z.string())),
    /** The columns each encoded column became (one-hot names depend on the other columns). */
    outputColumns: z.record(z.string(), z.array(z.string())),
  }),
]);
export type FittedStep = z.infer<typeof fittedStepSchema>;

export const transformResultSchema = z.object({
  /** One Parquet file per output part ("data", or each split's name). */
  outputs: z.array(z.object({ part: z.string(), file: z.string(), rowCount: z.number() })),
  /** Per step, in order; null for steps that fit nothing (drop, rename, filter…). */
  fitted: z.array(fittedStepSchema.nullable()),
});
export type TransformResult = z.infer<typeof transformResultSchema>;
