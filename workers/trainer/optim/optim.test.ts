/**
 * Optimizer graphs against a hand computation and against the float32 JS transcription of
 * PyTorch's formulas (reference.ts), over 3 steps with different gradients and learning rates;
 * clipping; schedules.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, tensorData } from '../graph/index';
import { createSession, runSession } from '../graph/run';
import { Prng } from '../model/prng';
import { type OptimizerConfig, clipGradNorm, optimizerStateNames, optimizerUpdate, resolveOptimizer } from './optimizers';
import { ReferenceOptimizer, clipReference } from './reference';
import { learningRateAt, learningRates } from './schedule';

const SIZE = 7;

/** A graph of one update: inputs θ, grad, state, lr, step; outputs θ' and state'. */
async function updateSession(config: OptimizerConfig, clip?: number) {
  const opt = resolveOptimizer(config);
  const g = new GraphBuilder();
  const theta = g.input('theta', 'float', [SIZE]);
  let grad = g.input('grad', 'float', [SIZE]);
  const names = optimizerStateNames(opt);
  const state = names.map((n) => g.input(n, 'float', [SIZE]));
  const lr = g.input('lr', 'double', []);
  const step = g.input('step', 'int64', []);
  if (clip !== undefined) {
    const clipped = clipGradNorm(g, grad, clip);
    grad = clipped.grad;
    g.output(clipped.norm, 'norm');
  }
  const out = optimizerUpdate(g, opt, { theta, grad, state, lr, step });
  g.output(out.theta, 'theta_out');
  out.state.forEach((s, i) => g.output(s, `${names[i]}_out`));
  const session = await createSession(g.encode());
  let stateData: Float32Array[] = names.map(() => new Float32Array(SIZE));
  return {
    opt,
    async step(thetaIn: Float32Array, gradIn: Float32Array, lrIn: number, t: number) {
      const feeds = {
        theta: tensorData('float', [SIZE], thetaIn),
        grad: tensorData('float', [SIZE], gradIn),
        lr: tensorData('double', [], [lrIn]),
        step: tensorData('int64', [], [t]),
        ...Object.fromEntries(names.map((n, i) => [n, tensorData('float', [SIZE], stateData[i]!)])),
      };
      const result = await runSession(session, feeds);
      stateData = names.map((n) => result[`${n}_out`]!.data as Float32Array);
      return { theta: result.theta_out!.data as Float32Array, norm: result.norm ? Number(result.norm.data[0]) : NaN, state: stateData };
    },
    release: () => session.release(),
  };
}

function randomVector(prng: Prng, scale: number): Float32Array {
  return Float32Array.from({ length: SIZE }, () => prng.uniform(-scale, scale));
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1e-12));
  return worst;
}

const CONFIGS: [string, OptimizerConfig][] = [
  ['SGD', { kind: 'sgd', lr: 0.1 }],
  ['SGD + momentum', { kind: 'sgd', lr: 0.1, momentum: 0.9 }],
  ['SGD + Nesterov + L2', { kind: 'sgd', lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01 }],
  ['Adam', { kind: 'adam', lr: 0.01 }],
  ['Adam + L2', { kind: 'adam', lr: 0.01, weightDecay: 0.1, betas: [0.8, 0.99], eps: 1e-6 }],
  ['AdamW (defaults: wd 0.01)', { kind: 'adamw', lr: 0.01 }],
  ['AdamW, β1 0.3 (the other lerp branch)', { kind: 'adamw', lr: 0.02, betas: [0.3, 0.9], weightDecay: 0.05 }],
];

