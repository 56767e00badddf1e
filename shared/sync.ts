import { z } from 'zod';

/**
 * A team bucket (issue 9) on an S3-compatible store. Content objects go under
 * `<prefix>/files/md5/` exactly as DVC lays them out; Trainyard's metadata under
 * `<prefix>/.trainyard/` (SEMANTICS.md §1.5). Credentials are not part of it: they are entered
 * once and kept by the secret store, never sent back to the renderer.
 */
export const remoteNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-", starting with a letter or digit');

export const syncAuthSchema = z.enum(['keys', 'profile', 'environment']);
export type SyncAuth = z.infer<typeof syncAuthSchema>;

/** What to sync; `all` by default. Lists name experiments, datasets and registered models. */
export const syncScopeSchema = z.object({
  experiments: z.union([z.literal('all'), z.array(z.string())]).default('all'),
  datasets: z.union([z.literal('all'), z.array(z.string())]).default('all'),
  models: z.union([z.literal('all'), z.array(z.string())]).default('all'),
  pipelines: z.boolean().default(true),
});
export type SyncScope = z.infer<typeof syncScopeSchema>;

export const remoteConfigSchema = z.object({
  name: remoteNameSchema,
  /** `http(s)://host[:port]`; null for AWS's endpoint of the region. */
  endpoint: z.string().url().nullable(),
  region: z.string().min(1).max(64),
  bucket: z.string().min(3).max(63),
  /** Folder inside the bucket, without leading/trailing slashes; '' for the bucket's root. */
  prefix: z.string().max(512),
  /** Path-style addressing (`endpoint/bucket/key`): what MinIO, Ceph and most emulators need. */
  pathStyle: z.boolean(),
  /** Access key + secret (kept by the secret store), the AWS profile chain, or AWS_* variables. */
  auth: syncAuthSchema,
  /** With `profile`: its name; null for the default profile. */
  profile: z.string().nullable(),
  scope: syncScopeSchema,
});
export type RemoteConfig = z.infer<typeof remoteConfigSchema>;

/** Access key and secret, as entered. Never logged; never sent back to a window. */
export const remoteCredentialsSchema = z.object({
  accessKeyId: z.string().min(1).max(256),
  secretAccessKey: z.string().min(1).max(1024),
  sessionToken: z.string().max(4096).optional(),
});
export type RemoteCredentials = z.infer<typeof remoteCredentialsSchema>;

/** What a connection test found; each check says what happened in words. */
export const remoteCapabilitiesSchema = z.object({
  testedAt: z.number(),
  /** The bucket could be listed (and so exists, and the credentials work). */
  listing: z.boolean(),
  /** A PUT could write (and the test object was removed again). */
  write: z.boolean(),
  /** `If-None-Match: *` on PUT is refused (412) for an existing key. */
  conditionalCreate: z.boolean(),
  /** `Content-MD5` is checked: a wrong digest is refused (400 BadDigest). */
  contentMd5Checked: z.boolean(),
  /** The server's clock minus ours, in ms, from its Date header (null if it sent none). */
  clockSkewMs: z.number().nullable(),
  notes: z.array(z.string()),
});
export type RemoteCapabilities = z.infer<typeof remoteCapabilitiesSchema>;

/** Progress of a running sync, for the progress bar (objects, bytes, rate, ETA). */
export const syncProgressSchema = z.object({
  remote: z.string(),
  phase: z.enum(['listing', 'pushing', 'writing-events', 'reading-events', 'pulling', 'applying', 'done']),
  objectsDone: z.number(),
  objectsTotal: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  /** Bytes per second over the last few seconds. */
  rate: z.number(),
  /** Seconds left at that rate; null when unknown. */
  etaSeconds: z.number().nullable(),
});
export type SyncProgress = z.infer<typeof syncProgressSchema>;

/** What one sync did (or, with --dry-run, would do). */
export const syncReportSchema = z.object({
  remote: z.string(),
  dryRun: z.boolean(),
  pushed: z.object({ objects: z.number(), bytes: z.number(), events: z.number(), records: z.record(z.string(), z.number()) }),
  pulled: z.object({ objects: z.number(), bytes: z.number(), events: z.number(), records: z.record(z.string(), z.number()) }),
  /** Objects already in the bucket (skipped), and objects refused for a hash mismatch. */
  skippedObjects: z.number(),
  refusedObjects: z.array(z.object({ oid: z.string(), reason: z.string() })),
  conflicts: z.array(z.object({ kind: z.string(), entity: z.string(), message: z.string() })),
  unsupportedEvents: z.number(),
  durationMs: z.number(),
});
export type SyncReport = z.infer<typeof syncReportSchema>;

/** A remote as the Sync section shows it: settings, last test, last syncs. Never its secret. */
export const remoteSummarySchema = remoteConfigSchema.extend({
  capabilities: remoteCapabilitiesSchema.nullable(),
  /** Keys are stored for it (auth `keys`); the keys themselves never leave main. */
  hasCredentials: z.boolean(),
  /** Where keys are kept, in words ("the OS keychain", "a file only you can read (mode 0600)"). */
  credentialStore: z.string(),
  lastPushAt: z.number().nullable(),
  lastPullAt: z.number().nullable(),
  createdAt: z.number(),
});
export type RemoteSummary = z.infer<typeof remoteSummarySchema>;

export const syncDirectionSchema = z.enum(['both', 'push', 'pull']);
export type SyncDirection = z.infer<typeof syncDirectionSchema>;

/** One sync, finished or running. */
export const syncHistoryEntrySchema = z.object({
  id: z.number(),
  remote: z.string(),
  direction: syncDirectionSchema,
  dryRun: z.boolean(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  report: syncReportSchema.nullable(),
  error: z.string().nullable(),
});
export type SyncHistoryEntry = z.infer<typeof syncHistoryEntrySchema>;

/** A difference a merge resolved, shown until dismissed (never silently dropped). */
export const syncConflictSchema = z.object({
  id: z.number(),
  remote: z.string(),
  kind: z.string(),
  entity: z.string(),
  message: z.string(),
  createdAt: z.number(),
});
export type SyncConflict = z.infer<typeof syncConflictSchema>;

export const syncStatusSchema = z.object({
  /** The sync in progress with its latest progress, if any. */
  running: z.object({ historyId: z.number(), progress: syncProgressSchema.nullable() }).nullable(),
  history: z.array(syncHistoryEntrySchema),
  conflicts: z.array(syncConflictSchema),
  /** Events from a newer Trainyard, kept and not applied. */
  unsupportedEvents: z.number(),
  /** Who this home is to teammates (the author on what it pushes), and its client id. */
  author: z.string(),
  clientId: z.string(),
  /** Where remote keys are kept, in words (shown in the remote form before any remote exists). */
  credentialStore: z.string(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;
