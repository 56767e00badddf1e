/**
 * Dropout masks computed inside the graph as a counter-based hash of (run seed, step, layer,
 * element), instead of the ONNX Dropout op.
 *
 * Why: the Dropout op draws from a generator that lives in the session's kernel and advances on
 * every run, so the mask of step t depends on how many runs came before in that session. The
 * fused Loop and the per-step graph would then only agree by accident, and a run resumed in a
 * new session could never repeat the masks of an uninterrupted one. RandomUniform(Like) does not
 * help: its seed is an attribute, fixed when the graph is built, not an input we can feed.
 * A hash of values the trainer already feeds (the step number, which Adam's bias correction
 * needs anyway, and keys derived from the run seed) makes the mask identical in the Loop, in the
 * per-step graph and after a resume.
 *
 * The hash is a 4-round Feistel network on 32-bit counters (two 16-bit halves) with a
 * middle-square round function F(R) = ⌊(R + k)² / 2⁸⌋ mod 2¹⁶, done in int64 arithmetic (opset 17
 * has no bitwise ops on int64; nothing here exceeds 2³⁴). The squaring is what makes it
 * nonlinear: multiply/add-shift mixers are nearly additive, so masks of different steps came out
 * as shifted copies of each other (measured: 83% agreement for consecutive steps instead of the
 * 62.5% of independent masks at ratio 0.25).
 * - The run seed gives 4 round keys, computed in JS (mix32) and fed as `dropout_keys`.
 * - A step's 4 round keys are the Feistel image of (4t + r) under the run keys.
 * - Layer l's element i is the counter l·2²⁴ + i under the step keys; u = top 24 bits / 2²⁴ is
 *   exact in float32; an element is kept when u ≥ ratio.
 * `dropoutMaskReference` is the same computation in JS.
 */
import { invalid } from '../../../shared/errors';
import { type GraphBuilder, type Value, op } from '../graph/index';
import { deriveSeed } from './prng';

export const FEISTEL_ROUNDS = 4;
/** Elements per layer and step (batch × width) must stay below this. */
export const MAX_MASK_ELEMENTS = 2 ** 24;
const HALF = 65536;
/** Stream id of the dropout keys within deriveSeed(seed, …) (init is 1, shuffles 2, the split 4). */
export const DROPOUT_STREAM = 3;

/** The 4 round keys of a run, from its seed (16-bit each). */
export function dropoutKeys(seed: number): number[] {
  return Array.from({ length: FEISTEL_ROUNDS }, (_, r) => deriveSeed(seed, DROPOUT_STREAM, r) % HALF);
}

/** Feistel permutation of int64 values in [0, 2³²) under scalar int64 round keys in [0, 2¹⁶). */
export function feistelGraph(g: GraphBuilder, x: Value, keys: readonly Value[]): Value {
  let left = op.div(g, x, HALF);
  let right = op.binary(g, 'Mod', x, HALF);
  for (const key of keys) {
    const t = op.add(g, right, key);
    const f = op.binary(g, 'Mod', op.div(g, op.mul(g, t, t), 256), HALF);
    const next = op.binary(g, 'Mod', op.add(g, left, f), HALF);
    left = right;
    right = next;
  }
  return op.add(g, op.mul(g, left, HALF), right);
}

export function feistelReference(x: number, keys: readonly number[]): number {
  let left = Math.floor(x / HALF);
  let right = x % HALF;
  for (const key of keys) {
    const t = right + key;
    const next = (left + (Math.floor((t * t) / 256) % HALF)) % HALF;
    left = right;
    right = next;
  }
  return left * HALF + right;
}

/** The step's round keys (int64 scalars) from the fed run keys (int64 [4]) and the step number t. */
export function stepKeysGraph(g: GraphBuilder, runKeys: Value, t: Value): Value[] {
  const rounds = Array.from({ length: FEISTEL_ROUNDS }, (_, r) => r);
  const keys = rounds.map((r) => op.gather(g, runKeys, g.constant('int64', [], [r]), 0));
  const counters = op.binary(g, 'Mod', op.add(g, op.mul(g, t, FEISTEL_ROUNDS), g.ints(rounds)), 2 ** 32);
  const mixed = op.binary(g, 'Mod', feistelGraph(g, counters, keys), HALF);
  return rounds.map((r) => op.gather(g, mixed, g.constant('int64', [], [r]), 0));
}

export function stepKeysReference(runKeys: readonly number[], t: number): number[] {
  return Array.from({ length: FEISTEL_ROUNDS }, (_, r) => feistelReference((t * FEISTEL_ROUNDS + r) % 2 ** 32, runKeys) % HALF);
}

/**
 * The keep-mask (bool [rows, width]) of hidden layer `layer`. `rows` is static, so the counters
 * are a constant, the same in the Loop body and in the per-step graph.
 */
export function dropoutMaskGraph(g: GraphBuilder, stepKeys: readonly Value[], layer: number, rows: number, width: number, ratio: number): Value {
  const count = rows * width;
  if (count >= MAX_MASK_ELEMENTS || layer >= 256) throw invalid(`dropout masks support batch × width < ${MAX_MASK_ELEMENTS} and < 256 layers (got ${rows} × ${width}, layer ${layer})`);
  const base = layer * MAX_MASK_ELEMENTS;
  const counters = g.constant('int64', [rows, width], Array.from({ length: count }, (_, i) => base + i));
  const bits = op.div(g, feistelGraph(g, counters, stepKeys), 256);
  const u = op.mul(g, op.cast(g, bits, 'float'), 2 ** -24);
  return op.greaterOrEqual(g, u, Math.fround(ratio));
}

/** The keep-mask the graph computes, in JS: 1 = kept. */
export function dropoutMaskReference(runKeys: readonly number[], t: number, layer: number, rows: number, width: number, ratio: number): Uint8Array {
  const keys = stepKeysReference(runKeys, t);
  const base = layer * MAX_MASK_ELEMENTS;
  const threshold = Math.fround(ratio);
  const out = new Uint8Array(rows * width);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(feistelReference(base + i, keys) / 256) * 2 ** -24 >= threshold ? 1 : 0;
  return out;
}
