import { useEffect, useState, type ReactElement } from 'react';
import type { ArtifactContent, ArtifactEntry } from '../../../shared/tracking';
import { describeError } from '../../api/api-error';
import { getApi, getConnection } from '../../api/connection';
import { parseCsv, previewKindOf, extensionOf, type PreviewKind } from '../../lib/artifact-kind';
import { formatBytes } from '../../lib/format';

/** Text previews stop here; the rest of a big log is not worth the wire. */
const textPreviewBytes = 1_000_000;

type Loaded = { content: ArtifactContent } | { error: string } | null;

/** Shows one artifact: text, pretty JSON, a CSV table, or an image (SVG included). */
export function ArtifactPreview({ runId, entry }: { runId: string; entry: ArtifactEntry }): ReactElement {
  const kind = previewKindOf(entry.path, entry.mediaType);
  const url = kind === 'image' || kind === 'svg' ? getConnection().artifactUrl(runId, entry.path) : null;
  // Browser mode loads images straight from the artifact URL; everything else reads through the API.
  const needsRead = kind !== 'none' && url === null;
  const [loaded, setLoaded] = useState<Loaded>(null);

  useEffect(() => {
    if (!needsRead) return;
    let current = true;
    getApi()['artifacts.read']({ runId, path: entry.path, maxBytes: kind === 'image' || kind === 'svg' ? 20_000_000 : textPreviewBytes }).then(
      (content) => current && setLoaded({ content }),
      (error: unknown) => current && setLoaded({ error: describeError(error) }),
    );
    return () => {
      current = false;
    };
  }, [runId, entry.path, kind, needsRead]);

  return (
    <div className="artifact-preview" data-testid="artifact-preview" data-kind={kind}>
      <div className="preview-header">
        <span className="mono preview-path" title={entry.path}>{entry.path}</span>
        <span className="faint numeric">{formatBytes(entry.size)}{entry.mediaType ? ` · ${entry.mediaType}` : ''}</span>
      </div>
      <div className="preview-body">{renderBody(kind, url, needsRead ? loaded : null, entry)}</div>
    </div>
  );
}

function renderBody(kind: PreviewKind, url: string | null, loaded: Loaded, entry: ArtifactEntry): ReactElement {
  if (kind === 'none') {
    return <div className="faint">No preview for {entry.mediaType ?? `.${extensionOf(entry.path)}`} files. It is stored by content hash{entry.md5 ? ` (md5 ${entry.md5})` : ''}.</div>;
  }
  if (url !== null) return <img className="preview-image" src={url} alt={entry.path} data-testid="artifact-image" />;
  if (loaded === null) return <div className="faint">Loading…</div>;
  if ('error' in loaded) return <div className="inline-error">Could not read {entry.path}: {loaded.error}</div>;
  const { content } = loaded;
  const truncated = content.truncated ? <div className="preview-note">Showing the first {formatBytes(content.content.length)} of {formatBytes(content.size)}.</div> : null;
  if (kind === 'image' || kind === 'svg') {
    const src = content.encoding === 'base64' ? `data:${content.mediaType};base64,${content.content}` : `data:${content.mediaType};charset=utf-8,${encodeURIComponent(content.content)}`;
    return <img className="preview-image" src={src} alt={entry.path} data-testid="artifact-image" />;
  }
  const text = content.encoding === 'base64' ? safeAtob(content.content) : content.content;
  if (kind === 'json' && !content.truncated) {
    try {
      return <pre className="preview-text" data-testid="artifact-json">{JSON.stringify(JSON.parse(text), null, 2)}</pre>;
    } catch {
      // Not valid JSON after all: show it as text below.
    }
  }
  if (kind === 'csv') {
    const rows = parseCsv(text, 200, extensionOf(entry.path) === 'tsv' ? '\t' : ',');
    const [header = [], ...body] = rows;
    return (
      <>
        {truncated}
        <table className="preview-csv" data-testid="artifact-csv">
          <thead>
            <tr>{header.map((cell, index) => <th key={index}>{cell}</th>)}</tr>
          </thead>
          <tbody>
            {body.map((row, rowIndex) => (
              <tr key={rowIndex}>{row.map((cell, index) => <td key={index}>{cell}</td>)}</tr>
            ))}
          </tbody>
        </table>
        {rows.length >= 200 ? <div className="preview-note">First 199 rows shown.</div> : null}
      </>
    );
  }
  return (
    <>
      {truncated}
      <pre className="preview-text" data-testid="artifact-text">{text}</pre>
    </>
  );
}

function safeAtob(base64: string): string {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
  } catch {
    return '(binary content)';
  }
}
