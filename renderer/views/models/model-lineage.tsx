import type { ReactElement } from 'react';
import type { ModelVersion, RegisteredModel } from '../../../shared/registry';
import { EmptyState } from '../../components/empty-state';
import { DatasetIcon, ModelIcon, RunsIcon } from '../../components/icons';
import { datasetHref, runHref } from '../../lib/hash-route';
import { AliasChip, StageBadge } from './registry-badges';
import { KeyMetrics, useSourceRun } from './source-run';

/**
 * Where each version came from, left to right: the dataset versions its run read → the training
 * run → the model version. Every box links to its page.
 */
export function ModelLineage({ model, versions }: { model: RegisteredModel; versions: readonly ModelVersion[] }): ReactElement {
  if (versions.length === 0) return <EmptyState title="No versions, so no lineage yet" testId="model-lineage-empty" />;
  return (
    <div className="model-lineage" data-testid="model-lineage">
      <div className="faint model-lineage-legend">
        <span>dataset versions the run read</span>
        <span>→ training run</span>
        <span>→ {model.name} version</span>
      </div>
      {versions.map((version) => (
        <LineageRow key={version.version} version={version} />
      ))}
    </div>
  );
}

function LineageRow({ version }: { version: ModelVersion }): ReactElement {
  const run = useSourceRun(version.runId);
  return (
    <div className="model-lineage-row" data-testid="model-lineage-row" data-version={version.version}>
      <div className="model-lineage-column">
        {version.inputs.length === 0 ? (
          <span className="model-lineage-box empty" title="The run recorded no dataset version: trained on a file, or the model was imported">
            <span className="faint">no dataset recorded</span>
          </span>
        ) : (
          version.inputs.map((input) => (
            <a key={`${input.dataset}@${input.version}:${input.context}`} className="model-lineage-box" data-kind="dataset" href={datasetHref(input.dataset, input.version, 'lineage')} data-testid="lineage-dataset">
              <DatasetIcon size={13} />
              <span className="model-lineage-title">{input.dataset} v{input.version}</span>
              <span className="faint">{input.context}</span>
            </a>
          ))
        )}
      </div>
      <span className="model-lineage-arrow" aria-hidden="true">→</span>
      <div className="model-lineage-column">
        {version.runId ? (
          <a className="model-lineage-box" data-kind="run" href={runHref(version.runId)} data-testid="lineage-run">
            <RunsIcon size={13} />
            <span className="model-lineage-title">{run.name}</span>
            <KeyMetrics runId={version.runId} />
          </a>
        ) : (
          <span className="model-lineage-box empty"><span className="faint">run purged</span></span>
        )}
      </div>
      <span className="model-lineage-arrow" aria-hidden="true">→</span>
      <div className="model-lineage-column">
        <span className="model-lineage-box" data-kind="model" data-testid="lineage-version">
          <ModelIcon size={13} />
          <span className="model-lineage-title">{version.name} v{version.version}</span>
          <StageBadge stage={version.stage} />
          {version.aliases.map((alias) => <AliasChip key={alias} alias={alias} />)}
        </span>
      </div>
    </div>
  );
}
