import { isAscii, isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { encodingFromMarks, type FileHead, type TextEncoding } from './file-head';
import { IngestCancelled } from './progress';
import { completeUtf8Length, scanUtf8, type Utf8Findings } from './utf8';

/** Bytes per read: large enough that the native checks dominate, small enough to stay cache-friendly. */
const chunkBytes = 1 << 20;

export interface EncodingResult {
  readonly encoding: TextEncoding;
  readonly warning: string | null;
  /** Only ASCII bytes: reads the same in UTF-8 and Latin-1. */
  readonly ascii: boolean;
}

export interface ScanHooks {
  /** Called with the number of bytes read since the last call (progress). */
  readonly onBytes?: (bytes: number) => void;
  readonly cancelled?: () => boolean;
}

/**
 * Decides how to decode a CSV file. A UTF-16 mark decides at once. Otherwise the whole
 * file is read in 1 MiB chunks, because one stray byte gigabytes in would otherwise fail
 * the read (or, with "skip bad rows", silently drop that row): valid UTF-8 → utf-8; invalid
 * bytes and no valid multi-byte character anywhere → latin-1 (every byte is a Latin-1
 * character), with a warning; both → an error, since no single decoding reads it right.
 * Chunks are checked with the native `isAscii`/`isUtf8`; only a chunk that fails is walked in JS.
 */
export async function detectEncoding(head: FileHead, hooks: ScanHooks = {}): Promise<EncodingResult> {
  // A UTF-8 byte-order mark is itself a multi-byte character, so the scan below weighs it.
  if (encodingFromMarks(head) === 'utf-16') return { encoding: 'utf-16', warning: null, ascii: false };
  const findings: Utf8Findings = { firstInvalid: null, firstMultibyte: null };
  // One reused buffer (createReadStream allocates per chunk and ran 25× slower here). A
  // character split across two reads is finished by the next one: its first bytes are moved to
  // the front of the buffer and the next read lands right after them.
  const buffer = Buffer.allocUnsafe(chunkBytes + 4);
  let carried = 0;
  let offset = 0;
  const handle = await open(head.file, 'r');
  try {
    for (;;) {
      if (hooks.cancelled?.()) throw new IngestCancelled();
      const { bytesRead } = await handle.read(buffer, carried, chunkBytes, offset);
      if (bytesRead === 0) break;
      hooks.onBytes?.(bytesRead);
      const chunk = buffer.subarray(0, carried + bytesRead);
      const base = offset - carried;
      const complete = completeUtf8Length(chunk);
      const body = chunk.subarray(0, complete);
      if (!isAscii(body)) {
        if (findings.firstInvalid === null && isUtf8(body)) {
          if (findings.firstMultibyte === null) scanUtf8(body, base, findings);
        } else scanUtf8(body, base, findings);
      }
      carried = chunk.copy(buffer, 0, complete);
      offset += bytesRead;
      if (findings.firstInvalid !== null && findings.firstMultibyte !== null) break;
    }
  } finally {
    await handle.close();
  }
  // A sequence still open at the end of the file is a truncated, invalid one.
  if (carried > 0 && findings.firstInvalid === null) findings.firstInvalid = offset - carried;
  if (findings.firstInvalid === null) return { encoding: 'utf-8', warning: null, ascii: findings.firstMultibyte === null };
  const invalidAt = findings.firstInvalid;
  if (findings.firstMultibyte === null) {
    const [line] = await linesAt(head.file, [invalidAt]);
    return {
      encoding: 'latin-1',
      ascii: false,
      warning: `${head.file} is not valid UTF-8 (first at line ${line}) and was read as Latin-1 (ISO-8859-1); if accented letters look wrong, save the file as UTF-8 and add it again`,
    };
  }
  const [invalidLine, utf8Line] = await linesAt(head.file, [invalidAt, findings.firstMultibyte]);
  const byte = await byteAt(head.file, invalidAt);
  throw new Error(
    `${head.file} line ${invalidLine}: mixed encodings: byte 0x${byte.toString(16).padStart(2, '0')} is not valid UTF-8, ` +
      `yet the file also holds UTF-8 characters (first on line ${utf8Line}); save the whole file in one encoding (UTF-8) and add it again`,
  );
}

/** The 1-based line numbers of byte offsets, found by reading up to the last of them. */
export async function linesAt(file: string, offsets: readonly number[]): Promise<number[]> {
  const last = Math.max(...offsets);
  const sorted = [...offsets].map((offset, index) => ({ offset, index })).sort((a, b) => a.offset - b.offset);
  const lines = new Array<number>(offsets.length).fill(1);
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let newlines = 0;
  let position = 0;
  let next = 0;
  const handle = await open(file, 'r');
  try {
    while (next < sorted.length && position <= last) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, position);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      let at = chunk.indexOf(10);
      while (next < sorted.length) {
        const target = sorted[next]!;
        if (at !== -1 && position + at < target.offset) {
          newlines++;
          at = chunk.indexOf(10, at + 1);
          continue;
        }
        if (target.offset >= position + bytesRead) break;
        lines[target.index] = newlines + 1;
        next++;
      }
      for (; at !== -1; at = chunk.indexOf(10, at + 1)) newlines++;
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  for (; next < sorted.length; next++) lines[sorted[next]!.index] = newlines + 1;
  return lines;
}

async function byteAt(file: string, offset: number): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, offset);
    return byte[0]!;
  } finally {
    await handle.close();
  }
}
