import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { ModelVersion } from '../../../shared/registry';
import type { ServedModelInfo } from '../../../shared/serving';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { CopyButton } from '../../components/copy-text';
import { formatMetric } from '../../lib/format';
import {
  buildRecord,
  curlCommand,
  emptyValues,
  jsonBodyProblem,
  readAnswer,
  requestBody,
  tryFormOf,
  valuesFromRow,
  type Answer,
  type FieldValues,
  type TryField,
} from '../../lib/try-request';

interface Reply {
  readonly answer: Answer;
  readonly status: number;
  readonly millis: number;
}

/**
 * "Try it": a form made from the served model's inputs (a number field per float input, text per
 * string, a checkbox per bool; a JSON body for image and other tensor models), prefilled with the
 * first row of the data the version trained on. Sending it scores one row through the running
 * server, as a client would, and shows the answer, its HTTP status and latency — plus the same
 * request as a curl command.
 */
export function TryItForm({ server, version }: { server: ServedModelInfo; version: ModelVersion | null }): ReactElement {
  const form = useMemo(() => tryFormOf(server.inputs), [server.inputs]);
  const fields = form.mode === 'fields' ? form.fields : null;
  const [values, setValues] = useState<FieldValues>(() => (fields ? emptyValues(fields) : {}));
  const [json, setJson] = useState(form.mode === 'json' ? form.template : '');
  const [prefilled, setPrefilled] = useState<{ source: string; filled: number } | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [reply, setReply] = useState<Reply | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const edited = useRef(false);
  const trainedDataset = version?.inputs[0]?.dataset ?? null;
  const trainedVersion = version?.inputs[0]?.version ?? null;

  // The first training row, when one preview call gives it; an empty form is fine otherwise.
  useEffect(() => {
    if (!fields || trainedDataset === null || trainedVersion === null) return;
    let current = true;
    getApi()['datasets.preview']({ dataset: trainedDataset, version: trainedVersion, limit: 1 }).then(
      (preview) => {
        const row = preview.rows[0];
        if (!current || !row || edited.current) return;
        const { values: filled, filled: count } = valuesFromRow(fields, preview.columns.map((column) => column.name), row);
        if (count === 0) return;
        setValues(filled);
        setPrefilled({ source: `${trainedDataset} v${trainedVersion}`, filled: count });
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [fields, trainedDataset, trainedVersion]);

  const built = fields ? buildRecord(fields, values) : null;
  const problem = fields ? null : jsonBodyProblem(json);
  const body = built ? (Object.keys(built.errors).length === 0 ? requestBody(built.record) : null) : problem === null ? json : null;
  const edit = (name: string, value: string | boolean): void => {
    edited.current = true;
    setValues((current) => ({ ...current, [name]: value }));
  };

  const send = async (): Promise<void> => {
    setTried(true);
    if (body === null) return;
    setBusy(true);
    setFailure(null);
    try {
      const result = await getApi()['serving.predict']({ id: server.id, body, contentType: 'application/json' });
      setReply({ answer: readAnswer(result.status, result.body), status: result.status, millis: result.millis });
    } catch (error) {
      setReply(null);
      setFailure(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="try-it" onSubmit={(event) => { event.preventDefault(); void send(); }} data-testid="try-it" data-mode={form.mode}>
      <div className="try-it-request">
        <h4 className="panel-heading">Try it</h4>
        {fields ? (
          <>
            <div className="try-it-fields">
              {fields.map((field) => (
                <FieldInput key={field.name} field={field} value={values[field.name] ?? ''} error={tried ? (built?.errors[field.name] ?? null) : null} onChange={(value) => edit(field.name, value)} />
              ))}
            </div>
            <p className="field-hint" data-testid="try-prefill">
              {prefilled
                ? `Prefilled ${prefilled.filled === fields.length ? 'with' : `${prefilled.filled} of ${fields.length} fields from`} the first row of ${prefilled.source}. `
                : ''}
              Empty number fields are sent as missing values.
            </p>
          </>
        ) : (
          <label className="field">
            <span className="field-label">Request body (JSON)</span>
            <textarea className="textarea try-it-json" value={json} onChange={(event) => setJson(event.target.value)} rows={8} spellCheck={false} aria-label="Request body" data-testid="try-json" />
            {tried && problem ? <span className="inline-error">{problem}</span> : (
              <span className="field-hint">
                This model takes {server.inputs.map((input) => `${input.name} (${input.type}${input.shape ? ` [${input.shape.map((dim) => dim ?? '?').join(', ')}]` : ''})`).join(', ')}: send rows as
                MLflow clients do, {'{"inputs": {…}}'} or {'{"instances": […]}'}.
              </span>
            )}
          </label>
        )}
        <div className="try-it-actions">
          <button type="submit" className="button primary" disabled={busy} data-testid="try-submit">{busy ? 'Sending…' : 'Predict'}</button>
          {fields && prefilled ? (
            <button type="button" className="button" onClick={() => { edited.current = true; setValues(emptyValues(fields)); setPrefilled(null); }}>Clear</button>
          ) : null}
          <span className="faint">POST {server.url}/invocations</span>
        </div>
      </div>
      <div className="try-it-answer" aria-live="polite" data-testid="try-answer">
        {failure ? (
          <p className="inline-error" data-testid="try-failure">The request did not reach the server: {failure}</p>
        ) : reply ? (
          <AnswerView reply={reply} />
        ) : (
          <p className="faint try-it-waiting">The prediction shows here.</p>
        )}
      </div>
      <div className="try-it-curl">
        <span className="field-label">The same request with curl</span>
        {body !== null ? (
          <div className="try-it-command">
            <code data-testid="try-curl">{curlCommand(server.url, body)}</code>
            <CopyButton text={curlCommand(server.url, body)} label="curl command" testId="try-copy-curl" />
          </div>
        ) : (
          <span className="faint">Fix the fields above to see it.</span>
        )}
      </div>
    </form>
  );
}

function FieldInput({ field, value, error, onChange }: { field: TryField; value: string | boolean; error: string | null; onChange: (value: string | boolean) => void }): ReactElement {
  if (field.kind === 'checkbox') {
    return (
      <label className="check try-it-check" title={`${field.name} · ${field.type}`}>
        <input type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} data-testid="try-field" data-field={field.name} />
        <span className="mono">{field.name}</span>
      </label>
    );
  }
  return (
    <label className="field try-it-field">
      <span className="field-label">
        <span className="mono">{field.name}</span> <span className="faint">{field.type}</span>
      </span>
      <input
        className="input mono"
        type={field.kind === 'text' ? 'text' : 'number'}
        step={field.kind === 'integer' ? 1 : 'any'}
        value={typeof value === 'string' ? value : ''}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error !== null}
        aria-label={field.name}
        spellCheck={false}
        autoComplete="off"
        data-testid="try-field"
        data-field={field.name}
      />
      {error ? <span className="inline-error">{error}</span> : null}
    </label>
  );
}

function AnswerView({ reply }: { reply: Reply }): ReactElement {
  const { answer, status, millis } = reply;
  const ok = status < 400;
  return (
    <div className="try-it-reply">
      <div className="try-it-status numeric" data-testid="try-status" data-status={status}>
        <span className={`try-it-code${ok ? ' ok' : ' bad'}`}>{status}</span>
        <span className="faint">{millis < 10 ? millis.toFixed(1) : Math.round(millis)} ms</span>
      </div>
      {answer.kind === 'label' ? (
        <>
          <div className="try-it-label" data-testid="try-label">{answer.label}</div>
          <ul className="try-it-probabilities">
            {answer.probabilities.map((entry) => (
              <li key={entry.name} className="try-it-probability" data-testid="try-probability" data-class={entry.name}>
                <span className="mono try-it-class" title={entry.name}>{entry.name}</span>
                <span className="try-it-bar"><span className="try-it-bar-fill" style={{ width: `${Math.max(0, Math.min(1, entry.value ?? 0)) * 100}%` }} /></span>
                <span className="numeric" title={entry.value === null ? 'NaN: a missing value the model does not fill in' : undefined}>{entry.value === null ? 'NaN' : `${(entry.value * 100).toFixed(1)}%`}</span>
              </li>
            ))}
          </ul>
        </>
      ) : answer.kind === 'value' ? (
        <div className="try-it-label numeric" data-testid="try-value">{answer.value === null ? 'NaN' : formatMetric(answer.value)}</div>
      ) : answer.kind === 'raw' ? (
        <pre className="try-it-raw" data-testid="try-raw">{answer.text}</pre>
      ) : (
        <p className="inline-error try-it-error" role="alert" data-testid="try-error">
          <strong>{answer.code}</strong>: {answer.message}
        </p>
      )}
    </div>
  );
}
