/**
 * Reverse-mode differentiation over a GraphBuilder graph: the backward nodes are appended to the
 * same graph, so one model computes the loss, the gradients and (with the optimizer's nodes
 * after them) the update.
 *
 * 1. Forward sweep: which real-valued values depend on a parameter ("active").
 * 2. Backward sweep: which values the loss depends on.
 * 3. Nodes in both sets, in reverse order, get their rule applied; gradient contributions to a
 *    value are collected and combined once, when its producer is reached (or at the end for
 *    parameters): a Sum for values used several times, a Concat for a vector consumed as slices.
 *
 * Ints and bools (labels, masks, shapes, conditions) never carry gradient, so the ops that make
 * them (Equal, Greater, Shape, ArgMax, Cast to int) need no rule and are skipped; a node on a path
 * from a parameter to the loss whose op has no rule is an error naming the op.
 */
import { type GraphBuilder, type NodeRecord, type Value, isFloat, op } from '../graph/index';
import { formatShape, isStatic, sameShape, staticSize } from '../graph/shape';
import { BUILTIN_RULES } from './rules/index';
import type { Contribution, RuleTable, SlicePiece } from './rule';

export interface GradientOptions {
  /** dLoss for the seed; a constant 1 by default (the loss must then have one element). */
  readonly seed?: Value;
  /** Extra or overriding backward rules by op type (e.g. a Conv rule), on top of the built-in ones. */
  readonly rules?: RuleTable;
}

/** Gradients of `loss` with respect to each of `wrt` (zeros where the loss does not depend on it). */
export function gradients(g: GraphBuilder, loss: Value, wrt: readonly Value[], options: GradientOptions = {}): Value[] {
  if (!isFloat(loss.dtype)) throw new Error(`the loss ${loss} must be real-valued`);
  if (!g.canSee(loss)) throw new Error(`the loss ${loss.name} is not visible from graph "${g.name}"`);
  for (const w of wrt) {
    if (!isFloat(w.dtype)) throw new Error(`cannot differentiate with respect to ${w}: not real-valued`);
    if (!g.canSee(w)) throw new Error(`parameter ${w.name} is not visible from graph "${g.name}"`);
  }
  const rules = { ...BUILTIN_RULES, ...options.rules };
  const nodes = [...g.nodes];
  const active = activeValues(nodes, wrt);
  const needed = neededValues(nodes, loss);
  const acc = new Accumulator(g);
  acc.add(loss, options.seed ?? unitSeed(g, loss));

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (!node.outputs.some((o) => needed.has(o) && active.has(o))) continue;
    const dy = node.outputs.map((o) => (active.has(o) ? acc.gradient(o) : null));
    if (dy.every((d) => d === null)) continue;
    const rule = rules[node.opType];
    // Values a subgraph captures are invisible to a rule, which sees only the node's inputs.
    const captures = nodeReads(node).some((v) => active.has(v) && !node.inputs.includes(v));
    if (!rule || captures) throw missingRule(node, Object.keys(rules), Boolean(rule), captures, wrt, loss);
    const needs = node.inputs.map((v) => v !== null && active.has(v));
    const grads = rule({ g, node, dy, needs });
    node.inputs.forEach((v, k) => {
      const grad = grads[k];
      if (v && needs[k] && grad) acc.add(v, grad, node);
    });
  }
  return wrt.map((w) => acc.gradient(w) ?? op.zerosLike(g, w));
}

/** Inputs of a node including the outer values its subgraphs capture (a Loop body's reads). */
function nodeReads(node: NodeRecord): Value[] {
  const reads = node.inputs.filter((v): v is Value => v !== null);
  for (const a of Object.values(node.attrs)) {
    if (a.type !== 'graph') continue;
    const inner = a.value;
    const stack = [inner];
    for (let sub = stack.pop(); sub; sub = stack.pop()) {
      for (const n of sub.nodes) {
        for (const v of n.inputs) if (v && !isInside(v.graph, inner)) reads.push(v);
        for (const at of Object.values(n.attrs)) if (at.type === 'graph') stack.push(at.value);
      }
    }
  }
  return reads;
}

function isInside(graph: GraphBuilder, ancestor: GraphBuilder): boolean {
  for (let g: GraphBuilder | null = graph; g; g = g.parent) if (g === ancestor) return true;
  return false;
}

function activeValues(nodes: readonly NodeRecord[], wrt: readonly Value[]): Set<Value> {
  const active = new Set<Value>(wrt);
  for (const node of nodes) {
    if (!nodeReads(node).some((v) => active.has(v))) continue;
    for (const o of node.outputs) if (isFloat(o.dtype)) active.add(o);
  }
  return active;
}

