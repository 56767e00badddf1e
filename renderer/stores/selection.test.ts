import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeConnection } from '../api/fake-api';
import { setConnection } from '../api/connection';
import { compareHref, parseRoute } from '../lib/hash-route';
import { parentRunKey } from '../lib/run-groups';
import { useRunsStore } from './runs';
import { defaultGrouping, loadGrouping, loadSelection, selectAllCap, useSelectionStore } from './selection';

// Node has no sessionStorage: a Map-backed one stands in, so persistence is really exercised.
const stored = new Map<string, string>();
vi.stubGlobal('sessionStorage', { getItem: (key: string) => stored.get(key) ?? null, setItem: (key: string, value: string) => void stored.set(key, value) });

let fake: ReturnType<typeof createFakeConnection>;
const initialRuns = useRunsStore.getState();
const ids = (): readonly string[] => useSelectionStore.getState().ids;

beforeEach(() => {
  fake = createFakeConnection();
  setConnection(fake);
  useRunsStore.setState(initialRuns, true);
  useSelectionStore.getState().clear();
  stored.clear();
});

describe('selection store', () => {
  it('toggles runs, keeping the order they were picked in', () => {
    const { toggle } = useSelectionStore.getState();
    toggle('b');
    toggle('a');
    toggle('c');
    toggle('a');
    expect(ids()).toEqual(['b', 'c']);
  });

  it('selects a range between the anchor and a shift-clicked run, in either direction', () => {
    const order = ['r1', 'r2', 'r3', 'r4', 'r5'];
    useSelectionStore.getState().toggle('r2');
    useSelectionStore.getState().extendTo('r4', order);
    expect(ids()).toEqual(['r2', 'r3', 'r4']);
    // The anchor moved to r4: a shift-click above reaches back up from there.
    useSelectionStore.getState().extendTo('r1', order);
    expect(ids()).toEqual(['r2', 'r3', 'r4', 'r1']);
  });

  it('treats a shift-click without an anchor in view as a plain toggle', () => {
    useSelectionStore.getState().extendTo('r3', ['r1', 'r2', 'r3']);
    expect(ids()).toEqual(['r3']);
  });

  it('persists to sessionStorage, so a reload or another page finds the same selection', () => {
    useSelectionStore.getState().replace(['x', 'y', 'x']);
    expect(JSON.parse(stored.get('trainyard.runs.selection') ?? '[]')).toEqual(['x', 'y']);
    expect(loadSelection()).toEqual(['x', 'y']);
    stored.set('trainyard.runs.selection', '{corrupt');
    expect(loadSelection()).toEqual([]);
  });

  it('round-trips through a compare link', () => {
    useSelectionStore.getState().replace(['run-b', 'run-a']);
    const route = parseRoute(compareHref(ids()));
    useSelectionStore.getState().clear();
    if (route.section !== 'compare') throw new Error('not a compare route');
    useSelectionStore.getState().replace(route.runIds);
    expect(ids()).toEqual(['run-b', 'run-a']);
  });

  it("selects every run matching the table's filter, through the same search", async () => {
    const keep = await fake.api['runs.create']({ name: 'keep', params: [{ key: 'lr', value: '0.1' }] });
    await fake.api['runs.create']({ name: 'drop', params: [{ key: 'lr', value: '0.5' }] });
    useRunsStore.setState({ filter: "params.lr = '0.1'" });
    await useSelectionStore.getState().selectAllMatching();
    expect(ids()).toEqual([keep.id]);
    expect(useSelectionStore.getState().notice).toBeNull();
  });

  it('caps "select all" and says so', async () => {
    for (let index = 0; index < selectAllCap + 5; index += 1) await fake.api['runs.create']({ name: `r${index}` });
    await useSelectionStore.getState().selectAllMatching();
    expect(ids()).toHaveLength(selectAllCap);
    expect(useSelectionStore.getState().notice).toMatch(`first ${selectAllCap} of ${selectAllCap + 5} matching runs`);
    useSelectionStore.getState().toggle(ids()[0]!);
    expect(useSelectionStore.getState().notice).toBeNull();
  });
});

describe('selecting a run with its descendants', () => {
  async function tree() {
    const sweep = await fake.api['runs.create']({ name: 'sweep' });
    const trial = await fake.api['runs.create']({ name: 'trial', parentRunId: sweep.id });
    const fold = await fake.api['runs.create']({ name: 'fold', parentRunId: trial.id });
    const other = await fake.api['runs.create']({ name: 'other' });
    return { sweep, trial, fold, other };
  }

  it('adds the run and every run below it, at any depth, to what is selected', async () => {
    const { sweep, trial, fold, other } = await tree();
    useSelectionStore.getState().toggle(other.id);
    await useSelectionStore.getState().toggleWithDescendants(sweep.id);
    expect(ids()[0]).toBe(other.id);
    expect([...ids()].sort()).toEqual([sweep.id, trial.id, fold.id, other.id].sort());
    expect(useSelectionStore.getState().notice).toBeNull();
  });

  it('takes a selected run out with its descendants, leaving the rest', async () => {
    const { sweep, trial, other } = await tree();
    useSelectionStore.getState().replace([other.id, sweep.id]);
    await useSelectionStore.getState().toggleWithDescendants(trial.id);
    await useSelectionStore.getState().toggleWithDescendants(sweep.id);
    expect(ids()).toEqual([other.id]);
  });

  it('stops at the cap and says so', async () => {
    const root = await fake.api['runs.create']({ name: 'root' });
    for (let index = 0; index < selectAllCap + 3; index += 1) await fake.api['runs.create']({ name: `c${index}`, parentRunId: root.id });
    await useSelectionStore.getState().toggleWithDescendants(root.id);
    expect(ids()).toHaveLength(selectAllCap + 1);
    expect(useSelectionStore.getState().notice).toMatch(`first ${selectAllCap} of ${selectAllCap + 3} descendant runs`);
  });
});

describe('compare grouping choices', () => {
  it('persist for the session, and a corrupt or foreign entry falls back to the defaults', () => {
    useSelectionStore.getState().setGrouping({ groupBy: 'param:config', band: 'minmax' });
    useSelectionStore.getState().setGrouping({ showRuns: true });
    expect(loadGrouping()).toEqual({ groupBy: 'param:config', band: 'minmax', colorBy: null, showRuns: true });
    stored.set('trainyard.compare.grouping', '{"groupBy":"metrics.loss","band":"wide","colorBy":7}');
    expect(loadGrouping()).toEqual(defaultGrouping);
    useSelectionStore.getState().setGrouping({ groupBy: parentRunKey });
    expect(loadGrouping().groupBy).toBe(parentRunKey);
    stored.set('trainyard.compare.grouping', 'not json');
    expect(loadGrouping()).toEqual(defaultGrouping);
  });
});
