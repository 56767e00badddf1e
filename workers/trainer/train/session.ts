/**
 * Sessions on the first execution provider that works. TOOLCHAIN: on Linux x64 `cuda` and
 * `tensorrt` THROW at session creation when their libraries are missing, even with `cpu` listed
 * after them, and `['dml']` alone throws. So each provider is tried alone, in order, by creating
 * the session; a failure is recorded and the next one tried. Every session of a run then uses the
 * provider that worked (a later graph that fails on it moves on down the list the same way), and
 * the provider that actually ran is reported.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { WorkbenchError } from '../../../shared/errors';
import { createSession } from '../graph/run';
import type { ProviderReport } from './types';

export interface SessionFactoryOptions {
  readonly providers: readonly string[];
  readonly intraOpNumThreads: number;
  readonly allowSpinning: boolean;
}

export class SessionFactory {
  private index = 0;
  private readonly failures: { provider: string; message: string }[] = [];
  private readonly sessions: InferenceSession[] = [];

  constructor(private readonly options: SessionFactoryOptions) {
    if (options.providers.length === 0) throw new Error('no execution provider to try');
  }

  /** The provider in use, and the ones that failed before it. */
  get report(): ProviderReport {
    return { provider: this.options.providers[this.index] ?? 'none', failures: [...this.failures] };
  }

  async create(model: Uint8Array): Promise<InferenceSession> {
    for (; this.index < this.options.providers.length; this.index++) {
      const provider = this.options.providers[this.index]!;
      try {
        const session = await createSession(model, {
          executionProviders: [provider],
          intraOpNumThreads: this.options.intraOpNumThreads,
          allowSpinning: this.options.allowSpinning,
        });
        this.sessions.push(session);
        return session;
      } catch (error) {
        this.failures.push({ provider, message: error instanceof Error ? error.message : String(error) });
      }
    }
    const tried = this.failures.map((f) => `${f.provider}: ${f.message}`).join('; ');
    throw new WorkbenchError('UNAVAILABLE', `no execution provider could run the training graph (${tried})`);
  }

  /** Releases every session this factory created. */
  async releaseAll(): Promise<void> {
    const sessions = this.sessions.splice(0);
    await Promise.all(sessions.map((s) => s.release()));
  }
}
