import { useMemo, useState, type ReactElement } from 'react';
import type { ModelVersion, RegisteredModel } from '../../../shared/registry';
import type { Run } from '../../../shared/tracking';
import { compareMetrics, formatDelta } from '../../lib/compare-metrics';
import { defaultCurveClass, prSeries, rocSeries, scatterPoints, type EvaluationReport } from '../../lib/evaluation-data';
import { formatMetric, formatTimestamp } from '../../lib/format';
import { modelCompareHref, modelHref, runHref } from '../../lib/hash-route';
import { seriesPalette } from '../../lib/series-color';
import { navigate } from '../../lib/use-route';
import { ConfusionMatrix, NormalizeToggle } from '../evaluation/confusion-matrix';
import { CurveChart } from '../evaluation/curve-chart';
import { useEvaluationRun } from '../evaluation/evaluation-panel';
import { classColor } from '../evaluation/evaluation-view';
import { ScatterPlot } from '../evaluation/scatter-plot';
import { EvaluateDialog } from './evaluate-dialog';
import { AliasChip, StageBadge } from './registry-badges';
import { useVersionEvaluation } from './version-evaluation';
import '../evaluation/evaluation.css';
import '../run-page/metric-chart.css';

/** The first version's colour, the second's (drawn dashed). */
const sideColors = [seriesPalette[0], seriesPalette[1]] as const;
const everyClass = '*';

interface Side {
  readonly version: ModelVersion;
  readonly run: Run | null;
  readonly report: EvaluationReport | null;
  readonly runId: string | null;
}

function useSide(version: ModelVersion): Side {
  const runId = useVersionEvaluation(version);
  const { run, entry } = useEvaluationRun(runId);
  return { version, run, report: entry?.report ?? null, runId };
}

/**
 * Two versions side by side, by their last evaluations: the metrics with deltas (the better value
 * marked), both confusion matrices, and ROC / precision–recall overlaid (first version solid,
 * second dashed). A version not evaluated yet offers Evaluate….
 */
export function CompareView({ model, versions, a, b }: { model: RegisteredModel; versions: readonly ModelVersion[]; a: number; b: number }): ReactElement {
  const first = versions.find((version) => version.version === a);
  const second = versions.find((version) => version.version === b);
  if (!first || !second) {
    const gone = [first ? null : a, second ? null : b].filter((entry) => entry !== null).map((entry) => `v${entry}`);
    return (
      <div className="compare-view" data-testid="compare-view">
        <p className="inline-error" data-testid="compare-missing">
          {model.name} has no {gone.join(' or ')} (deleted, or never registered). <a href={modelHref(model.name)}>Back to the versions</a>
        </p>
      </div>
    );
  }
  return <CompareSides model={model} versions={versions} first={first} second={second} />;
}

