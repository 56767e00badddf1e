import { z } from 'zod';

/**
 * Error codes that cross every process boundary. Each maps to one HTTP status in browser mode,
 * so a client can tell a request it got wrong (4xx) and a failure of ours (5xx) apart.
 */
export const errorCodes = ['INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'CONFLICT', 'UNAVAILABLE', 'INTERNAL'] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** The only error shape that leaves the main process. */
export const apiErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
});
export type ApiErrorShape = z.infer<typeof apiErrorSchema>;

export const httpStatusOf: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  CONFLICT: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/**
 * A failure with a code a user can act on. Services throw it; transports turn it into
 * `{code, message}`. Anything else thrown is reported as INTERNAL.
 */
export class WorkbenchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WorkbenchError';
  }
}

export const invalid = (message: string): WorkbenchError => new WorkbenchError('INVALID_ARGUMENT', message);
export const notFound = (message: string): WorkbenchError => new WorkbenchError('NOT_FOUND', message);

/** Turns anything thrown into the wire shape; zod issues become a field path plus message. */
export function toApiError(error: unknown): ApiErrorShape {
  if (error instanceof WorkbenchError) return { code: error.code, message: error.message };
  if (error instanceof z.ZodError) {
    const first = error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    return { code: 'INVALID_ARGUMENT', message: `${where}${first?.message ?? 'invalid input'}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
