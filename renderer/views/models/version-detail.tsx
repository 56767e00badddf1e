import type { ReactElement } from 'react';
import type { ModelSignature, ModelVersion } from '../../../shared/registry';
import { getApi } from '../../api/connection';
import { formatBytes } from '../../lib/format';
import { datasetHref } from '../../lib/hash-route';
import { describeSignatureField } from '../../lib/model-names';
import { refreshModel } from '../../stores/models';
import { CopyUri } from './copy-uri';
import { DescriptionEditor } from './description-editor';
import { LastEvaluation, VersionEvaluation } from './version-evaluation';

/**
 * An opened version row: what the model takes and gives (its signature), where it came from, its
 * description, and its last evaluation drawn in full.
 */
export function VersionDetail({ version, onEvaluate }: { version: ModelVersion; onEvaluate: () => void }): ReactElement {
  const saveDescription = async (description: string): Promise<void> => {
    await getApi()['models.updateVersion']({ name: version.name, version: version.version, description });
    refreshModel(version.name);
  };
  // The evaluation has its own line and section; its run id as a chip says nothing.
  const tags = Object.entries(version.tags).filter(([key]) => key !== 'trainyard.last_evaluation');
  return (
    <>
      <div className="version-detail" data-testid="version-detail">
        <div className="version-signature" data-testid="version-signature">
          {version.signature ? (
            <>
              <SignatureTable title="Inputs" fields={version.signature.inputs} />
              <SignatureTable title="Outputs" fields={version.signature.outputs} />
            </>
          ) : (
            <p className="faint version-no-signature">No signature: the model’s MLmodel does not state its inputs and outputs.</p>
          )}
        </div>
        <div className="version-facts">
          <dl className="version-facts-list">
            <dt>URI</dt>
            <dd><CopyUri name={version.name} version={version.version} showText /></dd>
            <dt>Source</dt>
            <dd><code title={version.source}>{version.source}</code></dd>
            {version.task ? (
              <>
                <dt>Task</dt>
                <dd>{version.task.replaceAll('_', ' ')}</dd>
              </>
            ) : null}
            <dt>Size</dt>
            <dd className="numeric">{formatBytes(version.sizeBytes)}</dd>
            <dt>Trained on</dt>
            <dd>
              {version.inputs.length === 0 ? (
                <span className="faint">no dataset version recorded</span>
              ) : (
                <span className="link-list">
                  {version.inputs.map((input) => (
                    <a key={`${input.dataset}@${input.version}:${input.context}`} href={datasetHref(input.dataset, input.version)}>{input.dataset} v{input.version}</a>
                  ))}
                </span>
              )}
            </dd>
            <dt>Last evaluation</dt>
            <dd><LastEvaluation version={version} /></dd>
            {tags.length > 0 ? (
              <>
                <dt>Tags</dt>
                <dd className="chip-list">
                  {tags.map(([key, value]) => (
                    <span key={key} className="tag-chip"><span className="tag-key">{key}</span>{value ? <span className="tag-value">{value}</span> : null}</span>
                  ))}
                </dd>
              </>
            ) : null}
          </dl>
          <DescriptionEditor value={version.description} onSave={saveDescription} what={`v${version.version}`} testId="version-description" />
        </div>
      </div>
      <VersionEvaluation version={version} onEvaluate={onEvaluate} />
    </>
  );
}

function SignatureTable({ title, fields }: { title: string; fields: ModelSignature['inputs'] }): ReactElement {
  return (
    <section className="signature-part" data-testid={`signature-${title.toLowerCase()}`}>
      <h3 className="panel-heading">{title} <span className="faint numeric">{fields.length}</span></h3>
      <table className="data-table signature-table">
        <tbody>
          {fields.map((field, index) => {
            const described = describeSignatureField(field);
            return (
              <tr key={index} data-testid="signature-field">
                <td className="mono">{described.name}</td>
                <td className="mono muted">{described.type}{described.optional ? <span className="faint"> · optional</span> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
