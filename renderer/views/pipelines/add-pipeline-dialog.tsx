import { useEffect, useRef, useState, type ReactElement } from 'react';
import { describeError } from '../../api/api-error';
import { getApi, getConnection } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { FileIcon } from '../../components/icons';
import { openFilePicker } from '../../lib/file-picker';
import { pipelineHref } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { usePipelinesStore } from '../../stores/pipelines';

interface Issue {
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

const example = `name: churn
params:
  epochs: 20
steps:
  ingest:
    kind: ingest
    params: { path: data/customers.csv }
  train:
    kind: train
    retries: 1
    params: { dataset: "\${{ steps.ingest.outputs.dataset }}", target: churned, epochs: "\${{ params.epochs }}" }`;

/** Checked as typed: `pipelines.check` a moment after the last key, so every problem shows with its line:column. */
function useLiveCheck(text: string): { issues: readonly Issue[] | null; checking: boolean; error: string | null } {
  const [result, setResult] = useState<{ issues: readonly Issue[] | null; error: string | null }>({ issues: null, error: null });
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    if (text.trim() === '') {
      setResult({ issues: null, error: null });
      return;
    }
    let stale = false;
    setChecking(true);
    const timer = setTimeout(() => {
      getApi()['pipelines.check']({ text }).then(
        (checked) => !stale && (setResult({ issues: checked.issues, error: null }), setChecking(false)),
        (failure: unknown) => !stale && (setResult({ issues: null, error: describeError(failure) }), setChecking(false)),
      );
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [text]);
  return { ...result, checking };
}

/** The caret offset of a 1-based line:column in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current += 1) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

/**
 * Add pipeline…: paste a pipeline.yaml (checked as typed, each problem at its line:column — a
 * click puts the caret there), or pick the file. On the desktop a picked file is registered by
 * its path, so relative paths in it resolve against its folder; a browser only reads its text.
 */
export function AddPipelineDialog({ onClose }: { onClose: () => void }): ReactElement {
  const [text, setText] = useState('');
  const [path, setPath] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const { issues, checking, error: checkError } = useLiveCheck(text);
  const desktop = getConnection().shell === 'desktop';
  const ready = text.trim() !== '' && !checking && issues !== null && issues.length === 0;

  const pick = (): void =>
    openFilePicker({ directory: false, accept: '.yaml,.yml' }, (files) => {
      const file = files[0];
      if (!file) return;
      setPath(getConnection().pathForFile(file));
      file.text().then(setText, (failure: unknown) => setError(`Reading ${file.name} failed: ${describeError(failure)}`));
    });
  const submit = async (): Promise<void> => {
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      const summary = await getApi()['pipelines.register'](path ? { path } : { text });
      void usePipelinesStore.getState().load();
      onClose();
      navigate(pipelineHref(summary.name));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };
  const jumpTo = (issue: Issue): void => {
    const element = area.current;
    if (!element) return;
    const offset = offsetOf(text, issue.line, issue.column);
    element.focus();
    element.setSelectionRange(offset, offset);
  };

  return (
    <Dialog
      title="Add a pipeline"
      onClose={onClose}
      wide
      testId="add-pipeline-dialog"
      footer={
        <>
          {error ? <span className="inline-error spacer" role="alert" data-testid="add-pipeline-error">{error}</span> : <span className="spacer faint add-pipeline-cli">or run <code>trainyard run pipeline.yaml</code></span>}
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="button" className="button primary" onClick={() => void submit()} disabled={!ready || busy} data-testid="add-pipeline-submit">
            {busy ? 'Adding…' : 'Add pipeline'}
          </button>
        </>
      }
    >
      <div className="add-pipeline-source">
        <button type="button" className="button" onClick={pick} data-testid="pick-pipeline-file" title={desktop ? 'Register a pipeline.yaml by its path' : 'Read a pipeline.yaml into the editor'}>
          <FileIcon size={14} />
          Choose pipeline.yaml…
        </button>
        {path ? <code className="add-pipeline-path" title={path} data-testid="pipeline-path">{path}</code> : <span className="faint">or paste its YAML below</span>}
      </div>
      <textarea
        ref={area}
        className="textarea add-pipeline-text"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          // Edited text is no longer the file on disk.
          setPath(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void submit();
          }
        }}
        placeholder={example}
        spellCheck={false}
        autoFocus
        rows={16}
        aria-label="Pipeline YAML"
        data-testid="pipeline-yaml"
      />
      <div className="add-pipeline-check" aria-live="polite" data-testid="pipeline-check" data-state={text.trim() === '' ? 'empty' : checking ? 'checking' : ready ? 'ok' : 'issues'}>
        {text.trim() === '' ? (
          <span className="faint">Checked as you type; Ctrl+Enter adds it.</span>
        ) : checking ? (
          <span className="faint">Checking…</span>
        ) : checkError ? (
          <span className="inline-error">{checkError}</span>
        ) : issues && issues.length > 0 ? (
          <ul className="spec-issues">
            {issues.map((issue, index) => (
              <li key={index}>
                <button type="button" className="spec-issue" onClick={() => jumpTo(issue)} data-testid="spec-issue" title="Put the caret there">
                  <span className="spec-issue-place numeric">{issue.line}:{issue.column}</span>
                  <span className="spec-issue-message">{issue.message}</span>
                  {issue.path ? <code className="faint">{issue.path}</code> : null}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <span className="spec-ok" data-testid="spec-ok">The spec is valid.</span>
        )}
      </div>
    </Dialog>
  );
}
