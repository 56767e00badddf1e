import { createWriteStream, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duck } from '../duckdb';
import { ingest } from './ingest';
import { FixtureDir } from './test-fixtures';

const dir = new FixtureDir();
let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => {
  duck.close();
  dir.remove();
});

/** Writes about `megabytes` MB of CSV in 10,000-row pieces, so the test itself holds little. */
async function writeCsv(file: string, megabytes: number): Promise<void> {
  const out = createWriteStream(file);
  const cities = ['Paris', 'Berlin', 'Rome', 'Madrid', 'Oslo', 'Lisbon', 'Vienna', 'Zürich'];
  out.write('id,user,score,ratio,city,day,comment\n');
  let written = 0;
  for (let i = 0; written < megabytes * 1_000_000; ) {
    let piece = '';
    for (let k = 0; k < 10_000; k++, i++) {
      piece += `${i},user${(i * 7919) % 200_000},${(i * 31) % 1000},${((i * 0.37) % 100).toFixed(3)},${cities[i % 8]},2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},"note ${i % 100}, ok"\n`;
    }
    written += piece.length;
    if (!out.write(piece)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

describe('streaming', () => {
  it('profiles a ~50 MB CSV while the JS heap grows by a small fraction of the file', { timeout: 120_000 }, async () => {
    const file = dir.file('big.csv');
    await writeCsv(file, 50);
    const size = statSync(file).size;
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakBuffers = baseline.arrayBuffers;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
    }, 2);
    const started = performance.now();
    const report = await ingest(duck, { format: 'csv', files: [file] });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const heapGrowth = peakHeap - baseline.heapUsed;
    const bufferGrowth = peakBuffers - baseline.arrayBuffers;
    console.log(JSON.stringify({ megabytes: size / 1e6, seconds, heapGrowthMB: heapGrowth / 1e6, bufferGrowthMB: bufferGrowth / 1e6 }));
    expect(report.profile.rowCount).toBeGreaterThan(500_000);
    expect(report.csv?.encoding).toBe('utf-8');
    expect(report.profile.columns.find((column) => column.name === 'city')!.topValues).toHaveLength(8);
    expect(heapGrowth).toBeLessThan(size / 5);
    expect(bufferGrowth).toBeLessThan(size / 10);
  });
});
