/**
 * Runs K consecutive training steps on the sessions, fused (one session.run of the Loop graph)
 * or one run per step. Both take the same request and return the same outcome, which is what
 * the Loop-vs-per-step test compares; the trainer picks one by `execution`.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { type TensorData, tensorData } from '../graph/index';
import { runSession } from '../graph/run';
import { type ResolvedModelSpec, paramLayout } from '../model/spec';
import { type ResolvedOptimizer, optimizerStateNames } from '../optim/optimizers';
import type { Split } from './data';
import { NAMES, stateOutName } from './graphs';

export interface ChunkRequest {
  /** The epoch's row order. */
  readonly perm: BigInt64Array;
  /** Position in `perm` of the chunk's first row. */
  readonly firstRow: number;
  readonly steps: number;
  /** Rows per step. */
  readonly batch: number;
  /** Learning rate of each step. */
  readonly lrs: Float64Array;
  /** Optimizer steps done before the chunk. */
  readonly step0: number;
  readonly theta: Float32Array;
  readonly state: readonly Float32Array[];
}

export interface ChunkOutcome {
  readonly theta: Float32Array;
  readonly state: Float32Array[];
  /** Per-step mean batch loss. */
  readonly losses: Float32Array;
  /** Per-step metric sum (correct predictions, or squared error). */
  readonly metrics: Float32Array;
}

export class StepRunner {
  private readonly stateNames: string[];
  private readonly size: number;
  private readonly dataFeeds: Record<string, TensorData>;

  constructor(model: ResolvedModelSpec, optimizer: ResolvedOptimizer, train: Split, dropoutKeys: readonly number[] | null) {
    this.stateNames = optimizerStateNames(optimizer);
    this.size = paramLayout(model).size;
    const yDims = train.y instanceof BigInt64Array ? [train.rows] : [train.rows, train.y.length / train.rows];
    this.dataFeeds = {
      [NAMES.x]: tensorData('float', [train.rows, model.inputs], train.x),
      [NAMES.y]: train.y instanceof BigInt64Array ? tensorData('int64', yDims, train.y) : tensorData('float', yDims, train.y),
      ...(dropoutKeys === null ? {} : { [NAMES.dropoutKeys]: tensorData('int64', [dropoutKeys.length], dropoutKeys) }),
    };
  }

  private parameterFeeds(theta: Float32Array, state: readonly Float32Array[]): Record<string, TensorData> {
    if (state.length !== this.stateNames.length) throw new Error(`expected ${this.stateNames.length} optimizer state vectors, got ${state.length}`);
    const feeds: Record<string, TensorData> = { [NAMES.theta]: tensorData('float', [this.size], theta) };
    this.stateNames.forEach((name, i) => (feeds[name] = tensorData('float', [this.size], state[i]!)));
    return feeds;
  }

  private parameterOutputs(out: Record<string, TensorData>): { theta: Float32Array; state: Float32Array[] } {
    return {
      theta: out[NAMES.thetaOut]!.data as Float32Array,
      state: this.stateNames.map((name) => out[stateOutName(name)]!.data as Float32Array),
    };
  }

  /** All steps in one run of the chunk (Loop) graph. */
  async runFused(session: InferenceSession, req: ChunkRequest): Promise<ChunkOutcome> {
    const rows = req.steps * req.batch;
    checkRange(req, rows);
    const out = await runSession(session, {
      ...this.dataFeeds,
      ...this.parameterFeeds(req.theta, req.state),
      [NAMES.perm]: tensorData('int64', [rows], req.perm.subarray(req.firstRow, req.firstRow + rows)),
      [NAMES.trips]: tensorData('int64', [], BigInt64Array.of(BigInt(req.steps))),
      [NAMES.lrs]: tensorData('double', [req.steps], req.lrs),
      [NAMES.step0]: tensorData('int64', [], BigInt64Array.of(BigInt(req.step0))),
    });
    return { ...this.parameterOutputs(out), losses: out[NAMES.losses]!.data as Float32Array, metrics: out[NAMES.metrics]!.data as Float32Array };
  }

  /** One run of the step graph per step (the step graph's batch size must equal req.batch). */
  async runStepwise(session: InferenceSession, req: ChunkRequest): Promise<ChunkOutcome> {
    checkRange(req, req.steps * req.batch);
    let theta = req.theta;
    let state = [...req.state];
    const losses = new Float32Array(req.steps);
    const metrics = new Float32Array(req.steps);
    for (let i = 0; i < req.steps; i++) {
      const first = req.firstRow + i * req.batch;
      const out = await runSession(session, {
        ...this.dataFeeds,
        ...this.parameterFeeds(theta, state),
        [NAMES.idx]: tensorData('int64', [req.batch], req.perm.subarray(first, first + req.batch)),
        [NAMES.lr]: tensorData('double', [], Float64Array.of(req.lrs[i]!)),
        [NAMES.step]: tensorData('int64', [], BigInt64Array.of(BigInt(req.step0 + i + 1))),
      });
      ({ theta, state } = this.parameterOutputs(out));
      losses[i] = out[NAMES.loss]!.data[0] as number;
      metrics[i] = out[NAMES.metric]!.data[0] as number;
    }
    return { theta, state, losses, metrics };
  }
}

function checkRange(req: ChunkRequest, rows: number): void {
  if (req.steps < 1 || req.lrs.length !== req.steps) throw new Error(`a chunk needs ≥ 1 step and one learning rate per step (${req.steps} steps, ${req.lrs.length} rates)`);
  // Exact trip counts: never ask for rows the permutation does not have (TOOLCHAIN pitfall).
  if (req.firstRow < 0 || req.firstRow + rows > req.perm.length) throw new Error(`internal: chunk rows [${req.firstRow}, ${req.firstRow + rows}) exceed the epoch's ${req.perm.length} rows`);
}
