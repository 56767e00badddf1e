/**
 * The three training-time graphs. All read the whole training set (`x`, `y`) and gather batches
 * by row indices inside the graph, so the data crosses into the runtime once per run, not as
 * batch copies made in JS.
 *
 * - chunk (fused): a Loop of `trips` steps; step i takes rows perm[i·B, (i+1)·B) and lr lrs[i].
 *   The trip count is fed and is exact: the trainer only feeds whole batches (TOOLCHAIN: one trip
 *   too many silently trains on an empty batch).
 * - step: one step on the rows `idx`; the reference for the fused graph, the fallback, and (at
 *   the partial batch's size) the last partial batch of an epoch in either mode.
 * - eval: mean loss and metric sum on a block of rows (no dropout, no update).
 *
 * The chunk body and the step graph are built by the same `trainStep` with the same static batch
 * size, so they are the same computation node for node, and bit-identical (the tests check it).
 * A symbolic batch would break that: autodiff emits a Div by a run-time row count where the static
 * graph has a Mul by the constant 1/B (equal only while the upstream gradient is exactly 1), and
 * the dropout counters need a static shape.
 */
import { gradients } from '../autodiff/index';
import { GraphBuilder, type Value, op } from '../graph/index';
import { FEISTEL_ROUNDS, stepKeysGraph } from '../model/dropout-mask';
import { buildForward, buildLoss, buildMetricSum } from '../model/forward';
import { type ResolvedModelSpec, paramLayout } from '../model/spec';
import { type ResolvedOptimizer, clipGradNorm, optimizerStateNames, optimizerUpdate } from '../optim/optimizers';

export interface StepGraphSpec {
  readonly model: ResolvedModelSpec;
  readonly optimizer: ResolvedOptimizer;
  readonly clipGradNorm: number | null;
}

/** Graph input and output names the trainer feeds and fetches. */
export const NAMES = {
  x: 'x',
  y: 'y',
  theta: 'theta',
  thetaOut: 'theta_out',
  dropoutKeys: 'dropout_keys',
  perm: 'perm',
  trips: 'trips',
  lrs: 'lrs',
  step0: 'step0',
  idx: 'idx',
  lr: 'lr',
  step: 'step',
  losses: 'losses',
  metrics: 'metric_sums',
  loss: 'loss',
  metric: 'metric_sum',
} as const;

export const stateOutName = (name: string): string => `${name}_out`;

/** Whether the graphs take the dropout seed input (only when some layer has dropout). */
export const usesDropout = (model: ResolvedModelSpec): boolean => model.dropout > 0 && model.hidden.length > 0;

interface DataInputs {
  readonly x: Value;
  readonly y: Value;
}

function dataInputs(g: GraphBuilder, model: ResolvedModelSpec): DataInputs {
  const x = g.input(NAMES.x, 'float', ['rows', model.inputs]);
  const y = model.task === 'classification' ? g.input(NAMES.y, 'int64', ['rows']) : g.input(NAMES.y, 'float', ['rows', model.headUnits]);
  return { x, y };
}

interface StepInputs {
  readonly theta: Value;
  readonly state: readonly Value[];
  /** int64 [B] row indices. */
  readonly idx: Value;
  /** double scalar. */
  readonly lr: Value;
  /** int64 scalar, 1-based step number. */
  readonly step: Value;
  /** int64 [4]: the run's dropout keys, when the model has dropout. */
  readonly runKeys: Value | null;
}

/** One training step: gather, forward, loss, backward, clip, update. */
function trainStep(g: GraphBuilder, spec: StepGraphSpec, data: DataInputs, inputs: StepInputs) {
  const xb = op.gather(g, data.x, inputs.idx, 0);
  const yb = op.gather(g, data.y, inputs.idx, 0);
  const dropoutKeys = inputs.runKeys ? stepKeysGraph(g, inputs.runKeys, inputs.step) : undefined;
  const out = buildForward(g, spec.model, inputs.theta, xb, dropoutKeys ? { dropoutKeys } : {});
  const loss = buildLoss(g, spec.model, out, yb);
  const metric = buildMetricSum(g, spec.model, out, yb);
  let [grad] = gradients(g, loss, [inputs.theta]) as [Value];
  if (spec.clipGradNorm !== null) grad = clipGradNorm(g, grad, spec.clipGradNorm).grad;
  const update = optimizerUpdate(g, spec.optimizer, { theta: inputs.theta, grad, state: inputs.state, lr: inputs.lr, step: inputs.step });
  return { theta: update.theta, state: update.state, loss, metric };
}

