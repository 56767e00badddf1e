import { WorkbenchError, type ErrorCode } from '../../../shared/errors';

/** What a failed S3 request tells us: the HTTP status (null when no answer came) and the codes. */
export interface S3ErrorInfo {
  readonly status: number | null;
  /** The S3 error code (`NoSuchBucket`, `SlowDown`…) or the JS error's name. */
  readonly name: string;
  /** A Node system error code (`ECONNRESET`…) of the error or its cause. */
  readonly systemCode: string | null;
  readonly message: string;
}

export function errorInfo(error: unknown): S3ErrorInfo {
  if (!(error instanceof Error)) return { status: null, name: 'Error', systemCode: null, message: String(error) };
  const e = error as Error & { $metadata?: { httpStatusCode?: number }; code?: unknown; Code?: unknown; cause?: unknown };
  const cause = e.cause as { code?: unknown } | undefined;
  const systemCode = typeof e.code === 'string' ? e.code : typeof cause?.code === 'string' ? cause.code : null;
  // RGW's error bodies carry no <Message>: the SDK then says 'UnknownError' and only the name
  // (or Code) and the status are meaningful.
  const name = typeof e.Code === 'string' && (e.name === 'Error' || e.name === 'UnknownError') ? e.Code : e.name;
  return { status: e.$metadata?.httpStatusCode ?? null, name, systemCode, message: e.message };
}

const credentialCodes = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'ExpiredToken', 'TokenRefreshRequired', 'InvalidSecurity']);
const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND', 'ERR_STREAM_PREMATURE_CLOSE']);

/** No HTTP answer: the request died on the wire (reset, refused, timed out, cut short). */
export function isNetworkError(info: S3ErrorInfo): boolean {
  if (info.status !== null) return false;
  if (info.systemCode && networkCodes.has(info.systemCode)) return true;
  if (info.name === 'TimeoutError' || info.name === 'RequestTimeout') return true;
  return /socket hang up|ECONNRESET|EPIPE|ETIMEDOUT|ECONNREFUSED|aborted|premature close|other side closed/i.test(info.message) && info.name !== 'AbortError';
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'ABORT_ERR');
}

export function isNotFound(error: unknown): boolean {
  const info = errorInfo(error);
  return info.status === 404 || info.name === 'NoSuchKey' || info.name === 'NotFound';
}

export function isPreconditionFailed(error: unknown): boolean {
  const info = errorInfo(error);
  return info.status === 412 || info.name === 'PreconditionFailed';
}

/** Where a request went, for messages: never credentials. */
export interface S3ErrorContext {
  /** What we were doing, in words: 'list', 'upload', 'download'… */
  readonly operation?: string;
  readonly bucket: string;
  readonly key?: string;
  /** The endpoint URL; null for AWS's own. */
  readonly endpoint: string | null;
  readonly region?: string;
}

/**
 * A message a user can act on: what failed, where (bucket/key, endpoint) and the likely cause.
 * Server messages are quoted only for codes we do not know, and never for credential failures
 * (AWS echoes the access key id and the string to sign in those bodies).
 */
export function describeS3Error(error: unknown, context: S3ErrorContext): string {
  const info = errorInfo(error);
  const where = context.endpoint ?? `AWS S3 (${context.region ?? 'default region'})`;
  const object = `s3://${context.bucket}${context.key ? `/${context.key}` : ''}`;
  const doing = context.operation ? `${context.operation} ${object}` : object;
  const code = info.status !== null ? `${info.status} ${info.name}` : info.systemCode ?? info.name;

  if (isAbort(error)) return `${doing}: cancelled.`;
  if (credentialCodes.has(info.name)) {
    const which =
      info.name === 'InvalidAccessKeyId'
        ? 'the access key ID is not known there'
        : info.name === 'SignatureDoesNotMatch'
          ? 'the secret access key does not match the access key ID'
          : 'the session token is invalid or expired';
    return `The credentials were refused by ${where} (${info.name}): ${which}. Check the access key and secret of this remote.`;
  }
  if (info.name === 'RequestTimeTooSkewed') return `${where} refused the request because this computer's clock differs too much from the server's (RequestTimeTooSkewed): set the clock right and try again.`;
  if (info.name === 'NoSuchBucket' || (info.status === 404 && !context.key && info.name !== 'NoSuchKey')) return `The bucket "${context.bucket}" does not exist at ${where} (NoSuchBucket): check the bucket name, the endpoint and the region.`;
  if (info.name === 'NoSuchKey' || (info.status === 404 && context.key)) return `${object} is not in the bucket (${where}).`;
  if (info.name === 'PermanentRedirect' || info.name === 'AuthorizationHeaderMalformed' || info.status === 301) return `The bucket "${context.bucket}" is in another region than "${context.region ?? '?'}" (${code}): set the remote's region to the bucket's.`;
  if (info.status === 403) return `${where} refused ${doing} (${code}): the credentials are wrong, or they lack permission for this bucket or prefix. Check the access key, the secret and the bucket's policy.`;
  if (isNetworkError(info)) {
    const why =
      info.systemCode === 'ECONNREFUSED'
        ? 'the connection was refused (is the server running, and is the port right?)'
        : info.systemCode === 'ENOTFOUND'
          ? 'the host name does not resolve'
          : info.name === 'TimeoutError' || info.systemCode === 'ETIMEDOUT'
            ? 'it did not answer in time'
            : `the connection was cut (${info.systemCode ?? info.message})`;
    return `Cannot reach ${where} for ${doing}: ${why}.`;
  }
  if (info.status !== null && info.status >= 500) return `${where} failed on ${doing} (${code}) and kept failing; try again later.`;
  const detail = info.message && info.message !== 'UnknownError' && info.message !== info.name ? `: ${info.message}` : '';
  return `${doing} failed at ${where} (${code})${detail}.`;
}

/** describeS3Error as a WorkbenchError with a code the UI can act on. */
export function s3Failure(error: unknown, context: S3ErrorContext): WorkbenchError {
  if (error instanceof WorkbenchError) return error;
  const info = errorInfo(error);
  let code: ErrorCode = 'INTERNAL';
  if (credentialCodes.has(info.name) || info.status === 403 || info.status === 400 || info.status === 301) code = 'INVALID_ARGUMENT';
  else if (info.status === 404 || info.name === 'NoSuchBucket') code = 'NOT_FOUND';
  else if (info.status === 412 || info.status === 409) code = 'CONFLICT';
  else if (isNetworkError(info) || (info.status !== null && info.status >= 500) || info.status === 429) code = 'UNAVAILABLE';
  return new WorkbenchError(code, describeS3Error(error, context));
}
