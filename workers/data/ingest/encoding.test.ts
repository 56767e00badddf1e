import { afterAll, describe, expect, it } from 'vitest';
import { detectEncoding, linesAt } from './encoding';
import { readHead } from './file-head';
import { FixtureDir } from './test-fixtures';
import { completeUtf8Length, scanUtf8 } from './utf8';

const dir = new FixtureDir();
afterAll(() => dir.remove());

const detect = async (name: string, content: string | Uint8Array) => detectEncoding(await readHead(dir.write(name, content)));
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('detectEncoding', () => {
  it('reads ASCII and UTF-8 (with or without a byte-order mark) as utf-8', async () => {
    expect(await detect('ascii', 'a,b\n1,2\n')).toEqual({ encoding: 'utf-8', warning: null, ascii: true });
    expect(await detect('utf8', 'name\nJosé\nZoë\n')).toMatchObject({ encoding: 'utf-8', ascii: false });
    expect(await detect('bom', '\ufeffname\nJosé\n')).toMatchObject({ encoding: 'utf-8', warning: null });
  });

  it('takes invalid UTF-8 without any multi-byte character for Latin-1, and warns with the line', async () => {
    const result = await detect('latin', latin1('name,city\nAnn,Paris\nJosé,München\n'));
    expect(result.encoding).toBe('latin-1');
    expect(result.warning).toMatch(/latin .*is not valid UTF-8 \(first at line 3\) and was read as Latin-1/);
  });

  it('refuses a file mixing UTF-8 and Latin-1, naming the line of the first invalid byte', async () => {
    const bytes = Buffer.concat([Buffer.from('name\nJosé\nAnn\n'), latin1('Zoë\n')]);
    await expect(detect('mixed', bytes)).rejects.toThrow(/mixed line 4: mixed encodings: byte 0xeb is not valid UTF-8, yet the file also holds UTF-8 characters \(first on line 2\)/);
    const invalidFirst = Buffer.concat([latin1('name\nZoë\n'), Buffer.from('Ann\nJosé\n')]);
    await expect(detect('mixed2', invalidFirst)).rejects.toThrow(/mixed2 line 2: mixed encodings.*first on line 4/);
  });

  it('keeps a character split across 1 MiB chunks whole', async () => {
    const prefix = 'x'.repeat((1 << 20) - 1);
    const result = await detect('split', `${prefix}é\n`);
    expect(result).toMatchObject({ encoding: 'utf-8', warning: null });
  });

  it('finds an invalid byte far beyond the first 64 KB', async () => {
    const bytes = Buffer.concat([Buffer.from(`é\n${'a,b\n'.repeat(500_000)}`), latin1('ü\n')]);
    await expect(detect('late', bytes)).rejects.toThrow(/late line 500002: mixed encodings/);
  });

  it('reports a truncated sequence at the end of the file', async () => {
    const bytes = Buffer.concat([Buffer.from('é\n'), Buffer.from([0xe2, 0x82])]);
    await expect(detect('truncated', bytes)).rejects.toThrow(/truncated line 2: mixed encodings: byte 0xe2/);
  });

  it('recognizes UTF-16 little-endian by its mark or its zero bytes, and refuses big-endian', async () => {
    const text = Buffer.from('name,city\nJosé,München\n', 'utf16le');
    expect((await detect('u16', Buffer.concat([Buffer.from([0xff, 0xfe]), text]))).encoding).toBe('utf-16');
    expect((await detect('u16-nomark', text)).encoding).toBe('utf-16');
    await expect(detect('u16be', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text).swap16()]))).rejects.toThrow(/UTF-16 big-endian, which cannot be read/);
  });
});

describe('UTF-8 helpers', () => {
  it('cuts a trailing incomplete sequence only', () => {
    expect(completeUtf8Length(Buffer.from([0x61, 0xc3]))).toBe(1);
    expect(completeUtf8Length(Buffer.from([0x61, 0xc3, 0xa9]))).toBe(3);
    expect(completeUtf8Length(Buffer.from([0x61, 0xf0, 0x9f, 0x98]))).toBe(1);
  });

  it('rejects overlongs and surrogates', () => {
    for (const bytes of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      const findings = { firstInvalid: null, firstMultibyte: null };
      scanUtf8(Uint8Array.from(bytes), 10, findings);
      expect(findings).toEqual({ firstInvalid: 10, firstMultibyte: null });
    }
  });

  it('numbers lines of several offsets in one pass', async () => {
    const file = dir.write('lines', 'a\nbb\n\nccc\n');
    expect(await linesAt(file, [7, 0, 2, 4, 5])).toEqual([4, 1, 2, 2, 3]);
  });
});
