import { describe, expect, it } from 'vitest';
import { wholeUtf8 } from './pipeline-handlers';

describe('log slices', () => {
  it('never end inside a UTF-8 sequence', () => {
    const bytes = Buffer.from('ab€d'); // € is 3 bytes: e2 82 ac
    expect(wholeUtf8(bytes, 2)).toBe(2);
    expect(wholeUtf8(bytes, 3)).toBe(2);
    expect(wholeUtf8(bytes, 4)).toBe(2);
    expect(wholeUtf8(bytes, 5)).toBe(5);
    expect(wholeUtf8(Buffer.from('😀'), 3)).toBe(0);
  });
});
