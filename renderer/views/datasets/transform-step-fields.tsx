import type { ReactElement } from 'react';
import type { ColumnSchema } from '../../../shared/datasets';
import type { StepDraft } from '../../lib/transform-drafts';

const numeric = (column: ColumnSchema): boolean => column.kind === 'integer' || column.kind === 'float';

/** Toggle chips for choosing columns; `suggested` ones come first (numeric for scale, say). */
function ColumnChips({ columns, chosen, onChange, suggested }: { columns: readonly ColumnSchema[]; chosen: readonly string[]; onChange: (next: string[]) => void; suggested?: (column: ColumnSchema) => boolean }): ReactElement {
  const ordered = suggested ? [...columns.filter(suggested), ...columns.filter((column) => !suggested(column))] : columns;
  return (
    <div className="column-chips" role="group" aria-label="Columns">
      {ordered.map((column) => {
        const on = chosen.includes(column.name);
        return (
          <button
            key={column.name}
            type="button"
            className={`column-chip${suggested && !suggested(column) ? ' dim' : ''}`}
            aria-pressed={on}
            onClick={() => onChange(on ? chosen.filter((name) => name !== column.name) : [...chosen, column.name])}
            title={`${column.name} · ${column.type}`}
            data-testid="column-chip"
            data-column={column.name}
          >
            {column.name}
          </button>
        );
      })}
    </div>
  );
}

function Choice<T extends string>({ value, options, onChange, label }: { value: T; options: readonly [T, string][]; onChange: (next: T) => void; label: string }): ReactElement {
  return (
    <select className="select" value={value} onChange={(event) => onChange(event.target.value as T)} aria-label={label}>
      {options.map(([option, text]) => (
        <option key={option} value={option}>{text}</option>
      ))}
    </select>
  );
}

/** The fields of one step of the transform form. */
export function StepFields({ draft, columns, onChange }: { draft: StepDraft; columns: readonly ColumnSchema[]; onChange: (next: StepDraft) => void }): ReactElement {
  switch (draft.op) {
    case 'drop':
      return <ColumnChips columns={columns} chosen={draft.columns} onChange={(next) => onChange({ ...draft, columns: next })} />;
    case 'filter':
      return (
        <input className="input mono step-wide" value={draft.where} onChange={(event) => onChange({ ...draft, where: event.target.value })} placeholder="Keep rows where (SQL): age >= 18 and country = 'FR'" aria-label="Filter condition" data-testid="filter-where" spellCheck={false} />
      );
    case 'impute':
      return (
        <>
          <ColumnChips columns={columns} chosen={draft.columns} onChange={(next) => onChange({ ...draft, columns: next })} suggested={draft.strategy === 'mean' || draft.strategy === 'median' ? numeric : undefined} />
          <div className="step-row">
            <span className="field-label">Fill nulls with the</span>
            <Choice label="Strategy" value={draft.strategy} options={[['mean', 'mean'], ['median', 'median'], ['mode', 'most frequent value'], ['constant', 'constant']]} onChange={(strategy) => onChange({ ...draft, strategy })} />
            {draft.strategy === 'constant' ? <input className="input" value={draft.value} onChange={(event) => onChange({ ...draft, value: event.target.value })} placeholder="value" aria-label="Constant" /> : null}
          </div>
        </>
      );
    case 'scale':
      return (
        <>
          <ColumnChips columns={columns} chosen={draft.columns} onChange={(next) => onChange({ ...draft, columns: next })} suggested={numeric} />
          <div className="step-row">
            <Choice label="Method" value={draft.method} options={[['standard', 'standard: (x − mean) / std'], ['minmax', 'min-max: to [0, 1]']]} onChange={(method) => onChange({ ...draft, method })} />
          </div>
        </>
      );
    case 'encode':
      return (
        <>
          <ColumnChips columns={columns} chosen={draft.columns} onChange={(next) => onChange({ ...draft, columns: next })} suggested={(column) => !numeric(column)} />
          <div className="step-row">
            <Choice label="Method" value={draft.method} options={[['onehot', 'one-hot: a 0/1 column per category'], ['ordinal', 'ordinal: category → integer']]} onChange={(method) => onChange({ ...draft, method })} />
          </div>
        </>
      );
    case 'split':
      return (
        <div className="step-row wrap">
          {draft.parts.map((part, index) => (
            <span key={index} className="split-part">
              <input className="input split-name" value={part.name} onChange={(event) => onChange({ ...draft, parts: draft.parts.map((existing, position) => (position === index ? { ...existing, name: event.target.value } : existing)) })} aria-label={`Part ${index + 1} name`} />
              <input className="input split-fraction numeric" value={part.fraction} onChange={(event) => onChange({ ...draft, parts: draft.parts.map((existing, position) => (position === index ? { ...existing, fraction: event.target.value } : existing)) })} aria-label={`Part ${index + 1} fraction`} />
            </span>
          ))}
          <span className="field-label">seed</span>
          <input className="input split-fraction numeric" value={draft.seed} onChange={(event) => onChange({ ...draft, seed: event.target.value })} aria-label="Seed" />
          <span className="field-label">stratify by</span>
          <Choice label="Stratify by" value={draft.stratify} options={[['', 'nothing'], ...columns.map((column): [string, string] => [column.name, column.name])]} onChange={(stratify) => onChange({ ...draft, stratify })} />
        </div>
      );
    case 'rename':
      return (
        <div className="step-row">
          <Choice label="Column" value={draft.from} options={[['', 'choose a column'], ...columns.map((column): [string, string] => [column.name, column.name])]} onChange={(from) => onChange({ ...draft, from })} />
          <span className="field-label">to</span>
          <input className="input mono" value={draft.to} onChange={(event) => onChange({ ...draft, to: event.target.value })} aria-label="New name" spellCheck={false} />
        </div>
      );
    case 'derive':
      return (
        <div className="step-row">
          <input className="input mono" value={draft.column} onChange={(event) => onChange({ ...draft, column: event.target.value })} placeholder="new_column" aria-label="New column" spellCheck={false} />
          <span className="field-label">=</span>
          <input className="input mono step-wide" value={draft.expression} onChange={(event) => onChange({ ...draft, expression: event.target.value })} placeholder="price / nullif(area, 0)" aria-label="SQL expression" spellCheck={false} />
        </div>
      );
  }
}
