import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../testing/temp-home';
import { FileSecretStore, type SecretCodec } from './secret-store';

let home: ReturnType<typeof tempHome>;
beforeEach(() => {
  home = tempHome();
});
afterEach(() => home.remove());

const keys = { accessKeyId: 'AKIA', secretAccessKey: 's3cr3t' };

describe('FileSecretStore', () => {
  it('keeps each remote’s keys in a 0600 file, written whole', () => {
    const store = new FileSecretStore(home.path);
    store.set('team', keys);
    store.set('backup', { ...keys, accessKeyId: 'OTHER' });
    expect(store.get('team')).toEqual(keys);
    expect(statSync(join(home.path, 'credentials.json')).mode & 0o777).toBe(0o600);
    store.delete('team');
    expect(store.get('team')).toBeNull();
    expect(store.get('backup')?.accessKeyId).toBe('OTHER');
  });

  it('encrypts through its codec, and never overwrites keys it cannot read', () => {
    let locked = false;
    const codec: SecretCodec = {
      description: 'a test keychain',
      encode: (text) => Buffer.from(Buffer.from(text).map((byte) => byte ^ 0x5a)),
      decode: (bytes) => {
        if (locked) throw new Error('the keychain is locked');
        return Buffer.from(bytes.map((byte) => byte ^ 0x5a)).toString();
      },
    };
    const store = new FileSecretStore(home.path, codec, 'credentials.bin');
    store.set('team', keys);
    expect(readFileSync(join(home.path, 'credentials.bin')).toString()).not.toContain('s3cr3t');
    locked = true;
    expect(store.get('team')).toBeNull();
    expect(() => store.set('backup', keys)).toThrow(/cannot be read.*keychain is locked/);
    locked = false;
    expect(store.get('team')).toEqual(keys);
  });

  it('treats a damaged file as empty when reading', () => {
    writeFileSync(join(home.path, 'credentials.json'), 'not json');
    expect(new FileSecretStore(home.path).get('team')).toBeNull();
  });
});
