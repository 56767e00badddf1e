import { z } from 'zod';
import { jobSchema } from './jobs';
import { servedModelSchema } from './serving';
import { dagRunStateSchema } from './pipelines';
import { syncProgressSchema } from './sync';
import { experimentSchema, runInfoSchema } from './tracking';

/**
 * Push events from main to every window. High-rate data (metric points) is summarized per run and
 * coalesced by main, so a million logged points never become a million messages.
 */
export const workbenchEvents = {
  'run.created': z.object({ run: runInfoSchema }),
  'run.updated': z.object({ run: runInfoSchema }),
  'run.deleted': z.object({ runId: z.string(), purged: z.boolean() }),
  /** Keys logged to since the last event, with their newest step; charts re-read the series. */
  'metrics.logged': z.object({
    runId: z.string(),
    keys: z.array(z.object({ key: z.string(), lastStep: z.number(), count: z.number() })),
  }),
  'params.logged': z.object({ runId: z.string() }),
  'experiment.changed': z.object({ experiment: experimentSchema }),
  /** Progress of long work; thinned to ~10 per second per job, the final state always sent. */
  'job.updated': z.object({ job: jobSchema }),
  'dataset.changed': z.object({ dataset: z.string(), version: z.number().nullable() }),
  /** Anything about a registered model changed (versions, stages, aliases, tags, name). */
  'model.changed': z.object({ name: z.string() }),
  /** A model server started or stopped: the full list now. */
  'serving.changed': z.object({ servers: z.array(servedModelSchema) }),
  /** A DAG run or one of its tasks changed state. */
  /** A pipeline was registered, replaced, paused or resumed. */
  'pipeline.updated': z.object({ name: z.string() }),
  'pipeline.changed': z.object({ pipeline: z.string(), dagRun: z.string(), state: dagRunStateSchema, finished: z.boolean() }),
  /** A sync's progress (objects, bytes, rate, ETA); thinned to a few per second. */
  'sync.progress': syncProgressSchema,
  /** A sync started or ended, a remote was added, changed or removed, or a conflict appeared. */
  'sync.changed': z.object({
    remote: z.string().nullable(),
    /** A sync just ended having applied teammates' records: runs, datasets, models and pipelines changed. */
    pulled: z.boolean().optional(),
  }),
} as const;

export type WorkbenchEventName = keyof typeof workbenchEvents;
export type WorkbenchEventPayload<K extends WorkbenchEventName> = z.infer<(typeof workbenchEvents)[K]>;
export const eventNames = Object.keys(workbenchEvents) as WorkbenchEventName[];

/** One event as it travels: its name and payload. */
export type WorkbenchEvent = {
  [K in WorkbenchEventName]: { name: K; payload: WorkbenchEventPayload<K> };
}[WorkbenchEventName];

export function isEventName(name: string): name is WorkbenchEventName {
  return Object.prototype.hasOwnProperty.call(workbenchEvents, name);
}
