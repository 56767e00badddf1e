import type { SecretCodec } from '../core/sync/secret-store';

/** The part of Electron's `safeStorage` the codec uses (an interface, so it is testable in Node). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(bytes: Buffer): string;
}

/**
 * Remote keys encrypted with the OS keychain (Keychain, DPAPI, libsecret/kwallet) through
 * `safeStorage`. Where no keychain is available (a bare Linux session), null: the core then keeps
 * them in a 0600 file, as the AWS CLI does, and the Sync section says which it is.
 */
export function safeStorageCodec(safeStorage: SafeStorageLike): SecretCodec | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  return {
    description: 'the OS keychain (encrypted with Electron safeStorage)',
    encode: (text) => safeStorage.encryptString(text),
    decode: (bytes) => safeStorage.decryptString(bytes),
  };
}