function CompareSides({ model, versions, first, second }: { model: RegisteredModel; versions: readonly ModelVersion[]; first: ModelVersion; second: ModelVersion }): ReactElement {
  const left = useSide(first);
  const right = useSide(second);
  const [evaluating, setEvaluating] = useState<ModelVersion | null>(null);
  const [normalized, setNormalized] = useState(false);
  const rows = useMemo(() => compareMetrics(left.report?.summary.metrics ?? null, right.report?.summary.metrics ?? null), [left.report, right.report]);
  const overall = rows.filter((row) => row.overall);
  const perClass = rows.filter((row) => !row.overall);
  const labels = useMemo(() => [`v${first.version}`, `v${second.version}`] as const, [first.version, second.version]);
  const sameData = !left.run || !right.run || left.run.params['dataset'] === right.run.params['dataset'];
  const pick = (side: 0 | 1, version: number): void => navigate(modelCompareHref(model.name, side === 0 ? version : first.version, side === 1 ? version : second.version));

  return (
    <div className="compare-view" data-testid="compare-view" data-a={first.version} data-b={second.version}>
      <div className="compare-header">
        <span className="field-label">Compare</span>
        <VersionSelect versions={versions} value={first.version} onChange={(version) => pick(0, version)} label="First version" testId="compare-a" />
        <span className="faint">with</span>
        <VersionSelect versions={versions} value={second.version} onChange={(version) => pick(1, version)} label="Second version" testId="compare-b" />
        <button type="button" className="button compact" onClick={() => navigate(modelCompareHref(model.name, second.version, first.version))} title="Swap the two versions" data-testid="compare-swap">
          Swap
        </button>
        <span className="spacer" />
        <a className="button compact" href={modelHref(model.name)} title="Back to the versions (Esc)">Versions</a>
      </div>
      <div className="compare-sides">
        <SideCard side={left} index={0} onEvaluate={() => setEvaluating(first)} />
        <SideCard side={right} index={1} onEvaluate={() => setEvaluating(second)} />
      </div>
      {!sameData ? (
        <p className="page-banner warning compare-banner" data-testid="compare-different-data">
          Evaluated on different data ({left.run?.params['dataset']} and {right.run?.params['dataset']}): the numbers are not measured on the same rows.
        </p>
      ) : null}
      {rows.length > 0 ? (
        <section>
          <h3 className="panel-heading">Metrics</h3>
          <MetricsTable rows={overall} labels={labels} testId="compare-metrics" />
          {perClass.length > 0 ? (
            <details className="compare-per-class">
              <summary className="field-hint">Per class ({perClass.length})</summary>
              <MetricsTable rows={perClass} labels={labels} testId="compare-class-metrics" />
            </details>
          ) : null}
        </section>
      ) : null}
      {left.report?.plots.confusion_matrix || right.report?.plots.confusion_matrix ? (
        <section>
          <div className="compare-section-heading">
            <h3 className="panel-heading">Confusion matrices</h3>
            <NormalizeToggle normalized={normalized} onChange={setNormalized} />
          </div>
          <div className="compare-pair">
            {[left, right].map((side, index) =>
              side.report?.plots.confusion_matrix ? (
                <ConfusionMatrix key={index} data={side.report.plots.confusion_matrix} normalized={normalized} title={labels[index]!} testId={`compare-confusion-${index === 0 ? 'a' : 'b'}`} />
              ) : (
                <div key={index} className="compare-placeholder faint">{labels[index]} has no confusion matrix.</div>
              ),
            )}
          </div>
        </section>
      ) : null}
      <Curves left={left.report} right={right.report} labels={labels} />
      {evaluating ? <EvaluateDialog version={evaluating} onClose={() => setEvaluating(null)} onStarted={() => setEvaluating(null)} /> : null}
    </div>
  );
}

function VersionSelect({ versions, value, onChange, label, testId }: { versions: readonly ModelVersion[]; value: number; onChange: (version: number) => void; label: string; testId: string }): ReactElement {
  return (
    <select className="select" value={value} onChange={(event) => onChange(Number(event.target.value))} aria-label={label} data-testid={testId}>
      {versions.map((version) => (
        <option key={version.version} value={version.version}>
          v{version.version}{version.aliases.length > 0 ? ` @${version.aliases.join(' @')}` : ''}{version.stage !== 'None' ? ` · ${version.stage}` : ''}
        </option>
      ))}
    </select>
  );
}

function SideCard({ side, index, onEvaluate }: { side: Side; index: 0 | 1; onEvaluate: () => void }): ReactElement {
  const { version, run, runId } = side;
  return (
    <div className="compare-side" data-testid={`compare-side-${index === 0 ? 'a' : 'b'}`} data-version={version.version}>
      <div className="compare-side-title">
        <span className={`eval-legend-line${index === 1 ? ' dashed' : ''}`} style={{ borderColor: sideColors[index] }} aria-hidden="true" />
        <strong>v{version.version}</strong>
        <StageBadge stage={version.stage} />
        {version.aliases.map((alias) => <AliasChip key={alias} alias={alias} />)}
      </div>
      {runId === null ? (
        <p className="compare-side-state" data-testid="compare-not-evaluated">
          <span className="faint">not evaluated yet — </span>
          <button type="button" className="button compact" onClick={onEvaluate} data-testid="compare-evaluate">Evaluate…</button>
        </p>
      ) : !run ? (
        <p className="compare-side-state faint">Loading its evaluation…</p>
      ) : run.status === 'RUNNING' ? (
        <p className="compare-side-state" data-testid="compare-running">
          <span className="spinner" aria-hidden="true" /> evaluating on {run.params['dataset']} · <a href={runHref(run.id, 'evaluation')}>open the run</a>
        </p>
      ) : (
        <p className="compare-side-state faint">
          {run.status === 'FAILED' ? <span className="inline-error">{side.report ? 'gate failed' : 'failed'} · </span> : null}
          on <span className="mono">{run.params['dataset'] ?? '—'}</span> · {formatTimestamp(run.startTime)} · <a href={runHref(run.id, 'evaluation')}>open</a> ·{' '}
          <button type="button" className="link-button" onClick={onEvaluate}>evaluate again…</button>
        </p>
      )}
    </div>
  );
}

