/**
 * Finite-difference gradient checks through onnxruntime-node. The forward graph is built in
 * float64 (GraphBuilder floatType 'double'), differentiated with `gradients`, and run once for
 * the analytic gradients; then every parameter element is nudged by ±eps and the loss re-run for
 * a central difference. Reused by anyone adding a backward rule.
 *
 * Ops the CPU provider runs in float only (Conv, ConvTranspose, AveragePool, GlobalAveragePool)
 * are checked with `floatType: 'float'`: a float32 graph, a larger eps and a looser tolerance
 * (see FLOAT_EPS and FLOAT_RELATIVE_FLOOR). Everything with a double kernel stays in float64.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { type FloatType, GraphBuilder, type TensorData, type Value, isFloat, tensorData } from '../graph/index';
import { createSession, numbers, runSession } from '../graph/run';
import { type GradientOptions, gradients } from './gradients';
import { seededRandom } from '../../../shared/seeded-random';

/** Gradient elements smaller than this are compared absolutely (see maxRelError). */
export const RELATIVE_FLOOR = 1e-4;

/**
 * Float32 checks: every float32 output a nudge reaches is re-rounded (~1e-7 relative, more after
 * a long sum), and the central difference divides that by 2·eps, so eps is far larger than in
 * double. Truncation error grows as eps²; losses linear in each element have none (see
 * rules-conv.test.ts, which uses 0.1 for those).
 */
export const FLOAT_EPS = 1e-2;
/** Float32 checks compare gradient elements below this absolutely (the difference's round-off floor). */
export const FLOAT_RELATIVE_FLOOR = 1e-2;

export interface GradCheckGraph {
  readonly loss: Value;
  /** Graph inputs to differentiate with respect to. */
  readonly params: readonly Value[];
  /**
   * Int or bool values that say which piece of a piecewise-smooth loss the point lies on (a Relu
   * mask, MaxPool's Indices). A nudge that changes one of them crosses a kink, where a central
   * difference measures the jump rather than the derivative: that element is skipped, and counted.
   * Needed where eps must be large (float32 checks) and a kink is then likely to lie within reach.
   */
  readonly pieces?: readonly Value[];
}

export interface GradCheckOptions {
  /** Feeds for inputs that cannot be random reals (labels, masks) or need chosen values. */
  readonly feeds?: Readonly<Record<string, TensorData>>;
  /** Sizes for symbolic dims of inputs that get random data. */
  readonly dims?: Readonly<Record<string, number>>;
  readonly seed?: number;
  /** 'float' for ops without a double kernel on the CPU provider; 'double' (the default) otherwise. */
  readonly floatType?: FloatType;
  /** 1e-6 in double, FLOAT_EPS in float. */
  readonly eps?: number;
  /** Random reals are uniform in [−scale, scale]. */
  readonly scale?: number;
  /** A new session per evaluation, for ops whose randomness is seeded per session (Dropout). */
  readonly freshSessionPerRun?: boolean;
  readonly gradientOptions?: GradientOptions;
}

export interface GradCheckResult {
  /**
   * max over elements of |analytic − numeric| / max(|analytic|, |numeric|, floor), the floor
   * being RELATIVE_FLOOR in double and FLOAT_RELATIVE_FLOOR in float. It keeps the central
   * difference's own round-off (~1e-16·|loss|/eps ≈ 1e-10 in double) from reading as a large
   * relative error on gradient elements near zero.
   */
  readonly maxRelError: number;
  readonly maxAbsError: number;
  readonly worst: { readonly param: string; readonly index: number; readonly analytic: number; readonly numeric: number };
  readonly evaluations: number;
  /** Elements whose nudge changed one of the `pieces` (not compared); 0 without pieces. */
  readonly skipped: number;
  readonly loss: number;
  /** The graph, for structural assertions (e.g. that a flat-vector gradient is one Concat). */
  readonly graph: GraphBuilder;
  readonly gradients: readonly Value[];
}

/** Every check sees the same inputs on every run. */
export { seededRandom };

export async function gradCheck(build: (g: GraphBuilder) => GradCheckGraph, options: GradCheckOptions = {}): Promise<GradCheckResult> {
  const floatType = options.floatType ?? 'double';
  const g = new GraphBuilder({ floatType, name: 'gradcheck' });
  const { loss, params, pieces = [] } = build(g);
  for (const p of params) if (!g.inputs.includes(p)) throw new Error(`gradCheck perturbs graph inputs; ${p.name} is not one`);
  const grads = gradients(g, loss, params, options.gradientOptions);
  const lossName = g.output(loss).name;
  const gradNames = grads.map((grad) => g.output(grad).name);
  const pieceNames = pieces.map((v) => g.output(v).name);
  const model = g.encode();
  const feeds = makeFeeds(g, options);
  const eps = options.eps ?? (floatType === 'double' ? 1e-6 : FLOAT_EPS);
  const floor = floatType === 'double' ? RELATIVE_FLOOR : FLOAT_RELATIVE_FLOOR;

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
  let skipped = 0;
  const samePiece = (out: Record<string, TensorData>) => pieceNames.every((name) => sameData(out[name]!, base[name]!));
  let maxRel = 0;
  let maxAbs = 0;
  let worst = { param: '', index: -1, analytic: 0, numeric: 0 };
  for (const [k, p] of params.entries()) {
    const analytic = numbers(base[gradNames[k]!]);
    const original = feeds[p.name]!;
    for (let j = 0; j < original.data.length; j++) {
      const nudged = (delta: number) => {
        const data = original.data.slice() as Float32Array | Float64Array;
        data[j] = data[j]! + delta; // a Float32Array stores it rounded
        return data;
      };
      const [up, down] = [nudged(eps), nudged(-eps)];
      const run = (data: Float32Array | Float64Array) => evaluate({ ...feeds, [p.name]: tensorData(original.dtype, original.dims, data) }, [lossName, ...pieceNames]);
      const [outUp, outDown] = [await run(up), await run(down)];
      evaluations += 2;
      if (!samePiece(outUp) || !samePiece(outDown)) {
        skipped++;
        continue;
      }
      const [plus, minus] = [numbers(outUp[lossName])[0]!, numbers(outDown[lossName])[0]!];
      // Divided by the step actually taken: in float32, x ± eps is rounded.
      const numeric = (plus - minus) / (up[j]! - down[j]!);
      const a = analytic[j]!;
      const abs = Math.abs(a - numeric);
      const rel = abs / Math.max(Math.abs(a), Math.abs(numeric), floor);
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
  if (worst.index < 0) throw new Error(`gradCheck compared nothing: every nudge changed a piece (${skipped} skipped); use a smaller eps`);
  return { maxRelError: maxRel, maxAbsError: maxAbs, worst, evaluations, skipped, loss: numbers(base[lossName])[0]!, graph: g, gradients: grads };
}

function sameData(a: TensorData, b: TensorData): boolean {
  return a.data.length === b.data.length && a.data.every((v, i) => v === b.data[i]);
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
    feeds[input.name] = tensorData(input.dtype, dims, Array.from({ length: count }, () => (2 * random() - 1) * scale));
  }
  return feeds;
}
