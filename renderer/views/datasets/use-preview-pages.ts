import { useCallback, useEffect, useRef, useState } from 'react';
import type { ColumnSchema, DatasetVersion } from '../../../shared/datasets';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';

/** Rows per `datasets.preview` request: a few screens' worth. */
export const previewPageSize = 200;

type Row = readonly (string | null)[];

export interface PreviewPages {
  readonly columns: readonly ColumnSchema[] | null;
  readonly total: number | null;
  readonly error: string | null;
  /** The row, or undefined while its page is loading. */
  row(index: number): Row | undefined;
  /** Makes sure the pages covering rows [first, last] are loaded or on their way. */
  ensure(first: number, last: number): void;
  retry(): void;
}

/**
 * Pages of a version's rows, fetched as they scroll into view and kept while the tab is open. At
 * most two requests run at once; a page that failed is asked for again only on retry.
 */
export function usePreviewPages(version: DatasetVersion): PreviewPages {
  const pages = useRef(new Map<number, Row[]>());
  const inFlight = useRef(new Set<number>());
  const failed = useRef(new Set<number>());
  const [columns, setColumns] = useState<readonly ColumnSchema[] | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped when a page lands, so the rows re-render.
  const [, setLoadedCount] = useState(0);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const load = useCallback(
    async (page: number): Promise<void> => {
      inFlight.current.add(page);
      try {
        const result = await getApi()['datasets.preview']({ dataset: version.dataset, version: version.version, offset: page * previewPageSize, limit: previewPageSize });
        if (!alive.current) return;
        pages.current.set(page, result.rows);
        setColumns((current) => current ?? result.columns);
        setTotal(result.total);
        setError(null);
        setLoadedCount((count) => count + 1);
      } catch (failure) {
        if (!alive.current) return;
        failed.current.add(page);
        setError(describeError(failure));
      } finally {
        inFlight.current.delete(page);
      }
    },
    [version.dataset, version.version],
  );

  const ensure = useCallback(
    (first: number, last: number): void => {
      const from = Math.floor(Math.max(0, first) / previewPageSize);
      const to = Math.floor(Math.max(0, last) / previewPageSize);
      for (let page = from; page <= to; page += 1) {
        if (pages.current.has(page) || inFlight.current.has(page) || failed.current.has(page)) continue;
        if (inFlight.current.size >= 2) break;
        void load(page);
      }
    },
    [load],
  );

  useEffect(() => {
    ensure(0, 0);
  }, [ensure]);

  return {
    columns,
    total,
    error,
    row: (index) => pages.current.get(Math.floor(index / previewPageSize))?.[index % previewPageSize],
    ensure,
    retry: () => {
      failed.current.clear();
      setError(null);
      ensure(0, 0);
      setLoadedCount((count) => count + 1);
    },
  };
}
