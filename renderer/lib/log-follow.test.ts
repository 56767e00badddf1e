import { describe, expect, it } from 'vitest';
import { appendSlice, emptyLog, findMatches, isAtBottom, nextPoll, stepMatch, type LogBuffer, type LogSlice } from './log-follow';

/** A log file that grows, read the way the server reads it: from `offset`, at most `maxBytes`, cut at the last newline unless at the end. */
function reader(file: { text: string }, tryNumber = 1) {
  return (offset: number, maxBytes = 1_000): LogSlice => {
    const size = file.text.length;
    if (offset >= size) return { text: '', size, offset: size, tryNumber };
    const length = Math.min(maxBytes, size - offset);
    let chunk = file.text.slice(offset, offset + length);
    const cut = chunk.lastIndexOf('\n');
    if (cut >= 0 && offset + length < size) chunk = chunk.slice(0, cut + 1);
    return { text: chunk, size, offset: offset + chunk.length, tryNumber };
  };
}

describe('following a log', () => {
  it('reads on from the returned offset, joining a line split across reads', () => {
    const file = { text: 'Starting attempt 1\nline 1\nline ' };
    const read = reader(file);
    let buffer = appendSlice(emptyLog(1), read(0));
    expect(buffer).toMatchObject({ offset: 31, size: 31, lines: ['Starting attempt 1', 'line 1', 'line '], open: true });
    expect(nextPoll(buffer, true, true)).toBe('later');

    file.text += '2\nline 3\n';
    buffer = appendSlice(buffer, read(buffer.offset));
    expect(buffer.lines).toEqual(['Starting attempt 1', 'line 1', 'line 2', 'line 3']);
    expect(buffer.open).toBe(false);
    expect(buffer.offset).toBe(file.text.length);

    // Nothing new: the same offset, the same lines.
    const again = appendSlice(buffer, read(buffer.offset));
    expect(again.lines).toBe(buffer.lines);
    expect(again.offset).toBe(buffer.offset);
  });

  it('reads again at once while the file holds more than one slice', () => {
    const file = { text: Array.from({ length: 50 }, (_, index) => `line ${index}`).join('\n') + '\n' };
    const read = reader(file);
    let buffer = emptyLog(1);
    let reads = 0;
    for (;;) {
      const slice = read(buffer.offset, 64);
      buffer = appendSlice(buffer, slice);
      reads += 1;
      const next = nextPoll(buffer, slice.text !== '', false);
      if (next === 'stop') break;
      expect(reads).toBeLessThan(100);
    }
    expect(buffer.lines).toHaveLength(50);
    expect(buffer.lines[49]).toBe('line 49');
    expect(reads).toBeGreaterThan(5);
  });

  it('takes one more read after the attempt ends, and stops when it is empty', () => {
    expect(nextPoll({ offset: 10, size: 10 }, true, true)).toBe('later');
    expect(nextPoll({ offset: 10, size: 10 }, true, false)).toBe('now');
    expect(nextPoll({ offset: 10, size: 10 }, false, false)).toBe('stop');
    expect(nextPoll({ offset: 4, size: 10 }, true, false)).toBe('now');
  });

  it('starts over for another attempt, or when the file got shorter than what was read', () => {
    const first = appendSlice(emptyLog(1), { text: 'a\nb\n', size: 4, offset: 4, tryNumber: 1 });
    const second = appendSlice(first, { text: 'c\n', size: 2, offset: 2, tryNumber: 2 });
    expect(second).toMatchObject({ tryNumber: 2, lines: ['c'], offset: 2 });
    const shrunk = appendSlice(first, { text: '', size: 1, offset: 1, tryNumber: 1 });
    expect(shrunk).toMatchObject({ lines: [], offset: 0, size: 1 });
    expect(nextPoll(shrunk, false, false)).toBe('now');
  });

  it('drops the oldest lines past the cap and counts them', () => {
    let buffer: LogBuffer = emptyLog(1);
    buffer = appendSlice(buffer, { text: '1\n2\n3\n', size: 6, offset: 6, tryNumber: 1 }, 4);
    buffer = appendSlice(buffer, { text: '4\n5\n6\n', size: 12, offset: 12, tryNumber: 1 }, 4);
    expect(buffer.lines).toEqual(['3', '4', '5', '6']);
    expect(buffer.dropped).toBe(2);
  });

  it('knows when the view is scrolled to the end', () => {
    expect(isAtBottom(900, 100, 1000)).toBe(true);
    expect(isAtBottom(895, 100, 1000)).toBe(true);
    expect(isAtBottom(600, 100, 1000)).toBe(false);
  });
});

describe('searching a log', () => {
  const lines = ['Starting attempt 2 of 2', 'ERROR: disk full', 'retrying… error again', 'done'];

  it('finds every case-insensitive match in reading order', () => {
    expect(findMatches(lines, 'error')).toEqual([
      { line: 1, start: 0, end: 5 },
      { line: 2, start: 10, end: 15 },
    ]);
    expect(findMatches(lines, 'a').length).toBe(4);
    expect(findMatches(lines, '')).toEqual([]);
    expect(findMatches(['aaaa'], 'aa')).toEqual([{ line: 0, start: 0, end: 2 }, { line: 0, start: 2, end: 4 }]);
    expect(findMatches(['aaaa'], 'a', 3)).toHaveLength(3);
  });

  it('steps between matches and wraps around', () => {
    expect(stepMatch(-1, 3, false)).toBe(0);
    expect(stepMatch(-1, 3, true)).toBe(2);
    expect(stepMatch(2, 3, false)).toBe(0);
    expect(stepMatch(0, 3, true)).toBe(2);
    expect(stepMatch(0, 0, false)).toBe(-1);
  });
});
