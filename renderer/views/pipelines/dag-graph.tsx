import { useMemo, type CSSProperties, type ReactElement } from 'react';
import type { DagRun, PipelineSummary, TaskInstance } from '../../../shared/pipelines';
import { dagNodeHeight, dagNodeWidth, layoutDag, type DagNode } from '../../lib/dag-layout';
import { formatDuration } from '../../lib/format';
import { isDagRunActive, stateLabel, taskDurationMs, taskStateColors, tryLabel } from '../../lib/pipeline-states';
import { useNow } from '../../lib/use-now';
import './dag-graph.css';

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The pipeline's DAG, left to right, drawn with dag-layout; with a DAG run, each step shows its
 * task instance's state in Airflow's colour, how long it ran (live while it runs) and its try.
 * A click (or Enter) on a step opens that task instance.
 */
export function DagGraph({ steps, run, selected = null, onOpen }: {
  steps: PipelineSummary['steps'];
  run: DagRun | null;
  selected?: string | null;
  onOpen?: (taskId: string) => void;
}): ReactElement {
  const layout = useMemo(() => layoutDag(steps), [steps]);
  const now = useNow(run !== null && isDagRunActive(run));
  const tasks = useMemo(() => new Map((run?.tasks ?? []).map((task) => [task.taskId, task])), [run]);
  const kinds = useMemo(() => new Map(steps.map((step) => [step.id, step.kind])), [steps]);
  const near = (from: string, to: string): boolean => selected !== null && (from === selected || to === selected);
  return (
    <div className="dag-canvas" data-testid="dag-graph" data-run={run?.id ?? ''}>
      <svg width={layout.width} height={layout.height} role="img" aria-label={run ? `Graph of ${run.id}` : 'Pipeline graph'}>
        <defs>
          <marker id="dag-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L8,4 L0,8 z" className="dag-arrowhead" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <path key={`${edge.from}>${edge.to}`} d={edge.path} className={`dag-edge${near(edge.from, edge.to) ? ' near' : ''}`} markerEnd="url(#dag-arrow)" data-testid="dag-edge" />
        ))}
        {layout.nodes.map((node) => (
          <DagStepNode key={node.id} node={node} kind={kinds.get(node.id) ?? ''} task={tasks.get(node.id) ?? null} now={now} selected={node.id === selected} onOpen={onOpen} />
        ))}
      </svg>
    </div>
  );
}

function DagStepNode({ node, kind, task, now, selected, onOpen }: { node: DagNode; kind: string; task: TaskInstance | null; now: number; selected: boolean; onOpen: ((taskId: string) => void) | undefined }): ReactElement {
  const duration = task ? taskDurationMs(task, now || Date.now()) : null;
  const facts = task ? [stateLabel(task.state), duration !== null ? formatDuration(duration) : null, task.tryNumber > 0 ? tryLabel(task) : null].filter(Boolean).join(' · ') : '';
  const color = task ? taskStateColors[task.state] : undefined;
  const open = onOpen && task ? (): void => onOpen(node.id) : undefined;
  const title = task ? `${node.id} (${kind})\n${facts}${task.message ? `\n${task.message}` : ''}${task.cachedFrom ? `\ncached from ${task.cachedFrom}` : ''}` : `${node.id} (${kind})`;
  return (
    <g
      className={`dag-node${selected ? ' selected' : ''}${open ? ' openable' : ''}`}
      transform={`translate(${node.x},${node.y})`}
      style={color ? ({ '--state-color': color } as CSSProperties) : undefined}
      onClick={open}
      onKeyDown={open ? (event) => (event.key === 'Enter' || event.key === ' ') && (event.preventDefault(), open()) : undefined}
      tabIndex={open ? 0 : undefined}
      role={open ? 'link' : undefined}
      aria-label={`${node.id}, ${kind}${facts ? `, ${facts}` : ''}`}
      data-testid="dag-node"
      data-task={node.id}
      data-state={task?.state ?? ''}
      data-try={task?.tryNumber ?? 0}
    >
      <title>{title}</title>
      <rect width={dagNodeWidth} height={dagNodeHeight} rx={6} className={`dag-box${task ? ' stated' : ''}`} />
      <rect width={5} height={dagNodeHeight} rx={2} className="dag-stripe" />
      <text x={14} y={19} className="dag-title">{clip(node.id, 22)}</text>
      <text x={dagNodeWidth - 10} y={19} className="dag-kind" textAnchor="end">{kind}</text>
      <text x={14} y={39} className="dag-facts" data-testid="dag-node-facts">{clip(facts || 'not run', 30)}</text>
      {task?.cachedFrom ? <text x={14} y={52} className="dag-note">cached</text> : null}
    </g>
  );
}
