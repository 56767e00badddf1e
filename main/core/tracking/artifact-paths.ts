import { invalid } from '../../../shared/errors';

/**
 * Normalizes a run-relative artifact path to forward slashes and rejects anything that could
 * escape the run: absolute paths, drive letters, `..` segments, NUL bytes.
 */
export function normalizeArtifactPath(path: string, options: { allowRoot?: boolean } = {}): string {
  if (path.includes('\0')) throw invalid(`Artifact path '${path}' contains a NUL byte.`);
  const slashed = path.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) {
    throw invalid(`Artifact path '${path}' is absolute; give a path relative to the run, like 'plots/loss.svg'.`);
  }
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw invalid(`Artifact path '${path}' contains '..'; artifact paths must stay inside the run.`);
  if (segments.length === 0 && !options.allowRoot) throw invalid('Artifact path is empty.');
  return segments.join('/');
}

const mediaTypes: Record<string, string> = {
  txt: 'text/plain', log: 'text/plain', md: 'text/markdown', py: 'text/x-python', yaml: 'text/yaml', yml: 'text/yaml',
  json: 'application/json', csv: 'text/csv', tsv: 'text/tab-separated-values', html: 'text/html',
  svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  onnx: 'application/onnx', parquet: 'application/vnd.apache.parquet', pkl: 'application/octet-stream',
};

export function mediaTypeOf(path: string): string {
  const base = path.split('/').pop() ?? '';
  if (base === 'MLmodel') return 'text/yaml';
  const extension = base.includes('.') ? base.split('.').pop()!.toLowerCase() : '';
  return mediaTypes[extension] ?? 'application/octet-stream';
}

/** Whether a preview can show the bytes as text. */
export function isTextual(mediaType: string): boolean {
  return mediaType.startsWith('text/') || mediaType === 'application/json' || mediaType === 'image/svg+xml';
}
