import { afterEach, describe, expect, it } from 'vitest';
import type { RegistryChange } from './event-schema';
import { MemoryBucket } from './memory-bucket';
import { replayRegistry, type OrderedRegistryRecord } from './registry-merge';
import { openHome, sharedObjects, type TestHome } from './test-homes';

const opened: TestHome[] = [];
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const home of opened.splice(0)) await home.dispose();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

let joiner: () => Promise<TestHome>;

/** Alice's clock a second behind Bob's: her changes order first when both are made "at once". */
async function pair(): Promise<[TestHome, TestHome]> {
  const bucket = new MemoryBucket();
  const files = sharedObjects();
  cleanups.push(files.remove);
  const a = await openHome(bucket, files.store, 'alice', { wallClock: () => Date.now() - 1000 });
  const b = await openHome(bucket, files.store, 'bob');
  opened.push(a, b);
  joiner = async () => {
    const home = await openHome(bucket, files.store, 'carol');
    opened.push(home);
    return home;
  };
  return [a, b];
}

async function registerModel(home: TestHome, name: string, bytes: string): Promise<string> {
  const run = home.workbench.tracking.createRun({ name: `train-${bytes}` });
  await home.workbench.artifacts.writeBytes(run.id, 'model/model.onnx', Buffer.from(bytes));
  home.workbench.tracking.endRun(run.id);
  home.workbench.registry.register(run.id, name);
  return run.id;
}

const numbering = (home: TestHome, name: string) => home.workbench.registry.versions(name).map((version) => ({ version: version.version, runId: version.runId })).sort((x, y) => x.version - y.version);
const conflicts = (home: TestHome) => home.workbench.db.prepare('SELECT kind, entity, message FROM sync_conflicts ORDER BY id').all() as Array<{ kind: string; entity: string; message: string }>;

describe('registry merge across homes', () => {
  for (const order of ['alice pushes first', 'bob pushes first'] as const) {
    it(`concurrent registrations of one model get the same numbers on both homes (${order})`, async () => {
      const [a, b] = await pair();
      const runA = await registerModel(a, 'iris', 'model-a');
      const runB = await registerModel(b, 'iris', 'model-b');
      expect(numbering(a, 'iris')).toEqual([{ version: 1, runId: runA }]);
      expect(numbering(b, 'iris')).toEqual([{ version: 1, runId: runB }]);
      const [first, second] = order === 'alice pushes first' ? [a, b] : [b, a];
      await first.push();
      await second.push();
      await first.pull();
      await second.pull();

      const expected = [
        { version: 1, runId: runA },
        { version: 2, runId: runB },
      ];
      expect(numbering(a, 'iris')).toEqual(expected);
      expect(numbering(b, 'iris')).toEqual(expected);
      expect(a.workbench.registry.versionFiles('iris', 2)).toEqual(b.workbench.registry.versionFiles('iris', 2));
      expect(conflicts(a)).toEqual([]);
      expect(conflicts(b)).toEqual([{ kind: 'model-version', entity: 'iris/2', message: 'your version 1 of iris is now version 2: alice registered version 1 first' }]);
      // The model registered here resolves to the teammate's files, fetched before applying.
      expect(await b.workbench.objects.has(a.workbench.registry.versionFiles('iris', 1)[0]!.md5)).toBe(true);

      // Settled: more syncs change nothing, and a new version continues the shared numbering.
      await a.push();
      await b.push();
      await a.pull();
      await b.pull();
      expect(conflicts(b)).toHaveLength(1);
      const runB3 = await registerModel(b, 'iris', 'model-b3');
      await b.push();
      await a.pull();
      expect(numbering(a, 'iris').at(-1)).toEqual({ version: 3, runId: runB3 });
    });
  }

  it('a registration not pushed yet survives a pull that takes its number, and three homes converge', async () => {
    const [a, b] = await pair();
    const runA = await registerModel(a, 'iris', 'model-a');
    const runB = await registerModel(b, 'iris', 'model-b');
    b.workbench.registry.setAlias('iris', 'mine', 1);
    await a.push();
    await b.pull(); // bob has not pushed: his v1 has no place in the shared order yet
    expect(numbering(b, 'iris')).toEqual([
      { version: 1, runId: runA },
      { version: 2, runId: runB },
    ]);
    expect(b.workbench.registry.versionByAlias('iris', 'mine').runId).toBe(runB);
    expect(conflicts(b).map((c) => c.message)).toEqual(['your version 1 of iris is now version 2: alice registered version 1 first']);
    await b.push();
    await a.pull();
    expect(numbering(a, 'iris')).toEqual(numbering(b, 'iris'));
    expect(a.workbench.registry.versionByAlias('iris', 'mine').runId).toBe(runB);

    // A third home joining later computes the same registry from the log alone.
    const carol = await joiner();
    await carol.pull();
    expect(numbering(carol, 'iris')).toEqual(numbering(a, 'iris'));
    expect(carol.workbench.registry.versionByAlias('iris', 'mine').runId).toBe(runB);
    expect(conflicts(carol)).toEqual([]);
  });

  it('racing alias moves end on the same version on both homes; the home that lost is told', async () => {
    const [a, b] = await pair();
    await registerModel(a, 'iris', 'one');
    await registerModel(a, 'iris', 'two');
    await a.push();
    await b.pull();
    a.workbench.registry.setAlias('iris', 'champion', 1);
    b.workbench.registry.setAlias('iris', 'champion', 2);
    a.workbench.registry.transitionStage('iris', 1, 'Production', true);
    b.workbench.registry.transitionStage('iris', 2, 'Production', true);
    await a.push();
    await b.push();
    await a.pull();
    await b.pull();
    for (const home of [a, b]) {
      expect(home.workbench.registry.versionByAlias('iris', 'champion').version).toBe(2);
      expect(home.workbench.registry.versions('iris').map((v) => [v.version, v.stage]).sort()).toEqual([
        [1, 'Archived'],
        [2, 'Production'],
      ]);
    }
    expect(conflicts(b)).toEqual([]);
    expect(conflicts(a).map((c) => c.message)).toEqual(
      expect.arrayContaining(['alias champion moved to v2 by bob after your move to v1', 'version 1 of iris moved to Archived by bob after your move to Production']),
    );
  });

  it('renames, descriptions and tags follow the model to the teammate', async () => {
    const [a, b] = await pair();
    await registerModel(a, 'iris', 'one');
    await a.push();
    await b.pull();
    a.workbench.registry.update('iris', { description: 'flowers', newName: 'iris-classifier' });
    a.workbench.registry.setTag('iris-classifier', 'team', 'ml');
    a.workbench.registry.setTag('iris-classifier', 'quality', 'good', 1);
    a.workbench.registry.updateVersion('iris-classifier', 1, 'first try');
    await a.push();
    await b.pull();
    expect(b.workbench.registry.list().map((model) => model.name)).toEqual(['iris-classifier']);
    const model = b.workbench.registry.get('iris-classifier');
    expect(model.description).toBe('flowers');
    expect(model.tags).toEqual({ team: 'ml' });
    expect(b.workbench.registry.version('iris-classifier', 1)).toMatchObject({ description: 'first try', tags: { quality: 'good' } });
    expect(conflicts(b)).toEqual([]);
    expect(conflicts(a)).toEqual([]);
  });

  it('a version deleted by a teammate goes, and so does a model deleted by one', async () => {
    const [a, b] = await pair();
    await registerModel(a, 'iris', 'one');
    await registerModel(a, 'iris', 'two');
    await registerModel(a, 'wine', 'w');
    await a.push();
    await b.pull();
    b.workbench.registry.deleteVersion('iris', 1);
    b.workbench.registry.delete('wine');
    await b.push();
    await a.pull();
    expect(numbering(a, 'iris').map((v) => v.version)).toEqual([2]);
    expect(a.workbench.registry.list().map((model) => model.name)).toEqual(['iris']);
    expect(conflicts(a).map((c) => c.message)).toEqual(['your version 1 of iris was deleted by bob', 'model wine (with versions you registered) was deleted by bob']);
  });
});

