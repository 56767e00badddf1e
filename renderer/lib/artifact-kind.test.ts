import { describe, expect, it } from 'vitest';
import { parseCsv, previewKindOf } from './artifact-kind';

describe('previewKindOf', () => {
  it('previews by media type, then by extension', () => {
    expect(previewKindOf('plots/loss.png', 'image/png')).toBe('image');
    expect(previewKindOf('model.svg', null)).toBe('svg');
    expect(previewKindOf('metrics.json', 'application/octet-stream')).toBe('json');
    expect(previewKindOf('data/train.csv', null)).toBe('csv');
    expect(previewKindOf('notes.md', null)).toBe('text');
    expect(previewKindOf('model.onnx', 'application/octet-stream')).toBe('none');
  });
});

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes and CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\n1,2')).toEqual([['a', 'b'], ['x, y', 'say "hi"'], ['1', '2']]);
  });

  it('stops after the row budget', () => {
    expect(parseCsv('1\n2\n3\n4\n', 2)).toEqual([['1'], ['2']]);
  });
});