function neededValues(nodes: readonly NodeRecord[], loss: Value): Set<Value> {
  const needed = new Set<Value>([loss]);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (node.outputs.some((o) => needed.has(o))) for (const v of nodeReads(node)) needed.add(v);
  }
  return needed;
}

function unitSeed(g: GraphBuilder, loss: Value): Value {
  if (staticSize(loss.shape) !== 1) throw new Error(`the loss ${loss} must have exactly one element, or pass a seed gradient`);
  return g.constant(loss.dtype, loss.shape as number[], [1]);
}

function missingRule(node: NodeRecord, known: readonly string[], hasRule: boolean, captures: boolean, wrt: readonly Value[], loss: Value): Error {
  const reasons = [
    ...(hasRule ? [] : ['there is no backward rule for this op']),
    ...(captures ? ['its subgraph reads a parameter-dependent value by outer-scope capture'] : []),
  ];
  return new Error(
    `cannot differentiate through ${node.opType} (node ${node.name}): ${reasons.join(', and ')}. ` +
      `It lies between the parameters [${wrt.map((w) => w.name).join(', ')}] and the loss ${loss.name}. ` +
      `Add a rule through gradients(..., { rules: { ${node.opType}: ... } }), or keep the op off that path. Rules exist for: ${[...known].sort().join(', ')}.`,
  );
}

/** Collects gradient contributions per value and combines each value's exactly once. */
class Accumulator {
  private readonly pending = new Map<Value, Contribution[]>();
  private readonly done = new Map<Value, Value | null>();
  constructor(private readonly g: GraphBuilder) {}

  add(value: Value, grad: Contribution, from?: NodeRecord): void {
    if (this.done.has(value)) throw new Error(`internal: gradient of ${value.name} arrived after it was combined`);
    const gradValue = 'kind' in grad ? grad.grad : grad;
    if (gradValue.dtype !== value.dtype) throw new Error(`${from?.opType ?? 'seed'} rule produced a ${gradValue.dtype} gradient for ${value}`);
    if (!('kind' in grad) && isStatic(grad.shape) && isStatic(value.shape) && !sameShape(grad.shape, value.shape)) {
      throw new Error(`${from?.opType ?? 'seed'} rule (${from?.name ?? ''}) produced a gradient of shape ${formatShape(grad.shape)} for ${value}`);
    }
    const list = this.pending.get(value) ?? [];
    list.push(grad);
    this.pending.set(value, list);
  }

  gradient(value: Value): Value | null {
    if (this.done.has(value)) return this.done.get(value)!;
    const list = this.pending.get(value) ?? [];
    const result = list.length === 0 ? null : combine(this.g, value, list);
    this.done.set(value, result);
    return result;
  }
}

function combine(g: GraphBuilder, value: Value, list: readonly Contribution[]): Value {
  const dense = list.filter((c): c is Value => !('kind' in c));
  const pieces = list.filter((c): c is SlicePiece => 'kind' in c);
  if (pieces.length === 0) return op.sum(g, dense);
  if (dense.length === 0) {
    const joined = concatPieces(g, value, pieces);
    if (joined) return joined;
  }
  return op.sum(g, [...dense, ...pieces.map((p) => padPiece(g, value, p))]);
}

/**
 * Disjoint slices along one axis become one Concat, with zero blocks for uncovered ranges. This is
 * the gradient of a flat parameter vector sliced into weight matrices. Returns null when the
 * pieces overlap, use different axes, or a zero block would need an unknown dim.
 */
function concatPieces(g: GraphBuilder, value: Value, pieces: readonly SlicePiece[]): Value | null {
  const axis = pieces[0]!.axis;
  if (pieces.some((p) => p.axis !== axis)) return null;
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  // Lay out first and build after, so a layout that fails leaves no unused zero constants behind.
  const layout: (SlicePiece | number[])[] = [];
  const gap = (length: number): boolean => {
    const dims = value.shape.map((d, i) => (i === axis ? length : d));
    if (!isStatic(dims)) return false;
    layout.push([...dims]);
    return true;
  };
  let at = 0;
  for (const p of sorted) {
    if (p.start < at || (p.start > at && !gap(p.start - at))) return null;
    layout.push(p);
    at = p.end;
  }
  const dim = value.shape[axis] as number;
  if (at < dim && !gap(dim - at)) return null;
  const parts = layout.map((part) => (Array.isArray(part) ? g.constant(value.dtype, part, new Array<number>(staticSize(part) ?? 0).fill(0)) : part.grad));
  return parts.length === 1 ? parts[0]! : op.concat(g, parts, axis);
}

function padPiece(g: GraphBuilder, value: Value, piece: SlicePiece): Value {
  const pads = new Array<number>(2 * value.rank).fill(0);
  pads[piece.axis] = piece.start;
  pads[piece.axis + value.rank] = (value.shape[piece.axis] as number) - piece.end;
  return op.pad(g, piece.grad, pads);
}
