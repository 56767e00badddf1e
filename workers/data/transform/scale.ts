import type { TransformStep } from '../../../shared/transforms';
import { stepError } from './errors';
import { doubleLiteral, fitStatistics, ident, isNumericType, resolveColumns, type CompiledStep, type StepInput } from './relation';

type ScaleStep = Extract<TransformStep, { op: 'scale' }>;

/**
 * Below this a spread is treated as zero and replaced by 1, as scikit-learn does
 * (`_handle_zeros_in_scale`: 10 × machine epsilon), so a constant column becomes x − center
 * (all zeros) instead of a division by zero or by rounding noise.
 */
export const zeroScale = 10 * Number.EPSILON;

/**
 * (x − center) / scale, as DOUBLE, with:
 * - standard: center = mean, scale = population standard deviation (ddof = 0), as scikit-learn's
 *   StandardScaler. (pandas' .std() is the sample one; the exported model must match training, and
 *   StandardScaler is what people compare against.)
 * - minmax: center = min, scale = max − min, so values land in [0, 1].
 * NULLs stay NULL. An all-NULL column (no statistics) gets center 0, scale 1: it passes through.
 */
export async function compileScale(input: StepInput, step: ScaleStep): Promise<CompiledStep> {
  const { label, from } = input;
  if (step.method !== 'standard' && step.method !== 'minmax') {
    throw stepError(label, `unknown method ${JSON.stringify(step.method)}; use standard or minmax`);
  }
  const targets = resolveColumns(from.columns, step.columns, label);
  for (const column of targets) {
    if (!isNumericType(column.type)) throw stepError(label, `column ${JSON.stringify(column.name)} is ${column.type}; only numeric columns can be scaled`);
  }
  const aggregates = targets.flatMap((column) => {
    const value = `CAST(${ident(column.name)} AS DOUBLE)`;
    return step.method === 'standard' ? [`avg(${value})`, `stddev_pop(${value})`] : [`min(${value})`, `max(${value}) - min(${value})`];
  });
  const stats = await fitStatistics(input, aggregates);
  const columns: Record<string, { center: number; scale: number }> = {};
  const list = new Map<string, string>();
  targets.forEach((column, i) => {
    const center = stats[2 * i] ?? null;
    const spread = stats[2 * i + 1] ?? null;
    for (const value of [center, spread]) {
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw stepError(label, `column ${JSON.stringify(column.name)} has no finite ${step.method === 'standard' ? 'mean and standard deviation' : 'range'} (${String(value)}); it holds infinite values`);
      }
    }
    const fit = {
      center: typeof center === 'number' ? center : 0,
      scale: typeof spread === 'number' && spread >= zeroScale ? spread : 1,
    };
    columns[column.name] = fit;
    list.set(column.name, `(CAST(${ident(column.name)} AS DOUBLE) - ${doubleLiteral(fit.center)}) / ${doubleLiteral(fit.scale)} AS ${ident(column.name)}`);
  });
  const select = from.columns.map((column) => list.get(column.name) ?? ident(column.name));
  return { select: `SELECT ${select.join(', ')} FROM ${ident(from.view)}`, fitted: { op: 'scale', method: step.method, columns } };
}
