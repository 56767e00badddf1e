import onnxProto from 'onnx-proto';
import { expect, test } from './fixtures';

// Bring your own ONNX model: an .onnx file picked (or dropped) in the window is checked by
// onnxruntime and kept as a run with model/ artifacts; a broken file says why and keeps nothing.

function reluModel(): Buffer {
  const { onnx } = onnxProto;
  const tensor = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 3 }] } } } });
  const bytes = onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'elsewhere',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'g', node: [{ input: ['x'], output: ['y'], opType: 'Relu' }], input: [tensor('x')], output: [tensor('y')] },
  }).finish();
  return Buffer.from(bytes);
}

test('an ONNX model picked in the window becomes a run with its model artifacts', async ({ datasetsPage, runPage, page }) => {
  await datasetsPage.open();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('import-button').click();
  await (await chooser).setFiles({ name: 'relu-net.onnx', mimeType: 'application/octet-stream', buffer: reluModel() });

  await expect(runPage.title).toHaveText('relu-net');
  await expect(runPage.status).toHaveText(/finished/i);
  await runPage.artifact('model').click();
  await expect(runPage.artifact('model/model.onnx')).toBeVisible();
  await expect(runPage.artifact('model/MLmodel')).toBeVisible();
  await runPage.tab('params').click();
  await expect(page.getByText('x float32[?, 3]')).toBeVisible();
});

test('a corrupt .onnx file is refused with the reason', async ({ datasetsPage, page }) => {
  await datasetsPage.open();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('import-button').click();
  await (await chooser).setFiles({ name: 'broken.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('only words, long enough to look like something') });
  await expect(page.getByTestId('toast')).toContainText('broken.onnx is not an ONNX model');
  await expect(page.getByTestId('run-page')).toHaveCount(0);
});
