/**
 * Finite-difference gradient checks through onnxruntime-node. The forward graph is built in
 * float64 (GraphBuilder floatType 'double'), differentiated with `gradients`, and run once for
 * the analytic gradients; then every parameter element is nudged by ±eps and the loss re-run for
 * a central difference. Reused by anyone adding a backward rule.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { GraphBuilder, type TensorData, type Value, isFloat, tensorData } from '../graph/index';
import { createSession, numbers, runSession } from '../graph/run';
import { type GradientOptions, gradients } from './gradients';
import { seededRandom } from '../../../shared/seeded-random';

/** Gradient elements smaller than this are compared absolutely (see maxRelError). */
export const RELATIVE_FLOOR = 1e-4;

export interface GradCheckGraph {
  readonly loss: Value;
  /** Graph inputs to differentiate with respect to. */
  readonly params: readonly Value[];
}

export interface GradCheckOptions {
  /** Feeds for inputs that cannot be random reals (labels, masks) or need chosen values. */
  readonly feeds?: Readonly<Record<string, TensorData>>;
  /** Sizes for symbolic dims of inputs that get random data. */
  readonly dims?: Readonly<Record<string, number>>;
  readonly seed?: number;
  readonly eps?: number;
  /** Random reals are uniform in [−scale, scale]. */
  readonly scale?: number;
  /** A new session per evaluation, for ops whose randomness is seeded per session (Dropout). */
  readonly freshSessionPerRun?: boolean;
  readonly gradientOptions?: GradientOptions;
}

export interface GradCheckResult {
  /**
   * max over elements of |analytic − numeric| / max(|analytic|, |numeric|, RELATIVE_FLOOR). The
   * floor keeps the central difference's own round-off (~1e-16·|loss|/eps ≈ 1e-10) from reading
   * as a large relative error on gradient elements near zero.
   */
  readonly maxRelError: number;
  readonly maxAbsError: number;
  readonly worst: { readonly param: string; readonly index: number; readonly analytic: number; readonly numeric: number };
  readonly evaluations: number;
  readonly loss: number;
  /** The graph, for structural assertions (e.g. that a flat-vector gradient is one Concat). */
  readonly graph: GraphBuilder;
  readonly gradients: readonly Value[];
}

/** Every check sees the same inputs on every run. */
export { seededRandom };

export async function gradCheck(build: (g: GraphBuilder) => GradCheckGraph, options: GradCheckOptions = {}): Promise<GradCheckResult> {
  const g = new GraphBuilder({ floatType: 'double', name: 'gradcheck' });
  const { loss, params } = build(g);
  for (const p of params) if (!g.inputs.includes(p)) throw new Error(`gradCheck perturbs graph inputs; ${p.name} is not one`);
  const grads = gradients(g, loss, params, options.gradientOptions);
  const lossName = g.output(loss).name;
  const gradNames = grads.map((grad) => g.output(grad).name);
  const model = g.encode();
  const feeds = makeFeeds(g, options);
  const eps = options.eps ?? 1e-6;

  let shared: InferenceSession | null = null;
  const evaluate = async (f: Record<string, TensorData>, fetches?: string[]) => {
    if (options.freshSessionPerRun || !shared) {
      const session = await createSession(model, { intraOpNumThreads: 1 });
      if (!options.freshSessionPerRun) shared = session;
      const out = await runSession(session, f, fetches);
      if (options.freshSessionPerRun) await session.release();
      return out;
    }
    return runSession(shared, f, fetches);
  };

  const base = await evaluate(feeds);
  let evaluations = 1;
  let maxRel = 0;
  let maxAbs = 0;
  let worst = { param: '', index: -1, analytic: 0, numeric: 0 };
  for (const [k, p] of params.entries()) {
    const analytic = numbers(base[gradNames[k]!]);
    const original = feeds[p.name]!;
    for (let j = 0; j < original.data.length; j++) {
      const perturbed = (delta: number) => {
        const data = Float64Array.from(original.data as Float64Array);
        data[j] = data[j]! + delta;
        return { ...feeds, [p.name]: tensorData('double', original.dims, data) };
      };
      const plus = numbers((await evaluate(perturbed(eps), [lossName]))[lossName])[0]!;
      const minus = numbers((await evaluate(perturbed(-eps), [lossName]))[lossName])[0]!;
      evaluations += 2;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic[j]!;
      const abs = Math.abs(a - numeric);
      const rel = abs / Math.max(Math.abs(a), Math.abs(numeric), RELATIVE_FLOOR);
      const relOrInf = Number.isFinite(rel) ? rel : Infinity; // NaN must fail, not vanish
      if (worst.index < 0 || relOrInf > maxRel) {
        maxRel = relOrInf;
        worst = { param: p.name, index: j, analytic: a, numeric };
      }
      maxAbs = Math.max(maxAbs, abs);
    }
  }
  const sharedSession = shared as InferenceSession | null;
  if (sharedSession) await sharedSession.release();
  return { maxRelError: maxRel, maxAbsError: maxAbs, worst, evaluations, loss: numbers(base[lossName])[0]!, graph: g, gradients: grads };
}

function makeFeeds(g: GraphBuilder, options: GradCheckOptions): Record<string, TensorData> {
  const random = seededRandom(options.seed ?? 1234);
  const scale = options.scale ?? 1;
  const feeds: Record<string, TensorData> = { ...options.feeds };
  for (const input of g.inputs) {
    if (feeds[input.name]) continue;
    if (!isFloat(input.dtype)) throw new Error(`gradCheck needs a feed for the ${input.dtype} input ${input.name}`);
    const dims = input.shape.map((d) => {
      const size = typeof d === 'number' ? d : options.dims?.[d];
      if (size === undefined) throw new Error(`gradCheck needs a size for dim ${d} of ${input.name}`);
      return size;
    });
    const count = dims.reduce((a, b) => a * b, 1);
    feeds[input.name] = tensorData('double', dims, Float64Array.from({ length: count }, () => (2 * random() - 1) * scale));
  }
  return feeds;
}
