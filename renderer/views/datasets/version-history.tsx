import { useEffect, useRef, type ReactElement } from 'react';
import type { DatasetVersion } from '../../../shared/datasets';
import { CopyId } from '../../components/copy-id';
import { formatBytes, formatTimestamp } from '../../lib/format';
import { datasetHref, type DatasetTab } from '../../lib/hash-route';
import { navigate } from '../../lib/use-route';
import { useListKeyboard } from './use-list-keyboard';

const byLabels: Record<DatasetVersion['createdBy']['kind'], string> = { user: 'import', transform: 'transform', pipeline: 'pipeline' };

/** Every version of the dataset, newest first; a click (or j / k) shows that version below. */
export function VersionHistory({ versions, selected, tab }: { versions: readonly DatasetVersion[]; selected: number; tab: DatasetTab }): ReactElement {
  const body = useRef<HTMLTableSectionElement>(null);
  const show = (version: number): void => navigate(datasetHref(versions[0]!.dataset, version, tab));
  const keys = versions.map((version) => String(version.version));
  // j/k only: the arrows scroll the tab below (the preview's rows, a long profile).
  useListKeyboard(keys, String(selected), { select: (key) => show(Number(key)), open: (key) => show(Number(key)) }, true);
  useEffect(() => {
    body.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return (
    <div className="versions" data-testid="version-history">
      <table className="data-table versions-table" aria-label="Versions">
        <colgroup>
          <col style={{ width: 96 }} />
          <col style={{ width: 170 }} />
          <col style={{ width: 170 }} />
          <col style={{ width: 110 }} />
          <col style={{ width: 100 }} />
          <col style={{ width: 140 }} />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th>Version</th>
            <th>Created</th>
            <th>By</th>
            <th className="right">Rows</th>
            <th className="right">Size</th>
            <th>Object id</th>
            <th>Parents</th>
          </tr>
        </thead>
        <tbody ref={body}>
          {versions.map((version) => (
            <tr key={version.id} aria-selected={version.version === selected} onClick={() => show(version.version)} data-testid="version-row" data-version={version.version}>
              <td className="numeric"><strong>v{version.version}</strong></td>
              <td className="numeric muted">{formatTimestamp(version.createdAt)}</td>
              <td>
                <span className="created-by" data-kind={version.createdBy.kind} title={version.createdBy.detail ?? undefined}>
                  {byLabels[version.createdBy.kind]}{version.createdBy.detail ? ` · ${version.createdBy.detail}` : ''}
                </span>
              </td>
              <td className="right numeric">{version.rowCount.toLocaleString('en-US')}</td>
              <td className="right numeric">{formatBytes(version.sizeBytes)}</td>
              <td onClick={(event) => event.stopPropagation()}><CopyId id={version.oid} label="object id" /></td>
              <td className="parent-links">
                {version.parents.length === 0 ? <span className="faint">—</span> : version.parents.map((parent) => (
                  <a key={`${parent.dataset}@${parent.version}`} href={datasetHref(parent.dataset, parent.version)} onClick={(event) => event.stopPropagation()}>
                    {parent.dataset === version.dataset ? `v${parent.version}` : `${parent.dataset} v${parent.version}`}
                  </a>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
