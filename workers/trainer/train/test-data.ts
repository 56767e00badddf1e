/**
 * Seeded synthetic data sets for the training tests and the benchmark, and the Iris fixture
 * reader. Kept out of *.test.ts so several test files share them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Prng } from '../model/prng';

function gaussian(prng: Prng): number {
  // Box–Muller; 1 − u keeps the log's argument in (0, 1].
  return Math.sqrt(-2 * Math.log(1 - prng.nextFloat())) * Math.cos(2 * Math.PI * prng.nextFloat());
}

/** `classes` Gaussian blobs in `features` dims, centres far apart: linearly separable. */
export function blobs(rows: number, features: number, classes: number, seed: number, spread = 0.5): { x: Float32Array; y: BigInt64Array } {
  const prng = new Prng(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: features }, () => prng.uniform(-4, 4)));
  const x = new Float32Array(rows * features);
  const y = new BigInt64Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = r % classes;
    y[r] = BigInt(c);
    for (let f = 0; f < features; f++) x[r * features + f] = centres[c]![f]! + spread * gaussian(prng);
  }
  return { x, y };
}

/** Two concentric rings (radius 1 and 2.2) with noise: separable, but not by a line. */
export function rings(rows: number, seed: number): { x: Float32Array; y: BigInt64Array } {
  const prng = new Prng(seed);
  const x = new Float32Array(rows * 2);
  const y = new BigInt64Array(rows);
  for (let r = 0; r < rows; r++) {
    const outer = prng.nextFloat() < 0.5;
    const radius = (outer ? 2.2 : 1) + 0.15 * gaussian(prng);
    const angle = prng.uniform(0, 2 * Math.PI);
    x[2 * r] = radius * Math.cos(angle);
    x[2 * r + 1] = radius * Math.sin(angle);
    y[r] = outer ? 1n : 0n;
  }
  return { x, y };
}

/** y = sin(2·x0)·cos(x1) + 0.5·x2² − x3 + noise, x ~ U(−1.5, 1.5)⁴. */
export function nonlinearRegression(rows: number, seed: number, noise = 0.05): { x: Float32Array; y: Float32Array } {
  const prng = new Prng(seed);
  const x = new Float32Array(rows * 4);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const v = Array.from({ length: 4 }, () => prng.uniform(-1.5, 1.5));
    x.set(v, r * 4);
    y[r] = Math.sin(2 * v[0]!) * Math.cos(v[1]!) + 0.5 * v[2]! ** 2 - v[3]! + noise * gaussian(prng);
  }
  return { x, y };
}

/** Rows [from, to) of a data set (features width `width`, one label or target per row). */
export function rowsOf<Y extends BigInt64Array | Float32Array>(data: { readonly x: Float32Array; readonly y: Y }, width: number, from: number, to: number): { x: Float32Array; y: Y } {
  return { x: data.x.slice(from * width, to * width), y: data.y.slice(from, to) as Y };
}

export const IRIS_SPECIES = ['setosa', 'versicolor', 'virginica'] as const;

export function readIris(): { x: Float32Array; y: BigInt64Array } {
  const text = readFileSync(fileURLToPath(new URL('./fixtures/iris.csv', import.meta.url)), 'utf8');
  const lines = text.trim().split('\n').slice(1);
  const x = new Float32Array(lines.length * 4);
  const y = new BigInt64Array(lines.length);
  lines.forEach((line, r) => {
    const cells = line.split(',');
    for (let f = 0; f < 4; f++) x[r * 4 + f] = Number(cells[f]);
    const species = IRIS_SPECIES.indexOf(cells[4] as (typeof IRIS_SPECIES)[number]);
    if (species < 0) throw new Error(`unknown species in iris.csv row ${r + 1}: ${cells[4]}`);
    y[r] = BigInt(species);
  });
  return { x, y };
}
