/**
 * The contract between the differentiation pass and the backward rule of one op type.
 */
import type { GraphBuilder, NodeRecord, Value } from '../graph/index';

/**
 * A gradient for a slice [start, end) of its value along one axis. The Slice rule returns these
 * instead of padding to the full shape, so that the gradient of a flat parameter vector sliced
 * into weights becomes ONE Concat of the per-slice gradients rather than a Sum of padded copies.
 */
export interface SlicePiece {
  readonly kind: 'slice';
  readonly axis: number;
  readonly start: number;
  readonly end: number;
  readonly grad: Value;
}

export type Contribution = Value | SlicePiece;

export interface RuleContext {
  /** The graph receiving the backward nodes (the forward node's own graph). */
  readonly g: GraphBuilder;
  readonly node: NodeRecord;
  /** Upstream gradient per output of the node; null where none flows in. */
  readonly dy: readonly (Value | null)[];
  /** Per input: whether its gradient is wanted (it is real-valued and depends on a parameter). */
  readonly needs: readonly boolean[];
}

/** Returns one gradient (or null) per input; entries for inputs not needed are ignored. */
export type BackwardRule = (ctx: RuleContext) => readonly (Contribution | null | undefined)[];

export type RuleTable = Readonly<Record<string, BackwardRule>>;

/** Input i, which the rule reads; a missing optional input here is a malformed node. */
export function input(ctx: RuleContext, i: number): Value {
  const value = ctx.node.inputs[i];
  if (!value) throw new Error(`${ctx.node.opType} (${ctx.node.name}) has no input ${i}`);
  return value;
}

export function output(ctx: RuleContext, i: number): Value {
  const value = ctx.node.outputs[i];
  if (!value) throw new Error(`${ctx.node.opType} (${ctx.node.name}) has no output ${i}`);
  return value;
}

/** The upstream gradient of a single-output op (the pass only calls a rule when one flows in). */
export function dy0(ctx: RuleContext): Value {
  const dy = ctx.dy[0];
  if (!dy) throw new Error(`${ctx.node.opType} (${ctx.node.name}): no gradient flows into its output`);
  return dy;
}

/** Runs `make` only for inputs whose gradient is needed. */
export function per(ctx: RuleContext, ...makers: ((() => Contribution) | null)[]): (Contribution | null)[] {
  return makers.map((make, i) => (make && ctx.needs[i] ? make() : null));
}
