import type { RemoteConfig } from '../../../../shared/sync';
import { startFauxqsServer } from './fauxqs-server';
import { rgwAvailable, startRgw } from './rgw-server';
import type { S3TestServer } from './s3-client';

/** A server the sync tests run against; `skip` says why it cannot run here (null: it can). */
export interface SyncTestTarget {
  readonly name: 'ceph-rgw' | 'fauxqs';
  readonly skip: string | null;
  /**
   * ListParts and ListMultipartUploads work. fauxqs 1.9.2 routes neither: `GET key?uploadId=`
   * is a GetObject (404 NoSuchKey — a resume then starts over, as it must for an unknown upload)
   * and `GET bucket?uploads` is a ListObjects (no uploads).
   */
  readonly listsMultipart: boolean;
  start(): Promise<S3TestServer>;
}

const rgw = rgwAvailable();

/** Ceph RGW (production S3 code) and fauxqs (an emulator with other quirks): both must pass. */
export const syncTestTargets: readonly SyncTestTarget[] = [
  { name: 'ceph-rgw', skip: rgw.ok ? null : rgw.reason, listsMultipart: true, start: startRgw },
  { name: 'fauxqs', skip: null, listsMultipart: false, start: startFauxqsServer },
];

/** Says once per test file why the RGW tests skip. */
export function announceSkips(): void {
  for (const target of syncTestTargets) if (target.skip) console.log(`${target.name} tests skipped: ${target.skip}`);
}

/** A remote on a test server (path-style, us-east-1, access keys). */
export function testRemoteConfig(server: Pick<S3TestServer, 'endpoint'>, bucket: string, overrides: Partial<RemoteConfig> = {}): RemoteConfig {
  return {
    name: 'team',
    endpoint: server.endpoint,
    region: 'us-east-1',
    bucket,
    prefix: 'team/project',
    pathStyle: true,
    auth: 'keys',
    profile: null,
    scope: { experiments: 'all', datasets: 'all', models: 'all', pipelines: true },
    ...overrides,
  };
}
