import { createRequire } from 'node:module';
import type { ProviderProbe } from '../../shared/probe';
import { addModel } from './tiny-model';

/** Execution providers worth trying on each platform, in order of preference (fastest first). */
export function candidateProviders(platform: NodeJS.Platform): string[] {
  if (platform === 'win32') return ['cuda', 'dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cuda', 'cpu'];
}

export interface ProviderReport {
  readonly providers: ProviderProbe[];
  readonly preferredProvider: string;
  readonly checkOutput: number[];
  readonly onnxruntimeVersion: string | null;
  readonly elapsedMs: number;
}

/**
 * Tries each provider on its own. onnxruntime-node throws at session creation for a provider
 * whose libraries are missing, and does not fall back when another provider is listed after it
 * (TOOLCHAIN.md), so each is probed alone and the app records which one actually ran.
 */
export async function probeProviders(platform: NodeJS.Platform = process.platform): Promise<ProviderReport> {
  const started = performance.now();
  const ort = await import('onnxruntime-node');
  const model = addModel();
  const providers: ProviderProbe[] = [];
  let preferred: string | null = null;
  let checkOutput: number[] = [];
  for (const name of candidateProviders(platform)) {
    try {
      const session = await ort.InferenceSession.create(model, { executionProviders: [name], logSeverityLevel: 3 });
      const input = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]);
      const output = await session.run({ X: input });
      const values = Array.from(output.Y!.data as Float32Array);
      await session.release();
      if (values.join(',') !== '2,4,6,8') throw new Error(`computed ${values.join(',')} instead of 2,4,6,8`);
      providers.push({ name, available: true, error: null });
      if (!preferred) {
        preferred = name;
        checkOutput = values;
      }
    } catch (error) {
      providers.push({ name, available: false, error: firstLine(error) });
    }
  }
  return {
    providers,
    preferredProvider: preferred ?? 'none',
    checkOutput,
    onnxruntimeVersion: runtimeVersion(),
    elapsedMs: performance.now() - started,
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 500);
}

function runtimeVersion(): string | null {
  try {
    return (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;
  } catch {
    return null;
  }
}
