import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { invalid } from '../../../shared/errors';
import type { RemoteConfig, RemoteCredentials } from '../../../shared/sync';

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Knobs of the HTTP layer; the defaults suit a desktop on a home or office link. */
export interface S3ClientOptions {
  /** Sockets per host: at least the transfer concurrency, or requests queue inside the agent. */
  readonly maxSockets?: number;
  /** Give up connecting after this long (a wrong host or port should fail in seconds). */
  readonly connectionTimeoutMs?: number;
  /**
   * A socket idle this long fails the request (TimeoutError, retried). An idle limit rather than
   * a whole-request limit, so a 5 GB upload on a slow link is not cut off while bytes still flow.
   */
  readonly socketTimeoutMs?: number;
}

/**
 * An S3 client for a remote. Checksums only where S3 requires them: SDK ≥ 3.729 adds CRC32
 * flexible checksums by default, which RGW answers with 411 on streamed bodies and other
 * endpoints reject or store with aws-chunked framing (aws-sdk-js-v3 #6806, #6819; SEMANTICS.md
 * §4.1) — our integrity check is Content-MD5 and the ETag instead. One attempt per request: the
 * callers retry with backoff themselves (retry.ts), re-opening bodies from disk.
 */
export function createS3Client(config: RemoteConfig, credentials: RemoteCredentials | null, options: S3ClientOptions = {}): S3Client {
  // The SDK warns on every CLI run under Node < 22 that *future* SDK releases will need Node 22;
  // the version here is pinned, so the warning only alarms users (the app's Electron has Node 22).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const maxSockets = Math.max(options.maxSockets ?? 64, 1);
  const agentOptions = { keepAlive: true, maxSockets, keepAliveMsecs: 15_000 };
  const clientConfig: S3ClientConfig = {
    region: config.region,
    forcePathStyle: config.pathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 60_000,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    },
  };
  if (config.endpoint) clientConfig.endpoint = config.endpoint;
  switch (config.auth) {
    case 'keys':
      if (!credentials) throw invalid(`Remote "${config.name}" uses an access key, but none is stored for it: enter the access key and secret again.`);
      clientConfig.credentials = staticCredentials(credentials);
      break;
    case 'profile':
      // The SDK's default chain with the profile named: ~/.aws/credentials and ~/.aws/config
      // (SSO, credential_process, assume-role included). With a profile set the chain skips the
      // AWS_ACCESS_KEY_ID pair, so the named profile is what signs.
      if (config.profile) clientConfig.profile = config.profile;
      break;
    case 'environment':
      clientConfig.credentials = fromEnvironment(config.name);
      break;
  }
  return new S3Client(clientConfig);
}

/** A copy, so that later changes to the caller's object do not leak in. */
function staticCredentials(credentials: RemoteCredentials): Credentials {
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
  };
}

/**
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), read when a request is signed,
 * so a headless run picks up rotated variables. The error names the variables, never a value.
 */
export function fromEnvironment(remote: string): () => Promise<Credentials> {
  return async () => {
    const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      const missing = [!accessKeyId && 'AWS_ACCESS_KEY_ID', !secretAccessKey && 'AWS_SECRET_ACCESS_KEY'].filter(Boolean).join(' and ');
      throw invalid(`Remote "${remote}" takes its credentials from the environment, but ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not set.`);
    }
    const sessionToken = process.env.AWS_SESSION_TOKEN;
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  };
}
