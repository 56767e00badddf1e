import type { ReactElement } from 'react';
import type { Run } from '../../../shared/tracking';
import { runValue, valueColors, type RunGroup, type RunKeyOption } from '../../lib/run-groups';
import { useSelectionStore, type CompareGrouping } from '../../stores/selection';

const optionLabel = (option: RunKeyOption): string =>
  option.source === 'parent' ? `Parent run${option.varies ? '' : ' (same for all)'}` : `${option.source === 'tag' ? 'tag ' : ''}${option.name}${option.varies ? '' : ' (same for all)'}`;

/** Group by a param, a tag or the parent run, the band drawn around each group's mean, and what colours the runs. */
export function GroupingControls({ options, grouping, groupBy, colorBy }: { options: readonly RunKeyOption[]; grouping: CompareGrouping; groupBy: string | null; colorBy: string | null }): ReactElement {
  const set = useSelectionStore((state) => state.setGrouping);
  const params = options.filter((option) => option.source === 'param');
  return (
    <div className="compare-controls compare-grouping">
      <label className="compare-smoothing">
        Group by
        <select className="select" value={groupBy ?? ''} onChange={(event) => set({ groupBy: event.target.value || null })} data-testid="group-by">
          <option value="">None</option>
          {options.map((option) => <option key={option.key} value={option.key}>{optionLabel(option)}</option>)}
        </select>
      </label>
      {groupBy !== null ? (
        <>
          <div className="button-group" role="group" aria-label="Band">
            <button type="button" className="button" aria-pressed={grouping.band === 'std'} onClick={() => set({ band: 'std' })} data-testid="band-std">Mean ± std</button>
            <button type="button" className="button" aria-pressed={grouping.band === 'minmax'} onClick={() => set({ band: 'minmax' })} data-testid="band-minmax">Min–max</button>
          </div>
          <label className="compare-smoothing">
            <input type="checkbox" checked={grouping.showRuns} onChange={(event) => set({ showRuns: event.target.checked })} data-testid="show-runs" />
            Show runs
          </label>
        </>
      ) : null}
      <label className="compare-smoothing">
        Colour by
        <select className="select" value={colorBy ?? ''} onChange={(event) => set({ colorBy: event.target.value || null })} data-testid="color-by">
          <option value="">Run</option>
          {params.map((option) => <option key={option.key} value={option.key}>{optionLabel(option)}</option>)}
        </select>
      </label>
    </div>
  );
}

/** What the colours mean: the groups (with their sizes), else the values of the colouring param. */
export function GroupLegend({ groups, runs, colorBy, colors }: { groups: readonly RunGroup[] | null; runs: readonly Run[]; colorBy: string | null; colors: ReadonlyMap<string, string> | null }): ReactElement | null {
  let entries: { label: string; color: string; detail: string }[] = [];
  if (groups) entries = groups.map((group) => ({ label: group.label, color: group.color, detail: `${group.runIds.length} run${group.runIds.length === 1 ? '' : 's'}` }));
  else if (colorBy !== null && colors) {
    const values = runs.map((run) => runValue(run, colorBy));
    entries = [...valueColors(values)].map(([value, color]) => ({ label: value ?? '(none)', color, detail: `${values.filter((one) => one === value).length} runs` }));
  }
  if (entries.length === 0) return null;
  return (
    <ul className="compare-legend" aria-label="Legend" data-testid="compare-legend">
      {entries.map((entry) => (
        <li key={entry.label} className="compare-run" data-testid="legend-entry" data-value={entry.label}>
          <span className="series-swatch" style={{ background: entry.color }} aria-hidden="true" />
          <span className="mono">{entry.label}</span>
          <span className="faint">{entry.detail}</span>
        </li>
      ))}
    </ul>
  );
}
