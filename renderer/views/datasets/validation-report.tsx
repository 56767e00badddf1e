import type { ReactElement } from 'react';
import type { ExpectationResult, ValidationReport } from '../../../shared/expectations';
import { observedText, prescriptiveText } from '../../../shared/expectation-text';
import { CheckIcon, CloseIcon } from '../../components/icons';
import { formatTimestamp } from '../../lib/format';
import { formatPercent, groupResults, unexpectedCounts } from '../../lib/report-groups';

/**
 * A validation result laid out like Great Expectations' Data Docs: overall status and statistics,
 * then "Table-level expectations" and one section per column, each row Status | Expectation (the
 * prescriptive sentence) | Observed value (with the unexpected values and their counts).
 */
export function ValidationReportView({ report }: { report: ValidationReport }): ReactElement {
  const { statistics } = report.result;
  const sections = groupResults(report.result.results);
  return (
    <section className="report" data-testid="validation-report" data-success={report.success} data-report-id={report.id}>
      <header className="report-header">
        <span className="report-status" data-success={report.success} data-testid="report-status">
          {report.success ? <CheckIcon size={14} /> : <CloseIcon size={14} />}
          {report.success ? 'Succeeded' : 'Failed'}
        </span>
        <span className="report-suite mono" title="Expectation suite">{report.suiteName}</span>
        <span className="faint numeric">
          {report.dataset} v{report.version} · {formatTimestamp(report.createdAt)}
        </span>
      </header>
      <div className="report-stats" data-testid="report-statistics">
        <Statistic name="evaluated" label="Evaluated expectations" value={String(statistics.evaluated_expectations)} />
        <Statistic name="successful" label="Successful expectations" value={String(statistics.successful_expectations)} />
        <Statistic name="unsuccessful" label="Unsuccessful expectations" value={String(statistics.unsuccessful_expectations)} tone={statistics.unsuccessful_expectations > 0 ? 'bad' : undefined} />
        <Statistic name="percent" label="Success percent" value={formatPercent(statistics.success_percent)} />
      </div>
      {sections.map((section) => (
        <div key={section.column ?? '\u0000table'} className="report-section" data-testid="report-section" data-column={section.column ?? ''}>
          <h3 className="report-section-title">
            {section.column === null ? 'Table-level expectations' : <span className="mono">{section.column}</span>}
            {section.failed > 0 ? <span className="report-failed-count">{section.failed} failed</span> : null}
          </h3>
          <table className="report-table">
            <thead>
              <tr>
                <th className="report-status-cell">Status</th>
                <th>Expectation</th>
                <th>Observed value</th>
              </tr>
            </thead>
            <tbody>
              {section.results.map((result, index) => (
                <ResultRow key={index} result={result} />
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {sections.length === 0 ? <p className="faint">The suite has no expectations.</p> : null}
    </section>
  );
}

function Statistic({ name, label, value, tone }: { name: string; label: string; value: string; tone?: 'bad' }): ReactElement {
  return (
    <div className={`report-stat${tone ? ` ${tone}` : ''}`} data-testid="report-stat" data-stat={name}>
      <div className="report-stat-value numeric">{value}</div>
      <div className="report-stat-label">{label}</div>
    </div>
  );
}

function ResultRow({ result }: { result: ExpectationResult }): ReactElement {
  const raised = result.exception_info.raised_exception;
  const counts = unexpectedCounts(result);
  return (
    <tr data-testid="report-row" data-success={result.success} data-type={result.expectation_config.type}>
      <td className="report-status-cell">
        <span className="result-icon" data-success={result.success} data-raised={raised} aria-label={raised ? 'Error' : result.success ? 'Passed' : 'Failed'} title={raised ? 'Raised an error' : result.success ? 'Passed' : 'Failed'}>
          {raised ? '!' : result.success ? <CheckIcon size={12} /> : <CloseIcon size={12} />}
        </span>
      </td>
      <td>
        <div className="report-expectation">{prescriptiveText(result.expectation_config)}</div>
        <div className="report-type mono faint">{result.expectation_config.type}</div>
      </td>
      <td>
        <div className={`report-observed${raised ? ' inline-error' : ''}`} data-testid="report-observed">{observedText(result)}</div>
        {counts.length > 0 ? (
          <table className="unexpected-table" data-testid="unexpected-table">
            <thead>
              <tr>
                <th>Unexpected value</th>
                <th className="right">Count</th>
              </tr>
            </thead>
            <tbody>
              {counts.map((entry) => (
                <tr key={entry.value}>
                  <td className="mono">{entry.value}</td>
                  <td className="right numeric">{entry.count.toLocaleString('en-US')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </td>
    </tr>
  );
}
