/**
 * A request the server refuses, with the HTTP status and MLflow's error body. Anything else that
 * escapes a handler is a failure of ours (500), never the client's.
 */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** MLflow's code for input errors is BAD_REQUEST; routing errors have their own. */
    readonly errorCode = 'BAD_REQUEST',
  ) {
    super(message);
    this.name = 'RequestError';
  }
}
