import { describe, expect, it } from 'vitest';
import type { RemoteSummary } from '../../shared/sync';
import { configOf, errorsOfServerMessage, fieldOfPath, formFromRemote, saveInputOf, splitNames } from './sync-form';

const filled = { ...formFromRemote(null), name: 'team', endpoint: 'http://127.0.0.1:9000', bucket: 'ml-bucket', prefix: '/shared/', pathStyle: true, accessKeyId: 'AKIA1', secretAccessKey: 's3cret' };
const stored: RemoteSummary = {
  ...configOf(filled), capabilities: null, hasCredentials: true, credentialStore: 'the OS keychain', lastPushAt: null, lastPullAt: null, createdAt: 1,
};

describe('remote form', () => {
  it('starts blank with AWS defaults, and turns a remote back into its fields without keys', () => {
    const blank = formFromRemote(null);
    expect(blank).toMatchObject({ region: 'us-east-1', auth: 'keys', pathStyle: false, pipelines: true, experiments: { all: true, names: '' } });
    const edited = formFromRemote({ ...stored, scope: { experiments: ['a', 'b'], datasets: 'all', models: 'all', pipelines: false } });
    expect(edited).toMatchObject({ name: 'team', bucket: 'ml-bucket', accessKeyId: '', secretAccessKey: '', experiments: { all: false, names: 'a, b' }, pipelines: false });
  });

  it('sends blank endpoint as AWS (null), trims the prefix, and a profile only with profile auth', () => {
    expect(configOf({ ...filled, endpoint: '  ' }).endpoint).toBeNull();
    expect(configOf(filled).prefix).toBe('shared');
    expect(configOf({ ...filled, auth: 'keys', profile: 'dev' }).profile).toBeNull();
    expect(configOf({ ...filled, auth: 'profile', profile: 'dev' }).profile).toBe('dev');
    expect(configOf({ ...filled, auth: 'profile', profile: '' }).profile).toBeNull();
    expect(configOf({ ...filled, models: { all: false, names: 'churn, ,fraud,churn' } }).scope.models).toEqual(['churn', 'fraud']);
    expect(splitNames(' a ,b,, a')).toEqual(['a', 'b']);
  });

  it('puts each problem next to its field', () => {
    const result = saveInputOf({ ...filled, name: 'bad name', bucket: 'x', endpoint: 'not a url', accessKeyId: '', secretAccessKey: '' }, null);
    expect('errors' in result && result.errors).toMatchObject({
      name: expect.stringContaining('letters, digits'),
      bucket: 'Bucket names are 3 to 63 characters.',
      endpoint: expect.stringContaining('http://127.0.0.1:9000'),
      accessKeyId: 'Enter the access key id.',
      secretAccessKey: 'Enter the secret access key.',
    });
  });

  it('needs keys for a new remote, and keeps the stored ones when left blank on edit', () => {
    expect(saveInputOf(filled, null)).toEqual({ config: configOf(filled), credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's3cret' } });
    const keep = saveInputOf({ ...filled, accessKeyId: '', secretAccessKey: '' }, stored);
    expect(keep).toEqual({ config: configOf(filled) });
    expect(saveInputOf({ ...filled, accessKeyId: 'AKIA2', secretAccessKey: '' }, stored)).toEqual({ errors: { secretAccessKey: 'Enter the secret access key.' } });
    expect(saveInputOf({ ...filled, auth: 'environment', accessKeyId: '', secretAccessKey: '' }, null)).toEqual({ config: configOf({ ...filled, auth: 'environment' }) });
  });

  it('maps main’s INVALID_ARGUMENT messages back onto fields', () => {
    expect(errorsOfServerMessage('config.bucket: Too small: expected string to have >=3 characters')).toEqual({ bucket: 'Too small: expected string to have >=3 characters' });
    expect(errorsOfServerMessage("prefix: 'a/../b' may not contain '.' or '..' parts")).toEqual({ prefix: "'a/../b' may not contain '.' or '..' parts" });
    expect(errorsOfServerMessage('config.scope.models: Invalid input')).toEqual({ models: 'Invalid input' });
    expect(errorsOfServerMessage('credentials.secretAccessKey: Too small')).toEqual({ secretAccessKey: 'Too small' });
    expect(errorsOfServerMessage('The bucket does not exist.')).toEqual({ form: 'The bucket does not exist.' });
    expect(fieldOfPath(['config', 'unknown'])).toBeNull();
  });
});
