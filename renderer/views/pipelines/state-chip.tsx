import type { CSSProperties, ReactElement } from 'react';
import type { DagRunState, TaskState } from '../../../shared/pipelines';
import { dagRunStateColors, stateLabel, taskStateColors } from '../../lib/pipeline-states';

/** A task or DAG-run state in Airflow's colour, the same chip on every pipeline view. */
export function StateChip({ state, run = false, testId = 'state-chip' }: { state: TaskState | DagRunState; run?: boolean; testId?: string }): ReactElement {
  const color = run ? dagRunStateColors[state as DagRunState] : taskStateColors[state as TaskState];
  return (
    <span className="state-chip" data-state={state} data-testid={testId} style={{ '--state-color': color } as CSSProperties} title={stateLabel(state)}>
      <span className="state-dot" aria-hidden="true" />
      {stateLabel(state)}
    </span>
  );
}

/** A coloured square, as the grid draws a task instance; for legends. */
export function StateSwatch({ state }: { state: TaskState }): ReactElement {
  return <span className="state-swatch" style={{ background: taskStateColors[state] }} aria-hidden="true" />;
}
