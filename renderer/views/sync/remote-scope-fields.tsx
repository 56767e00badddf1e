import { useId, type ReactElement } from 'react';
import type { ScopeValue } from '../../lib/sync-form';
import { splitNames } from '../../lib/sync-form';

interface ScopeFieldProps {
  /** `experiments`, `datasets`, `models`: the test ids are `remote-scope-<kind>`. */
  readonly kind: string;
  readonly label: string;
  readonly value: ScopeValue;
  /** Names known here, offered as suggestions; a teammate's names can be typed too. */
  readonly known: readonly string[];
  readonly error: string | undefined;
  readonly onChange: (value: ScopeValue) => void;
}

/**
 * All of a kind, or only the names listed (comma-separated). A free list rather than checkboxes
 * of what exists here: pulling a teammate's experiment means naming one this home has not seen.
 */
export function ScopeField({ kind, label, value, known, error, onChange }: ScopeFieldProps): ReactElement {
  const listId = useId();
  const chosen = new Set(splitNames(value.names));
  const offered = known.filter((name) => !chosen.has(name)).slice(0, 8);
  const add = (name: string): void => onChange({ all: false, names: [...chosen, name].join(', ') });
  return (
    <div className="field sync-scope-field">
      <span className="field-label">{label}</span>
      <div className="sync-scope-row">
        <select
          className="select"
          value={value.all ? 'all' : 'chosen'}
          onChange={(event) => onChange({ ...value, all: event.target.value === 'all' })}
          aria-label={`Which ${label.toLowerCase()} to sync`}
          data-testid={`remote-scope-${kind}`}
        >
          <option value="all">All</option>
          <option value="chosen">Only these</option>
        </select>
        {value.all ? null : (
          <input
            className="input"
            value={value.names}
            onChange={(event) => onChange({ all: false, names: event.target.value })}
            placeholder="names, comma-separated"
            list={listId}
            spellCheck={false}
            autoComplete="off"
            aria-label={`${label} to sync`}
            aria-invalid={error !== undefined}
            data-testid={`remote-scope-${kind}-names`}
          />
        )}
        <datalist id={listId}>
          {known.map((name) => <option key={name} value={name} />)}
        </datalist>
      </div>
      {error ? <span className="inline-error">{error}</span> : null}
      {!value.all && offered.length > 0 ? (
        <span className="field-hint sync-scope-known">
          Here:{' '}
          {offered.map((name) => (
            <button key={name} type="button" className="link-button" onClick={() => add(name)}>
              {name}
            </button>
          ))}
        </span>
      ) : null}
      {!value.all && chosen.size === 0 ? <span className="field-hint">None listed: no {label.toLowerCase()} are synced.</span> : null}
    </div>
  );
}
