// Metric ingestion through the tracking service (batches of 1,000, LOD maintained) against the
// raw better-sqlite3 ceiling: one prepared insert into an indexed table, one transaction.
import { join } from 'node:path';
import { openDatabase } from '../main/core/db/database';
import { openWorkbench } from '../main/core/workbench';
import { report, round, scratch, time } from './harness';

const total = Number(process.env.BENCH_POINTS ?? 1_000_000);
const batch = 1000;

const rawDb = openDatabase(join(scratch('raw'), 'raw.db'));
rawDb.exec('CREATE TABLE m (run INTEGER, key TEXT, step INTEGER, value REAL, ts INTEGER); CREATE INDEX m_run_key_step ON m (run, key, step);');
const insert = rawDb.prepare('INSERT INTO m VALUES (?, ?, ?, ?, ?)');
const raw = time(() =>
  rawDb.transaction(() => {
    for (let step = 0; step < total; step++) insert.run(1, 'loss', step, Math.sin(step), 1_700_000_000_000 + step);
  })(),
);
rawDb.close();

const workbench = await openWorkbench({ home: scratch('service'), shell: 'browser', workersDir: '' });
const runId = workbench.tracking.createRun({ name: 'bench' }).id;
const batches = Array.from({ length: total / batch }, (_, index) =>
  Array.from({ length: batch }, (_, offset) => {
    const step = index * batch + offset;
    return { key: 'loss', value: Math.sin(step), step, timestamp: 1_700_000_000_000 + step };
  }),
);
const service = time(() => {
  for (const metrics of batches) workbench.tracking.logBatch({ runId, metrics });
});
await workbench.dispose();

const rawRate = total / (raw.ms / 1000);
const serviceRate = total / (service.ms / 1000);
report({
  benchmark: 'metric-ingest',
  points: total,
  batchSize: batch,
  rawCeilingRowsPerSecond: Math.round(rawRate),
  trainyardRowsPerSecond: Math.round(serviceRate),
  ratioToCeiling: round(serviceRate / rawRate),
  goal: 'ratio >= 0.5',
});
