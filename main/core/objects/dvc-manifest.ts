import { createHash } from 'node:crypto';

/** One file of a directory object: its MD5 and its path below the directory, with `/`. */
export interface ManifestEntry {
  readonly md5: string;
  readonly relpath: string;
}

/** Python's `str` order: by Unicode code point (JS `<` compares UTF-16 units and differs for astral chars). */
export function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const difference = left[index]!.codePointAt(0)! - right[index]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

const shortEscapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** A JSON string exactly as Python's `json.dumps(..., ensure_ascii=True)` writes it. */
export function pythonJsonString(value: string): string {
  let out = '"';
  for (let index = 0; index < value.length; index++) {
    const char = value[index]!;
    const code = value.charCodeAt(index); // UTF-16 units: astral chars come out as surrogate pairs, as in Python
    if (shortEscapes[char]) out += shortEscapes[char];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/**
 * The bytes of DVC 3's `.dir` manifest (SEMANTICS.md §1.2): entries sorted by relpath in code-point
 * order, serialized like `json.dumps(list, sort_keys=True)` — `", "` and `": "` separators, `md5`
 * before `relpath`, ASCII-only — UTF-8, no trailing newline. Byte-identical output is what makes
 * Trainyard's directory objects the same objects DVC builds.
 */
export function manifestBytes(entries: readonly ManifestEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => compareCodePoints(a.relpath, b.relpath));
  const items = sorted.map((entry) => `{"md5": ${pythonJsonString(entry.md5)}, "relpath": ${pythonJsonString(entry.relpath)}}`);
  return Buffer.from(`[${items.join(', ')}]`, 'utf8');
}

/** A directory's object id: the MD5 of its manifest bytes plus the literal `.dir`. */
export function directoryOid(entries: readonly ManifestEntry[]): { oid: string; bytes: Buffer } {
  const bytes = manifestBytes(entries);
  return { oid: `${createHash('md5').update(bytes).digest('hex')}.dir`, bytes };
}
