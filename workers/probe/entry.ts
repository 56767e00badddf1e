import { runWorker } from '../runtime';
import { probeProviders } from './probe';

runWorker(async (_input, context) => {
  context.log('probing onnxruntime execution providers');
  return probeProviders();
});
