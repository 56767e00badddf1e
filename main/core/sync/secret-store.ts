import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkbenchError } from '../../../shared/errors';
import { remoteCredentialsSchema, type RemoteCredentials } from '../../../shared/sync';

/**
 * Where a remote's access key and secret are kept. The core never imports Electron: the app
 * passes a store over `safeStorage` (the OS keychain); headless runs use a 0600 file in the home.
 * Neither is ever logged, and nothing here is sent to a window.
 */
export interface SecretStore {
  /** What kind of store this is, in words, for the Sync section ("the OS keychain", "a 0600 file"). */
  readonly description: string;
  get(remote: string): RemoteCredentials | null;
  set(remote: string, credentials: RemoteCredentials): void;
  delete(remote: string): void;
}

/** How a store turns the JSON of every remote's credentials into bytes on disk and back. */
export interface SecretCodec {
  readonly description: string;
  encode(text: string): Buffer;
  decode(bytes: Buffer): string;
}

/** No encryption: the file's 0600 mode is the protection (what the AWS CLI does with ~/.aws/credentials). */
export const plainCodec: SecretCodec = { description: 'a file only you can read (mode 0600)', encode: (text) => Buffer.from(text, 'utf8'), decode: (bytes) => bytes.toString('utf8') };

/** Every remote's credentials in one file, written atomically (temp + rename) with mode 0600. */
export class FileSecretStore implements SecretStore {
  readonly description: string;
  private readonly file: string;

  constructor(home: string, private readonly codec: SecretCodec = plainCodec, fileName = 'credentials.json') {
    this.file = join(home, fileName);
    this.description = codec.description;
  }

  get(remote: string): RemoteCredentials | null {
    const parsed = remoteCredentialsSchema.safeParse(this.readAll()[remote]);
    return parsed.success ? parsed.data : null;
  }

  set(remote: string, credentials: RemoteCredentials): void {
    this.writeAll({ ...this.readAll(true), [remote]: remoteCredentialsSchema.parse(credentials) });
  }

  delete(remote: string): void {
    const all = this.readAll(true);
    if (!(remote in all)) return;
    delete all[remote];
    this.writeAll(all);
  }

  /**
   * Every remote's entry. Unreadable (another machine's keychain, a locked one, a damaged file):
   * reading treats it as empty — the user re-enters the keys — but a write refuses (`forWrite`),
   * since rewriting the file would erase every other remote's keys with it.
   */
  private readAll(forWrite = false): Record<string, unknown> {
    if (!existsSync(this.file)) return {};
    try {
      const parsed: unknown = JSON.parse(this.codec.decode(readFileSync(this.file)));
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
      throw new Error('not a JSON object');
    } catch (error) {
      if (!forWrite) return {};
      throw new WorkbenchError('CONFLICT', `The stored remote keys in ${this.file} cannot be read (${error instanceof Error ? error.message : String(error)}); unlock the keychain, or delete that file and enter the keys again.`);
    }
  }

  private writeAll(all: Record<string, unknown>): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, this.codec.encode(JSON.stringify(all)), { mode: 0o600 });
    chmodSync(temp, 0o600); // the umask may have narrowed the mode, never widened it; be explicit
    try {
      renameSync(temp, this.file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }
}
