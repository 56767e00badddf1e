import { BucketAlreadyOwnedByYou, CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';

/**
 * An in-process S3 endpoint for the sync tests: fauxqs, as main/core/sync/testing/fauxqs-server.ts
 * starts it (e2e may not import main/, see eslint/layering.mjs). It accepts any keys and listens
 * on 0.0.0.0 whatever it is told; bodies over 11 MiB get 413, far above what these tests push.
 */
export interface S3Endpoint {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: 'us-east-1';
  createBucket(name: string): Promise<void>;
  /** Every key in a bucket (under a prefix), in S3's order. */
  listKeys(bucket: string, prefix?: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startS3(): Promise<S3Endpoint> {
  const server = await startFauxqs({ port: 0, logger: false });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const accessKeyId = 'fauxqs-e2e';
  const secretAccessKey = 'fauxqs-e2e-secret';
  // Path-style, and checksums only where S3 requires them: emulators reject the SDK's defaults.
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    region: 'us-east-1',
    async createBucket(name) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } catch (error) {
        if (!(error instanceof BucketAlreadyOwnedByYou)) throw error;
      }
    },
    async listKeys(bucket, prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    stop: () =>
      (stopped ??= (async () => {
        client.destroy();
        await server.stop();
      })()),
  };
}
