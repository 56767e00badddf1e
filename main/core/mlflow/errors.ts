import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { WorkbenchError, type ErrorCode } from '../../../shared/errors';
import { sendJson } from './proto-json';

/**
 * MLflow's error codes (databricks.proto) that this server answers with, and their HTTP statuses.
 * The MLflow client retries 408/429/500/502/503/504 for minutes (MLFLOW.md §1), so every error a
 * client caused maps to a 4xx here — including INVALID_STATE, which MLflow's own server sends as
 * a 500 — and only a fault of ours or a busy database is a 5xx.
 */
export const mlflowErrorStatus = {
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  BAD_REQUEST: 400,
  INVALID_STATE: 400,
  PERMISSION_DENIED: 403,
  TEMPORARILY_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;
export type MlflowErrorCode = keyof typeof mlflowErrorStatus;

/** An error with MLflow's wire shape: `{"error_code": …, "message": …}` and a status. */
export class MlflowError extends Error {
  readonly status: number;

  constructor(
    readonly code: MlflowErrorCode,
    message: string,
    status?: number,
  ) {
    super(message);
    this.name = 'MlflowError';
    this.status = status ?? mlflowErrorStatus[code];
  }
}

export const invalidParameter = (message: string): MlflowError => new MlflowError('INVALID_PARAMETER_VALUE', message);
export const doesNotExist = (message: string): MlflowError => new MlflowError('RESOURCE_DOES_NOT_EXIST', message);

const fromWorkbench: Record<ErrorCode, MlflowErrorCode> = {
  INVALID_ARGUMENT: 'INVALID_PARAMETER_VALUE',
  NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  CONFLICT: 'INVALID_STATE',
  UNAVAILABLE: 'TEMPORARILY_UNAVAILABLE',
  INTERNAL: 'INTERNAL_ERROR',
};

/** Anything a handler threw, as the MLflow error it is. Only unknown failures become a 500. */
export function toMlflowError(error: unknown): MlflowError {
  if (error instanceof MlflowError) return error;
  if (error instanceof WorkbenchError) return new MlflowError(fromWorkbench[error.code], error.message);
  if (error instanceof z.ZodError) {
    const first = error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    return invalidParameter(`${where}${first?.message ?? 'invalid input'}`);
  }
  // better-sqlite3's errors carry SQLite's code; only the db module may import the driver.
  const sqliteCode = error instanceof Error && error.name === 'SqliteError' ? String((error as Error & { code?: unknown }).code) : '';
  if (sqliteCode === 'SQLITE_BUSY' || sqliteCode === 'SQLITE_LOCKED') {
    return new MlflowError('TEMPORARILY_UNAVAILABLE', `The database is busy; retry the request. (${error instanceof Error ? error.message : ''})`);
  }
  if (sqliteCode.startsWith('SQLITE_CONSTRAINT') || sqliteCode === 'SQLITE_TOOBIG') {
    return invalidParameter(`The request was refused by the database: ${(error as Error).message}`);
  }
  return new MlflowError('INTERNAL_ERROR', error instanceof Error ? error.message : String(error));
}

export function sendMlflowError(response: ServerResponse, error: unknown): void {
  const shaped = toMlflowError(error);
  if (shaped.code === 'INTERNAL_ERROR') console.error('[trainyard] MLflow API request failed:', error);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(response, shaped.status, { error_code: shaped.code, message: shaped.message });
}
