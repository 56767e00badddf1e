/**
 * Weight initialisation exactly as PyTorch's nn.Linear.reset_parameters and nn.LayerNorm do it:
 *
 * - weight: kaiming_uniform_(a=√5). gain = √(2/(1+a²)) = √(1/3), std = gain/√fan_in, and the
 *   uniform bound is √3·std = 1/√fan_in, so W ~ U(−1/√fan_in, 1/√fan_in).
 * - bias: U(−1/√fan_in, 1/√fan_in) (fan_in > 0 always holds here).
 * - LayerNorm: γ = 1, β = 0.
 *
 * Draws come from our own seeded generator (model/prng.ts), in layout order (weight then bias,
 * layer by layer, as PyTorch constructs them), so the same seed gives the same θ on every
 * machine; the values differ from PyTorch's own generator, the distribution does not.
 */
import { Prng, deriveSeed } from './prng';
import { type ParamEntry, type ParamLayout, paramView } from './spec';

/** Stream id of weight init within deriveSeed(seed, …). */
export const INIT_STREAM = 1;

/** PyTorch's bound for both the weight (kaiming_uniform_ with a=√5) and the bias of a Linear. */
export function linearInitBound(fanIn: number): number {
  const a = Math.sqrt(5);
  const gain = Math.sqrt(2 / (1 + a * a));
  const std = gain / Math.sqrt(fanIn);
  return Math.sqrt(3) * std; // = 1/√fan_in
}

export function initParameters(layout: ParamLayout, seed: number): Float32Array {
  const theta = new Float32Array(layout.size);
  const prng = new Prng(deriveSeed(seed, INIT_STREAM));
  for (const entry of layout.entries) fill(paramView(theta, entry), entry, prng);
  return theta;
}

function fill(view: Float32Array, entry: ParamEntry, prng: Prng): void {
  switch (entry.kind) {
    case 'norm_weight':
      view.fill(1);
      return;
    case 'norm_bias':
      view.fill(0);
      return;
    case 'weight':
    case 'bias': {
      const bound = linearInitBound(entry.fanIn);
      // Rounding to float32 could land exactly on ±bound; PyTorch's U(−b, b) is half-open too,
      // but the float32 bound check in the tests allows the closed interval.
      for (let i = 0; i < view.length; i++) view[i] = prng.uniform(-bound, bound);
      return;
    }
  }
}
