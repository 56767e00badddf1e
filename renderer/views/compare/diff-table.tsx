import { useMemo, useState, type ReactElement } from 'react';
import type { Run } from '../../../shared/tracking';
import { EmptyState } from '../../components/empty-state';
import { buildDiffRows, diffGrid, diffSections, runLabel, visibleDiffRows, type DiffRow, type DiffSection } from '../../lib/run-diff';
import { downloadText } from '../../lib/chart-export';
import { diffToCsv, diffToLatex, diffToMarkdown } from '../../lib/run-diff-export';
import { reportError, useToastsStore } from '../../stores/toasts';
import { DiffGrid } from './diff-grid';
import './diff-table.css';

const sectionLabels: Record<DiffSection, string> = { params: 'Params', metrics: 'Metrics', tags: 'Tags', environment: 'Environment' };

function copy(text: string, what: string): void {
  navigator.clipboard.writeText(text).then(
    () => useToastsStore.getState().push({ tone: 'info', title: `Copied the ${what}`, message: '' }),
    (error: unknown) => reportError(`Copying the ${what} failed`, error),
  );
}

/**
 * Params, metrics (last/min/max), tags and environment of the given runs side by side, only the
 * differing rows by default, each cell marked against a chosen baseline run; exportable as CSV,
 * Markdown or LaTeX exactly as shown (sections, filter, orientation).
 */
export function RunDiffTable({ runs }: { runs: readonly Run[] }): ReactElement {
  const [sections, setSections] = useState<ReadonlySet<DiffSection>>(() => new Set(diffSections));
  const [onlyDifferences, setOnlyDifferences] = useState(true);
  const [showSystemTags, setShowSystemTags] = useState(false);
  const [baselineId, setBaselineId] = useState<string | null>(null);
  const [transpose, setTranspose] = useState(false);

  // By id, so the baseline follows its run when the selection changes; gone → the first run.
  const baselineIndex = Math.max(0, runs.findIndex((run) => run.id === baselineId));
  const allRows = useMemo(
    () => buildDiffRows(runs, { sections, onlyDifferences, showSystemTags, baselineIndex }),
    [runs, sections, onlyDifferences, showSystemTags, baselineIndex],
  );
  const rows = useMemo(() => visibleDiffRows(allRows, onlyDifferences), [allRows, onlyDifferences]);

  if (runs.length === 0) return <EmptyState title="No runs to compare" testId="diff-empty">Select runs to see their params, metrics, tags and environment side by side.</EmptyState>;

  const toggleSection = (section: DiffSection): void => {
    setSections((current) => {
      const next = new Set(current);
      if (next.has(section)) next.delete(section);
      else next.add(section);
      return next;
    });
  };
  const exportAs = (format: 'csv' | 'markdown' | 'latex'): void => {
    const grid = diffGrid(rows, runs, { transpose, exact: format === 'csv' });
    if (format === 'csv') downloadText(diffToCsv(grid), `run-diff-${runs.length}-runs.csv`, 'text/csv;charset=utf-8');
    else if (format === 'markdown') copy(diffToMarkdown(grid), 'Markdown table');
    else copy(diffToLatex(grid), 'LaTeX table');
  };

  return (
    <section className="diff-table" data-testid="run-diff-table">
      <div className="diff-toolbar">
        <div className="button-group" role="group" aria-label="Sections">
          {diffSections.map((section) => (
            <button key={section} type="button" className="button" aria-pressed={sections.has(section)} onClick={() => toggleSection(section)} data-testid={`diff-section-${section}`}>
              {sectionLabels[section]}
            </button>
          ))}
        </div>
        <label className="diff-check">
          <input type="checkbox" checked={onlyDifferences} onChange={(event) => setOnlyDifferences(event.target.checked)} data-testid="diff-only-differences" />
          <span>Only differences</span>
        </label>
        <label className="diff-check">
          <input type="checkbox" checked={showSystemTags} disabled={!sections.has('tags')} onChange={(event) => setShowSystemTags(event.target.checked)} data-testid="diff-system-tags" />
          <span>System tags</span>
        </label>
        <label className="diff-baseline">
          <span className="muted">Baseline</span>
          <select className="select" value={runs[baselineIndex]?.id} onChange={(event) => setBaselineId(event.target.value)} data-testid="diff-baseline">
            {runs.map((run) => <option key={run.id} value={run.id}>{runLabel(run)}</option>)}
          </select>
        </label>
        <button type="button" className="button" aria-pressed={transpose} onClick={() => setTranspose(!transpose)} data-testid="diff-transpose">
          Transpose
        </button>
        <span className="spacer" />
        <div className="button-group">
          <button type="button" className="button" onClick={() => exportAs('csv')} disabled={rows.length === 0} data-testid="diff-export-csv">Download CSV</button>
          <button type="button" className="button" onClick={() => exportAs('markdown')} disabled={rows.length === 0} data-testid="diff-copy-markdown">Copy Markdown</button>
          <button type="button" className="button" onClick={() => exportAs('latex')} disabled={rows.length === 0} data-testid="diff-copy-latex">Copy LaTeX</button>
        </div>
      </div>
      <DiffSummary all={allRows} shown={rows} onlyDifferences={onlyDifferences} onShowAll={() => setOnlyDifferences(false)} />
      {rows.length > 0 ? <DiffGrid rows={rows} runs={runs} baselineIndex={baselineIndex} transpose={transpose} /> : null}
    </section>
  );
}

function DiffSummary({ all, shown, onlyDifferences, onShowAll }: { all: readonly DiffRow[]; shown: readonly DiffRow[]; onlyDifferences: boolean; onShowAll: () => void }): ReactElement {
  if (all.length === 0) return <div className="muted diff-summary" data-testid="diff-summary">The chosen sections have nothing recorded for these runs.</div>;
  if (shown.length === 0 && onlyDifferences) {
    return (
      <div className="muted diff-summary" data-testid="diff-summary">
        All {all.length} rows are equal across these runs.{' '}
        <button type="button" className="button" onClick={onShowAll}>Show them</button>
      </div>
    );
  }
  const hidden = all.length - shown.length;
  return (
    <div className="muted diff-summary" data-testid="diff-summary">
      {shown.length} {shown.length === 1 ? 'row' : 'rows'}{hidden > 0 ? ` differ; ${hidden} equal hidden` : ''}
    </div>
  );
}
