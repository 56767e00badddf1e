import { createHash, randomBytes } from 'node:crypto';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { RemoteCapabilities, RemoteConfig } from '../../../shared/sync';
import { absoluteKey, relativeKey } from './keys';
import { describeS3Error, errorInfo, isPreconditionFailed, s3Failure, type S3ErrorContext } from './s3-errors';

/** Pages of a foreign folder counted at most (1,000 keys each), so a probe of a huge shared bucket stays quick. */
const maxForeignPages = 10;
/** A clock further off than this is worth a note (event order uses hybrid logical clocks, but people read times). */
const skewNoteMs = 30_000;

/**
 * The connection test (issue 9 item 1): can we list (the bucket exists and the credentials
 * work), can we write, does the endpoint honour `If-None-Match: *` and check `Content-MD5`, how
 * far off is its clock — and what else lives under the prefix. No retries: a wrong endpoint or
 * key should be reported at once. Test objects go under `<prefix>/.trainyard/probe/` and are
 * removed. A failing step throws a WorkbenchError whose message says what and where.
 */
export async function probeRemote(client: S3Client, config: RemoteConfig, options: { signal?: AbortSignal } = {}): Promise<RemoteCapabilities> {
  const { signal } = options;
  const notes: string[] = [];
  const context = (operation: string, key?: string): S3ErrorContext => ({
    operation,
    bucket: config.bucket,
    ...(key !== undefined ? { key: absoluteKey(config.prefix, key) } : config.prefix ? { key: `${config.prefix}/` } : {}),
    endpoint: config.endpoint,
    region: config.region,
  });
  const send = async <T>(operation: string, key: string | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (signal?.aborted) throw error;
      throw s3Failure(error, context(operation, key));
    }
  };

  // 1. Listing: the bucket exists, the credentials work, and what else is there.
  const listPrefix = config.prefix ? `${config.prefix}/` : '';
  const top = await send('list', undefined, () => listAll(client, config.bucket, listPrefix, '/', 1, signal));
  notes.push(...describeNeighbours(config, top));
  let foreign = top.keys.length;
  let capped = top.truncated;
  for (const folder of top.prefixes) {
    const name = relativeKey(config.prefix, folder) ?? folder;
    if (['files/', '.trainyard/', 'runs/'].includes(name) || /^[0-9a-f]{2}\/$/.test(name)) continue;
    const inside = await send('list', name, () => listAll(client, config.bucket, folder, undefined, maxForeignPages, signal));
    foreign += inside.keys.length;
    capped ||= inside.truncated;
  }
  if (foreign > 0) {
    notes.push(
      `the prefix holds ${capped ? 'at least ' : ''}${foreign} object${foreign === 1 ? '' : 's'} that ${foreign === 1 ? 'is' : 'are'} neither DVC content (files/md5/) nor Trainyard's (.trainyard/) — they are left alone`,
    );
  }

  // 2. A write, and the server's clock from its Date header.
  const probeKey = `.trainyard/probe/${Date.now()}-${randomBytes(8).toString('hex')}`;
  const body = Buffer.from(`Trainyard connection test ${new Date().toISOString()}\n`);
  const md5 = createHash('md5').update(body).digest('base64');
  const sentAt = Date.now();
  const written = await send('write', probeKey, () => putCapturingDate(client, new PutObjectCommand({ Bucket: config.bucket, Key: absoluteKey(config.prefix, probeKey), Body: body, ContentMD5: md5 }), signal));
  const clockSkewMs = written.date ? written.date.getTime() - (sentAt + Date.now()) / 2 : null;
  if (clockSkewMs === null) notes.push('the endpoint sends no Date header: its clock could not be compared with ours');
  else if (Math.abs(clockSkewMs) > skewNoteMs) {
    notes.push(`the server's clock is ${formatSeconds(Math.abs(clockSkewMs))} ${clockSkewMs > 0 ? 'ahead of' : 'behind'} this computer's: check this computer's clock (signed requests fail beyond 15 minutes)`);
  }
  const cleanup = [probeKey];

  try {
    // 3. Conditional create over the key just written.
    let conditionalCreate = false;
    try {
      await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: absoluteKey(config.prefix, probeKey), Body: body, ContentMD5: md5, IfNoneMatch: '*' }), { abortSignal: signal });
      notes.push("the endpoint ignores If-None-Match: a compaction is not safe; sync still is, because every event has a unique key");
    } catch (error) {
      if (signal?.aborted) throw error;
      if (isPreconditionFailed(error)) {
        conditionalCreate = true;
        notes.push('the endpoint honours If-None-Match: * (an existing key is refused with 412): compaction can use conditional writes');
      } else {
        notes.push(`the endpoint refuses conditional writes (${describeS3Error(error, context('write', probeKey))}): a compaction is not safe; sync still is, because every event has a unique key`);
      }
    }

    // 4. A wrong Content-MD5 must be refused.
    const md5Key = `${probeKey}-digest`;
    let contentMd5Checked = false;
    try {
      const wrong = createHash('md5').update('not the body').digest('base64');
      cleanup.push(md5Key);
      await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: absoluteKey(config.prefix, md5Key), Body: body, ContentMD5: wrong }), { abortSignal: signal });
      notes.push('the endpoint does not check Content-MD5 (a wrong digest was stored): uploads are verified by their ETag instead');
    } catch (error) {
      if (signal?.aborted) throw error;
      const info = errorInfo(error);
      if (info.status === 400 || info.name === 'BadDigest' || info.name === 'InvalidDigest') {
        contentMd5Checked = true;
        notes.push('the endpoint checks Content-MD5: a body damaged on the way is refused');
      } else {
        throw s3Failure(error, context('write', md5Key));
      }
    }
    return { testedAt: Date.now(), listing: true, write: true, conditionalCreate, contentMd5Checked, clockSkewMs: clockSkewMs === null ? null : Math.round(clockSkewMs), notes };
  } finally {
    // 5. Leave nothing behind; a user who may write but not delete gets told.
    for (const key of cleanup) {
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: absoluteKey(config.prefix, key) })).catch((error: unknown) => {
        notes.push(`the test object ${absoluteKey(config.prefix, key)} could not be removed (${describeS3Error(error, context('delete', key))})`);
      });
    }
  }
}

