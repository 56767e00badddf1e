import { useState, type ReactElement, type ReactNode } from 'react';
import type { RemoteCapabilities, RemoteSummary, SyncAuth } from '../../../shared/sync';
import { describeError, isInvalidArgument } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { Dialog } from '../../components/dialog';
import { errorsOfServerMessage, formFromRemote, saveInputOf, type FieldErrors, type RemoteField, type RemoteFormValues } from '../../lib/sync-form';
import { useDatasetsStore } from '../../stores/datasets';
import { useExperimentsStore } from '../../stores/experiments';
import { useModelsStore } from '../../stores/models';
import { useSyncStore } from '../../stores/sync';
import { ScopeField } from './remote-scope-fields';
import { TestResult } from './test-result';

const authChoices: { value: SyncAuth; label: string }[] = [
  { value: 'keys', label: 'Access key and secret' },
  { value: 'profile', label: 'AWS profile (~/.aws)' },
  { value: 'environment', label: 'Environment variables (AWS_ACCESS_KEY_ID, …)' },
];

/**
 * Add a remote, or change one. Keys are sent once and kept by main's secret store; editing never
 * shows them, and blank key fields keep the stored ones. "Test connection" saves first, because
 * main tests a saved remote by name (with the keys it keeps).
 */
export function RemoteFormDialog({ editing, onClose }: { editing: RemoteSummary | null; onClose: () => void }): ReactElement {
  const remotes = useSyncStore((state) => state.remotes);
  const statusStore = useSyncStore((state) => state.status?.credentialStore);
  const experiments = useExperimentsStore((state) => state.experiments);
  const datasets = useDatasetsStore((state) => state.summaries);
  const models = useModelsStore((state) => state.summaries);
  // After a test saved it, the remote exists: later saves are edits (blank keys keep the stored ones).
  const [saved, setSaved] = useState<RemoteSummary | null>(editing);
  const [values, setValues] = useState<RemoteFormValues>(() => formFromRemote(editing));
  // Path-style follows the endpoint (on for MinIO, Ceph and the like) until it is set by hand.
  const [pathStyleTouched, setPathStyleTouched] = useState(editing !== null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [tested, setTested] = useState<RemoteCapabilities | null>(null);

  const update = (change: Partial<RemoteFormValues>): void => {
    setValues((current) => {
      const next = { ...current, ...change };
      return change.endpoint !== undefined && !pathStyleTouched ? { ...next, pathStyle: change.endpoint.trim() !== '' } : next;
    });
    // An edited field's old complaint no longer applies.
    setErrors((current) => {
      const { form: _form, ...rest } = current;
      for (const field of Object.keys(change)) delete rest[field as RemoteField];
      return rest;
    });
  };

  /** Saves the form; returns the saved remote, or null after showing why not. */
  const save = async (): Promise<RemoteSummary | null> => {
    const input = saveInputOf(values, saved);
    if ('errors' in input) {
      setErrors(input.errors);
      return null;
    }
    if (saved === null && remotes.some((remote) => remote.name === input.config.name)) {
      setErrors({ name: `A remote named ${input.config.name} exists already: edit it instead, or pick another name.` });
      return null;
    }
    try {
      const summary = await getApi()['sync.saveRemote'](input);
      setSaved(summary);
      // Entered keys are stored now; clearing them keeps them out of the window's memory.
      setValues((current) => ({ ...current, accessKeyId: '', secretAccessKey: '' }));
      void useSyncStore.getState().load();
      return summary;
    } catch (failure) {
      setErrors(isInvalidArgument(failure) ? errorsOfServerMessage(failure.message) : { form: describeError(failure) });
      return null;
    }
  };

  const submit = async (): Promise<void> => {
    setBusy('save');
    const summary = await save();
    setBusy(null);
    if (summary) onClose();
  };

  const test = async (): Promise<void> => {
    setBusy('test');
    setTested(null);
    try {
      const summary = await save();
      if (summary) setTested(await getApi()['sync.testRemote']({ name: summary.name }));
    } catch (failure) {
      setErrors({ form: `The connection test failed: ${describeError(failure)}` });
    } finally {
      setBusy(null);
    }
  };

  const keysStored = saved?.auth === 'keys' && saved.hasCredentials;
  const store = saved?.credentialStore ?? remotes[0]?.credentialStore ?? statusStore ?? null;
  const field = (name: RemoteField, label: string, control: ReactNode, hint?: ReactNode): ReactElement => (
    <label className="field">
      <span className="field-label">{label}</span>
      {control}
      {errors[name] ? <span className="inline-error" data-testid={`remote-error-${name}`}>{errors[name]}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
  const input = (name: 'name' | 'endpoint' | 'region' | 'bucket' | 'prefix' | 'profile' | 'accessKeyId', testId: string, extra: Record<string, unknown> = {}): ReactElement => (
    <input
      className="input"
      value={values[name]}
      onChange={(event) => update({ [name]: event.target.value })}
      spellCheck={false}
      autoComplete="off"
      aria-invalid={errors[name] !== undefined}
      data-testid={testId}
      {...extra}
    />
  );

  return (
    <Dialog
      title={editing ? `Edit remote ${editing.name}` : 'Add a remote'}
      onClose={onClose}
      wide
      testId="remote-form"
      footer={
        <>
          {errors.form ? <span className="inline-error spacer" role="alert" data-testid="remote-error">{errors.form}</span> : <span className="spacer" />}
          <button type="button" className="button" onClick={() => void test()} disabled={busy !== null} data-testid="remote-test" title="Save, then probe the bucket: listing, writes, conditional writes, checksums, clock">
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="button" className="button" onClick={onClose}>{saved && !editing ? 'Close' : 'Cancel'}</button>
          <button type="button" className="button primary" onClick={() => void submit()} disabled={busy !== null} data-testid="remote-save">
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <form className="sync-form" onSubmit={(event) => { event.preventDefault(); void submit(); }}>
        <div className="sync-form-grid">
          {field('name', 'Name', input('name', 'remote-name', { autoFocus: editing === null, readOnly: saved !== null, placeholder: 'team' }), saved ? 'The name cannot change; remove the remote and add it again to rename it.' : 'A short name: letters, digits, ".", "_" or "-".')}
          {field('endpoint', 'Endpoint URL', input('endpoint', 'remote-endpoint', { placeholder: 'http://127.0.0.1:9000', inputMode: 'url' }), 'Blank for AWS S3. MinIO, Ceph, R2, B2: their S3 address.')}
          {field('region', 'Region', input('region', 'remote-region', { placeholder: 'us-east-1' }))}
          {field('bucket', 'Bucket', input('bucket', 'remote-bucket', { placeholder: 'team-ml' }))}
          {field('prefix', 'Prefix', input('prefix', 'remote-prefix', { placeholder: 'optional folder' }), 'Content goes under <prefix>/files/md5/, as DVC lays it out.')}
        </div>
        <label className="check">
          <input type="checkbox" checked={values.pathStyle} onChange={(event) => { setPathStyleTouched(true); update({ pathStyle: event.target.checked }); }} data-testid="remote-path-style" />
          <span>
            Path-style addresses <span className="field-hint">— endpoint/bucket/key; what MinIO, Ceph and most self-hosted servers need</span>
          </span>
        </label>
        <div className="sync-form-grid">
          {field('auth', 'Credentials', (
            <select className="select" value={values.auth} onChange={(event) => update({ auth: event.target.value as SyncAuth })} data-testid="remote-auth">
              {authChoices.map((choice) => <option key={choice.value} value={choice.value}>{choice.label}</option>)}
            </select>
          ))}
          {values.auth === 'profile' ? field('profile', 'Profile', input('profile', 'remote-profile', { placeholder: 'default' }), 'Blank for the default profile (or AWS_PROFILE).') : null}
          {values.auth === 'environment' ? <p className="field-hint sync-auth-note">Read from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN of the app’s environment when it syncs.</p> : null}
        </div>
        {values.auth === 'keys' ? (
          <>
            <div className="sync-form-grid">
              {field('accessKeyId', 'Access key id', input('accessKeyId', 'remote-access-key', { placeholder: keysStored ? 'stored — blank keeps it' : 'AKIA…' }))}
              {field('secretAccessKey', 'Secret access key', (
                <input className="input" type="password" value={values.secretAccessKey} onChange={(event) => update({ secretAccessKey: event.target.value })} placeholder={keysStored ? 'stored — blank keeps it' : ''} autoComplete="new-password" aria-invalid={errors.secretAccessKey !== undefined} data-testid="remote-secret" />
              ))}
            </div>
            <p className="field-hint sync-auth-note" data-testid="remote-key-store">
              {keysStored ? 'Keys are stored. Leave both blank to keep them, or enter new ones to replace them. ' : ''}
              Keys are kept in {store ?? 'the app’s secret store'}, never shown again and never written to logs.
            </p>
          </>
        ) : null}
        <h3 className="sync-form-heading">What to sync</h3>
        <div className="sync-form-grid">
          <ScopeField kind="experiments" label="Experiments" value={values.experiments} known={experiments.map((entry) => entry.name)} error={errors.experiments} onChange={(value) => update({ experiments: value })} />
          <ScopeField kind="datasets" label="Datasets" value={values.datasets} known={datasets.map((entry) => entry.name)} error={errors.datasets} onChange={(value) => update({ datasets: value })} />
          <ScopeField kind="models" label="Models" value={values.models} known={models.map((entry) => entry.name)} error={errors.models} onChange={(value) => update({ models: value })} />
        </div>
        <label className="check">
          <input type="checkbox" checked={values.pipelines} onChange={(event) => update({ pipelines: event.target.checked })} data-testid="remote-scope-pipelines" />
          <span>Pipelines and their DAG-run summaries</span>
        </label>
        {tested ? <TestResult capabilities={tested} /> : null}
      </form>
    </Dialog>
  );
}
