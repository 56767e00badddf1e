import { operationNames, type OperationName, type WorkbenchApi } from '../../shared/api';
import type { RpcResult } from '../../shared/bridge';
import { errorCodes, type ErrorCode } from '../../shared/errors';
import { ApiError } from './api-error';

/** Sends one named operation over some transport and returns its normalized result. */
export type CallOperation = (operation: OperationName, input: unknown) => Promise<RpcResult>;

/**
 * The typed client both transports share: one async function per operation of the contract,
 * built from the operation table so the client can never drift from it. `ok:false` becomes a
 * thrown `ApiError`, so callers use plain try/catch.
 */
export function createClient(call: CallOperation): WorkbenchApi {
  const client: Partial<Record<OperationName, (input: unknown) => Promise<unknown>>> = {};
  for (const operation of operationNames) {
    client[operation] = async (input: unknown) => unwrap(operation, await call(operation, input ?? {}));
  }
  return client as WorkbenchApi;
}

function unwrap(operation: OperationName, result: RpcResult): unknown {
  if (result.ok) return result.result;
  const code: ErrorCode = (errorCodes as readonly string[]).includes(result.error.code) ? result.error.code : 'INTERNAL';
  throw new ApiError(code, result.error.message, operation);
}

