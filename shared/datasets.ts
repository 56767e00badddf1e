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

/** Who made a version: a person importing files, a transform of other versions, or a pipeline task. */
export const createdBySchema = z.object({
  kind: z.enum(['user', 'transform', 'pipeline']),
  /** A pipeline's task id, or the importing user's name. */
  detail: z.string().nullable(),
});
export type CreatedBy = z.infer<typeof createdBySchema>;

/** How a version's files are read back: the tabular files (by relpath), the labels file, the dialect. */
export const readOptionsSchema = z.object({
  format: datasetFormatSchema,
  tabular: z.array(z.string()),
  csv: z
    .object({
      delimiter: z.string(),
      quote: z.string(),
      header: z.boolean(),
      encoding: z.string(),
      /** The version was imported skipping malformed rows; every later read skips them too. */
      skipBadRows: z.boolean().optional(),
    })
    .nullable(),
});
export type ReadOptions = z.infer<typeof readOptionsSchema>;

export const versionRefSchema = z.object({ dataset: z.string(), version: z.number().int().positive() });
export type VersionRef = z.infer<typeof versionRefSchema>;

export const datasetVersionSchema = z.object({
  id: z.number(),
  dataset: z.string(),
  version: z.number(),
  /** The DVC object id: a file's md5, or `<md5>.dir` for a folder. */
  oid: z.string(),
  format: datasetFormatSchema,
  fileCount: z.number(),
  sizeBytes: z.number(),
  rowCount: z.number(),
  schema: z.array(columnSchemaSchema),
  profile: datasetProfileSchema,
  readOptions: readOptionsSchema,
  createdAt: z.number(),
  createdBy: createdBySchema,
  sourcePath: z.string().nullable(),
  parents: z.array(versionRefSchema),
  /** The transform steps that made it (derived versions only), and what they fitted. */
  steps: z.array(z.unknown()).nullable(),
  fitted: z.array(z.unknown()).nullable(),
  warnings: z.array(z.string()),
});
export type DatasetVersion = z.infer<typeof datasetVersionSchema>;

export const datasetSummarySchema = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  latestVersion: z.number(),
  versionCount: z.number(),
  latestRowCount: z.number(),
  latestSizeBytes: z.number(),
  latestFormat: datasetFormatSchema,
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const lineageSchema = z.object({
  versions: z.array(z.object({ id: z.number(), dataset: z.string(), version: z.number(), rowCount: z.number(), createdBy: createdBySchema })),
  runs: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
  /** parent → child between versions, version → run for runs that used a version. */
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
});
export type Lineage = z.infer<typeof lineageSchema>;
