import { useMemo, type ReactElement } from 'react';
import { prSeries, rocSeries, scatterPoints, type EvaluationReport } from '../../lib/evaluation-data';
import { seriesPalette } from '../../lib/series-color';
import { CalibrationChart } from './calibration-chart';
import { ConfusionMatrix } from './confusion-matrix';
import { CurveChart } from './curve-chart';
import { EvaluationMetrics } from './evaluation-metrics';
import { ScatterPlot } from './scatter-plot';
import '../run-page/metric-chart.css';
import './evaluation.css';

export const classColor = (index: number): string => seriesPalette[index % seriesPalette.length]!;

/**
 * An evaluation drawn from its data (eval/*.json, not the SVGs): the metrics, then the confusion
 * matrix, ROC, precision-recall and calibration of a classifier, or the residual and
 * predicted-against-actual scatters of a regressor, then the notes.
 */
export function EvaluationView({ report }: { report: EvaluationReport }): ReactElement {
  const { summary, plots, plotErrors } = report;
  const roc = useMemo(() => (plots.roc ? rocSeries(plots.roc, classColor) : null), [plots.roc]);
  const pr = useMemo(() => (plots.pr ? prSeries(plots.pr, classColor) : null), [plots.pr]);
  const residuals = useMemo(() => (plots.residuals ? [{ id: 'residuals', label: 'residuals', color: classColor(0), points: scatterPoints(plots.residuals.predicted, plots.residuals.residual) }] : null), [plots.residuals]);
  const versus = useMemo(
    () => (plots.predicted_vs_actual ? [{ id: 'versus', label: 'rows', color: classColor(0), points: scatterPoints(plots.predicted_vs_actual.actual, plots.predicted_vs_actual.predicted) }] : null),
    [plots.predicted_vs_actual],
  );
  const errors = Object.entries(plotErrors);
  return (
    <div className="evaluation-view" data-testid="evaluation-view" data-task={summary.task}>
      <EvaluationMetrics summary={summary} confusion={plots.confusion_matrix} />
      <div className="eval-plots">
        {plots.confusion_matrix ? <ConfusionMatrix data={plots.confusion_matrix} /> : null}
        {roc ? (
          <CurveChart
            title="ROC"
            kind="roc"
            series={roc}
            scoreLabel="AUC"
            xLabel="FPR"
            yLabel="TPR"
            testId="roc-chart"
            footnote={plots.roc && plots.roc.undefinedClasses.length > 0 ? `No curve for ${plots.roc.undefinedClasses.join(', ')}: the rows hold no example of it, or nothing else.` : null}
          />
        ) : null}
        {pr ? (
          <CurveChart
            title="Precision–recall"
            kind="pr"
            series={pr}
            scoreLabel="AP"
            xLabel="recall"
            yLabel="precision"
            testId="pr-chart"
            footnote={plots.pr ? `A model guessing at random has each class's precision equal to its share of the rows (${plots.pr.curves.map((curve) => `${curve.class} ${(curve.prevalence * 100).toFixed(0)}%`).join(', ')}).` : null}
          />
        ) : null}
        {plots.calibration ? <CalibrationChart data={plots.calibration} /> : null}
        {residuals ? <ScatterPlot title="Residuals" xLabel="predicted" yLabel="actual − predicted" series={residuals} reference="zero" testId="residuals-chart" /> : null}
        {versus ? <ScatterPlot title="Predicted vs actual" xLabel="actual" yLabel="predicted" series={versus} reference="diagonal" testId="predicted-vs-actual-chart" /> : null}
      </div>
      {errors.length > 0 ? (
        <ul className="eval-notes" data-testid="eval-plot-errors">
          {errors.map(([name, message]) => (
            <li key={name} className="inline-error">The {name.replaceAll('_', ' ')} plot could not be drawn: {message}</li>
          ))}
        </ul>
      ) : null}
      {summary.notes.length > 0 ? (
        <section className="eval-notes-section">
          <h3 className="panel-heading">Notes</h3>
          <ul className="eval-notes" data-testid="eval-notes">
            {summary.notes.map((note, index) => (
              <li key={index}>{note}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
