import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeConnection } from '../api/fake-api';
import { setConnection } from '../api/connection';
import { installEventListeners } from '../app-events';
import { buildTreeRows } from '../lib/run-tree';
import { useRunsStore } from './runs';

let fake: ReturnType<typeof createFakeConnection>;
let uninstall: () => void;
const initial = useRunsStore.getState();

beforeEach(() => {
  fake = createFakeConnection();
  setConnection(fake);
  uninstall = installEventListeners(fake);
  useRunsStore.setState(initial, true);
});
afterEach(() => uninstall());

const names = (): string[] => useRunsStore.getState().roots.map((run) => run.name);
const settle = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('runs store', () => {
  it('shows top-level runs as a tree without a filter, and every match flat with one', async () => {
    const parent = await fake.api['runs.create']({ name: 'sweep' });
    await fake.api['runs.create']({ name: 'trial', parentRunId: parent.id, params: [{ key: 'lr', value: '0.1' }] });
    await useRunsStore.getState().reload();
    expect(names()).toEqual(['sweep']);
    expect(useRunsStore.getState().roots[0]?.childCount).toBe(1);

    useRunsStore.getState().applyFilter("params.lr = '0.1'");
    await vi.waitFor(() => expect(names()).toEqual(['trial']));
    expect(fake.backend.calls.at(-1)?.input).toMatchObject({ filter: "params.lr = '0.1'", parentRunId: undefined });
  });

  it('loads children when a run is expanded, and builds the nested rows', async () => {
    const parent = await fake.api['runs.create']({ name: 'sweep' });
    await fake.api['runs.create']({ name: 'trial-1', parentRunId: parent.id });
    await useRunsStore.getState().reload();
    useRunsStore.getState().toggleExpanded(parent.id);
    await vi.waitFor(() => expect(useRunsStore.getState().children[parent.id]?.loading).toBe(false));
    const state = useRunsStore.getState();
    const rows = buildTreeRows(state.roots, state.children, state.expanded);
    expect(rows.map((row) => (row.kind === 'run' ? `${row.depth}:${row.run.name}` : row.text))).toEqual(['0:sweep', '1:trial-1']);
  });

  it('shows the server message for a malformed filter and keeps the last good rows', async () => {
    await fake.api['runs.create']({ name: 'a' });
    await useRunsStore.getState().reload();
    useRunsStore.getState().applyFilter('metrics.acc >>> 1');
    await vi.waitFor(() => expect(useRunsStore.getState().filterError).toMatch(/^Invalid filter at column 1/));
    expect(names()).toEqual(['a']);
    useRunsStore.getState().applyFilter('');
    await vi.waitFor(() => expect(useRunsStore.getState().filterError).toBeNull());
  });

  it('drops the answer to a search that a newer one replaced', async () => {
    await fake.api['runs.create']({ name: 'old' });
    const search = fake.api['runs.search'];
    let release: () => void = () => undefined;
    fake.api['runs.search'] = async (input) => {
      if (input.filter === 'metrics.slow > 0') await new Promise<void>((resolve) => (release = resolve));
      return search(input);
    };
    useRunsStore.getState().applyFilter('metrics.slow > 0');
    useRunsStore.getState().applyFilter('');
    await vi.waitFor(() => expect(names()).toEqual(['old']));
    release();
    await settle(10);
    expect(names()).toEqual(['old']);
    expect(useRunsStore.getState().filter).toBe('');
  });

  it('follows run.created, run.updated and run.deleted events', async () => {
    await useRunsStore.getState().reload();
    const run = await fake.api['runs.create']({ name: 'live' });
    await vi.waitFor(() => expect(names()).toEqual(['live']));
    await fake.api['runs.end']({ id: run.id, status: 'FAILED' });
    await vi.waitFor(() => expect(useRunsStore.getState().roots[0]?.status).toBe('FAILED'));
    await fake.api['runs.delete']({ id: run.id });
    await vi.waitFor(() => expect(names()).toEqual([]));
    expect(useRunsStore.getState().total).toBe(0);
  });

  it('re-reads a run whose params or metrics changed, so its columns stay current', async () => {
    const run = await fake.api['runs.create']({ name: 'r' });
    useRunsStore.getState().setColumns(['metrics.loss']);
    await useRunsStore.getState().reload();
    await fake.api['runs.logBatch']({ runId: run.id, metrics: [{ key: 'loss', value: 0.25, step: 1 }] });
    await vi.waitFor(() => expect(useRunsStore.getState().roots[0]?.metrics.loss?.value).toBe(0.25));
  });

  it('does not re-read runs for logged metrics when no metric column shows them', async () => {
    const run = await fake.api['runs.create']({ name: 'r' });
    await useRunsStore.getState().reload();
    await settle(1100);
    const reads = (): number => fake.backend.calls.filter((call) => call.operation === 'runs.get').length;
    const before = reads();
    await fake.api['runs.logBatch']({ runId: run.id, metrics: [{ key: 'loss', value: 0.25, step: 1 }] });
    await settle(1100);
    expect(reads()).toBe(before);
  });

  it('pages through results without showing a run twice', async () => {
    for (let index = 0; index < 130; index += 1) await fake.api['runs.create']({ name: `run-${index}`, startTime: index });
    await useRunsStore.getState().reload();
    expect(useRunsStore.getState().roots).toHaveLength(100);
    await useRunsStore.getState().loadMore();
    const ids = useRunsStore.getState().roots.map((run) => run.id);
    expect(ids).toHaveLength(130);
    expect(new Set(ids).size).toBe(130);
    expect(useRunsStore.getState().nextPageToken).toBeNull();
  });

  it('sends the sort to the server', async () => {
    useRunsStore.getState().setSort({ column: 'metrics.loss', direction: 'ASC' });
    await vi.waitFor(() => expect(fake.backend.calls.at(-1)?.input).toMatchObject({ orderBy: ['metrics.loss ASC'], parentRunId: null }));
  });
});
