import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { DatasetVersion, Lineage } from '../../../shared/datasets';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { EmptyState } from '../../components/empty-state';
import { describeFitted, describeStep } from '../../lib/describe-step';
import { datasetHref, runHref } from '../../lib/hash-route';
import { layoutLineage, nodeHeight, nodeWidth, type PlacedNode } from '../../lib/lineage-layout';
import { navigate } from '../../lib/use-route';
import './lineage.css';

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Where this version came from and what was made from it: versions → derived versions → runs. */
export function LineagePanel({ version }: { version: DatasetVersion }): ReactElement {
  const [lineage, setLineage] = useState<Lineage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    getApi()['datasets.lineage']({ dataset: version.dataset, version: version.version }).then(
      (result) => current && (setLineage(result), setError(null)),
      (failure: unknown) => current && setError(describeError(failure)),
    );
    return () => {
      current = false;
    };
  }, [version.dataset, version.version, attempt]);
  const layout = useMemo(() => (lineage ? layoutLineage(lineage) : null), [lineage]);

  if (error) {
    return (
      <EmptyState title="The lineage could not be read" testId="lineage-error">
        <p>{error}</p>
        <button type="button" className="button" onClick={() => setAttempt(attempt + 1)}>Try again</button>
      </EmptyState>
    );
  }
  if (!layout) return <EmptyState title="Loading lineage…" testId="lineage-loading" />;
  const focusId = `v:${version.id}`;
  const alone = layout.nodes.length <= 1;
  return (
    <div className="lineage" data-testid="lineage-panel" data-nodes={layout.nodes.length}>
      <div className="lineage-legend faint">
        <span><span className="legend-swatch version" /> version</span>
        <span><span className="legend-swatch derived" /> derived by a transform or pipeline</span>
        <span><span className="legend-swatch run" /> run that read it</span>
        <span>Click a node to open it.</span>
      </div>
      <div className="lineage-canvas">
        <svg width={layout.width} height={layout.height} role="img" aria-label={`Lineage of ${version.dataset} v${version.version}`}>
          <defs>
            <marker id="lineage-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L8,4 L0,8 z" className="lineage-arrowhead" />
            </marker>
          </defs>
          {layout.edges.map((edge) => (
            <path key={`${edge.from}>${edge.to}`} d={edge.path} className={`lineage-edge${edge.from === focusId || edge.to === focusId ? ' near' : ''}`} markerEnd="url(#lineage-arrow)" />
          ))}
          {layout.nodes.map((node) => (
            <LineageNode key={node.id} node={node} focus={node.id === focusId} />
          ))}
        </svg>
      </div>
      {alone ? (
        <p className="faint lineage-note">
          Nothing derives from this version yet, and no run has read it. Use <strong>Transform…</strong> to derive a cleaned version, or train on it from a
          pipeline.
        </p>
      ) : null}
      <MadeBy version={version} />
    </div>
  );
}

/** A derived version's recipe: its parents, each step in order, and what fitting the steps learned. */
function MadeBy({ version }: { version: DatasetVersion }): ReactElement | null {
  if (!version.steps || version.steps.length === 0) return null;
  return (
    <section className="made-by" data-testid="made-by">
      <h2 className="panel-heading">
        How v{version.version} was made
        <span className="faint">
          {' '}· from {version.parents.map((parent) => `${parent.dataset} v${parent.version}`).join(', ') || 'nothing'}
          {version.createdBy.detail ? ` · ${version.createdBy.detail}` : ''}
        </span>
      </h2>
      <ol className="made-by-steps">
        {version.steps.map((step, index) => {
          const fitted = describeFitted(version.fitted?.[index] ?? null);
          return (
            <li key={index} data-testid="made-by-step">
              <span className="made-by-step mono">{describeStep(step)}</span>
              {fitted ? <span className="made-by-fitted numeric" title="Fitted on the parent version; kept so a trained model can apply the same preprocessing">fitted: {fitted}</span> : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function LineageNode({ node, focus }: { node: PlacedNode; focus: boolean }): ReactElement {
  const { data } = node;
  const href = data.kind === 'version' ? datasetHref(data.dataset, data.version, 'lineage') : runHref(data.runId);
  const title = data.kind === 'version' ? `${data.dataset} v${data.version}` : data.name;
  const detail = data.kind === 'version' ? `${data.rowCount.toLocaleString('en-US')} rows · ${data.createdBy === 'user' ? 'import' : data.createdBy}` : `run · ${data.status.toLowerCase()}`;
  const kind = data.kind === 'run' ? 'run' : data.createdBy === 'user' ? 'version' : 'derived';
  return (
    <g
      className={`lineage-node${focus ? ' focus' : ''}`}
      data-kind={kind}
      transform={`translate(${node.x},${node.y})`}
      onClick={() => navigate(href)}
      onKeyDown={(event) => (event.key === 'Enter' || event.key === ' ') && navigate(href)}
      tabIndex={0}
      role="link"
      aria-label={`${title}, ${detail}`}
      data-testid="lineage-node"
      data-node={node.id}
    >
      <title>{`${title}\n${detail}`}</title>
      <rect width={nodeWidth} height={nodeHeight} rx={6} className="lineage-box" />
      <rect width={4} height={nodeHeight} rx={2} className="lineage-stripe" />
      <text x={14} y={18} className="lineage-title">{clip(title, 22)}</text>
      <text x={14} y={34} className="lineage-detail">{clip(detail, 26)}</text>
    </g>
  );
}
