/**
 * Key layout in a team bucket (SEMANTICS.md §1.1, §1.5): content exactly where DVC 3 puts it,
 * `<prefix>/files/md5/<oid[0:2]>/<oid[2:]>` (a `.dir` oid keeps its suffix), and Trainyard's own
 * objects under `<prefix>/.trainyard/`.
 */

/** A file's MD5, or a directory manifest's MD5 + `.dir`. */
export const oidPattern = /^[0-9a-f]{32}(\.dir)?$/;

/** Where the content objects live, relative to the prefix. */
export const contentRoot = 'files/md5/';

/** A key relative to the remote's prefix → the bucket's key. */
export function absoluteKey(prefix: string, relative: string): string {
  return prefix ? `${prefix}/${relative}` : relative;
}

/** A bucket key → relative to the prefix (null when it lies outside). */
export function relativeKey(prefix: string, key: string): string | null {
  if (!prefix) return key;
  return key.startsWith(`${prefix}/`) ? key.slice(prefix.length + 1) : null;
}

/** The content key of an object id, relative to the prefix. */
export function contentKey(oid: string): string {
  if (!oidPattern.test(oid)) throw new Error(`not an object id: ${oid}`);
  return `${contentRoot}${oid.slice(0, 2)}/${oid.slice(2)}`;
}

/**
 * The object id of a relative content key; null for anything else (DVC's `path_to_oid`: exactly
 * two parts below the root, the first two characters long).
 */
export function oidOfKey(relative: string): string | null {
  if (!relative.startsWith(contentRoot)) return null;
  const parts = relative.slice(contentRoot.length).split('/');
  if (parts.length !== 2 || parts[0]!.length !== 2) return null;
  const oid = parts[0]! + parts[1]!;
  return oidPattern.test(oid) ? oid : null;
}

/** The MD5 that an object's bytes must have: the oid without `.dir`. */
export function md5OfOid(oid: string): string {
  return oid.endsWith('.dir') ? oid.slice(0, -4) : oid;
}
