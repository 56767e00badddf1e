import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { ArtifactEntry } from '../../../shared/tracking';
import { describeError } from '../../api/api-error';
import { getApi } from '../../api/connection';
import { EmptyState } from '../../components/empty-state';
import { FileIcon, FolderIcon } from '../../components/icons';
import { formatBytes } from '../../lib/format';
import { ArtifactPreview } from './artifact-preview';
import './artifacts.css';

const nameOf = (path: string): string => path.split('/').filter(Boolean).pop() ?? path;

/** Folder-by-folder browser of a run's artifacts, with a preview of the selected file. */
export function ArtifactsPanel({ runId }: { runId: string }): ReactElement {
  const [folder, setFolder] = useState('');
  const [entries, setEntries] = useState<readonly ArtifactEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ArtifactEntry | null>(null);

  const list = useCallback(async (path: string, isCurrent: () => boolean) => {
    setEntries(null);
    setError(null);
    try {
      const result = await getApi()['artifacts.list']({ runId, path });
      if (isCurrent()) setEntries(result);
    } catch (failure) {
      if (isCurrent()) setError(describeError(failure));
    }
  }, [runId]);

  useEffect(() => {
    let current = true;
    void list(folder, () => current);
    return () => {
      current = false;
    };
  }, [folder, list]);

  const crumbs = folder === '' ? [] : folder.split('/').filter(Boolean);
  return (
    <div className="artifacts" data-testid="artifacts-panel">
      <div className="artifacts-list">
        <div className="breadcrumbs" aria-label="Folder">
          <button type="button" className="crumb" onClick={() => setFolder('')}>artifacts</button>
          {crumbs.map((crumb, index) => (
            <span key={index}>
              <span className="crumb-sep">/</span>
              <button type="button" className="crumb" onClick={() => setFolder(crumbs.slice(0, index + 1).join('/'))}>{crumb}</button>
            </span>
          ))}
        </div>
        {error ? (
          <div className="inline-error artifacts-message">
            Could not list {folder === '' ? 'the artifacts' : `“${folder}”`}: {error}{' '}
            <button type="button" className="button" onClick={() => void list(folder, () => true)}>Retry</button>
          </div>
        ) : entries === null ? (
          <div className="faint artifacts-message">Loading…</div>
        ) : entries.length === 0 ? (
          folder === '' ? (
            <EmptyState title="No artifacts" testId="artifacts-empty">
              Files a run saves (plots, reports, models) show here. Store one with artifacts.write or mlflow.log_artifact.
            </EmptyState>
          ) : (
            <div className="faint artifacts-message">This folder is empty.</div>
          )
        ) : (
          <ul className="artifact-entries">
            {folder !== '' ? (
              <li>
                <button type="button" className="artifact-entry" onClick={() => setFolder(crumbs.slice(0, -1).join('/'))}>
                  <FolderIcon size={14} /> <span className="artifact-name">..</span>
                </button>
              </li>
            ) : null}
            {entries.map((entry) => (
              <li key={entry.path}>
                <button
                  type="button"
                  className="artifact-entry"
                  aria-selected={selected?.path === entry.path}
                  onClick={() => (entry.isDir ? setFolder(entry.path) : setSelected(entry))}
                  data-testid="artifact-entry"
                  data-path={entry.path}
                >
                  {entry.isDir ? <FolderIcon size={14} /> : <FileIcon size={14} />}
                  <span className="artifact-name">{nameOf(entry.path)}</span>
                  {entry.isDir ? null : <span className="artifact-size numeric">{formatBytes(entry.size)}</span>}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="artifact-preview-pane">
        {selected ? <ArtifactPreview key={selected.path} runId={runId} entry={selected} /> : <div className="faint artifacts-message">Select a file to preview it.</div>}
      </div>
    </div>
  );
}
