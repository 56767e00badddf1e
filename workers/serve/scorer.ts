/**
 * One model, one InferenceSession for the server's life: a request's values are checked and typed
 * in full first (feeds.ts), then run in batches of at most `batchRows` rows, each batch's outputs
 * written out as JSON text before the next runs.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { WorkbenchError } from '../../shared/errors';
import { createSession } from '../trainer/graph/run';
import { bindPayload, feedsOf } from './feeds';
import { describeModel, type ModelIo } from './model-io';
import type { Payload } from './payload';
import { PredictionWriter } from './predictions';
import { RequestError } from './request-error';

export interface ScorerOptions {
  /** onnxruntime intra-op threads (1–2 on a desktop). */
  readonly threads?: number;
  /** Rows per session.run. */
  readonly batchRows?: number;
}

export interface Scored {
  readonly body: string;
  readonly rows: number;
}

const refuse = (message: string): never => {
  throw new WorkbenchError('INVALID_ARGUMENT', message);
};

export class Scorer {
  private constructor(
    private readonly session: InferenceSession,
    readonly io: ModelIo,
    private readonly batchRows: number,
  ) {}

  /** Loads the file; a missing, empty or corrupt file is refused with the reason. */
  static async load(file: string, options: ScorerOptions = {}): Promise<Scorer> {
    const name = basename(file);
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => refuse(`Cannot read the model ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'it is a folder' : error.message}.`));
    if (bytes.length === 0) refuse(`${name} is empty, not an ONNX model.`);
    let session: InferenceSession;
    try {
      // From the path: tensors saved as external data (mlflow.onnx's default) load from beside it.
      session = await createSession(file, { intraOpNumThreads: options.threads ?? 1 });
    } catch (error) {
      return refuse(`onnxruntime cannot load ${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    try {
      return new Scorer(session, describeModel(session, name), options.batchRows ?? 10_000);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  async score(payload: Payload): Promise<Scored> {
    const request = bindPayload(this.io, payload);
    const writer = new PredictionWriter(this.io);
    const step = Math.max(1, this.io.fixedBatch ?? this.batchRows);
    if (this.io.fixedBatch !== null && request.rows % this.io.fixedBatch !== 0) {
      throw new RequestError(400, `This model runs exactly ${this.io.fixedBatch} row(s) at a time; the request has ${request.rows}, not a multiple of it.`);
    }
    const fetches = this.io.outputs.map((output) => output.name);
    for (let start = 0; start < request.rows; start += step) {
      const end = Math.min(request.rows, start + step);
      const results = await this.session.run(feedsOf(request, start, end), fetches);
      writer.add(results, end - start);
      for (const tensor of Object.values(results)) tensor.dispose();
    }
    return { body: writer.finish(), rows: request.rows };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
