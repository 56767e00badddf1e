import { basename, extname } from 'node:path';
import { invalid } from '../../../shared/errors';
import { inspectResultSchema, type OnnxModelInfo } from '../../../shared/models';
import type { RunInfo } from '../../../shared/tracking';
import type { ArtifactService } from '../tracking/artifact-service';
import type { TrackingService } from '../tracking/tracking-service';
import { WorkerFailure, type WorkerHost } from '../workers/worker-host';

export interface ImportedModel {
  readonly run: RunInfo;
  readonly info: OnnxModelInfo;
}

/**
 * Bring-your-own ONNX: a model trained elsewhere becomes a run (kind `import`) holding
 * model/model.onnx and an MLmodel, exactly where a trained model sits, so the registry, evaluation
 * and serving take it like any other. The file is checked in a `model` worker (onnxruntime must
 * load it) before anything is written; a file that fails leaves no run behind.
 */
export class ModelImportService {
  constructor(private readonly deps: { tracking: TrackingService; artifacts: ArtifactService; workers: WorkerHost }) {}

  async importOnnx(file: string, options: { experimentId?: string; name?: string } = {}): Promise<ImportedModel> {
    if (extname(file).toLowerCase() !== '.onnx') throw invalid(`Expected an .onnx file, got '${basename(file)}'.`);
    const { tracking, artifacts, workers } = this.deps;
    // Inspect first with no run id: a corrupt file must not leave a FAILED run behind.
    const checked = inspectResultSchema.parse(
      await workers.run<unknown>('model', { task: 'inspect', file }).result.catch((error: unknown) => {
        // The worker's refusal is the user's answer (a corrupt file); a crash stays a crash.
        throw error instanceof WorkerFailure && error.reason === 'error' ? invalid(error.message) : error;
      }),
    );
    const run = tracking.createRun({
      ...(options.experimentId ? { experimentId: options.experimentId } : {}),
      name: options.name ?? basename(file, extname(file)),
      params: [
        { key: 'model.source', value: basename(file).slice(0, 6000) },
        { key: 'model.producer', value: checked.info.producer.slice(0, 6000) },
        { key: 'model.inputs', value: checked.info.inputs.map(describe).join('; ').slice(0, 6000) },
        { key: 'model.outputs', value: checked.info.outputs.map(describe).join('; ').slice(0, 6000) },
      ],
      tags: [{ key: 'trainyard.kind', value: 'import' }, { key: 'trainyard.source_path', value: file.slice(0, 8000) }],
    });
    try {
      // The MLmodel names its run, which exists only now: add `run_id` where MLflow writes it (keys
      // sorted), quoted: a hex id like 12e45… would otherwise read as a YAML number.
      const mlmodel = checked.mlmodel.replace(/^(model_uuid: .*)$/m, `$1\nrun_id: '${run.id}'`);
      await artifacts.logFile(run.id, file, 'model/model.onnx');
      await artifacts.writeBytes(run.id, 'model/MLmodel', Buffer.from(mlmodel));
      for (const [name, text] of Object.entries(checked.files)) await artifacts.writeBytes(run.id, `model/${name}`, Buffer.from(text));
      return { run: tracking.endRun(run.id, 'FINISHED'), info: checked.info };
    } catch (error) {
      tracking.endRun(run.id, 'FAILED');
      throw error;
    }
  }
}

function describe(tensor: OnnxModelInfo['inputs'][number]): string {
  return `${tensor.name} ${tensor.dtype}[${tensor.shape.map((d) => (d < 0 ? '?' : d)).join(', ')}]`;
}
