import { useState, type ReactElement } from 'react';
import { describeError } from '../../api/api-error';

/**
 * A description shown as text, edited in place: Edit opens a text box, Save (or Ctrl/Cmd-Enter)
 * writes it, Cancel (or Esc) leaves it as it was. Errors stay inline, with the draft kept.
 */
export function DescriptionEditor({ value, onSave, what, testId }: { value: string; onSave: (text: string) => Promise<void>; what: string; testId: string }): ReactElement {
  const [draft, setDraft] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const cancel = (): void => {
    setDraft(null);
    setError(null);
  };
  const save = async (): Promise<void> => {
    if (draft === null) return;
    if (draft === value) return cancel();
    setBusy(true);
    setError(null);
    try {
      await onSave(draft);
      setDraft(null);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  if (draft === null) {
    return (
      <div className="description" data-testid={testId}>
        {value ? <p className="description-text" data-testid={`${testId}-text`}>{value}</p> : <p className="description-text faint" data-testid={`${testId}-text`}>No description.</p>}
        <button type="button" className="button description-edit" onClick={() => setDraft(value)} data-testid={`${testId}-edit`} title={`Describe ${what}`}>
          Edit
        </button>
      </div>
    );
  }
  return (
    <div className="description editing" data-testid={testId}>
      <textarea
        className="textarea description-input"
        value={draft}
        autoFocus
        rows={3}
        maxLength={5000}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            cancel();
          } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void save();
          }
        }}
        placeholder={`What is ${what}? What data, what changed, what it is for.`}
        aria-label={`Description of ${what}`}
        data-testid={`${testId}-input`}
      />
      <div className="description-actions">
        {error ? <span className="inline-error spacer" role="alert">{error}</span> : <span className="field-hint spacer">Ctrl+Enter saves, Esc cancels.</span>}
        <button type="button" className="button" onClick={cancel} data-testid={`${testId}-cancel`}>Cancel</button>
        <button type="button" className="button primary" onClick={() => void save()} disabled={busy} data-testid={`${testId}-save`}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </div>
  );
}
