import type { DataSource } from '../../../shared/datasets';
import type { FittedStep, TransformResult, TransformStep } from '../../../shared/transforms';
import type { Duck } from '../duckdb';
import { relationSql } from '../source-sql';
import { compileCast, compileDerive, compileDrop, compileFilter, compileRename } from './basic-steps';
import { compileEncode } from './encode';
import { stepError, stepLabel, wrapDuckError } from './errors';
import { compileImpute } from './impute';
import { writeParts, type PartQuery } from './output';
import { describe, ident, Scratch, type CompiledStep, type Relation, type StepInput } from './relation';
import { compileScale } from './scale';
import { planSplit, splitQueries, type SplitPlan } from './split';

export { maxOneHotCategories, maxOrdinalCategories, oneHotColumnNames } from './encode';
export { zeroScale } from './scale';

/**
 * Runs declarative transform steps over a source and writes the result as Parquet into
 * `outputDir`: `data.parquet`, or one `<part>.parquet` per part of a final `split` step.
 *
 * The steps compile to a chain of temporary views over `relationSql(source)`, so rows stream from
 * the source files to the Parquet writer; fitting steps (impute, scale, encode) first run one
 * aggregate query over the chain so far and bake the statistics into their view as literals.
 * Errors name the step (`step 3 (scale): …`); on any error nothing is left in `outputDir`.
 */
export async function transform(duck: Duck, source: DataSource, steps: TransformStep[], outputDir: string): Promise<TransformResult> {
  const split = checkSplitPosition(steps);
  const scratch = new Scratch(duck);
  const restoreOrder = await keepInsertionOrder(duck);
  try {
    let relation = await sourceRelation(duck, scratch, source);
    const fitted: (FittedStep | null)[] = [];
    for (const [index, step] of steps.entries()) {
      if (step.op === 'split') break;
      const label = stepLabel(index, step.op);
      const compiled = await compileStep({ duck, label, from: relation }, step);
      relation = await chain(duck, scratch, compiled, label);
      fitted.push(compiled.fitted);
    }
    let parts: PartQuery[] = [{ part: 'data', select: `SELECT * FROM ${ident(relation.view)}` }];
    if (split) {
      parts = await splitQueries(scratch, relation, split.plan, split.label);
      fitted.push(null);
    }
    return { outputs: await writeParts(duck, parts, outputDir), fitted };
  } finally {
    await scratch.dispose();
    await restoreOrder();
  }
}

/** A split only makes sense at the end (it produces the files); checked before any data is read. */
function checkSplitPosition(steps: readonly TransformStep[]): { plan: SplitPlan; label: string } | null {
  for (const [index, step] of steps.entries()) {
    if (step.op !== 'split') continue;
    const label = stepLabel(index, step.op);
    if (index !== steps.length - 1) throw stepError(label, `split must be the last step, but ${steps.length - 1 - index} step(s) follow it`);
    return { plan: planSplit(step, label), label };
  }
  return null;
}

async function sourceRelation(duck: Duck, scratch: Scratch, source: DataSource): Promise<Relation> {
  try {
    const view = await scratch.view(`SELECT * FROM ${relationSql(source)}`);
    return { view, columns: await describe(duck, view) };
  } catch (error) {
    throw wrapDuckError('reading the source failed', error);
  }
}

function compileStep(input: StepInput, step: Exclude<TransformStep, { op: 'split' }>): CompiledStep | Promise<CompiledStep> {
  switch (step.op) {
    case 'drop':
      return compileDrop(input, step);
    case 'rename':
      return compileRename(input, step);
    case 'cast':
      return compileCast(input, step);
    case 'filter':
      return compileFilter(input, step);
    case 'derive':
      return compileDerive(input, step);
    case 'impute':
      return compileImpute(input, step);
    case 'scale':
      return compileScale(input, step);
    case 'encode':
      return compileEncode(input, step);
    default:
      throw stepError(input.label, `unknown operation ${JSON.stringify((step as { op: unknown }).op)}`);
  }
}

async function chain(duck: Duck, scratch: Scratch, compiled: CompiledStep, label: string): Promise<Relation> {
  try {
    const view = await scratch.view(compiled.select);
    return { view, columns: await describe(duck, view) };
  } catch (error) {
    throw wrapDuckError(label, error);
  }
}

/**
 * Reproducible splits and first-offending-value reports rely on DuckDB keeping source order, which
 * is its default; if the connection turned it off (to save memory), turn it on for this call.
 */
async function keepInsertionOrder(duck: Duck): Promise<() => Promise<void>> {
  const row = await duck.one(`SELECT current_setting('preserve_insertion_order') AS value`);
  if (row?.value === true) return async () => undefined;
  await duck.run('SET preserve_insertion_order = true');
  return async () => {
    await duck.run('SET preserve_insertion_order = false').catch(() => undefined);
  };
}
