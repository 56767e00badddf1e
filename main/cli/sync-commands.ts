import { readFileSync } from 'node:fs';
import { invalid } from '../../shared/errors';
import { remoteConfigSchema, syncAuthSchema, type RemoteCapabilities, type RemoteCredentials, type SyncReport } from '../../shared/sync';
import { parse, positional, type Command } from './cli-args';
import { printJson, withWorkbench } from './context';
import { formatBytes, formatTable, formatTime } from './format';

/**
 * The keys for `remote add --auth keys`: the id from --access-key-id (or AWS_ACCESS_KEY_ID), the
 * secret from stdin (--secret-stdin) or AWS_SECRET_ACCESS_KEY — never from an argument, which
 * would land in the shell's history and in `ps`.
 */
function credentialsFrom(values: { 'access-key-id'?: string | undefined; 'secret-stdin'?: boolean | undefined }): RemoteCredentials | undefined {
  const accessKeyId = values['access-key-id'] ?? process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = values['secret-stdin'] ? readFileSync(0, 'utf8').trim() : process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) throw invalid('credentials: give both the access key id (--access-key-id or AWS_ACCESS_KEY_ID) and the secret (--secret-stdin or AWS_SECRET_ACCESS_KEY)');
  return { accessKeyId, secretAccessKey, ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}) };
}

function printCapabilities(name: string, capabilities: RemoteCapabilities): void {
  const mark = (value: boolean): string => (value ? 'yes' : 'no ');
  console.log(`Remote ${name}:`);
  console.log(`  ${mark(capabilities.listing)}  lists the bucket (it exists; the credentials work)`);
  console.log(`  ${mark(capabilities.write)}  writes objects`);
  console.log(`  ${mark(capabilities.conditionalCreate)}  refuses to overwrite with If-None-Match`);
  console.log(`  ${mark(capabilities.contentMd5Checked)}  checks Content-MD5`);
  if (capabilities.clockSkewMs !== null && Math.abs(capabilities.clockSkewMs) >= 1000) console.log(`  clock: the server's is ${Math.round(capabilities.clockSkewMs / 1000)} s ${capabilities.clockSkewMs > 0 ? 'ahead of' : 'behind'} ours`);
  for (const note of capabilities.notes) console.log(`  note: ${note}`);
}

