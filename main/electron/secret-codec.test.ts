import { describe, expect, it } from 'vitest';
import { safeStorageCodec } from './secret-codec';

describe('safeStorageCodec', () => {
  it('encrypts through safeStorage, or is absent without a keychain', () => {
    const reversed = { isEncryptionAvailable: () => true, encryptString: (text: string) => Buffer.from([...text].reverse().join('')), decryptString: (bytes: Buffer) => [...bytes.toString()].reverse().join('') };
    const codec = safeStorageCodec(reversed)!;
    const encoded = codec.encode('{"team":{"secretAccessKey":"s3cr3t"}}');
    expect(encoded.toString()).not.toContain('{"team"');
    expect(codec.decode(encoded)).toBe('{"team":{"secretAccessKey":"s3cr3t"}}');
    expect(safeStorageCodec({ ...reversed, isEncryptionAvailable: () => false })).toBeNull();
  });
});
