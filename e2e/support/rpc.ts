import type { OperationInput, OperationName, OperationOutput } from '../../shared/api';
import type { RpcResult } from '../../shared/bridge';
import { parseWire, stringifyWire } from '../../shared/wire';

/** How a test sets up data: the contract's operations, over whichever transport the app uses. */
export interface TestApi {
  call<K extends OperationName>(operation: K, input: OperationInput<K>): Promise<OperationOutput<K>>;
}

/** Browser mode: the same HTTP RPC the renderer uses, from Node, with the session token. */
export function httpTestApi(origin: string, token: string): TestApi {
  return {
    async call(operation, input) {
      const response = await fetch(`${origin}/api/rpc/${operation}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trainyard-token': token },
        body: stringifyWire(input),
      });
      const result = parseWire(await response.text()) as RpcResult;
      if (!result.ok) throw new Error(`${operation} failed: ${result.error.code} ${result.error.message}`);
      return result.result as OperationOutput<typeof operation>;
    },
  };
}

/** Steps 0..count-1 from `first`, as a logBatch metrics list. */
export function lossPoints(first: number, count: number): { key: string; value: number; step: number }[] {
  return Array.from({ length: count }, (_, index) => ({ key: 'loss', value: 1 / (first + index + 1), step: first + index }));
}
