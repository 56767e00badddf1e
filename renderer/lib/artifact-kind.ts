/** How the artifacts browser previews a file. */
export type PreviewKind = 'image' | 'svg' | 'json' | 'csv' | 'text' | 'none';

const textExtensions = new Set(['txt', 'log', 'md', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'py', 'sh', 'ts', 'js', 'html', 'xml', 'sql', 'r', 'ipynb', 'mlmodel', 'jsonl', 'ndjson', 'env']);
const imageExtensions = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'avif']);

export function extensionOf(path: string): string {
  const name = path.split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : name.toLowerCase();
}

/** Picks a preview from the media type the server reports, falling back to the extension. */
export function previewKindOf(path: string, mediaType: string | null): PreviewKind {
  const type = (mediaType ?? '').toLowerCase();
  const extension = extensionOf(path);
  if (type === 'image/svg+xml' || extension === 'svg') return 'svg';
  if (type.startsWith('image/') || imageExtensions.has(extension)) return 'image';
  if (extension === 'json' || type === 'application/json') return 'json';
  if (extension === 'csv' || extension === 'tsv' || type === 'text/csv' || type === 'text/tab-separated-values') return 'csv';
  if (type.startsWith('text/') || textExtensions.has(extension) || type.endsWith('+json') || type === 'application/x-yaml' || type === 'application/yaml') return 'text';
  return 'none';
}

/**
 * Splits CSV text into rows (RFC 4180 quotes, doubled quotes inside), stopping after `maxRows`
 * so a preview of a huge file stays cheap.
 */
export function parseCsv(text: string, maxRows = 200, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (rows.length >= maxRows) return rows;
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
