import { useState, type ReactElement } from 'react';
import { browserStorage } from './column-prefs';

/** A list page's order: the column and its direction. */
export interface ListSort<K extends string> {
  readonly key: K;
  readonly descending: boolean;
}

/** The order kept under `storageKey`, or `fallback` when none (or a corrupt or unknown one) is stored. */
export function storedSort<K extends string>(storageKey: string, sortable: readonly K[], fallback: ListSort<K>): ListSort<K> {
  try {
    const parsed = JSON.parse(browserStorage()?.getItem(storageKey) ?? 'null') as ListSort<K> | null;
    if (parsed && sortable.includes(parsed.key)) return { key: parsed.key, descending: Boolean(parsed.descending) };
  } catch {
    // A corrupt preference only costs the remembered order.
  }
  return fallback;
}

/**
 * The datasets, models and pipelines lists' sorting: a click on a header sorts by it (again:
 * reverses), text columns ascending first and the rest descending; the order is remembered.
 */
export function useStoredSort<K extends string>(storageKey: string, sortable: readonly K[], fallback: ListSort<K>, textKeys: readonly K[]): { sort: ListSort<K>; sortBy: (key: K) => void } {
  const [sort, setSort] = useState<ListSort<K>>(() => storedSort(storageKey, sortable, fallback));
  const sortBy = (key: K): void => {
    const next = { key, descending: sort.key === key ? !sort.descending : !textKeys.includes(key) };
    setSort(next);
    try {
      browserStorage()?.setItem(storageKey, JSON.stringify(next));
    } catch {
      // The order lasts for this session only.
    }
  };
  return { sort, sortBy };
}

/** A sortable column header: click to sort, an arrow on the sorted one, aria-sort for screen readers. */
export function SortHeader<K extends string>({ column, label, sort, onSort, right = false }: { column: K; label: string; sort: ListSort<K>; onSort: (key: K) => void; right?: boolean }): ReactElement {
  const sorted = sort.key === column;
  return (
    <th className={right ? 'right' : undefined} aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'} onClick={() => onSort(column)} title={`Sort by ${label.toLowerCase()}`}>
      {label}
      {sorted ? <span className="sort-arrow" aria-hidden="true">{sort.descending ? '▼' : '▲'}</span> : null}
    </th>
  );
}
