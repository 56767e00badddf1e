// Ingest + profile of a large CSV (1 GB by default) in the data worker's code, against DuckDB's own
// CSV reader scanning the same file in the same run (a count(*) over read_csv: the ceiling).
import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { Duck, sqlString } from '../workers/data/duckdb';
import { ingest } from '../workers/data/ingest/ingest';
import { report, round, scratch } from './harness';

const targetMb = Number(process.env.BENCH_CSV_MB ?? 1024);
const file = join(scratch('csv'), 'big.csv');
const out = createWriteStream(file);
out.write('id,age,income,score,city,segment,signup\n');
const cities = ['paris', 'lyon', 'berlin', 'madrid', 'rome', 'oslo', 'lisbon', 'vienna'];
let written = 0;
let id = 0;
while (written < targetMb * 1024 * 1024) {
  let chunk = '';
  for (let i = 0; i < 10_000; i++, id++) {
    chunk += `${id},${18 + (id % 60)},${(id * 7919) % 200_000}.${id % 100},${Math.sin(id).toFixed(6)},${cities[id % 8]},${id % 3 === 0 ? 'gold' : 'basic'},2024-0${1 + (id % 9)}-1${id % 10}\n`;
  }
  written += chunk.length;
  if (!out.write(chunk)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
const megabytes = statSync(file).size / 1e6;

const duck = await Duck.open({ threads: 2 });
let started = performance.now();
await duck.all(`SELECT count(*) AS n FROM read_csv(${sqlString(file)})`);
const ceilingSeconds = (performance.now() - started) / 1000;

started = performance.now();
const result = await ingest(duck, { format: 'csv', files: [file] });
const ingestSeconds = (performance.now() - started) / 1000;
duck.close();

report({
  benchmark: 'csv-ingest',
  megabytes: round(megabytes, 0),
  rows: result.profile.rowCount,
  columns: result.schema.length,
  duckdbScanMBps: round(megabytes / ceilingSeconds, 0),
  ingestAndProfileMBps: round(megabytes / ingestSeconds, 0),
  ratioToDuckdbScan: round(ceilingSeconds / ingestSeconds),
  goal: 'report MB/s; DuckDB CSV reader is the ceiling',
});
