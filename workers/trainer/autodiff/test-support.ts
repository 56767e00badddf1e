/**
 * Shared pieces of the gradient-check tests: the tolerance, and a reporter that records each
 * rule's measured maximum relative error so the suite prints one table (kept out of *.test.ts so
 * several test files share it).
 */
import { expect } from 'vitest';
import { type GraphBuilder, type Shape, type TensorData, type Value, op, tensorData } from '../graph/index';
import { type GradCheckResult, seededRandom } from './gradcheck';

/** TOOLCHAIN measured 2.4e-6 on a float64 MLP; central differences in double do better. */
export const REL_TOLERANCE = 1e-6;

export function expectGradientsMatch(label: string, result: GradCheckResult, tolerance = REL_TOLERANCE): void {
  const { maxRelError, worst } = result;
  if (process.env.GRADCHECK_REPORT) process.stdout.write(`GRADCHECK\t${label}\t${maxRelError.toExponential(2)}\t${result.evaluations}\n`);
  expect(maxRelError, `${label}: worst ${worst.param}[${worst.index}] analytic ${worst.analytic} numeric ${worst.numeric}`).toBeLessThan(tolerance);
  expect(Number.isFinite(result.loss), `${label}: loss ${result.loss}`).toBe(true);
}

/**
 * A scalar loss Σ y·r with r a random input (not a parameter): every element of y gets a
 * different upstream gradient, which a plain sum would not give.
 */
export function probeLoss(g: GraphBuilder, y: Value): Value {
  const r = g.freshInput('probe', y.dtype, y.shape);
  return op.reduceSum(g, op.mul(g, y, r), undefined, false);
}

/** Random doubles in [lo, hi), for inputs that must stay in a domain (Log, Sqrt, divisors). */
export function uniform(dims: readonly number[], lo: number, hi: number, seed = 99): TensorData {
  const random = seededRandom(seed);
  const count = dims.reduce((a, b) => a * b, 1);
  return tensorData('double', dims, Float64Array.from({ length: count }, () => lo + (hi - lo) * random()));
}

export function realInput(g: GraphBuilder, name: string, shape: Shape): Value {
  return g.input(name, g.floatType, shape);
}
