import { z } from 'zod';

/** Coarse column kinds: what the UI draws (histogram vs. top values) and what transforms accept. */
export const columnKinds = ['integer', 'float', 'boolean', 'string', 'date', 'timestamp', 'other'] as const;
export const columnKindSchema = z.enum(columnKinds);
export type ColumnKind = z.infer<typeof columnKindSchema>;

export const columnSchemaSchema = z.object({
  name: z.string(),
  /** The DuckDB type as DuckDB names it (`BIGINT`, `DOUBLE`, `VARCHAR`, `DATE`…). */
  type: z.string(),
  kind: columnKindSchema,
});
export type ColumnSchema = z.infer<typeof columnSchemaSchema>;

export const histogramBinSchema = z.object({ lower: z.number(), upper: z.number(), count: z.number() });
export const topValueSchema = z.object({ value: z.string(), count: z.number() });

/** Statistics of one column; numeric fields are null where they do not apply. */
export const columnProfileSchema = columnSchemaSchema.extend({
  count: z.number(),
  nullCount: z.number(),
  distinctCount: z.number(),
  /** Numbers for numeric kinds; ISO strings for dates; strings compare as text. */
  min: z.union([z.number(), z.string()]).nullable(),
  max: z.union([z.number(), z.string()]).nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  quantiles: z.object({ p25: z.number(), p50: z.number(), p75: z.number() }).nullable(),
  /** Most frequent values (count desc, then value), at most 10. */
  topValues: z.array(topValueSchema),
  /** Equal-width bins over [min, max] for numeric kinds; empty otherwise. */
  histogram: z.array(histogramBinSchema),
});
export type ColumnProfile = z.infer<typeof columnProfileSchema>;

export const imageProfileSchema = z.object({
  imageCount: z.number(),
  width: z.object({ min: z.number(), max: z.number(), mean: z.number() }),
  height: z.object({ min: z.number(), max: z.number(), mean: z.number() }),
  formats: z.array(topValueSchema),
  classCounts: z.array(z.object({ label: z.string(), count: z.number() })),
});
export type ImageProfile = z.infer<typeof imageProfileSchema>;

export const datasetProfileSchema = z.object({
  rowCount: z.number(),
  columns: z.array(columnProfileSchema),
  images: imageProfileSchema.nullable(),
});
export type DatasetProfile = z.infer<typeof datasetProfileSchema>;

export const datasetFormats = ['csv', 'parquet', 'jsonl', 'images'] as const;
export const datasetFormatSchema = z.enum(datasetFormats);
export type DatasetFormat = z.infer<typeof datasetFormatSchema>;

/** How to read CSV; everything not given is detected (DuckDB's sniffer, our encoding check). */
export const csvOptionsSchema = z.object({
  delimiter: z.string().min(1).max(4).optional(),
  quote: z.string().max(1).optional(),
  header: z.boolean().optional(),
  encoding: z.enum(['utf-8', 'utf-16', 'latin-1']).optional(),
  /** Count and drop rows with the wrong number of fields instead of failing with their line. */
  skipBadRows: z.boolean().default(false),
});
export type CsvOptions = z.input<typeof csvOptionsSchema>;

/** What a file-reading task reads: stored objects (paths main handed out) and how to read them. */
export const dataSourceSchema = z.object({
  format: datasetFormatSchema,
  /** Absolute paths of the tabular files (for images: the labels file). */
  files: z.array(z.string()).min(1),
  csv: csvOptionsSchema.optional(),
  /** Images: relpath → absolute path of each image object. */
  images: z.array(z.object({ relpath: z.string(), file: z.string() })).optional(),
});
export type DataSource = z.input<typeof dataSourceSchema>;

/** What ingest learned about the data. */
export const ingestReportSchema = z.object({
  schema: z.array(columnSchemaSchema),
  profile: datasetProfileSchema,
  /** The dialect actually used, so the version can be re-read the same way. */
  csv: z
    .object({ delimiter: z.string(), quote: z.string(), header: z.boolean(), encoding: z.string() })
    .nullable(),
  skippedRows: z.number(),
  warnings: z.array(z.string()),
});
export type IngestReport = z.infer<typeof ingestReportSchema>;

export const previewSchema = z.object({
  columns: z.array(columnSchemaSchema),
  /** Cells as display strings (null for SQL NULL), row-major. */
  rows: z.array(z.array(z.string().nullable())),
  offset: z.number(),
  total: z.number(),
});
export type Preview = z.infer<typeof previewSchema>;
