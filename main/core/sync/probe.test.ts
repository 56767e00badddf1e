import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeRemote } from './probe';
import { createS3Client } from './s3-client';
import { createBucket, type S3TestServer } from './testing/s3-client';
import { announceSkips, syncTestTargets, testRemoteConfig } from './testing/targets';

announceSkips();

/** What each server is known to do (servers.test.ts). */
const expected = {
  'ceph-rgw': { conditionalCreate: true, contentMd5Checked: true },
  fauxqs: { conditionalCreate: false, contentMd5Checked: false },
} as const;

describe.each(syncTestTargets)('probeRemote on $name', (target) => {
  describe.skipIf(target.skip !== null)('', () => {
    let server: S3TestServer;
    let client: S3Client;
    const bucket = 'yard-probe';

    beforeAll(async () => {
      server = await target.start();
      client = createS3Client(testRemoteConfig(server, bucket), server);
      await createBucket(client, bucket);
      // Unrelated objects sharing the prefix, and DVC content that is fine to share it with.
      for (const key of ['team/project/notes.txt', 'team/project/raw/a.csv', 'team/project/raw/b.csv', 'team/project/files/md5/ab/cdef0123456789abcdef0123456789']) {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(key) }));
      }
    }, 60_000);

    afterAll(async () => {
      client?.destroy();
      await server?.stop();
    });

    it('finds what the endpoint supports, says it in words, and leaves nothing behind', async () => {
      const capabilities = await probeRemote(client, testRemoteConfig(server, bucket));
      expect(capabilities).toMatchObject({ listing: true, write: true, ...expected[target.name] });
      expect(Math.abs(capabilities.clockSkewMs!)).toBeLessThan(2_000); // Date has 1 s resolution
      expect(capabilities.notes).toContain("the prefix holds 3 objects that are neither DVC content (files/md5/) nor Trainyard's (.trainyard/) — they are left alone");
      if (!capabilities.conditionalCreate) {
        expect(capabilities.notes).toContain('the endpoint ignores If-None-Match: a compaction is not safe; sync still is, because every event has a unique key');
      }
      const left = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'team/project/.trainyard/' }));
      expect(left.KeyCount ?? 0).toBe(0);
    });

    it('a prefix of its own has no neighbours to note', async () => {
      const capabilities = await probeRemote(client, testRemoteConfig(server, bucket, { prefix: 'elsewhere' }));
      expect(capabilities.notes.join('\n')).not.toMatch(/neither DVC content/);
    });

    it('a missing bucket → an error that names it', async () => {
      await expect(probeRemote(client, testRemoteConfig(server, 'no-such-bucket-here'))).rejects.toThrow(
        `The bucket "no-such-bucket-here" does not exist at ${server.endpoint} (NoSuchBucket)`,
      );
    });

    it('an endpoint where nothing listens → "Cannot reach"', async () => {
      const config = testRemoteConfig({ endpoint: 'http://127.0.0.1:1' }, bucket);
      const nowhere = createS3Client(config, server);
      try {
        await expect(probeRemote(nowhere, config)).rejects.toThrow(/Cannot reach http:\/\/127\.0\.0\.1:1 for list s3:\/\/yard-probe\/team\/project\/: the connection was refused/);
      } finally {
        nowhere.destroy();
      }
    });

    // fauxqs accepts any credentials: only a real server can refuse them.
    it.skipIf(target.name === 'fauxqs')('a wrong secret or key → "credentials", and no secret in the message', async () => {
      const config = testRemoteConfig(server, bucket);
      const secret = 'definitely-the-wrong-secret-0123456789';
      for (const credentials of [
        { accessKeyId: server.accessKeyId, secretAccessKey: secret },
        { accessKeyId: 'NOSUCHACCESSKEY00000', secretAccessKey: secret },
      ]) {
        const wrong = createS3Client(config, credentials);
        try {
          const error = await probeRemote(wrong, config).then(
            () => null,
            (caught: Error) => caught,
          );
          expect(error?.message).toMatch(/credentials were refused by http:\/\/127\.0\.0\.1:\d+ \((SignatureDoesNotMatch|InvalidAccessKeyId)\)/);
          expect(error?.message).not.toContain(secret);
          expect(error?.message).not.toContain(credentials.accessKeyId);
        } finally {
          wrong.destroy();
        }
      }
    });
  });
});

describe('createS3Client credentials', () => {
  const config = testRemoteConfig({ endpoint: 'http://127.0.0.1:1' }, 'any-bucket');

  it('keys without stored credentials → a clear error', () => {
    expect(() => createS3Client(config, null)).toThrow(/uses an access key, but none is stored/);
  });

  it('environment: missing variables are named, values never shown', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret-value';
    const client = createS3Client({ ...config, auth: 'environment' }, null);
    try {
      await expect(client.send(new ListObjectsV2Command({ Bucket: 'any-bucket' }))).rejects.toThrow(/AWS_ACCESS_KEY_ID is not set/);
    } finally {
      client.destroy();
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      else process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });

  it('profile: the named profile is what the client signs with', async () => {
    const client = createS3Client({ ...config, auth: 'profile', profile: 'team-profile' }, null);
    try {
      expect(await client.config.profile).toBe('team-profile');
    } finally {
      client.destroy();
    }
  });
});
