import type { ColumnId } from './columns';

/** Where the chosen param/metric columns are remembered: per experiment, in localStorage. */
export type PrefsStorage = Pick<Storage, 'getItem' | 'setItem'>;

const keyOf = (experimentId: string | null): string => `trainyard.runs.columns.${experimentId ?? 'all'}`;

export function loadColumns(storage: PrefsStorage | null, experimentId: string | null): ColumnId[] {
  try {
    const raw = storage?.getItem(keyOf(experimentId));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((item): item is ColumnId => typeof item === 'string' && (item.startsWith('params.') || item.startsWith('metrics.')));
  } catch {
    // A corrupt or blocked storage only costs the remembered columns.
    return [];
  }
}

export function saveColumns(storage: PrefsStorage | null, experimentId: string | null, columns: readonly ColumnId[]): void {
  try {
    storage?.setItem(keyOf(experimentId), JSON.stringify(columns));
  } catch {
    // Quota or privacy mode: the choice lasts for this session only.
  }
}

/** The browser's localStorage where there is one (not in Node tests). */
export function browserStorage(): PrefsStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
