import { lazy, Suspense, useEffect, useMemo, useState, type ComponentType, type ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Run } from '../../../shared/tracking';
import { EmptyState } from '../../components/empty-state';
import { BackIcon } from '../../components/icons';
import { defaultMetrics, metricKeysOf, xAxisModes, type XAxisMode } from '../../lib/compare-series';
import { colorsByKey, groupRuns, parentRunKey, runKeyOptions } from '../../lib/run-groups';
import { compareHref, runsHref, type CompareRoute } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { useRunDetailsStore } from '../../stores/run-details';
import { useSelectionStore } from '../../stores/selection';
import { isTyping } from '../runs/use-table-keyboard';
import { CompareChart } from './compare-chart';
import { ReportButton, settledCharts } from './report-button';
import { ComparedRunsList, useParentNames } from './compared-runs-list';
import { GroupingControls, GroupLegend } from './grouping-controls';
import { RelationsTab } from './relations-tab';
import '../run-page/metric-chart.css';
import './compare.css';

const axisLabels: Record<XAxisMode, string> = { step: 'Step', wall: 'Wall time', relative: 'Relative' };

// DIFF SLOT: the diff table is built in parallel (renderer/views/compare/diff-table.tsx). It is
// picked up here when that file exists, so neither side has to wait for the other.
type DiffProps = { runIds: readonly string[]; runs: readonly Run[] };
const diffModules = import.meta.glob<{ RunDiffTable?: ComponentType<DiffProps> }>('./diff-table.tsx');
const loadDiff = diffModules['./diff-table.tsx'];
const DiffNotExported: ComponentType<DiffProps> = () => <p className="faint">The diff table is not exported yet.</p>;
const RunDiffTable = loadDiff
  ? lazy(async (): Promise<{ default: ComponentType<DiffProps> }> => {
      const module = await loadDiff();
      return { default: module.RunDiffTable ?? DiffNotExported };
    })
  : null;

/**
 * The selected runs side by side: one overlaid chart per picked metric, every run in its stable
 * colour. The link (`#/compare?runs=…`) restores the selection, so a comparison can be shared.
 */
