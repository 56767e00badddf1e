import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, directoryOid, manifestBytes, pythonJsonString } from './dvc-manifest';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('DVC 3 .dir manifests (SEMANTICS.md §1.2 test vectors)', () => {
  it('{one, two} → 6b18131dc289fd37006705affe961ef8.dir', () => {
    const entries = [{ md5: md5('two'), relpath: 'two' }, { md5: md5('one'), relpath: 'one' }];
    expect(manifestBytes(entries).toString()).toBe(
      '[{"md5": "f97c5d29941bfb1b2fdab0874906ab82", "relpath": "one"}, {"md5": "b8a9f715dbb64fd5c56e7783c6820a61", "relpath": "two"}]',
    );
    expect(directoryOid(entries).oid).toBe('6b18131dc289fd37006705affe961ef8.dir');
  });

  it('{bar, foo} → 5ea40360f5b4ec688df672a4db9c17d1.dir', () => {
    expect(directoryOid([{ md5: md5('foo'), relpath: 'foo' }, { md5: md5('bar'), relpath: 'bar' }]).oid).toBe('5ea40360f5b4ec688df672a4db9c17d1.dir');
  });

  it('an empty folder → d751713988987e9331980363e24189ce.dir', () => {
    expect(directoryOid([]).oid).toBe('d751713988987e9331980363e24189ce.dir');
  });

  it('escapes like Python json.dumps(ensure_ascii=True)', () => {
    expect(pythonJsonString('a"b\\c\n\t\u007f')).toBe('"a\\"b\\\\c\\n\\t\\u007f"');
    expect(pythonJsonString('é')).toBe('"\\u00e9"');
    expect(pythonJsonString('😀')).toBe('"\\ud83d\\ude00"');
  });

  it('sorts by code point, not UTF-16 unit', () => {
    // U+FF5E (BMP) sorts before U+1F600 (astral) by code point, after it by UTF-16 unit.
    expect(compareCodePoints('\uff5e', '😀')).toBeLessThan(0);
    expect('\uff5e' < '😀').toBe(false);
  });
});
