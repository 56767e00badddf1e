// Samples/s of the same MLP (32→128→128→10, Adam, batch 256, 2 threads) trained by Trainyard
// (fused Loop and per-step) and by PyTorch on the CPU in the same run, where PyTorch is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { train } from '../workers/trainer/train/index';
import { report, round, scratch } from './harness';

const rows = 65_536;
const inputs = 32;
const classes = 10;
const epochs = Number(process.env.BENCH_TRAIN_EPOCHS ?? 3);
let state = 12345;
const random = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const x = Float32Array.from({ length: rows * inputs }, () => random() * 2 - 1);
const y = BigInt64Array.from({ length: rows }, () => BigInt(Math.floor(random() * classes)));

/** `BENCH_PROVIDERS=cuda,cpu` trains on the GPU where onnxruntime's CUDA provider loads. */
const providers = (process.env.BENCH_PROVIDERS ?? 'cpu').split(',');
let providerUsed = 'cpu';

async function trainyard(execution: 'loop' | 'step'): Promise<number> {
  let samples = 0;
  let millis = 0;
  await train(
    { model: { task: 'classification', inputs, hidden: [128, 128], classes }, optimizer: { kind: 'adam', lr: 1e-3 }, epochs, batchSize: 256, seed: 1, execution, intraOpNumThreads: 2, dropLast: true, providers },
    { x, y },
    {
      onProvider: (report) => {
        providerUsed = report.provider;
      },
      onChunk: (metrics) => {
        // The first epoch includes session creation; count the rest, as the PyTorch side does.
        if (metrics.epoch === 1) return;
        samples += metrics.samples;
        millis += metrics.millis;
      },
    },
  );
  return samples / (millis / 1000);
}

function pytorch(): { samplesPerSec: number | null; note: string } {
  // Debian's python3-torch lives in the system Python, which a pyenv `python3` on PATH can shadow.
  const python = ['/usr/bin/python3', 'python3'].find((candidate) => spawnSync(candidate, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
  if (!python) return { samplesPerSec: null, note: 'PyTorch is not installed here (Debian: apt-get install python3-torch libopenblas0-pthread)' };
  const script = join(scratch('torch'), 'bench.py');
  writeFileSync(
    script,
    `import time, torch
torch.set_num_threads(2); torch.manual_seed(1)
x = torch.rand(${rows}, ${inputs}) * 2 - 1; y = torch.randint(0, ${classes}, (${rows},))
model = torch.nn.Sequential(torch.nn.Linear(${inputs}, 128), torch.nn.ReLU(), torch.nn.Linear(128, 128), torch.nn.ReLU(), torch.nn.Linear(128, ${classes}))
opt = torch.optim.Adam(model.parameters(), lr=1e-3); loss_fn = torch.nn.CrossEntropyLoss()
samples = 0; seconds = 0.0
for epoch in range(${epochs}):
    perm = torch.randperm(${rows}); start = time.perf_counter()
    for i in range(0, ${rows} - 255, 256):
        idx = perm[i:i + 256]; opt.zero_grad(); loss = loss_fn(model(x[idx]), y[idx]); loss.backward(); opt.step()
        if epoch > 0: samples += 256
    if epoch > 0: seconds += time.perf_counter() - start
print(samples / seconds)
print(torch.__version__)
`,
  );
  // The machine pins OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE for old OpenBLAS builds; they slow a
  // current one, so the peer runs without them (the env notes say to unset both together).
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const out = execFileSync(python, [script], { encoding: 'utf8', env }).trim().split('\n');
  return { samplesPerSec: Number(out[0]), note: `torch ${out[1]}` };
}

const loop = await trainyard('loop');
const step = await trainyard('step');
const torch = pytorch();
report({
  benchmark: 'train-throughput',
  model: 'MLP 32→128→128→10, Adam, batch 256, 2 threads',
  provider: providerUsed,
  trainyardLoopSamplesPerSec: Math.round(loop),
  trainyardPerStepSamplesPerSec: Math.round(step),
  loopOverPerStep: round(loop / step),
  pytorchSamplesPerSec: torch.samplesPerSec === null ? null : Math.round(torch.samplesPerSec),
  ratioToPytorch: torch.samplesPerSec === null ? null : round(loop / torch.samplesPerSec),
  pytorch: torch.note,
  goal: 'ratio to PyTorch >= 1.5',
});