export function ComparePage({ route }: { route: CompareRoute }): ReactElement {
  const selected = useSelectionStore((state) => state.ids);
  const routeKey = route.runIds.join(',');
  // Opening a link makes its runs the selection; a bare `#/compare` shows the selection as it is.
  useEffect(() => {
    if (route.runIds.length > 0 && route.runIds.join(',') !== useSelectionStore.getState().ids.join(',')) useSelectionStore.getState().replace(route.runIds);
    // routeKey stands for route.runIds.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [routeKey]);
  const ids = route.runIds.length > 0 ? route.runIds : selected;

  const details = useRunDetailsStore(useShallow((state) => ids.map((id) => state.details[id])));
  const loadMany = useRunDetailsStore((state) => state.loadMany);
  useEffect(() => {
    void loadMany(ids);
  }, [ids, loadMany]);
  const runs = useMemo(() => details.flatMap((detail) => (detail?.run ? [detail.run] : [])), [details]);
  const missing = details.filter((detail) => detail?.error).length;

  const [tab, setTab] = useState<'charts' | 'diff' | 'relations'>('charts');
  const [picked, setPicked] = useState<readonly string[] | null>(null);
  const [axis, setAxis] = useState<XAxisMode>('step');
  const [log, setLog] = useState(false);
  const [smoothing, setSmoothing] = useState(0);
  const keys = useMemo(() => metricKeysOf(runs), [runs]);
  const metrics = picked ?? defaultMetrics(runs);

  const grouping = useSelectionStore((state) => state.grouping);
  const keyOptions = useMemo(() => runKeyOptions(runs), [runs]);
  // A stored key the runs do not have (another comparison's) is ignored, not applied as "(none)".
  const groupBy = grouping.groupBy !== null && keyOptions.some((option) => option.key === grouping.groupBy) ? grouping.groupBy : null;
  const colorBy = grouping.colorBy !== null && keyOptions.some((option) => option.key === grouping.colorBy) ? grouping.colorBy : null;
  const parentNames = useParentNames(runs, groupBy === parentRunKey);
  const groups = useMemo(() => (groupBy === null ? null : groupRuns(runs, groupBy, parentNames)), [runs, groupBy, parentNames]);
  const colors = useMemo(() => (colorBy === null ? null : colorsByKey(runs, colorBy)), [runs, colorBy]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented || isTyping(event.target)) return;
      navigate(runsHref);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const removeRun = (runId: string): void => {
    const rest = ids.filter((id) => id !== runId);
    useSelectionStore.getState().replace(rest);
    navigate(compareHref(rest));
  };
  const toggleMetric = (key: string): void => setPicked(metrics.includes(key) ? metrics.filter((metric) => metric !== key) : [...metrics, key]);

  if (ids.length === 0) {
    return (
      <div className="page compare-page" data-testid="compare-page">
        <EmptyState title="No runs selected" testId="compare-empty">
          <p>Tick runs in the <a href={runsHref}>runs table</a> (shift-click for a range, <span className="kbd">x</span> for the focused run, alt-click for a run with all its descendants), then press Compare.</p>
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="page compare-page" data-testid="compare-page">
      <header className="page-header">
        <div className="page-header-top">
          <a className="icon-button back-button" href={runsHref} title="Back to runs (Esc)" aria-label="Back to runs">
            <BackIcon size={16} />
          </a>
          <h1 className="page-title">Compare {ids.length} runs</h1>
          {missing > 0 ? <span className="inline-error">{missing} could not be loaded</span> : null}
          <ReportButton runs={runs} colors={colors} getCharts={async () => { setTab('charts'); return await settledCharts(document); }} />
        </div>
        <ComparedRunsList ids={ids} runs={runs} colors={colors} onRemove={removeRun} />
      </header>
      <nav className="page-tabs" role="tablist" aria-label="Comparison views">
        <button type="button" role="tab" className="page-tab" aria-selected={tab === 'charts'} onClick={() => setTab('charts')} data-testid="compare-tab-charts">Charts</button>
        <button type="button" role="tab" className="page-tab" aria-selected={tab === 'diff'} onClick={() => setTab('diff')} data-testid="compare-tab-diff">Diff</button>
        <button type="button" role="tab" className="page-tab" aria-selected={tab === 'relations'} onClick={() => setTab('relations')} data-testid="compare-tab-relations">Relations</button>
      </nav>
      <div className="page-tab-body">
        {tab === 'relations' ? (
          <RelationsTab runs={runs} colors={colors} />
        ) : tab === 'diff' ? (
          RunDiffTable ? (
            <Suspense fallback={<EmptyState title="Loading the diff…" />}>
              <RunDiffTable runIds={ids} runs={runs} />
            </Suspense>
          ) : (
            <EmptyState title="Diff table coming" testId="compare-diff-placeholder">
              <p>Params, metrics and tags side by side will appear here.</p>
            </EmptyState>
          )
        ) : (
          <>
            <div className="compare-controls">
              <div className="button-group" role="group" aria-label="x-axis">
                {xAxisModes.map((mode) => (
                  <button key={mode} type="button" className="button" aria-pressed={axis === mode} onClick={() => setAxis(mode)} data-testid={`x-axis-${mode}`}>
                    {axisLabels[mode]}
                  </button>
                ))}
              </div>
              <button type="button" className="button" aria-pressed={log} onClick={() => setLog(!log)} data-testid="log-scale">Log scale</button>
              <label className="compare-smoothing">
                Smoothing
                <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(event) => setSmoothing(Number(event.target.value))} data-testid="smoothing" />
                <span className="numeric">{smoothing.toFixed(2)}</span>
              </label>
            </div>
            <GroupingControls options={keyOptions} grouping={grouping} groupBy={groupBy} colorBy={colorBy} />
            <GroupLegend groups={groups} runs={runs} colorBy={colorBy} colors={colors} />
            <div className="compare-metrics" role="group" aria-label="Metrics">
              {keys.map((key) => (
                <button key={key} type="button" className="metric-option mono" aria-pressed={metrics.includes(key)} onClick={() => toggleMetric(key)} data-testid="metric-option" data-metric-key={key}>
                  {key}
                </button>
              ))}
            </div>
            {runs.length === 0 ? <EmptyState title="Loading runs…" /> : null}
            <div className="compare-grid">
              {metrics.map((key) => (
                <CompareChart key={`${key}:${axis}`} metricKey={key} runs={runs} axis={axis} log={log} smoothing={smoothing} groups={groups} band={grouping.band} showRuns={grouping.showRuns} colors={colors} />
              ))}
            </div>
          </>
        )}
      </div>
    </div>
  );
}