function parameterInputs(g: GraphBuilder, spec: StepGraphSpec): { theta: Value; state: Value[]; runKeys: Value | null } {
  const size = paramLayout(spec.model).size;
  const theta = g.input(NAMES.theta, 'float', [size]);
  const state = optimizerStateNames(spec.optimizer).map((name) => g.input(name, 'float', [size]));
  const runKeys = usesDropout(spec.model) ? g.input(NAMES.dropoutKeys, 'int64', [FEISTEL_ROUNDS]) : null;
  return { theta, state, runKeys };
}

function outputParameters(g: GraphBuilder, spec: StepGraphSpec, theta: Value, state: readonly Value[]): void {
  g.output(theta, NAMES.thetaOut);
  optimizerStateNames(spec.optimizer).forEach((name, i) => g.output(state[i]!, stateOutName(name)));
}

/** The fused graph: `trips` steps of `batch` rows in one Loop. */
export function buildChunkGraph(spec: StepGraphSpec, batch: number): Uint8Array {
  const g = new GraphBuilder({ name: 'train_chunk' });
  const data = dataInputs(g, spec.model);
  const params = parameterInputs(g, spec);
  const perm = g.input(NAMES.perm, 'int64', ['perm']);
  const trips = g.input(NAMES.trips, 'int64', []);
  const lrs = g.input(NAMES.lrs, 'double', ['trips']);
  const step0 = g.input(NAMES.step0, 'int64', []);
  const { carried, scans } = op.loop(g, {
    tripCount: trips,
    carried: [params.theta, ...params.state],
    name: 'train_step_body',
    body: ({ graph: b, iteration, carried: [theta, ...state] }) => {
      const start = op.unsqueeze(b, op.mul(b, iteration, batch), [0]);
      // The reshape pins the batch to the static B (Slice with run-time starts yields an unknown dim).
      const idx = op.reshape(b, op.slice(b, perm, { starts: start, ends: op.add(b, start, batch), axes: [0] }), [batch]);
      const lr = op.gather(b, lrs, iteration, 0);
      const step = op.add(b, op.add(b, step0, iteration), 1);
      const next = trainStep(b, spec, data, { theta: theta!, state, idx, lr, step, runKeys: params.runKeys });
      return { carried: [next.theta, ...next.state], scans: [next.loss, next.metric] };
    },
  });
  outputParameters(g, spec, carried[0]!, carried.slice(1));
  g.output(scans[0]!, NAMES.losses);
  g.output(scans[1]!, NAMES.metrics);
  return g.encode({ docString: 'Trainyard fused training chunk' });
}

/** One step of `batch` rows. */
export function buildStepGraph(spec: StepGraphSpec, batch: number): Uint8Array {
  const g = new GraphBuilder({ name: 'train_step' });
  const data = dataInputs(g, spec.model);
  const params = parameterInputs(g, spec);
  const idx = g.input(NAMES.idx, 'int64', [batch]);
  const lr = g.input(NAMES.lr, 'double', []);
  const step = g.input(NAMES.step, 'int64', []);
  const next = trainStep(g, spec, data, { theta: params.theta, state: params.state, idx, lr, step, runKeys: params.runKeys });
  outputParameters(g, spec, next.theta, next.state);
  g.output(next.loss, NAMES.loss);
  g.output(next.metric, NAMES.metric);
  return g.encode({ docString: 'Trainyard training step' });
}

/** Mean loss and metric sum over the fed rows, in inference mode. */
export function buildEvalGraph(model: ResolvedModelSpec): Uint8Array {
  const g = new GraphBuilder({ name: 'evaluate' });
  const data = dataInputs(g, model);
  const theta = g.input(NAMES.theta, 'float', [paramLayout(model).size]);
  const out = buildForward(g, model, theta, data.x, { inference: true });
  g.output(buildLoss(g, model, out, data.y), NAMES.loss);
  g.output(buildMetricSum(g, model, out, data.y), NAMES.metric);
  return g.encode({ docString: 'Trainyard evaluation' });
}