const remoteAdd: Command = {
  words: ['remote', 'add'],
  async run(args) {
    const { values, positionals } = parse(args, {
      bucket: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string', default: 'us-east-1' },
      prefix: { type: 'string', default: '' },
      'path-style': { type: 'boolean' },
      auth: { type: 'string', default: 'keys' },
      profile: { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-stdin': { type: 'boolean', default: false },
      'no-test': { type: 'boolean', default: false },
    });
    const name = positional(positionals, 0, 'remote name');
    if (!values.bucket) throw invalid('--bucket: the bucket to sync with is required');
    const auth = syncAuthSchema.parse(values.auth);
    const config = remoteConfigSchema.parse({
      name,
      endpoint: values.endpoint ?? null,
      region: values.region,
      bucket: values.bucket,
      prefix: values.prefix,
      // MinIO, Ceph and the emulators need path-style; AWS (no endpoint) does not.
      pathStyle: values['path-style'] ?? values.endpoint !== undefined,
      auth,
      profile: auth === 'profile' ? (values.profile ?? null) : null,
      scope: {},
    });
    const credentials = auth === 'keys' ? credentialsFrom(values) : undefined;
    return withWorkbench(values.home, async ({ sync }) => {
      const saved = sync.saveRemote(config, credentials);
      const capabilities = values['no-test'] ? null : await sync.testRemote(saved.name);
      if (values.json) return printJson({ remote: sync.list().find((remote) => remote.name === saved.name), capabilities }), 0;
      console.log(`Added remote ${saved.name}: s3://${saved.bucket}/${saved.prefix}${saved.endpoint ? ` at ${saved.endpoint}` : ''}${credentials ? ` (keys kept in ${saved.credentialStore})` : ''}.`);
      if (capabilities) printCapabilities(saved.name, capabilities);
      return 0;
    });
  },
};

const remoteTest: Command = {
  words: ['remote', 'test'],
  async run(args) {
    const { values, positionals } = parse(args, {});
    return withWorkbench(values.home, async ({ sync }) => {
      const name = positionals[0] ?? sync.remotes.only().name;
      const capabilities = await sync.testRemote(name);
      if (values.json) return printJson(capabilities), 0;
      printCapabilities(name, capabilities);
      return 0;
    });
  },
};

const remoteList: Command = {
  words: ['remote', 'list'],
  async run(args) {
    const { values } = parse(args, {});
    return withWorkbench(values.home, ({ sync }) => {
      const remotes = sync.list();
      if (values.json) return printJson(remotes), 0;
      if (remotes.length === 0) return console.log('No remotes. Add one with `trainyard remote add <name> --bucket B [--endpoint URL]`.'), 0;
      console.log(formatTable(['NAME', 'BUCKET', 'ENDPOINT', 'AUTH', 'LAST PUSH', 'LAST PULL'], remotes.map((remote) => [remote.name, `s3://${remote.bucket}/${remote.prefix}`, remote.endpoint ?? '(AWS)', remote.auth, formatTime(remote.lastPushAt), formatTime(remote.lastPullAt)])));
      return 0;
    });
  },
};

const remoteRemove: Command = {
  words: ['remote', 'remove'],
  async run(args) {
    const { values, positionals } = parse(args, {});
    const name = positional(positionals, 0, 'remote name');
    return withWorkbench(values.home, ({ sync }) => {
      sync.removeRemote(name);
      if (!values.json) console.log(`Removed remote ${name} and its stored keys (the bucket is untouched).`);
      return 0;
    });
  },
};

function describeReport(report: SyncReport): string[] {
  const records = (counts: Record<string, number>): string => Object.entries(counts).map(([kind, count]) => `${count} ${kind}`).join(', ') || 'nothing new';
  const verb = report.dryRun ? 'would push' : 'pushed';
  const lines = [
    `${report.dryRun ? 'Dry run: ' : ''}${verb} ${report.pushed.objects} objects (${formatBytes(report.pushed.bytes)}), ${report.pushed.events} events: ${records(report.pushed.records)}`,
    `${report.dryRun ? 'would pull' : 'pulled'} ${report.pulled.objects} objects (${formatBytes(report.pulled.bytes)}), ${report.pulled.events} events: ${records(report.pulled.records)}`,
    `${report.skippedObjects} objects already there; ${(report.durationMs / 1000).toFixed(1)} s`,
  ];
  for (const refused of report.refusedObjects) lines.push(`refused ${refused.oid}: ${refused.reason}`);
  for (const conflict of report.conflicts) lines.push(`conflict (${conflict.kind} ${conflict.entity}): ${conflict.message}`);
  if (report.unsupportedEvents > 0) lines.push(`${report.unsupportedEvents} events from a newer Trainyard were kept, not applied`);
  return lines;
}

/** `trainyard sync [--push|--pull] [--dry-run] [--remote NAME]`: one sync, with a progress line on a terminal. */
const syncCommand: Command = {
  words: ['sync'],
  async run(args) {
    const { values } = parse(args, { remote: { type: 'string' }, push: { type: 'boolean', default: false }, pull: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false } });
    if (values.push && values.pull) throw invalid('--push and --pull: give one, or neither to do both');
    const direction = values.push ? 'push' : values.pull ? 'pull' : 'both';
    return withWorkbench(values.home, async ({ sync }) => {
      const progress = process.stderr.isTTY
        ? sync.onDidProgress((update) => {
            const width = 30;
            const fraction = update.bytesTotal > 0 ? update.bytesDone / update.bytesTotal : update.objectsTotal > 0 ? update.objectsDone / update.objectsTotal : 0;
            const filled = Math.round(Math.min(1, fraction) * width);
            const rate = update.rate > 0 ? ` ${formatBytes(update.rate)}/s` : '';
            const eta = update.etaSeconds !== null ? `, ${Math.ceil(update.etaSeconds)} s left` : '';
            process.stderr.write(`\r\u001b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${update.phase} ${update.objectsDone}/${update.objectsTotal}${rate}${eta}`);
          })
        : null;
      try {
        const report = await sync.run({ remote: values.remote, direction, dryRun: values['dry-run'] });
        if (process.stderr.isTTY) process.stderr.write('\r\u001b[2K');
        if (values.json) return printJson(report), 0;
        for (const line of describeReport(report)) console.log(line);
        return 0;
      } finally {
        progress?.dispose();
      }
    });
  },
};

export const syncCommands: readonly Command[] = [remoteAdd, remoteTest, remoteList, remoteRemove, syncCommand];
