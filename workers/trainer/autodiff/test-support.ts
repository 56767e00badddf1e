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

/**
 * Float32 checks (ops without a double kernel; gradCheck's floatType 'float'). Measured at most
 * 2.1e-4 (Conv 3x3 pad 1, eps 0.1) and 1.9e-4 (the small CNN, eps 0.05); over nine other seeds the
 * CNN stayed below 9.7e-4. The error is float32 round-off in the loss difference (~1e-6
 * absolute, divided by 2·eps), read against FLOAT_RELATIVE_FLOOR on gradient elements near zero.
 */
export const FLOAT_REL_TOLERANCE = 1e-3;

export function expectGradientsMatch(label: string, result: GradCheckResult, tolerance = REL_TOLERANCE): void {
  const { maxRelError, worst } = result;
  const skipped = result.skipped > 0 ? `\t${result.skipped} skipped` : '';
  if (process.env.GRADCHECK_REPORT) process.stdout.write(`GRADCHECK\t${label}\t${maxRelError.toExponential(2)}\t${result.evaluations}${skipped}\n`);
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

/**
 * probeLoss for float32 checks, with the product and sum in double (y is cast up). A float32 sum
 * re-rounds every partial sum when one term changes; that noise (~1e-4 absolute on a 150-term
 * loss at eps 1e-2), divided by the step, would swamp the check. The ops under test still run in
 * float32, and only the few outputs a nudge reaches differ between the two runs.
 */
export function probeLossInDouble(g: GraphBuilder, y: Value): Value {
  return probeLoss(g, op.cast(g, y, 'double'));
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
