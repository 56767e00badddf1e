import { useEffect, useState, type ReactElement } from 'react';
import type { DatasetVersion } from '../../../shared/datasets';
import type { ExpectationSuite } from '../../../shared/expectations';
import { getApi } from '../../api/connection';
import { EmptyState } from '../../components/empty-state';
import { FileIcon, WandIcon } from '../../components/icons';
import { openFilePicker } from '../../lib/file-picker';
import { formatTimestamp } from '../../lib/format';
import { formatPercent } from '../../lib/report-groups';
import { versionKey, useValidationStore } from '../../stores/validation';
import { ValidationReportView } from './validation-report';
import './validation.css';

const placeholder = `Paste a Great Expectations suite (JSON, GX 1.x or 0.x), load a file, or suggest one from the profile:

{
  "name": "my_suite",
  "expectations": [
    { "type": "expect_column_values_to_not_be_null", "kwargs": { "column": "id" } }
  ]
}`;

/** Run a suite against the version (paste, load, or suggest it), and read the reports. */
export function ValidationPanel({ version }: { version: DatasetVersion }): ReactElement {
  const { dataset, version: number } = version;
  const entry = useValidationStore((state) => state.entries[versionKey(dataset, number)]);
  const { loadReports, setDraft, suggest, run, select } = useValidationStore.getState();
  const [suites, setSuites] = useState<readonly ExpectationSuite[]>([]);

  useEffect(() => {
    void loadReports(dataset, number);
  }, [dataset, number, loadReports]);
  useEffect(() => {
    let current = true;
    // Only offers shortcuts: without the list the editor still works, so a failure stays quiet.
    getApi()['suites.list']({}).then((list) => current && setSuites(list), () => undefined);
    return () => {
      current = false;
    };
  }, [entry?.reports?.length]);

  const draft = entry?.draft ?? '';
  const busy = entry?.busy ?? null;
  const reports = entry?.reports ?? null;
  const shown = reports?.find((report) => report.id === entry?.selectedId) ?? reports?.[0] ?? null;

  const loadFile = (): void =>
    openFilePicker({ directory: false, accept: '.json,application/json' }, (files) => {
      const file = files[0];
      if (!file) return;
      void file.text().then((text) => setDraft(dataset, number, pretty(text)));
    });
  const applySaved = (name: string): void => {
    const suite = suites.find((candidate) => candidate.name === name);
    if (suite) setDraft(dataset, number, JSON.stringify(suite, null, 2));
  };

  return (
    <div className="validation" data-testid="validation-panel">
      <div className="suite-editor">
        <div className="suite-toolbar">
          <button type="button" className="button" onClick={() => void suggest(dataset, number)} disabled={busy !== null} data-testid="suggest-suite" title="A starter suite from this version's profile: it passes here and flags drift later">
            <WandIcon size={14} />
            {busy === 'suggesting' ? 'Suggesting…' : 'Suggest a suite'}
          </button>
          <button type="button" className="button" onClick={loadFile} data-testid="load-suite" title="Load a Great Expectations suite JSON file">
            <FileIcon size={14} />
            Load JSON…
          </button>
          {suites.length > 0 ? (
            <select className="select" value="" onChange={(event) => applySaved(event.target.value)} aria-label="Use a saved suite" data-testid="saved-suites">
              <option value="">Saved suites…</option>
              {suites.map((suite) => (
                <option key={suite.name} value={suite.name}>{suite.name} ({suite.expectations.length})</option>
              ))}
            </select>
          ) : null}
        </div>
        <textarea
          className="textarea suite-text"
          value={draft}
          onChange={(event) => setDraft(dataset, number, event.target.value)}
          placeholder={placeholder}
          spellCheck={false}
          aria-label="Expectation suite JSON"
          aria-invalid={entry?.actionError ? true : undefined}
          data-testid="suite-editor"
        />
        {entry?.actionError ? <div className="inline-error suite-error" role="alert" data-testid="suite-error">{entry.actionError}</div> : null}
        <div className="suite-actions">
          <button type="button" className="button primary" onClick={() => void run(dataset, number)} disabled={busy !== null || draft.trim() === ''} data-testid="run-validation">
            {busy === 'running' ? 'Validating…' : `Validate v${number}`}
          </button>
          <span className="field-hint">Expectations run as SQL over every row.</span>
        </div>
        <h3 className="panel-heading reports-heading">Reports of v{number}</h3>
        {entry?.loadError ? <div className="inline-error">Could not list the reports: {entry.loadError}</div> : null}
        {reports !== null && reports.length === 0 ? <div className="faint reports-none">None yet.</div> : null}
        <div className="report-list" role="listbox" aria-label="Validation reports">
          {(reports ?? []).map((report) => (
            <button
              type="button"
              key={report.id}
              role="option"
              aria-selected={report.id === shown?.id}
              className="report-item"
              onClick={() => select(dataset, number, report.id)}
              data-testid="report-item"
              data-success={report.success}
            >
              <span className="report-dot" data-success={report.success} aria-hidden="true" />
              <span className="report-item-name mono">{report.suiteName}</span>
              <span className="numeric faint">{formatPercent(report.result.statistics.success_percent)}</span>
              <span className="numeric faint">{formatTimestamp(report.createdAt)}</span>
            </button>
          ))}
        </div>
      </div>
      <div className="report-pane">
        {shown ? (
          <ValidationReportView report={shown} />
        ) : (
          <EmptyState title="Not validated yet" testId="validation-empty">
            <p>
              Write the rules this data must follow as a Great Expectations suite — or press <strong>Suggest a suite</strong> for a starter one from the
              profile — then validate. Reports are kept per version.
            </p>
          </EmptyState>
        )}
      </div>
    </div>
  );
}

/** Loaded files are re-indented when they parse, left as they are when they do not (the error says why). */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