function MetricsTable({ rows, labels, testId }: { rows: ReturnType<typeof compareMetrics>; labels: readonly [string, string]; testId: string }): ReactElement {
  return (
    <table className="data-table compare-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Metric</th>
          <th className="right">{labels[0]}</th>
          <th className="right">{labels[1]}</th>
          <th className="right" title={`${labels[1]} minus ${labels[0]}`}>Δ {labels[1]} − {labels[0]}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-testid="compare-row" data-metric={row.key} data-better={row.better ?? ''}>
            <td className="mono">{row.key}</td>
            <td className={`right numeric${row.better === 'a' ? ' compare-better' : ''}`}>{formatMetric(row.a)}</td>
            <td className={`right numeric${row.better === 'b' ? ' compare-better' : ''}`}>{formatMetric(row.b)}</td>
            <td className={`right numeric compare-delta${row.better === 'b' ? ' up' : row.better === 'a' ? ' down' : ''}`}>{formatDelta(row.delta, formatMetric)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** ROC and precision–recall of both versions on one chart each: one class (or every class) at a time. */
function Curves({ left, right, labels }: { left: EvaluationReport | null; right: EvaluationReport | null; labels: readonly [string, string] }): ReactElement | null {
  const classes = useMemo(() => [...new Set([...(left?.summary.classes ?? []), ...(right?.summary.classes ?? [])])], [left, right]);
  const [chosen, setChosen] = useState<string | null>(null);
  const curveClass = chosen ?? defaultCurveClass(classes) ?? everyClass;
  const series = useMemo(() => {
    const every = curveClass === everyClass;
    // One colour per version for one class; every class: a colour per class, dashes tell the versions apart.
    const colorOf = (index: 0 | 1): ((line: number) => string) => (every ? classColor : () => sideColors[index]);
    const options = (index: 0 | 1): { prefix: string; dashed: boolean; only?: string } => ({ prefix: labels[index], dashed: index === 1, ...(every ? {} : { only: curveClass }) });
    const sides = [left, right] as const;
    return {
      roc: sides.flatMap((report, index) => (report?.plots.roc ? rocSeries(report.plots.roc, colorOf(index as 0 | 1), options(index as 0 | 1)) : [])),
      pr: sides.flatMap((report, index) => (report?.plots.pr ? prSeries(report.plots.pr, colorOf(index as 0 | 1), options(index as 0 | 1)) : [])),
    };
  }, [left, right, labels, curveClass]);
  const scatter = useMemo(
    () =>
      [left, right].flatMap((report, index) =>
        report?.plots.predicted_vs_actual ? [{ id: labels[index]!, label: labels[index]!, color: sideColors[index as 0 | 1], points: scatterPoints(report.plots.predicted_vs_actual.actual, report.plots.predicted_vs_actual.predicted) }] : [],
      ),
    [left, right, labels],
  );
  const residuals = useMemo(
    () =>
      [left, right].flatMap((report, index) =>
        report?.plots.residuals ? [{ id: labels[index]!, label: labels[index]!, color: sideColors[index as 0 | 1], points: scatterPoints(report.plots.residuals.predicted, report.plots.residuals.residual) }] : [],
      ),
    [left, right, labels],
  );
  if (series.roc.length === 0 && series.pr.length === 0 && scatter.length === 0 && residuals.length === 0) return null;
  const picker =
    classes.length > 0 ? (
      <label className="compare-class-picker">
        <span className="field-hint">Class</span>
        <select className="select compact-select" value={curveClass} onChange={(event) => setChosen(event.target.value)} aria-label="Class" data-testid="compare-class">
          {classes.map((name) => (
            <option key={name} value={name}>{name}</option>
          ))}
          <option value={everyClass}>every class</option>
        </select>
      </label>
    ) : null;
  return (
    <section>
      <div className="compare-section-heading">
        <h3 className="panel-heading">Curves</h3>
        {series.roc.length > 0 || series.pr.length > 0 ? picker : null}
      </div>
      <div className="eval-plots">
        {series.roc.length > 0 ? <CurveChart title="ROC" kind="roc" series={series.roc} scoreLabel="AUC" xLabel="FPR" yLabel="TPR" testId="compare-roc" /> : null}
        {series.pr.length > 0 ? <CurveChart title="Precision–recall" kind="pr" series={series.pr} scoreLabel="AP" xLabel="recall" yLabel="precision" testId="compare-pr" /> : null}
        {scatter.length > 0 ? <ScatterPlot title="Predicted vs actual" xLabel="actual" yLabel="predicted" series={scatter} reference="diagonal" testId="compare-predicted-vs-actual" /> : null}
        {residuals.length > 0 ? <ScatterPlot title="Residuals" xLabel="predicted" yLabel="actual − predicted" series={residuals} reference="zero" testId="compare-residuals" /> : null}
      </div>
    </section>
  );
}
