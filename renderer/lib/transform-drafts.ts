import type { ColumnSchema } from '../../shared/datasets';
import type { TransformStep } from '../../shared/transforms';

/**
 * The transform form's steps as the user edits them (text fields stay text until submitted), and
 * their conversion into the contract's `TransformStep`s with a message per step that is not ready.
 */
export type StepDraft =
  | { readonly op: 'drop'; readonly columns: readonly string[] }
  | { readonly op: 'filter'; readonly where: string }
  | { readonly op: 'impute'; readonly columns: readonly string[]; readonly strategy: 'mean' | 'median' | 'mode' | 'constant'; readonly value: string }
  | { readonly op: 'scale'; readonly columns: readonly string[]; readonly method: 'standard' | 'minmax' }
  | { readonly op: 'encode'; readonly columns: readonly string[]; readonly method: 'onehot' | 'ordinal' }
  | { readonly op: 'split'; readonly parts: readonly { readonly name: string; readonly fraction: string }[]; readonly seed: string; readonly stratify: string }
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'derive'; readonly column: string; readonly expression: string };

export type StepOp = StepDraft['op'];

export const stepLabels: Record<StepOp, string> = {
  drop: 'Drop columns',
  filter: 'Filter rows',
  impute: 'Impute missing values',
  scale: 'Scale',
  encode: 'Encode categories',
  split: 'Split train / validation / test',
  rename: 'Rename a column',
  derive: 'Derive a column',
};

export const stepOps = Object.keys(stepLabels) as StepOp[];

const numericKinds = new Set(['integer', 'float']);

export function newDraft(op: StepOp): StepDraft {
  switch (op) {
    case 'drop':
      return { op, columns: [] };
    case 'filter':
      return { op, where: '' };
    case 'impute':
      return { op, columns: [], strategy: 'median', value: '' };
    case 'scale':
      return { op, columns: [], method: 'standard' };
    case 'encode':
      return { op, columns: [], method: 'onehot' };
    case 'split':
      return { op, parts: [{ name: 'train', fraction: '0.8' }, { name: 'validation', fraction: '0.1' }, { name: 'test', fraction: '0.1' }], seed: '42', stratify: '' };
    case 'rename':
      return { op, from: '', to: '' };
    case 'derive':
      return { op, column: '', expression: '' };
  }
}

/** The columns a step sees: the version's schema as changed by the steps before it. */
export function columnsAfter(schema: readonly ColumnSchema[], drafts: readonly StepDraft[]): ColumnSchema[] {
  let columns = [...schema];
  for (const draft of drafts) {
    if (draft.op === 'drop') columns = columns.filter((column) => !draft.columns.includes(column.name));
    else if (draft.op === 'rename' && draft.to.trim()) columns = columns.map((column) => (column.name === draft.from ? { ...column, name: draft.to.trim() } : column));
    else if (draft.op === 'derive' && draft.column.trim()) columns = [...columns, { name: draft.column.trim(), type: 'DOUBLE', kind: 'other' }];
    else if (draft.op === 'scale') columns = columns.map((column) => (draft.columns.includes(column.name) && numericKinds.has(column.kind) ? { ...column, type: 'DOUBLE', kind: 'float' } : column));
    else if (draft.op === 'encode' && draft.method === 'onehot') columns = columns.filter((column) => !draft.columns.includes(column.name));
  }
  return columns;
}

type Built = { readonly step: TransformStep; readonly error: null } | { readonly step: null; readonly error: string };

