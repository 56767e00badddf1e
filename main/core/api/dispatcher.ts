import type { z } from 'zod';
import { isOperationName, workbenchApi, type OperationName, type OperationOutput, type WorkbenchOperations } from '../../../shared/api';
import { toApiError } from '../../../shared/errors';

/** What a handler receives: the input after its schema parsed it (defaults filled in). */
export type ParsedInput<K extends OperationName> = z.output<WorkbenchOperations[K]['input']>;

/** One implementation per operation of the contract; the type makes a missing one a compile error. */
export type Handlers = {
  [K in OperationName]: (input: ParsedInput<K>) => OperationOutput<K> | Promise<OperationOutput<K>>;
};

export type { RpcResult } from '../../../shared/bridge';
import type { RpcResult } from '../../../shared/bridge';

export type Dispatch = (operation: string, input: unknown) => Promise<RpcResult>;

/**
 * The single entry both transports call (IPC and HTTP): known operation, input parsed with its
 * schema, errors normalized to `{code, message}`. Nothing reaches a service unparsed.
 */
export function createDispatcher(handlers: Handlers, onInternalError: (operation: string, error: unknown) => void = logInternal): Dispatch {
  return async (operation, input) => {
    if (!isOperationName(operation)) {
      return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown operation '${operation}'.` } };
    }
    try {
      const parsed = workbenchApi[operation].input.parse(input ?? {});
      const handler = handlers[operation] as (value: unknown) => unknown;
      return { ok: true, result: await handler(parsed) };
    } catch (error) {
      const shaped = toApiError(error);
      if (shaped.code === 'INTERNAL') onInternalError(operation, error);
      return { ok: false, error: shaped };
    }
  };
}

function logInternal(operation: string, error: unknown): void {
  console.error(`[trainyard] ${operation} failed:`, error);
}
