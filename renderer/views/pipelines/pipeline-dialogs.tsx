import { useState, type ReactElement, type ReactNode } from 'react';
import type { DagRun, TaskInstance } from '../../../shared/pipelines';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { dagRunHref } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { usePipelinesStore } from '../../stores/pipelines';

/**
 * The confirmations before a write to a DAG run: Cancel run, Re-run exactly, Clear (with or
 * without downstream), Mark success / failed. Each shows what will happen, runs the write, puts
 * the answer on screen at once (events follow), and says inline when it failed.
 */
function ConfirmWrite({ title, children, label, busyLabel, danger = false, write, onClose, testId }: {
  title: string; children: ReactNode; label: string; busyLabel: string; danger?: boolean; write: () => Promise<void>; onClose: () => void; testId: string;
}): ReactElement {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await write();
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      testId={`${testId}-dialog`}
      footer={
        <>
          {error ? <span className="inline-error spacer" role="alert" data-testid={`${testId}-error`}>{error}</span> : <span className="spacer" />}
          <button type="button" className="button" onClick={onClose}>Keep it</button>
          <button type="button" className={`button primary${danger ? ' danger' : ''}`} onClick={() => void confirm()} disabled={busy} data-testid={`${testId}-confirm`} autoFocus>
            {busy ? busyLabel : label}
          </button>
        </>
      }
    >
      <div className="dialog-text">{children}</div>
    </Dialog>
  );
}

const store = (): ReturnType<typeof usePipelinesStore.getState> => usePipelinesStore.getState();

export function CancelRunDialog({ run, onClose }: { run: DagRun; onClose: () => void }): ReactElement {
  const running = run.tasks.filter((task) => task.state === 'running').map((task) => task.taskId);
  return (
    <ConfirmWrite
      title={`Cancel ${run.runId}?`}
      label="Cancel run"
      busyLabel="Cancelling…"
      danger
      testId="cancel-run"
      onClose={onClose}
      write={async () => {
        await getApi()['pipelines.cancel']({ id: run.id });
        await store().loadDagRun(run.id);
      }}
    >
      <p>
        {running.length > 0 ? `${running.join(', ')} ${running.length === 1 ? 'is' : 'are'} stopped and fail${running.length === 1 ? 's' : ''} without retrying; ` : ''}
        tasks that have not started are skipped, and the run ends failed. Its finished tasks and logs stay.
      </p>
    </ConfirmWrite>
  );
}

export function RerunDialog({ run, onClose }: { run: DagRun; onClose: () => void }): ReactElement {
  return (
    <ConfirmWrite
      title={`Re-run ${run.runId} exactly?`}
      label="Re-run"
      busyLabel="Starting…"
      testId="rerun"
      onClose={onClose}
      write={async () => {
        const created = await getApi()['pipelines.rerun']({ id: run.id });
        store().applyRun(created);
        navigate(dagRunHref(created.pipeline, created.runId));
      }}
    >
      <p>
        A new run of the spec this one ran, with its params{run.inputs.length > 0 ? ` and the dataset versions it read (${run.inputs.join(', ')})` : ''}, linked to it. Every step runs again: the cache is
        not used, since reproducing means recomputing.
      </p>
    </ConfirmWrite>
  );
}

/** Clear: the task (and, ticked by default, everything downstream of it) goes back to no status and runs again; earlier tries stay as history. */
export function ClearTaskDialog({ run, task, downstream: below, onClose }: { run: DagRun; task: TaskInstance; downstream: readonly string[]; onClose: () => void }): ReactElement {
  const [downstream, setDownstream] = useState(true);
  return (
    <ConfirmWrite
      title={`Clear ${task.taskId}?`}
      label={downstream && below.length > 0 ? `Clear ${below.length + 1} tasks` : 'Clear task'}
      busyLabel="Clearing…"
      testId="clear-task"
      onClose={onClose}
      write={async () => store().applyRun(await getApi()['pipelines.clear']({ id: run.id, taskId: task.taskId, downstream }))}
    >
      <p>
        {task.taskId} goes back to <em>no status</em> and runs again{task.state === 'running' ? ' (its running attempt is stopped first)' : ''}, with its retries afresh. Its tries so far stay, with their logs.
      </p>
      {below.length > 0 ? (
        <label className="check clear-downstream">
          <input type="checkbox" checked={downstream} onChange={(event) => setDownstream(event.target.checked)} data-testid="clear-downstream" />
          <span>
            Also clear downstream
            <span className="field-hint"> — {below.join(', ')}</span>
          </span>
        </label>
      ) : null}
    </ConfirmWrite>
  );
}

export function CancelTaskDialog({ run, task, onClose }: { run: DagRun; task: TaskInstance; onClose: () => void }): ReactElement {
  return (
    <ConfirmWrite
      title={`Cancel ${task.taskId}?`}
      label="Cancel task"
      busyLabel="Cancelling…"
      danger
      testId="cancel-task"
      onClose={onClose}
      write={async () => store().applyRun(await getApi()['pipelines.cancelTask']({ id: run.id, taskId: task.taskId }))}
    >
      <p>{task.taskId} stops{task.state === 'running' ? ' (its process is killed)' : ''} and fails without retrying; the tasks after it follow their trigger rules. Clear it to run it again.</p>
    </ConfirmWrite>
  );
}

export function MarkTaskDialog({ run, task, state, onClose }: { run: DagRun; task: TaskInstance; state: 'success' | 'failed'; onClose: () => void }): ReactElement {
  return (
    <ConfirmWrite
      title={`Mark ${task.taskId} ${state}?`}
      label={`Mark ${state}`}
      busyLabel="Marking…"
      danger={state === 'failed'}
      testId={`mark-${state}`}
      onClose={onClose}
      write={async () => store().applyRun(await getApi()['pipelines.mark']({ id: run.id, taskId: task.taskId, state }))}
    >
      <p>
        {state === 'success'
          ? `${task.taskId} counts as succeeded without running: the tasks after it can run. It keeps no outputs, so steps that read them will fail.`
          : `${task.taskId} counts as failed: the tasks that need it become upstream failed, and the run fails.`}
      </p>
    </ConfirmWrite>
  );
}
