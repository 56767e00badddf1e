import { useMemo, useState, type CSSProperties, type ReactElement, type ReactNode } from 'react';
import type { DagRun, PipelineSummary, TaskInstance } from '../../../shared/pipelines';
import { formatDuration, formatTimestamp } from '../../lib/format';
import { downstreamOf } from '../../lib/dag-layout';
import { dagRunIdHref, runHref } from '../../lib/hash-route';
import { outputLink } from '../../lib/pipeline-outputs';
import { isTaskUnfinished, spanMs, stateLabel, taskDurationMs, taskStateColors, tryLabel } from '../../lib/pipeline-states';
import { useNow } from '../../lib/use-now';
import { CancelTaskDialog, ClearTaskDialog, MarkTaskDialog } from './pipeline-dialogs';
import { StateChip } from './state-chip';
import { TaskLog } from './task-log';

type Action = 'clear' | 'success' | 'failed' | 'cancel';

/**
 * One task instance: state, tries, timing, the next retry, why it failed, what it produced (as
 * links), Clear / Mark success / Mark failed, and the log of the try picked (the newest unless
 * another is), followed live while it runs.
 */
export function TaskPanel({ run, task, steps }: { run: DagRun; task: TaskInstance; steps: PipelineSummary['steps'] }): ReactElement {
  const [picked, setPicked] = useState<number | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const now = useNow(isTaskUnfinished(task.state));
  const downstream = useMemo(() => downstreamOf(steps, task.taskId), [steps, task.taskId]);
  const upstream = steps.find((step) => step.id === task.taskId)?.dependsOn ?? [];
  const shownTry = picked !== null && task.attempts.some((attempt) => attempt.tryNumber === picked) ? picked : task.tryNumber;
  const attempt = task.attempts.find((entry) => entry.tryNumber === shownTry) ?? null;
  const duration = taskDurationMs(task, now || Date.now());
  const cachedHref = task.cachedFrom ? dagRunIdHref(task.cachedFrom, task.taskId) : null;
  const outputs = Object.entries(task.outputs);
  const close = (): void => setAction(null);

  return (
    <section className="task-panel" data-testid="task-panel" data-task={task.taskId} data-state={task.state}>
      <div className="task-head">
        <h2 className="task-title mono" data-testid="task-title">{task.taskId}</h2>
        <span className="format-badge">{task.kind}</span>
        <StateChip state={task.state} testId="task-state" />
        {task.tryNumber > 0 ? <span className="numeric muted" data-testid="task-try">{tryLabel(task)}</span> : null}
        <span className="task-actions">
          {task.state === 'running' || task.state === 'up_for_retry' ? (
            <button type="button" className="button compact danger" onClick={() => setAction('cancel')} data-testid="task-cancel" title="Stop this task: it fails without retrying">Cancel task…</button>
          ) : null}
          <button type="button" className="button compact" onClick={() => setAction('clear')} data-testid="task-clear" title="Run this task (and what follows it) again">Clear…</button>
          <button type="button" className="button compact" onClick={() => setAction('success')} disabled={task.state === 'running' || task.state === 'success'} data-testid="task-mark-success">Mark success…</button>
          <button type="button" className="button compact" onClick={() => setAction('failed')} disabled={task.state === 'running' || task.state === 'failed'} data-testid="task-mark-failed">Mark failed…</button>
        </span>
      </div>
      <dl className="page-facts task-facts">
        <Fact label="Started"><span className="numeric">{formatTimestamp(task.startedAt)}</span></Fact>
        <Fact label="Ended"><span className="numeric">{formatTimestamp(task.endedAt)}</span></Fact>
        <Fact label="Duration"><span className="numeric" data-testid="task-duration">{formatDuration(duration)}</span></Fact>
        <Fact label="Tries"><span className="numeric">{task.attempts.length} of {task.maxTries}</span></Fact>
        {task.state === 'up_for_retry' && task.nextRetryAt !== null ? (
          <Fact label="Next try">
            <span className="numeric" data-testid="task-next-retry">
              {formatTimestamp(task.nextRetryAt)} <span className="faint">(in {formatDuration(Math.max(0, task.nextRetryAt - (now || Date.now())))})</span>
            </span>
          </Fact>
        ) : null}
        {task.cachedFrom ? (
          <Fact label="Cached from">
            {cachedHref ? <a className="mono" href={cachedHref} data-testid="task-cached-from">{task.cachedFrom}</a> : <code>{task.cachedFrom}</code>}
          </Fact>
        ) : null}
      </dl>
      {task.message ? <div className={`task-message${task.state === 'failed' || task.state === 'up_for_retry' ? ' error' : ''}`} data-testid="task-message">{task.message}</div> : null}
      {outputs.length > 0 ? (
        <div className="task-outputs" data-testid="task-outputs">
          <span className="field-label">Outputs</span>
          {outputs.map(([key, value]) => {
            const link = outputLink(key, value);
            return (
              <span key={key} className="task-output" data-testid="task-output" data-key={key}>
                <span className="faint">{key}</span>
                {link ? <a className="mono" href={link.href} data-kind={link.kind}>{value}</a> : <code>{value}</code>}
              </span>
            );
          })}
        </div>
      ) : null}
      {task.attempts.length === 0 ? (
        <p className="faint task-waiting" data-testid="task-not-started">
          {isTaskUnfinished(task.state) ? `Not started yet${upstream.length > 0 ? `: it runs once ${upstream.join(', ')} ${upstream.length === 1 ? 'has' : 'have'} succeeded` : ''}.` : `It never ran (${stateLabel(task.state)}), so there is no log.`}
        </p>
      ) : (
        <>
          <div className="attempt-tabs" role="tablist" aria-label="Tries" data-testid="attempt-tabs">
            {task.attempts.map((entry) => (
              <button
                key={entry.tryNumber}
                type="button"
                role="tab"
                aria-selected={entry.tryNumber === shownTry}
                className="attempt-tab"
                onClick={() => setPicked(entry.tryNumber === task.tryNumber ? null : entry.tryNumber)}
                style={{ '--state-color': taskStateColors[entry.state] } as CSSProperties}
                title={`${stateLabel(entry.state)} · ${formatDuration(spanMs(entry.startedAt, entry.endedAt, now || Date.now()))}${entry.message ? ` · ${entry.message}` : ''}`}
                data-testid="attempt-tab"
                data-try={entry.tryNumber}
                data-state={entry.state}
              >
                <span className="state-dot" aria-hidden="true" />
                try {entry.tryNumber}
              </button>
            ))}
            {attempt?.runId ? (
              <a className="attempt-run" href={runHref(attempt.runId)} data-testid="attempt-run">tracking run of try {attempt.tryNumber}</a>
            ) : null}
            {attempt?.message && attempt.tryNumber !== task.tryNumber ? <span className="inline-error attempt-message">{attempt.message}</span> : null}
          </div>
          <TaskLog key={`${task.taskId}#${shownTry}`} dagRun={run.id} taskId={task.taskId} tryNumber={shownTry} running={attempt?.state === 'running' || (attempt === null && task.state === 'running')} />
        </>
      )}
      {action === 'cancel' ? <CancelTaskDialog run={run} task={task} onClose={close} /> : null}
      {action === 'clear' ? <ClearTaskDialog run={run} task={task} downstream={downstream} onClose={close} /> : null}
      {action === 'success' || action === 'failed' ? <MarkTaskDialog run={run} task={task} state={action} onClose={close} /> : null}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div className="page-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
