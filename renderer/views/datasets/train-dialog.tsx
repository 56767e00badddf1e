import { useMemo, useState, type ReactElement, type ReactNode } from 'react';
import type { ColumnSchema, DatasetVersion } from '../../../shared/datasets';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { browserStorage } from '../../lib/column-prefs';
import { runHref } from '../../lib/hash-route';
import {
  activations,
  advancedFields,
  buildTrainingConfig,
  changeTarget,
  defaultFeatures,
  featureBlocker,
  hasValidationPart,
  loadTrainConfig,
  newTrainDraft,
  optimizers,
  saveTrainConfig,
  type TrainDraft,
  type TrainField,
} from '../../lib/train-form';
import { navigate } from '../../lib/use-route';
import './train.css';

/** The training form: target, features, model and optimizer; submitting starts a run and opens it. */
export function TrainDialog({ version, onClose }: { version: DatasetVersion; onClose: () => void }): ReactElement {
  const schema = version.schema;
  const [draft, setDraft] = useState<TrainDraft>(() => newTrainDraft(schema, loadTrainConfig(browserStorage(), version.dataset)));
  const [touched, setTouched] = useState<ReadonlySet<TrainField>>(new Set());
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [advanced, setAdvanced] = useState(false);
  const validationPart = hasValidationPart(version.readOptions.tabular);
  const images = version.format === 'images';
  const built = useMemo(() => buildTrainingConfig(draft, schema, { validationPart, images }), [draft, schema, validationPart, images]);
  const problem = (field: TrainField): string | null => ((tried || touched.has(field)) && built.errors[field]) || null;

  const edit = <K extends keyof TrainDraft>(field: K, value: TrainDraft[K]): void => {
    setDraft((current) => ({ ...current, [field]: value }));
    setTouched((current) => new Set(current).add(field as TrainField));
  };

  const submit = async (): Promise<void> => {
    setTried(true);
    if (!built.config) {
      if (advancedFields.some((field) => built.errors[field])) setAdvanced(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { runId } = await getApi()['training.start']({ dataset: version.dataset, version: version.version, config: built.config, ...(built.name ? { name: built.name } : {}) });
      saveTrainConfig(browserStorage(), version.dataset, built.config);
      onClose();
      navigate(runHref(runId));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  const target = schema.find((column) => column.name === draft.target);
  return (
    <Dialog
      title={`Train on ${version.dataset} v${version.version}`}
      onClose={onClose}
      wide
      testId="train-dialog"
      footer={
        <>
          {error || problem('form') ? (
            <span className="inline-error spacer" role="alert" data-testid="train-error">{error ?? problem('form')}</span>
          ) : (
            <span className="field-hint spacer">Trains in its own worker; the run page shows the loss curves as they come.</span>
          )}
          <button type="button" className="button" onClick={onClose}>Cancel</button>
          <button type="button" className="button primary" onClick={() => void submit()} disabled={busy} data-testid="train-submit">
            {busy ? 'Starting…' : 'Train'}
          </button>
        </>
      }
    >
      <div className="train-row">
        <Field label="Target" error={problem('target')} hint={target ? `${target.type}` : null}>
          <select className="select" value={draft.target} onChange={(event) => setDraft(changeTarget(draft, schema, event.target.value))} aria-label="Target" data-testid="train-target">
            {schema.map((column) => (
              <option key={column.name} value={column.name}>{column.name}</option>
            ))}
          </select>
        </Field>
        <Field label="Task" error={problem('task')} hint={draft.task === 'auto' ? 'Text or a few whole numbers: classification.' : null}>
          <select className="select" value={draft.task} onChange={(event) => edit('task', event.target.value as TrainDraft['task'])} aria-label="Task" data-testid="train-task">
            <option value="auto">Auto</option>
            <option value="classification">Classification</option>
            <option value="regression">Regression</option>
          </select>
        </Field>
      </div>

      {images ? (
        <fieldset className="train-section">
          <legend className="panel-heading">Features</legend>
          <p className="train-note" data-testid="train-images-note">
            The images, resized to 32×32 RGB, through a small CNN (16 then 32 filters). Other sizes and conv blocks: a train.yaml with trainyard train.
          </p>
        </fieldset>
      ) : (
        <FeatureChoice schema={schema} target={draft.target} chosen={draft.features} error={problem('features')} onChange={(features) => edit('features', features)} />
      )}

      <fieldset className="train-section">
        <legend className="panel-heading">Model</legend>
        <div className="train-row">
          <Field label="Hidden layers" error={problem('hidden')} hint={draft.hidden.trim() === '' ? (draft.task === 'regression' ? 'None: a linear model.' : 'None: a linear (logistic) model.') : 'Widths, input to output.'}>
            <input className="input mono" value={draft.hidden} onChange={(event) => edit('hidden', event.target.value)} placeholder="64, 64" aria-invalid={problem('hidden') !== null} data-testid="train-hidden" spellCheck={false} />
          </Field>
          <Field label="Activation">
            <select className="select" value={draft.activation} onChange={(event) => edit('activation', event.target.value as TrainDraft['activation'])} aria-label="Activation">
              {activations.map(([value, text]) => (
                <option key={value} value={value}>{text}</option>
              ))}
            </select>
          </Field>
          <Field label="Dropout" error={problem('dropout')}>
            <input className="input numeric" value={draft.dropout} onChange={(event) => edit('dropout', event.target.value)} aria-invalid={problem('dropout') !== null} data-testid="train-dropout" inputMode="decimal" />
          </Field>
        </div>
        <label className="check">
          <input type="checkbox" checked={draft.layerNorm} onChange={(event) => edit('layerNorm', event.target.checked)} />
          Layer normalization after each hidden layer
        </label>
      </fieldset>

      <fieldset className="train-section">
        <legend className="panel-heading">Training</legend>
        <div className="train-row">
          <Field label="Optimizer">
            <select className="select" value={draft.optimizer} onChange={(event) => edit('optimizer', event.target.value as TrainDraft['optimizer'])} aria-label="Optimizer" data-testid="train-optimizer">
              {optimizers.map(([value, text]) => (
                <option key={value} value={value}>{text}</option>
              ))}
            </select>
          </Field>
          <Field label="Learning rate" error={problem('lr')}>
            <input className="input numeric" value={draft.lr} onChange={(event) => edit('lr', event.target.value)} aria-invalid={problem('lr') !== null} data-testid="train-lr" inputMode="decimal" />
          </Field>
          <Field label="Epochs" error={problem('epochs')}>
            <input className="input numeric" value={draft.epochs} onChange={(event) => edit('epochs', event.target.value)} aria-invalid={problem('epochs') !== null} data-testid="train-epochs" inputMode="numeric" />
          </Field>
          <Field label="Batch size" error={problem('batchSize')}>
            <input className="input numeric" value={draft.batchSize} onChange={(event) => edit('batchSize', event.target.value)} aria-invalid={problem('batchSize') !== null} data-testid="train-batch-size" inputMode="numeric" />
          </Field>
        </div>
        <div className="train-row">
          {validationPart ? (
            <Field label="Validation">
              <span className="train-note" data-testid="train-validation-part">Validates on the version’s validation part.</span>
            </Field>
          ) : (
            <Field label="Validation fraction" error={problem('validationFraction')} hint="Rows held out to measure val_loss; 0 for none.">
              <input className="input numeric" value={draft.validationFraction} onChange={(event) => edit('validationFraction', event.target.value)} aria-invalid={problem('validationFraction') !== null} data-testid="train-validation-fraction" inputMode="decimal" />
            </Field>
          )}
          <Field label="Early-stopping patience" error={problem('patience')} hint="Epochs without improvement; empty: train every epoch.">
            <input className="input numeric" value={draft.patience} onChange={(event) => edit('patience', event.target.value)} placeholder="off" aria-invalid={problem('patience') !== null} data-testid="train-patience" inputMode="numeric" />
          </Field>
        </div>
      </fieldset>

      <Field label="Run name" error={problem('name')} hint="Empty: a generated name.">
        <input className="input train-name" value={draft.name} onChange={(event) => edit('name', event.target.value)} placeholder="optional" aria-invalid={problem('name') !== null} data-testid="train-name" />
      </Field>

      <details className="train-advanced" open={advanced} onToggle={(event) => setAdvanced(event.currentTarget.open)}>
        <summary className="field-label" data-testid="train-advanced">Advanced</summary>
        <div className="train-row">
          <Field label="Execution providers" error={problem('providers')} hint="In order of preference; the first that loads runs. Empty: CUDA, DirectML (Windows), CPU.">
            <input className="input mono" value={draft.providers} onChange={(event) => edit('providers', event.target.value)} placeholder="cuda, dml, cpu" aria-invalid={problem('providers') !== null} data-testid="train-providers" spellCheck={false} />
          </Field>
        </div>
        <div className="train-row">
          <Field label="Threads" error={problem('threads')}>
            <input className="input numeric" value={draft.threads} onChange={(event) => edit('threads', event.target.value)} aria-invalid={problem('threads') !== null} data-testid="train-threads" inputMode="numeric" />
          </Field>
          <Field label="Seed" error={problem('seed')}>
            <input className="input numeric" value={draft.seed} onChange={(event) => edit('seed', event.target.value)} aria-invalid={problem('seed') !== null} data-testid="train-seed" inputMode="numeric" />
          </Field>
          <Field label="Execution" hint={draft.execution === 'loop' ? 'Chunks of steps fused into one call.' : 'One call per step (the reference).'}>
            <select className="select" value={draft.execution} onChange={(event) => edit('execution', event.target.value as TrainDraft['execution'])} aria-label="Execution">
              <option value="loop">loop</option>
              <option value="step">step</option>
            </select>
          </Field>
        </div>
      </details>
    </Dialog>
  );
}

/** Checkboxes over the columns but the target; those that cannot be features are shown disabled, with why. */
function FeatureChoice({ schema, target, chosen, error, onChange }: { schema: readonly ColumnSchema[]; target: string; chosen: readonly string[]; error: string | null; onChange: (next: string[]) => void }): ReactElement {
  return (
    <fieldset className="train-section">
      <legend className="panel-heading">
        Features <span className="faint numeric">{chosen.length} of {defaultFeatures(schema, target).length}</span>
      </legend>
      <div className="train-features" data-testid="train-features">
        {schema
          .filter((column) => column.name !== target)
          .map((column) => {
            const blocker = featureBlocker(column);
            const on = chosen.includes(column.name);
            return (
              <label key={column.name} className={`check train-feature${blocker ? ' disabled' : ''}`} title={`${column.name} · ${column.type}`}>
                <input
                  type="checkbox"
                  checked={on && !blocker}
                  disabled={blocker !== null}
                  onChange={() => onChange(on ? chosen.filter((name) => name !== column.name) : [...chosen, column.name])}
                  data-testid="train-feature"
                  data-column={column.name}
                />
                <span className="mono train-feature-name">{column.name}</span>
                {blocker ? <span className="field-hint">{blocker}</span> : null}
              </label>
            );
          })}
      </div>
      {error ? <div className="inline-error" data-testid="train-field-error" data-field="Features">{error}</div> : null}
    </fieldset>
  );
}

/** A labelled form row; its inline error (naming the field) replaces the hint. */
function Field({ label, error = null, hint = null, children }: { label: string; error?: string | null; hint?: string | null; children: ReactNode }): ReactElement {
  return (
    <label className="field train-field">
      <span className="field-label">{label}</span>
      {children}
      {error ? (
        <span className="inline-error" data-testid="train-field-error" data-field={label}>{error}</span>
      ) : hint ? (
        <span className="field-hint">{hint}</span>
      ) : null}
    </label>
  );
}
