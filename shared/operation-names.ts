/**
 * The contract's operation names without their schemas, for code that must stay tiny and
 * dependency-free (the sandboxed preload bundles this instead of zod). `api.ts` checks at compile
 * time that this list and the schema table name the same operations, in the same order.
 */
export const operationNameList = [
  'app.info',
  'app.probe',
  'experiments.list',
  'experiments.get',
  'experiments.create',
  'experiments.rename',
  'experiments.delete',
  'experiments.restore',
  'runs.create',
  'runs.get',
  'runs.search',
  'runs.update',
  'runs.end',
  'runs.logBatch',
  'runs.setTag',
  'runs.deleteTag',
  'runs.delete',
  'runs.restore',
  'runs.purge',
  'metrics.series',
  'artifacts.list',
  'artifacts.read',
  'artifacts.write',
] as const;
