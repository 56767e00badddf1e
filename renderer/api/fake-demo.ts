import type { Connection } from './connection';
import { createFakeConnection } from './fake-api';
import { seedDemoDatasets } from './fake-demo-datasets';
import { seedDemoModels } from './fake-demo-models';
import { seedDemoPipelines } from './fake-demo-pipelines';

/**
 * Sample data for working on the UI without a server (`vite` + `?demo`): a sweep with nested
 * trials, a diverging run with NaN losses, artifacts of every preview kind, one run that keeps
 * logging so the live paths (events, throttled re-fetches) are exercised, datasets, registered
 * models and pipelines with a DAG run going on.
 */
export async function createDemoConnection(): Promise<Connection> {
  const connection = createFakeConnection();
  const api = connection.api;
  const vision = await api['experiments.create']({ name: 'cifar10-resnet' });
  const churn = await api['experiments.create']({ name: 'tabular-churn' });
  const start = Date.now() - 6 * 3600_000;

  const sweep = await api['runs.create']({ experimentId: vision.id, name: 'lr-sweep', startTime: start, params: [{ key: 'sweep', value: 'grid' }] });
  for (const [index, lr] of ['0.1', '0.03', '0.01', '0.003'].entries()) {
    const trial = await api['runs.create']({
      experimentId: vision.id, name: `trial-${index + 1}`, parentRunId: sweep.id, startTime: start + index * 600_000,
      params: [{ key: 'lr', value: lr }, { key: 'batch_size', value: '128' }, { key: 'optimizer', value: 'adamw' }],
    });
    const metrics = Array.from({ length: 300 }, (_, step) => ({ key: 'loss', step, value: 2.3 * Math.exp(-step / (60 + index * 30)) + 0.05 * Math.random() }));
    const accuracy = Array.from({ length: 30 }, (_, epoch) => ({ key: 'val/acc', step: epoch * 10, value: 0.95 - 0.6 * Math.exp(-epoch / (5 + index)) }));
    await api['runs.logBatch']({ runId: trial.id, metrics: [...metrics, ...accuracy] });
    await api['runs.end']({ id: trial.id, status: index === 3 ? 'KILLED' : 'FINISHED', endTime: start + index * 600_000 + 540_000 });
  }
  await api['runs.end']({ id: sweep.id, endTime: start + 2_400_000 });

  const diverged = await api['runs.create']({ experimentId: vision.id, name: 'lr-too-high', startTime: start + 3_000_000, params: [{ key: 'lr', value: '1.0' }] });
  await api['runs.logBatch']({
    runId: diverged.id,
    metrics: Array.from({ length: 120 }, (_, step) => ({ key: 'loss', step, value: step > 80 && step % 7 !== 0 ? Number.NaN : 2 + Math.sin(step / 4) + step / 40 })),
  });
  await api['runs.end']({ id: diverged.id, status: 'FAILED', endTime: start + 3_400_000 });

  const live = await api['runs.create']({
    experimentId: vision.id, name: 'resnet50-long', startTime: Date.now() - 1_800_000,
    params: [{ key: 'lr', value: '0.01' }, { key: 'batch_size', value: '256' }, { key: 'optimizer', value: 'sgd' }],
    source: { gitCommit: '9f2c1e7a4b3d5e6f7a8b9c0d1e2f3a4b5c6d7e8f', gitDirty: true, gitBranch: 'main', repository: 'git@github.com:acme/vision.git', entryPoint: 'train.py' },
  });
  await api['artifacts.write']({ runId: live.id, path: 'config.json', content: JSON.stringify({ model: 'resnet50', lr: 0.01, augment: ['flip', 'crop'] }) });
  await api['artifacts.write']({ runId: live.id, path: 'reports/confusion.csv', content: 'class,precision,recall\ncat,0.91,0.88\ndog,0.87,0.90\n"plane, jet",0.95,0.97\n' });
  await api['artifacts.write']({ runId: live.id, path: 'reports/notes.md', content: '# Notes\nWarm-up for 5 epochs, then cosine decay.\n' });
  await api['artifacts.write']({
    runId: live.id, path: 'plots/lr.svg',
    content: '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80"><polyline fill="none" stroke="#3b82f6" stroke-width="2" points="0,70 40,20 240,75"/></svg>',
  });
  await seedDemoDatasets(api, connection.upload!, connection.backend, live.id);
  await seedDemoModels(api, connection.backend, churn.id);
  await seedDemoPipelines(api, connection.backend);
  // One team bucket, so the Sync section and the status bar have something to show; each phase
  // of a simulated sync takes long enough to watch the bar move.
  connection.backend.sync.stepMs = 1200;
  await api['sync.saveRemote']({
    config: { name: 'team', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', bucket: 'team-ml', prefix: 'trainyard', pathStyle: true, auth: 'keys', profile: null, scope: { experiments: 'all', datasets: 'all', models: 'all', pipelines: true } },
    credentials: { accessKeyId: 'minioadmin', secretAccessKey: 'minioadmin' },
  });
  let step = 0;
  const tick = (): void => {
    const batch = Array.from({ length: 20 }, () => {
      step += 1;
      return { key: 'loss', step, value: 1.8 * Math.exp(-step / 400) + 0.08 * Math.random() };
    });
    void api['runs.logBatch']({ runId: live.id, metrics: step % 100 === 0 ? [...batch, { key: 'val/acc', step, value: 0.9 - 0.5 * Math.exp(-step / 800) }] : batch });
  };
  for (let index = 0; index < 25; index += 1) tick();
  setInterval(tick, 250);

  for (let index = 0; index < 180; index += 1) {
    const run = await api['runs.create']({
      experimentId: index % 3 === 0 ? '2' : vision.id, name: `baseline-${String(index).padStart(3, '0')}`, startTime: start - index * 900_000,
      params: [{ key: 'lr', value: String([0.1, 0.01, 0.001][index % 3]) }, { key: 'seed', value: String(index) }],
    });
    await api['runs.logBatch']({ runId: run.id, metrics: [{ key: 'loss', step: 0, value: 0.3 + (index % 17) / 40 }, { key: 'val/acc', step: 0, value: 0.7 + (index % 11) / 50 }] });
    await api['runs.end']({ id: run.id, status: index % 13 === 5 ? 'FAILED' : 'FINISHED', endTime: start - index * 900_000 + 300_000 + index * 7000 });
  }
  return connection;
}
