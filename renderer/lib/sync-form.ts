import type { RemoteConfig, RemoteCredentials, RemoteSummary, SyncAuth, SyncScope } from '../../shared/sync';
import { remoteConfigSchema, remoteCredentialsSchema } from '../../shared/sync';

/**
 * The remote form's values and their checks. The contract's own schema checks the settings, so
 * the form and main agree on what is valid; main's INVALID_ARGUMENT answers ("config.bucket: …")
 * are mapped back onto the same fields.
 */

/** One scope list as the form edits it: everything, or the names typed (comma-separated). */
export interface ScopeValue {
  readonly all: boolean;
  readonly names: string;
}

export interface RemoteFormValues {
  readonly name: string;
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly pathStyle: boolean;
  readonly auth: SyncAuth;
  readonly profile: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly experiments: ScopeValue;
  readonly datasets: ScopeValue;
  readonly models: ScopeValue;
  readonly pipelines: boolean;
}

export type RemoteField = keyof RemoteFormValues;
export type FieldErrors = Partial<Record<RemoteField | 'form', string>>;

export const defaultRegion = 'us-east-1';

const scopeValue = (list: SyncScope['experiments']): ScopeValue => (list === 'all' ? { all: true, names: '' } : { all: false, names: list.join(', ') });

/** A new remote's blank form, or an existing one's settings (its keys are never known here). */
export function formFromRemote(remote: RemoteSummary | null): RemoteFormValues {
  return {
    name: remote?.name ?? '',
    endpoint: remote?.endpoint ?? '',
    region: remote?.region ?? defaultRegion,
    bucket: remote?.bucket ?? '',
    prefix: remote?.prefix ?? '',
    pathStyle: remote?.pathStyle ?? false,
    auth: remote?.auth ?? 'keys',
    profile: remote?.profile ?? '',
    accessKeyId: '',
    secretAccessKey: '',
    experiments: scopeValue(remote?.scope.experiments ?? 'all'),
    datasets: scopeValue(remote?.scope.datasets ?? 'all'),
    models: scopeValue(remote?.scope.models ?? 'all'),
    pipelines: remote?.scope.pipelines ?? true,
  };
}

/** `a, b,,c ` → `['a', 'b', 'c']`, without repeats. */
export function splitNames(text: string): string[] {
  return [...new Set(text.split(',').map((name) => name.trim()).filter(Boolean))];
}

const scopeList = (value: ScopeValue): SyncScope['experiments'] => (value.all ? 'all' : splitNames(value.names));

/** The config as the contract takes it; blank optional fields become null. */
export function configOf(values: RemoteFormValues): RemoteConfig {
  const endpoint = values.endpoint.trim();
  return {
    name: values.name.trim(),
    endpoint: endpoint === '' ? null : endpoint,
    region: values.region.trim(),
    bucket: values.bucket.trim(),
    prefix: values.prefix.trim().replace(/^\/+|\/+$/g, ''),
    pathStyle: values.pathStyle,
    auth: values.auth,
    // Main refuses a profile name with other kinds of auth.
    profile: values.auth === 'profile' && values.profile.trim() !== '' ? values.profile.trim() : null,
    scope: { experiments: scopeList(values.experiments), datasets: scopeList(values.datasets), models: scopeList(values.models), pipelines: values.pipelines },
  };
}

/** Where a path of the contract's input lands in the form (`config.scope.models` → models). */
export function fieldOfPath(path: readonly (string | number | symbol)[]): RemoteField | null {
  const parts = path.map(String);
  const [head, ...rest] = parts[0] === 'config' || parts[0] === 'credentials' ? parts.slice(1) : parts;
  if (head === 'scope') return (rest[0] as RemoteField | undefined) ?? null;
  const fields: readonly string[] = ['name', 'endpoint', 'region', 'bucket', 'prefix', 'pathStyle', 'auth', 'profile', 'accessKeyId', 'secretAccessKey', 'sessionToken'];
  if (head === undefined || !fields.includes(head)) return null;
  return head === 'sessionToken' ? 'secretAccessKey' : (head as RemoteField);
}

/** Main's INVALID_ARGUMENT message (`config.bucket: Too small…`) as a field error; the whole message otherwise. */
export function errorsOfServerMessage(message: string): FieldErrors {
  const match = /^([A-Za-z][\w.]*): (.+)$/s.exec(message);
  const field = match ? fieldOfPath(match[1]!.split('.')) : null;
  return field ? { [field]: match![2]! } : { form: message };
}

/** The first problem of each field, in words a person reads next to that field. */
function issuesToErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix: 'config' | 'credentials'): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = fieldOfPath([prefix, ...issue.path]);
    const key = field ?? 'form';
    errors[key] ??= issue.message;
  }
  return errors;
}

const friendly: Partial<Record<RemoteField, string>> = {
  name: 'Give the remote a short name: letters, digits, ".", "_" or "-".',
  endpoint: 'An address such as http://127.0.0.1:9000, or blank for AWS.',
  region: 'A region such as us-east-1.',
  bucket: 'Bucket names are 3 to 63 characters.',
};

/**
 * The contract's input for `sync.saveRemote`, or the field errors that stop it. Keys are needed
 * for auth "keys" unless the remote already has stored ones (then blank keeps them).
 */
export function saveInputOf(values: RemoteFormValues, editing: RemoteSummary | null): { config: RemoteConfig; credentials?: RemoteCredentials } | { errors: FieldErrors } {
  const config = configOf(values);
  const checked = remoteConfigSchema.safeParse(config);
  const errors: FieldErrors = checked.success ? {} : issuesToErrors(checked.error.issues, 'config');
  for (const field of Object.keys(errors) as RemoteField[]) {
    // Zod's "Too small: expected string to have >=3 characters" reads worse than these; the
    // name's pattern message already says what is allowed, so it stays.
    const better = friendly[field];
    if (better && !(field === 'name' && errors.name?.startsWith('letters'))) errors[field] = better;
  }
  let credentials: RemoteCredentials | undefined;
  if (values.auth === 'keys') {
    const accessKeyId = values.accessKeyId.trim();
    const secretAccessKey = values.secretAccessKey;
    const keepStored = editing !== null && editing.hasCredentials && accessKeyId === '' && secretAccessKey === '';
    if (!keepStored) {
      const keys = remoteCredentialsSchema.safeParse({ accessKeyId, secretAccessKey });
      if (keys.success) credentials = keys.data;
      else {
        if (accessKeyId === '') errors.accessKeyId = 'Enter the access key id.';
        if (secretAccessKey === '') errors.secretAccessKey = 'Enter the secret access key.';
        if (accessKeyId !== '' && secretAccessKey !== '') Object.assign(errors, issuesToErrors(keys.error.issues, 'credentials'));
      }
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  return credentials ? { config: checked.data!, credentials } : { config: checked.data! };
}