describe('replayRegistry', () => {
  const create = (key: string, number: number): RegistryChange => ({
    op: 'create-version', version: key, number, runId: null, source: 's', artifactPath: 'model', files: [], signature: null, flavor: null, flavors: null, description: '', tags: {}, createdBy: 'x', createdAt: 0,
  });
  const item = (hlc: number, client: string, change: RegistryChange, index = 0): OrderedRegistryRecord => ({
    hlc: `${String(hlc).padStart(15, '0')}.000000`, client, seq: 1, index, author: client, record: { type: 'registry', model: 'm', change, objects: { eager: [], lazy: [] } },
  });

  it('gives the same registry whatever order the records arrive in, and keeps what could not apply', () => {
    const records = [
      item(1, 'b', create('kb', 1)),
      item(1, 'a', create('ka', 1)),
      item(2, 'a', { op: 'set-alias', alias: 'prod', version: 'kb' }),
      item(3, 'b', { op: 'delete-version', version: 'kb' }),
      item(4, 'a', { op: 'set-alias', alias: 'prod', version: 'kb' }),
      item(5, 'c', create('kc', 1)),
    ];
    const forward = replayRegistry(records, 'a');
    const backward = replayRegistry([...records].reverse(), 'a');
    const shape = (result: ReturnType<typeof replayRegistry>) => [...result.models.get('m')!.versions.values()].map((v) => [v.key, v.number, v.deleted?.client ?? null]);
    expect(shape(forward)).toEqual([
      ['ka', 1, null],
      ['kb', 2, 'b'],
      ['kc', 3, null],
    ]);
    expect(shape(backward)).toEqual(shape(forward));
    expect(forward.models.get('m')!.aliases.get('prod')!.version).toBeNull();
    expect(forward.skipped.map((s) => s.reason)).toEqual(["alias 'prod' cannot point at a deleted version"]);
  });
});