interface Listing {
  keys: string[];
  prefixes: string[];
  truncated: boolean;
}

async function listAll(client: S3Client, bucket: string, prefix: string, delimiter: string | undefined, maxPages: number, signal?: AbortSignal): Promise<Listing> {
  const listing: Listing = { keys: [], prefixes: [], truncated: false };
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const response = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, ...(prefix ? { Prefix: prefix } : {}), ...(delimiter ? { Delimiter: delimiter } : {}), ...(token ? { ContinuationToken: token } : {}) }),
      { abortSignal: signal },
    );
    for (const object of response.Contents ?? []) if (object.Key) listing.keys.push(object.Key);
    for (const common of response.CommonPrefixes ?? []) if (common.Prefix) listing.prefixes.push(common.Prefix);
    token = response.IsTruncated ? response.NextContinuationToken : undefined;
    if (!token) return listing;
  }
  listing.truncated = true;
  return listing;
}

/** Notes on DVC content already under the prefix. */
function describeNeighbours(config: RemoteConfig, top: Listing): string[] {
  const names = top.prefixes.map((folder) => relativeKey(config.prefix, folder) ?? folder);
  const notes: string[] = [];
  if (names.includes('files/')) notes.push('the prefix already holds DVC content (files/md5/): objects that are there are not uploaded again');
  if (names.some((name) => /^[0-9a-f]{2}\/$/.test(name))) {
    notes.push('the prefix holds DVC 2.x cache folders (<2 hex>/…): Trainyard writes the DVC 3 layout (files/md5/) and leaves them alone');
  }
  return notes;
}

/** Sends a command and returns the response's Date header as well (the SDK's output drops it). */
async function putCapturingDate(client: S3Client, command: PutObjectCommand, signal?: AbortSignal): Promise<{ date: Date | null }> {
  let header: string | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { headers?: Record<string, string> } | undefined;
      header = response?.headers?.date ?? response?.headers?.Date;
      return result;
    },
    { step: 'deserialize', name: 'trainyardCaptureDate' },
  );
  await client.send(command, { abortSignal: signal });
  const date = header ? new Date(header) : null;
  return { date: date && !Number.isNaN(date.getTime()) ? date : null };
}

function formatSeconds(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} seconds`;
}
