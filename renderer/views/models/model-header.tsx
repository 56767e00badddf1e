import { useState, type ReactElement, type ReactNode } from 'react';
import type { RegisteredModel } from '../../../shared/registry';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { BackIcon, CloseIcon, ModelIcon, PlusIcon } from '../../components/icons';
import { formatTimestamp } from '../../lib/format';
import { modelsHref } from '../../lib/hash-route';
import { newestVersion } from '../../lib/model-names';
import { refreshModel } from '../../stores/models';
import { reportError } from '../../stores/toasts';
import { DescriptionEditor } from './description-editor';
import { AliasChip } from './registry-badges';

/** Name, facts (created by / at, latest version, aliases), the description and the tags of a model. */
export function ModelHeader({ model }: { model: RegisteredModel }): ReactElement {
  const latest = newestVersion(model);
  const saveDescription = async (description: string): Promise<void> => {
    await getApi()['models.update']({ name: model.name, description });
    refreshModel(model.name);
  };
  return (
    <header className="page-header">
      <div className="page-header-top">
        <a className="icon-button back-button" href={modelsHref} title="Back to models (Esc)" aria-label="Back to models" data-testid="model-back">
          <BackIcon size={16} />
        </a>
        <ModelIcon size={16} className="row-icon" />
        <h1 className="page-title" data-testid="model-title" title={model.name}>{model.name}</h1>
        {latest !== null ? <span className="dataset-version-chip numeric" title="Newest version">v{latest}</span> : null}
      </div>
      <dl className="page-facts">
        <Fact label="Versions"><span className="numeric" data-testid="model-version-count">{model.versionCount}</span></Fact>
        <Fact label="Aliases">
          <span className="chip-list" data-testid="model-aliases">
            {model.aliases.length === 0 ? <span className="faint">none</span> : model.aliases.map((entry) => <AliasChip key={entry.alias} alias={entry.alias} version={entry.version} />)}
          </span>
        </Fact>
        <Fact label="Created"><span className="numeric">{formatTimestamp(model.createdAt)}</span></Fact>
        <Fact label="By"><span data-testid="model-created-by">{model.createdBy}</span></Fact>
        <Fact label="Updated"><span className="numeric">{formatTimestamp(model.updatedAt)}</span></Fact>
      </dl>
      <div className="model-header-body">
        <DescriptionEditor value={model.description} onSave={saveDescription} what={`the model ${model.name}`} testId="model-description" />
        <ModelTags model={model} />
      </div>
    </header>
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

/** The model's tags as `key = value` chips, removable, with a small inline form to add one. */
function ModelTags({ model }: { model: RegisteredModel }): ReactElement {
  const [adding, setAdding] = useState(false);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const entries = Object.entries(model.tags);

  const close = (): void => {
    setAdding(false);
    setKey('');
    setValue('');
    setError(null);
  };
  const add = async (): Promise<void> => {
    if (key.trim() === '') {
      setError('A tag needs a key.');
      return;
    }
    try {
      await getApi()['models.setTag']({ name: model.name, key: key.trim(), value });
      refreshModel(model.name);
      close();
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  const remove = (tagKey: string): void => {
    getApi()['models.deleteTag']({ name: model.name, key: tagKey }).then(
      () => refreshModel(model.name),
      (failure: unknown) => reportError(`Removing the tag ${tagKey} failed`, failure),
    );
  };

  return (
    <div className="model-tags" data-testid="model-tags">
      {entries.map(([tagKey, tagValue]) => (
        <span key={tagKey} className="tag-chip" data-testid="model-tag" data-key={tagKey}>
          <span className="tag-key">{tagKey}</span>
          {tagValue ? <span className="tag-value">{tagValue}</span> : null}
          <button type="button" className="alias-chip-remove" onClick={() => remove(tagKey)} aria-label={`Remove tag ${tagKey}`} title={`Remove ${tagKey}`}>
            <CloseIcon size={10} />
          </button>
        </span>
      ))}
      {adding ? (
        <form
          className="tag-form"
          onSubmit={(event) => {
            event.preventDefault();
            void add();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              close();
            }
          }}
        >
          <input className="input tag-input mono" value={key} onChange={(event) => setKey(event.target.value)} placeholder="key" aria-label="Tag key" autoFocus maxLength={250} data-testid="tag-key" />
          <input className="input tag-input mono" value={value} onChange={(event) => setValue(event.target.value)} placeholder="value" aria-label="Tag value" maxLength={5000} data-testid="tag-value" />
          <button type="submit" className="button" data-testid="tag-add">Add</button>
          <button type="button" className="button" onClick={close}>Cancel</button>
          {error ? <span className="inline-error" role="alert">{error}</span> : null}
        </form>
      ) : (
        <button type="button" className="button tag-new" onClick={() => setAdding(true)} data-testid="tag-new" title="Tag this model (team, task, owner…)">
          <PlusIcon size={12} />
          Tag
        </button>
      )}
    </div>
  );
}