describe('optimizer updates match PyTorch formulas over 3 steps', () => {
  for (const [label, config] of CONFIGS) {
    it(label, async () => {
      const prng = new Prng(7);
      const session = await updateSession(config);
      const reference = new ReferenceOptimizer(session.opt, SIZE);
      let theta: Float32Array = randomVector(prng, 1);
      const expected = Float32Array.from(theta);
      const lrs = [config.lr, config.lr * 0.5, config.lr * 0.25];
      for (let t = 1; t <= 3; t++) {
        const grad = randomVector(prng, 2);
        theta = (await session.step(theta, grad, lrs[t - 1]!, t)).theta;
        reference.step(expected, grad, lrs[t - 1]!, t);
        expect(maxRelDiff(theta, expected), `${label} step ${t}`).toBeLessThan(1e-6);
        if (process.env.OPTIM_REPORT) process.stdout.write(`OPTIM\t${label}\t${t}\t${maxRelDiff(theta, expected)}\n`);
      }
      await session.release();
    });
  }

  it('hand-computed: SGD with momentum 0.9, three steps on one scalar-like vector', async () => {
    const session = await updateSession({ kind: 'sgd', lr: 0.1, momentum: 0.9 });
    const g = new Float32Array(SIZE).fill(1);
    let theta: Float32Array = new Float32Array(SIZE).fill(1);
    // buf: 1, 1.9, 2.71 → θ: 1 − 0.1, − 0.19, − 0.271 = 0.9, 0.71, 0.439
    const expected = [0.9, 0.71, 0.439];
    for (let t = 1; t <= 3; t++) {
      theta = (await session.step(theta, g, 0.1, t)).theta;
      expect(theta[0]).toBeCloseTo(expected[t - 1]!, 6);
    }
    await session.release();
  });

  it('hand-computed: Adam moves each weight by ≈ lr·sign(g) on the first step (bias correction)', async () => {
    const session = await updateSession({ kind: 'adam', lr: 0.001 });
    const grad = Float32Array.from([3, -2, 0.5, -0.001, 10, -7, 1]);
    const out = await session.step(new Float32Array(SIZE), grad, 0.001, 1);
    // m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε) — the bias correction fed as step 1 makes it so.
    out.theta.forEach((v, i) => expect(v).toBeCloseTo(-0.001 * Math.sign(grad[i]!) * (Math.abs(grad[i]!) / (Math.abs(grad[i]!) + 1e-8)), 7));
    // Without the correction (a wrong step number) the first step would be ~lr·0.1/√0.001 ≈ 3.2·lr.
    await session.release();
  });

  it('AdamW decays the weights by lr·wd even with a zero gradient; Adam with L2 does too but through m, v', async () => {
    const theta = new Float32Array(SIZE).fill(2);
    const zero = new Float32Array(SIZE);
    const adamw = await updateSession({ kind: 'adamw', lr: 0.1, weightDecay: 0.5 });
    expect((await adamw.step(theta, zero, 0.1, 1)).theta[0]).toBeCloseTo(2 * (1 - 0.1 * 0.5), 6);
    const adam = await updateSession({ kind: 'adam', lr: 0.1, weightDecay: 0.5 });
    // L2: g = 0 + 0.5·2 = 1, so the first step is ≈ −lr.
    expect((await adam.step(theta, zero, 0.1, 1)).theta[0]).toBeCloseTo(2 - 0.1, 5);
    await Promise.all([adamw.release(), adam.release()]);
  });

  it('rejects Nesterov without momentum, as PyTorch does', () => {
    expect(() => resolveOptimizer({ kind: 'sgd', lr: 0.1, nesterov: true })).toThrow(/Nesterov momentum requires a momentum > 0/);
  });
});

describe('gradient clipping by global norm', () => {
  it('scales a large gradient to the max norm before the update, and leaves a small one alone', async () => {
    const session = await updateSession({ kind: 'sgd', lr: 1 }, 1.5);
    const big = Float32Array.from([3, -4, 0, 12, 0, 0, 0]); // norm 13
    const out = await session.step(new Float32Array(SIZE), big, 1, 1);
    expect(out.norm).toBeCloseTo(13, 5);
    const expected = clipReference(big, 1.5).grad.map((g) => -g);
    expect(maxRelDiff(out.theta, expected)).toBeLessThan(1e-6);
    const clippedNorm = Math.hypot(...out.theta);
    expect(clippedNorm).toBeCloseTo(1.5, 4);

    const small = Float32Array.from([0.1, 0.2, 0, 0, 0, 0, -0.3]);
    const out2 = await session.step(new Float32Array(SIZE), small, 1, 1);
    expect(Array.from(out2.theta, (v) => v + 0)).toEqual(Array.from(small, (g) => 0 - g));
    await session.release();
  });
});

describe('learning-rate schedules', () => {
  const plan = { stepsPerEpoch: 10, totalSteps: 100 };

  it('constant, and linear warmup over W steps ending at the base rate', () => {
    expect(learningRateAt(0.1, { kind: 'constant' }, 57, plan)).toBe(0.1);
    const warm = { kind: 'constant', warmupSteps: 4 } as const;
    Array.from(learningRates(0.1, warm, 0, 6, plan)).forEach((lr, k) => expect(lr).toBeCloseTo([0.025, 0.05, 0.075, 0.1, 0.1, 0.1][k]!, 15));
  });

  it('step decay per epoch (StepLR)', () => {
    const s = { kind: 'step', stepSize: 3, gamma: 0.5 } as const;
    expect(learningRateAt(1, s, 29, plan)).toBe(1); // epoch 2
    expect(learningRateAt(1, s, 30, plan)).toBe(0.5); // epoch 3
    expect(learningRateAt(1, s, 65, plan)).toBe(0.25); // epoch 6
  });

  it('cosine annealing from the base rate to minLr, after warmup', () => {
    const s = { kind: 'cosine', minLr: 0.01 } as const;
    expect(learningRateAt(1, s, 0, plan)).toBe(1);
    expect(learningRateAt(1, s, 50, plan)).toBeCloseTo(0.505, 12);
    expect(learningRateAt(1, s, 99, plan)).toBeCloseTo(0.01 + 0.99 * (1 + Math.cos((Math.PI * 99) / 100)) / 2, 12);
    const warm = { kind: 'cosine', warmupSteps: 20 } as const;
    expect(learningRateAt(1, warm, 9, plan)).toBe(0.5);
    expect(learningRateAt(1, warm, 20, plan)).toBe(1);
    expect(learningRateAt(1, warm, 60, plan)).toBeCloseTo(0.5, 12);
    const rates = learningRates(1, warm, 20, 80, plan);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeLessThan(rates[i - 1]!);
  });
});
