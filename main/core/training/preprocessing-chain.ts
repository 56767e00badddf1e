import type { DatasetVersion } from '../../../shared/datasets';
import { fittedStepSchema, transformStepSchema } from '../../../shared/transforms';
import type { TrainerPreprocessingInput as TrainerPreprocessing } from '../../../shared/training';
import type { DatasetService } from '../datasets/dataset-service';

/**
 * The transform steps between a derived version and the raw data it came from, for baking into
 * the exported model. Walks up single-parent derived versions to the first version that was
 * imported (no steps) and concatenates each hop's steps with their fitted statistics, oldest first.
 * Null when the version was imported as is (its columns are already the raw ones).
 */
export function preprocessingChain(datasets: DatasetService, version: DatasetVersion): TrainerPreprocessing | null {
  const hops: DatasetVersion[] = [];
  let current = version;
  while (current.steps && current.steps.length > 0) {
    // A version with several parents (none of today's steps make one) has no single raw input.
    if (current.parents.length !== 1) return null;
    hops.unshift(current);
    const parent = current.parents[0]!;
    current = datasets.rows.version(parent.dataset, parent.version);
  }
  if (hops.length === 0) return null;
  const steps = hops.flatMap((hop) =>
    hop.steps!.map((raw, index) => ({ step: transformStepSchema.parse(raw), fitted: fittedStepSchema.nullable().parse(hop.fitted?.[index] ?? null) })),
  );
  return {
    label: `${current.dataset}@${current.version}`,
    source: datasets.sourceOf(current),
    columns: current.schema.map((column) => ({ name: column.name, type: column.type })),
    steps,
  };
}
