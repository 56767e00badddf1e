import { startFauxqs } from 'fauxqs';
import type { S3TestServer } from './s3-client';

/**
 * fauxqs (an in-process SQS/SNS/S3 emulator on fastify) as an S3 endpoint for tests. Version
 * 1.9.2 is pinned: 2.x needs Node 22.5. It accepts any credentials. Quirks seen here (see
 * servers.test.ts): it listens on 0.0.0.0 whatever `host` says (that option only names queue
 * URLs); bodies over 11 MiB get 413, so single PUTs and parts must stay below that.
 */
export async function startFauxqsServer(): Promise<S3TestServer & { readonly startMs: number }> {
  const t0 = performance.now();
  const server = await startFauxqs({ port: 0, logger: false });
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    accessKeyId: 'fauxqs-test',
    secretAccessKey: 'fauxqs-test-secret',
    region: 'us-east-1',
    startMs: performance.now() - t0,
    stop: () => (stopped ??= server.stop()),
  };
}
