import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { completeUtf8Length } from './utf8';

/** How much of a file the quick checks look at: enough for the header and a sample of rows. */
export const headBytes = 64 * 1024;

export type TextEncoding = 'utf-8' | 'utf-16' | 'latin-1';

/** The first bytes of a file and its size: everything the quick checks need, read once. */
export interface FileHead {
  readonly file: string;
  readonly size: number;
  readonly bytes: Buffer;
}

export async function readHead(file: string, length = headBytes): Promise<FileHead> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read: ${code ?? String(error)}`);
  }
  try {
    const size = (await handle.stat()).size;
    const bytes = Buffer.alloc(Math.min(size, length));
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    return { file, size, bytes: bytes.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}

export function assertNotEmpty(head: FileHead): void {
  if (head.size === 0) throw new Error(`${head.file} is empty`);
}

/**
 * The encoding a byte-order mark (or, for UTF-16 without one, the zero high bytes of ASCII text)
 * names; null when the bytes say nothing and the content has to decide. UTF-16 big-endian and
 * UTF-32 are refused: DuckDB reads only little-endian UTF-16 (it returns no rows for BE files).
 */
export function encodingFromMarks(head: FileHead): TextEncoding | null {
  const b = head.bytes;
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) throw unsupported(head.file, 'UTF-32');
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16';
  if (b[0] === 0xfe && b[1] === 0xff) throw unsupported(head.file, 'UTF-16 big-endian');
  const pairs = Math.floor(b.length / 2);
  if (pairs < 2) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i + 1 < b.length; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  // ASCII text in UTF-16LE has a zero in almost every odd byte and almost none in the even ones.
  if (oddZeros > pairs * 0.9 && evenZeros < pairs * 0.1) return 'utf-16';
  if (evenZeros > pairs * 0.9 && oddZeros < pairs * 0.1) throw unsupported(head.file, 'UTF-16 big-endian');
  return null;
}

function unsupported(file: string, encoding: string): Error {
  return new Error(`${file} is encoded as ${encoding}, which cannot be read; save it as UTF-8 (or UTF-16 little-endian) and add it again`);
}

/**
 * Refuses files that are not text. NUL bytes never occur in UTF-8 or Latin-1 text; other control
 * bytes are rare (tabs, line ends and form feeds excepted); and a sample that is not UTF-8 yet is
 * mostly high bytes is not Western text either. The message names known binary formats, since a
 * compressed CSV or a Parquet file picked as CSV are the usual causes.
 */
export function assertText(head: FileHead): void {
  const b = head.bytes;
  let nul = 0;
  let control = 0;
  let high = 0;
  for (const byte of b) {
    if (byte === 0) nul++;
    else if ((byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 12 && byte !== 13) || byte === 0x7f) control++;
    else if (byte >= 0x80) high++;
  }
  const reason =
    nul > 0
      ? 'it contains NUL bytes'
      : control > b.length * 0.01
        ? 'it is full of control bytes'
        : high > b.length * 0.3 && !isUtf8(b.subarray(0, completeUtf8Length(b)))
          ? 'most of its bytes are neither ASCII nor UTF-8'
          : null;
  if (reason === null) return;
  const kind = knownBinaryFormat(b);
  throw new Error(`${head.file} does not look like a text file (${reason} in the first ${Math.ceil(b.length / 1024)} KB)${kind ? `; it looks like ${kind}` : ''}`);
}

function knownBinaryFormat(b: Buffer): string | null {
  const starts = (...bytes: number[]): boolean => bytes.every((value, index) => b[index] === value);
  if (starts(0x1f, 0x8b)) return 'a gzip-compressed file: decompress it first';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a ZIP archive (or an Excel workbook): extract or export it as CSV first';
  if (starts(0x50, 0x41, 0x52, 0x31)) return 'a Parquet file: add it as Parquet';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'a zstd-compressed file: decompress it first';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'a PDF document';
  return null;
}

/** The head decoded as text, without a byte-order mark; a sequence cut at the end is dropped. */
export function decodeHead(head: FileHead, encoding: TextEncoding): string {
  if (encoding === 'utf-16') return new TextDecoder('utf-16le').decode(head.bytes.subarray(0, head.bytes.length & ~1));
  if (encoding === 'latin-1') return new TextDecoder('latin1').decode(head.bytes);
  return new TextDecoder('utf-8').decode(head.bytes.subarray(0, completeUtf8Length(head.bytes)));
}
