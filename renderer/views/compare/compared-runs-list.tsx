import { useEffect, useMemo, type ReactElement } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Run } from '../../../shared/tracking';
import { CloseIcon } from '../../components/icons';
import { compareTreeOrder } from '../../lib/compare-tree';
import { runHref } from '../../lib/hash-route';
import { seriesColor } from '../../lib/series-color';
import { useRunDetailsStore } from '../../stores/run-details';
import './compared-runs-list.css';

/** How far each level of nesting indents a compared run, in pixels. */
const indentPerLevel = 16;

/**
 * The compared runs as a tree: a run whose parent is compared too sits indented under it, so a
 * sweep → trial → fold selection reads as one. `data-depth` carries the level for tests and styles.
 */
export function ComparedRunsList({ ids, runs, colors, onRemove }: { ids: readonly string[]; runs: readonly Run[]; colors: ReadonlyMap<string, string> | null; onRemove: (runId: string) => void }): ReactElement {
  const entries = useMemo(() => compareTreeOrder(ids, runs), [ids, runs]);
  const byId = useMemo(() => new Map(runs.map((run) => [run.id, run])), [runs]);
  // Chips wrap in a row while the list is flat; nesting only reads as a tree one run per line.
  const nested = entries.some((entry) => entry.depth > 0);
  return (
    <ul className={`compare-runs${nested ? ' compare-runs-tree' : ''}`} aria-label="Compared runs" data-nested={nested}>
      {entries.map(({ id, depth }) => {
        const run = byId.get(id);
        return (
          <li key={id} className="compare-run" data-testid="compare-run" data-run-id={id} data-depth={depth} style={depth > 0 ? { marginLeft: depth * indentPerLevel } : undefined}>
            {depth > 0 ? <span className="faint" aria-hidden="true">└</span> : null}
            <span className="series-swatch" style={{ background: colors?.get(id) ?? seriesColor(id) }} aria-hidden="true" />
            <a href={runHref(id)} title={id}>{run?.name ?? id}</a>
            <button type="button" className="icon-button" onClick={() => onRemove(id)} aria-label={`Remove ${run?.name ?? id} from the comparison`} title="Remove from the comparison">
              <CloseIcon size={10} />
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The names of the compared runs' parents, for "group by parent run" labels. Parents that are not
 * compared themselves are loaded (once each) through the run-details cache.
 */
export function useParentNames(runs: readonly Run[], enabled: boolean): ReadonlyMap<string, string> {
  const parentIds = useMemo(() => [...new Set(runs.flatMap((run) => (run.parentRunId ? [run.parentRunId] : [])))], [runs]);
  const wanted = enabled ? parentIds : [];
  const names = useRunDetailsStore(useShallow((state) => wanted.map((id) => state.details[id]?.run?.name ?? null)));
  const loadMany = useRunDetailsStore((state) => state.loadMany);
  const key = wanted.join(',');
  useEffect(() => {
    if (wanted.length > 0) void loadMany(wanted);
    // key stands for wanted.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, loadMany]);
  return useMemo(() => {
    const map = new Map(runs.map((run) => [run.id, run.name]));
    wanted.forEach((id, index) => {
      const name = names[index];
      if (name) map.set(id, name);
    });
    return map;
    // names is a fresh array only when a name changed (useShallow); key stands for wanted.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runs, names, key]);
}
