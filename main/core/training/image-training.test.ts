/**
 * Image classification end to end: a folder of PNGs with a labels file becomes a dataset version,
 * a CNN trains on it in the trainer worker, and the exported model classifies raw pixel tensors
 * with the training normalization baked in.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../shared/seeded-random';
import { trainingConfigSchema } from '../../../shared/training';
import { openTestWorkbench } from '../testing/temp-home';
import type { Workbench } from '../workbench';

let workbench: Workbench & { home: string };
beforeEach(async () => {
  workbench = await openTestWorkbench();
});
afterEach(() => workbench.dispose());

/** 20×20 RGB stripes in random colours: `rows` for horizontal, `columns` for vertical. */
async function stripeFolder(count: number): Promise<string> {
  const random = seededRandom(9);
  const dir = join(workbench.home, 'stripes');
  await mkdir(join(dir, 'img'), { recursive: true });
  const labels = ['file,label'];
  for (let i = 0; i < count; i++) {
    const vertical = i % 2 === 0;
    const size = 20;
    const period = 3 + Math.floor(random() * 3);
    const fg = [0, 0, 0].map(() => 128 + Math.floor(random() * 127));
    const bg = [0, 0, 0].map(() => Math.floor(random() * 100));
    const pixels = Buffer.alloc(size * size * 3);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const on = Math.floor((vertical ? c : r) / period) % 2 === 0;
        for (let k = 0; k < 3; k++) pixels[(r * size + c) * 3 + k] = on ? fg[k]! : bg[k]!;
      }
    }
    const name = `img/${String(i).padStart(3, '0')}.png`;
    await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toFile(join(dir, name));
    labels.push(`${name},${vertical ? 'columns' : 'rows'}`);
  }
  await writeFile(join(dir, 'labels.csv'), labels.join('\n') + '\n');
  return dir;
}

describe('image classification', () => {
  it('trains a CNN on an image-folder version and exports a model over raw pixel tensors', async () => {
    const folder = await stripeFolder(120);
    await workbench.datasets.importPath(folder);
    const config = trainingConfigSchema.parse({
      target: 'label',
      image: { width: 16, height: 16 },
      model: { hidden: [16], conv: [{ filters: 6 }, { filters: 8 }] },
      optimizer: { lr: 0.01 },
      epochs: 12,
      batchSize: 16,
    });
    const { run, summary, error } = await workbench.training.start({ dataset: 'stripes' }, config).done;
    expect(error).toBeNull();
    expect(run.status).toBe('FINISHED');
    expect(summary).toMatchObject({ rows: 120, classes: ['columns', 'rows'], features: ['image[3×16×16]'] });
    const logged = workbench.tracking.getRun(run.id);
    expect(logged.metrics.val_accuracy!.value).toBeGreaterThanOrEqual(0.9);
    expect(logged.params['model.conv']).toBeDefined();
    expect(logged.tags['trainyard.export_inputs']).toMatch(/^raw RGB images as float \[N, 3, 16, 16\] with 0–255 pixel values/);
    expect(logged.tags['trainyard.export_verified_rows']).toBe('24');
    const mlmodel = (await workbench.artifacts.read(run.id, 'model/MLmodel', 20_000)).content;
    expect(mlmodel).toContain(`inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 3, 16, 16]}, "name": "image"}]'`);

    // A caller prepares an image the documented way (resize to 16×16, RGB, CHW, 0–255) and gets its class.
    const session = await InferenceSession.create(await readFile(workbench.artifacts.locate(run.id, 'model/model.onnx').file));
    try {
      const classify = async (file: string): Promise<string> => {
        const hwc = await sharp(join(folder, file)).resize(16, 16, { fit: 'fill' }).removeAlpha().raw().toBuffer();
        const chw = new Float32Array(3 * 256);
        for (let p = 0; p < 256; p++) for (let k = 0; k < 3; k++) chw[k * 256 + p] = hwc[p * 3 + k]!;
        const out = await session.run({ image: new Tensor('float32', chw, [1, 3, 16, 16]) });
        return (out.label!.data as string[])[0]!;
      };
      expect([await classify('img/000.png'), await classify('img/001.png'), await classify('img/118.png'), await classify('img/119.png')]).toEqual(['columns', 'rows', 'columns', 'rows']);
    } finally {
      await session.release();
    }
  }, 120_000);

  it('names the labels file columns when the target is not one of them', async () => {
    await workbench.datasets.importPath(await stripeFolder(6));
    const { run, error } = await workbench.training.start({ dataset: 'stripes' }, trainingConfigSchema.parse({ target: 'species' })).done;
    expect(run.status).toBe('FAILED');
    expect(error).toBe("Unknown target column 'species'; the labels file has file, label.");
  }, 60_000);
});
