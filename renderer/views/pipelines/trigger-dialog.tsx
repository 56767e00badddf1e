import { useMemo, useState, type ReactElement } from 'react';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { pipelineHref } from '../../lib/hash-route';
import { inputText, paramFields, paramOverrides, type ParamField } from '../../lib/pipeline-params';
import { navigate } from '../../lib/use-route';
import { usePipelinesStore, type PipelineDetail } from '../../stores/pipelines';

/**
 * Trigger…: the spec's params with their defaults, each in an input of its type, and "force"
 * (recompute steps whose inputs did not change). Only changed values are sent, so the run
 * records what was chosen; the new run then shows on the graph.
 */
export function TriggerDialog({ pipeline, onClose }: { pipeline: PipelineDetail; onClose: () => void }): ReactElement {
  const fields = useMemo(() => paramFields(pipeline.spec), [pipeline.spec]);
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((field) => [field.name, inputText(field.defaultValue)])));
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const { overrides, errors } = paramOverrides(fields, texts);
  const invalid = Object.keys(errors).length > 0;

  const submit = async (): Promise<void> => {
    setTouched(true);
    if (invalid) return;
    setBusy(true);
    setError(null);
    try {
      const run = await getApi()['pipelines.trigger']({ name: pipeline.name, params: overrides, force });
      usePipelinesStore.getState().applyRun(run);
      void usePipelinesStore.getState().loadPipeline(pipeline.name);
      onClose();
      navigate(pipelineHref(pipeline.name, 'graph'));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };
  const changed = Object.keys(overrides).length;

  return (
    <Dialog
      title={`Trigger ${pipeline.name}`}
      onClose={onClose}
      testId="trigger-dialog"
      footer={
        <>
          {error ? <span className="inline-error spacer" role="alert" data-testid="trigger-error">{error}</span> : <span className="spacer faint">{changed === 0 ? 'With the default params' : `${changed} ${changed === 1 ? 'param' : 'params'} changed`}</span>}
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="button" className="button primary" onClick={() => void submit()} disabled={busy || (touched && invalid)} data-testid="trigger-submit">
            {busy ? 'Starting…' : 'Trigger'}
          </button>
        </>
      }
    >
      <form onSubmit={(event) => { event.preventDefault(); void submit(); }}>
        {fields.length === 0 ? <p className="dialog-text faint">This pipeline declares no params.</p> : null}
        {fields.map((field, index) => (
          <ParamInput
            key={field.name}
            field={field}
            text={texts[field.name] ?? ''}
            error={touched || texts[field.name] !== inputText(field.defaultValue) ? (errors[field.name] ?? null) : null}
            autoFocus={index === 0}
            onChange={(text) => setTexts((previous) => ({ ...previous, [field.name]: text }))}
          />
        ))}
        <label className="check">
          <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} data-testid="trigger-force" />
          <span>
            Force (ignore the cache)
            <span className="field-hint"> — run every step, even those whose params, code and inputs are unchanged since a successful run</span>
          </span>
        </label>
        {/* Enter in a field submits the form. */}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

function ParamInput({ field, text, error, autoFocus, onChange }: { field: ParamField; text: string; error: string | null; autoFocus: boolean; onChange: (text: string) => void }): ReactElement {
  const changed = text !== inputText(field.defaultValue);
  if (field.type === 'boolean') {
    return (
      <label className="check" data-testid="trigger-param" data-param={field.name}>
        <input type="checkbox" checked={text === 'true'} onChange={(event) => onChange(String(event.target.checked))} autoFocus={autoFocus} data-testid="trigger-param-input" />
        <span>
          <span className="mono">{field.name}</span>
          <span className="field-hint"> — default {String(field.defaultValue)}{changed ? ' (changed)' : ''}</span>
        </span>
      </label>
    );
  }
  return (
    <label className="field" data-testid="trigger-param" data-param={field.name}>
      <span className="field-label">
        <span className="mono">{field.name}</span>
        <span className="field-hint"> {field.type === 'null' ? 'no default: give a value or leave empty' : `default ${inputText(field.defaultValue) || '""'}${changed ? ' (changed)' : ''}`}</span>
      </span>
      <input
        className="input mono"
        type={field.type === 'number' ? 'number' : 'text'}
        step={field.type === 'number' ? 'any' : undefined}
        value={text}
        onChange={(event) => onChange(event.target.value)}
        autoFocus={autoFocus}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error !== null}
        aria-label={field.name}
        data-testid="trigger-param-input"
      />
      {error ? <span className="inline-error">{error}</span> : null}
    </label>
  );
}
