import type { ErrorCode } from '../../shared/errors';

/**
 * A failed call as the renderer sees it: the contract's `{code, message}` plus which operation
 * failed, so a toast can say what failed and where without the caller spelling it out.
 */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly operation: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** One line for a toast or an inline message, from anything a call can throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** True for the server's "you asked wrong" answer, e.g. a filter that does not parse. */
export function isInvalidArgument(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'INVALID_ARGUMENT';
}