function build(draft: StepDraft, columns: readonly ColumnSchema[]): Built {
  const fail = (error: string): Built => ({ step: null, error });
  const known = new Map(columns.map((column) => [column.name, column]));
  const pick = (names: readonly string[]): string | null => {
    if (names.length === 0) return 'Choose at least one column.';
    const missing = names.filter((name) => !known.has(name));
    return missing.length > 0 ? `No column ${missing.join(', ')} at this step.` : null;
  };
  const nonNumeric = (names: readonly string[]): string[] => names.filter((name) => !numericKinds.has(known.get(name)?.kind ?? ''));
  switch (draft.op) {
    case 'drop': {
      const problem = pick(draft.columns);
      return problem ? fail(problem) : { step: { op: 'drop', columns: [...draft.columns] }, error: null };
    }
    case 'filter':
      return draft.where.trim() === '' ? fail('Write the condition rows must meet, e.g. age >= 18.') : { step: { op: 'filter', where: draft.where.trim() }, error: null };
    case 'impute': {
      const problem = pick(draft.columns);
      if (problem) return fail(problem);
      if ((draft.strategy === 'mean' || draft.strategy === 'median') && nonNumeric(draft.columns).length > 0) {
        return fail(`The ${draft.strategy} needs numbers; ${nonNumeric(draft.columns).join(', ')} ${nonNumeric(draft.columns).length === 1 ? 'is' : 'are'} not numeric (use mode or a constant).`);
      }
      if (draft.strategy !== 'constant') return { step: { op: 'impute', columns: [...draft.columns], strategy: draft.strategy }, error: null };
      if (draft.value.trim() === '') return fail('Give the constant to fill in.');
      const numeric = nonNumeric(draft.columns).length === 0;
      const value = numeric && Number.isFinite(Number(draft.value)) ? Number(draft.value) : draft.value;
      return { step: { op: 'impute', columns: [...draft.columns], strategy: 'constant', value }, error: null };
    }
    case 'scale': {
      const problem = pick(draft.columns) ?? (nonNumeric(draft.columns).length > 0 ? `Only numeric columns scale; ${nonNumeric(draft.columns).join(', ')} ${nonNumeric(draft.columns).length === 1 ? 'is' : 'are'} not.` : null);
      return problem ? fail(problem) : { step: { op: 'scale', columns: [...draft.columns], method: draft.method }, error: null };
    }
    case 'encode': {
      const problem = pick(draft.columns);
      return problem ? fail(problem) : { step: { op: 'encode', columns: [...draft.columns], method: draft.method }, error: null };
    }
    case 'split': {
      const parts = draft.parts.filter((part) => part.name.trim() !== '' || part.fraction.trim() !== '');
      const fractions: Record<string, number> = {};
      for (const part of parts) {
        const fraction = Number(part.fraction);
        if (part.name.trim() === '') return fail('Every part needs a name.');
        if (!Number.isFinite(fraction) || fraction <= 0) return fail(`The fraction of “${part.name}” must be a number above 0.`);
        if (part.name.trim() in fractions) return fail(`Two parts are named “${part.name.trim()}”.`);
        fractions[part.name.trim()] = fraction;
      }
      const sum = Object.values(fractions).reduce((total, value) => total + value, 0);
      if (parts.length < 2) return fail('Split into at least two parts.');
      if (Math.abs(sum - 1) > 1e-6) return fail(`The fractions add up to ${Number(sum.toFixed(6))}; they must add up to 1.`);
      const seed = Number(draft.seed.trim() === '' ? '42' : draft.seed);
      if (!Number.isInteger(seed)) return fail('The seed must be a whole number.');
      if (draft.stratify !== '' && !known.has(draft.stratify)) return fail(`No column ${draft.stratify} to stratify by.`);
      return { step: { op: 'split', fractions, seed, ...(draft.stratify ? { stratify: draft.stratify } : {}) }, error: null };
    }
    case 'rename':
      if (!known.has(draft.from)) return fail('Choose the column to rename.');
      if (draft.to.trim() === '') return fail('Give the new name.');
      if (known.has(draft.to.trim())) return fail(`There is already a column ${draft.to.trim()}.`);
      return { step: { op: 'rename', mapping: { [draft.from]: draft.to.trim() } }, error: null };
    case 'derive':
      if (draft.column.trim() === '') return fail('Name the new column.');
      if (draft.expression.trim() === '') return fail('Write the SQL expression, e.g. price / nullif(area, 0).');
      return { step: { op: 'derive', column: draft.column.trim(), expression: draft.expression.trim() }, error: null };
  }
}

/** Every step converted, or the message of each one that is not ready (null where it is). */
export function buildSteps(schema: readonly ColumnSchema[], drafts: readonly StepDraft[]): { steps: TransformStep[] | null; errors: (string | null)[] } {
  const results = drafts.map((draft, index) => build(draft, columnsAfter(schema, drafts.slice(0, index))));
  const errors = results.map((result) => result.error);
  if (drafts.length === 0) return { steps: null, errors };
  return { steps: errors.every((error) => error === null) ? results.map((result) => result.step!) : null, errors };
}
