import type { ReactElement } from 'react';
import { hrefOfResult } from '../lib/hash-route';
import { etaMs, formatEta, formatProgress, formatRate, fractionOf } from '../lib/job-progress';
import { useJobsStore, visibleJobs, type TrackedJob } from '../stores/jobs';
import { CheckIcon, CloseIcon } from './icons';

const doneVerbs: Record<string, string> = { import: 'Imported', transform: 'Derived', validate: 'Validated', evaluate: 'Evaluated' };

/** How many jobs the status bar spells out; the rest are counted. */
const maxShown = 3;

/** Active jobs in the status bar: label, phase, a bar, rate and ETA, and a cancel button each. */
export function StatusJobs(): ReactElement | null {
  const entries = useJobsStore((state) => state.entries);
  const jobs = visibleJobs(entries);
  if (jobs.length === 0) return null;
  const hidden = jobs.slice(maxShown);
  return (
    <span className="status-jobs" data-testid="status-jobs">
      {jobs.slice(0, maxShown).map((entry) => (
        <JobItem key={entry.job.id} entry={entry} />
      ))}
      {hidden.length > 0 ? (
        <span className="status-item faint" title={hidden.map((entry) => entry.job.label).join('\n')}>
          +{hidden.length} more
        </span>
      ) : null}
    </span>
  );
}

function JobItem({ entry }: { entry: TrackedJob }): ReactElement {
  const { job, rate } = entry;
  const cancel = useJobsStore((state) => state.cancel);
  const dismiss = useJobsStore((state) => state.dismiss);
  if (job.state !== 'running') {
    const href = hrefOfResult(job.result);
    const [, dataset, version] = /^dataset:(.+)@(\d+)$/.exec(job.result ?? '') ?? [];
    return (
      <span className="status-job done" data-testid="status-job" data-state={job.state} data-kind={job.kind} title={job.label}>
        <CheckIcon size={12} className="job-check" />
        <span className="job-label">{doneVerbs[job.kind] ?? 'Done'}</span>
        {href ? (
          <a className="job-link" href={href} onClick={() => dismiss(job.id)} data-testid="status-job-link">
            {dataset} v{version}
          </a>
        ) : null}
      </span>
    );
  }
  const fraction = fractionOf(job.done, job.total);
  const eta = formatEta(etaMs(job.done, job.total, rate));
  const speed = formatRate(rate, job.unit);
  const detail = [formatProgress(job.done, job.total, job.unit), speed, eta].filter(Boolean).join(' · ');
  return (
    <span className="status-job" data-testid="status-job" data-state={job.state} data-kind={job.kind} title={`${job.label} — ${job.phase}\n${detail}`}>
      <span className="job-label">{job.label}</span>
      <span className="job-phase faint">{job.phase}</span>
      <span
        className={`job-bar${fraction === null ? ' indeterminate' : ''}`}
        role="progressbar"
        aria-label={`${job.label} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
      >
        <span className="job-bar-fill" style={fraction === null ? undefined : { width: `${fraction * 100}%` }} />
      </span>
      {speed ? <span className="job-rate numeric" data-testid="status-job-rate">{speed}</span> : null}
      {eta ? <span className="job-eta numeric faint">{eta}</span> : null}
      <button type="button" className="icon-button job-cancel" onClick={() => void cancel(job.id)} aria-label={`Cancel ${job.label}`} title="Cancel" data-testid="status-job-cancel">
        <CloseIcon size={11} />
      </button>
    </span>
  );
}
