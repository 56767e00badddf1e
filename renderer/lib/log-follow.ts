/**
 * Following one attempt's log through `pipelines.log`: each call returns a slice from `offset`
 * and the offset to ask from next (cut at a line end, unless one line is longer than the slice).
 * The buffer keeps whole lines, the last one open until its newline arrives; the poll decision
 * reads again at once while the file has more, every ~500 ms while the attempt runs, and once
 * more after it ended (its last lines may land after the previous read) until a read is empty.
 */

export interface LogSlice {
  readonly text: string;
  readonly size: number;
  readonly offset: number;
  readonly tryNumber: number;
}

export interface LogBuffer {
  readonly tryNumber: number;
  /** Where the next read starts. */
  readonly offset: number;
  /** The file's size at the last read. */
  readonly size: number;
  readonly lines: readonly string[];
  /** The last line has not ended yet: the next slice continues it. */
  readonly open: boolean;
  /** Lines dropped from the start to stay under the cap. */
  readonly dropped: number;
}

export const pollIntervalMs = 500;
/** Past this many lines the oldest go, so a chatty task cannot exhaust the page's memory. */
export const maxLogLines = 200_000;

export function emptyLog(tryNumber: number): LogBuffer {
  return { tryNumber, offset: 0, size: 0, lines: [], open: false, dropped: 0 };
}

/** The buffer after a slice; a slice of another attempt, or from before our offset (a new file), starts over. */
export function appendSlice(buffer: LogBuffer, slice: LogSlice, maxLines = maxLogLines): LogBuffer {
  // A file shorter than what was read is not the file that was read: read it again from the start.
  if (slice.size < buffer.offset && slice.tryNumber === buffer.tryNumber) return { ...emptyLog(slice.tryNumber), size: slice.size };
  const base = slice.tryNumber !== buffer.tryNumber ? emptyLog(slice.tryNumber) : buffer;
  if (slice.text === '') return { ...base, offset: Math.max(base.offset, slice.offset), size: slice.size };
  const parts = slice.text.split('\n');
  const open = !slice.text.endsWith('\n');
  if (!open) parts.pop();
  let lines: string[];
  if (base.open && base.lines.length > 0) {
    lines = base.lines.slice(0, -1);
    lines.push(base.lines[base.lines.length - 1]! + parts[0]!);
    for (let index = 1; index < parts.length; index += 1) lines.push(parts[index]!);
  } else {
    lines = base.lines.concat(parts);
  }
  let dropped = base.dropped;
  if (lines.length > maxLines) {
    dropped += lines.length - maxLines;
    lines = lines.slice(lines.length - maxLines);
  }
  return { tryNumber: slice.tryNumber, offset: slice.offset, size: slice.size, lines, open, dropped };
}

/**
 * After a read: `now` while the file holds more than was read, `later` while the attempt may
 * still write, `stop` once it ended and a read came back empty.
 */
export function nextPoll(buffer: Pick<LogBuffer, 'offset' | 'size'>, readSomething: boolean, attemptRunning: boolean): 'now' | 'later' | 'stop' {
  if (buffer.offset < buffer.size) return 'now';
  if (attemptRunning) return 'later';
  return readSomething ? 'now' : 'stop';
}

/** Within this many pixels of the end counts as "at the bottom": new lines keep it there. */
export function isAtBottom(scrollTop: number, clientHeight: number, scrollHeight: number, slack = 8): boolean {
  return scrollHeight - (scrollTop + clientHeight) <= slack;
}

export interface LogMatch {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/** Every case-insensitive occurrence of `query` (at most `limit`), in reading order. */
export function findMatches(lines: readonly string[], query: string, limit = 10_000): LogMatch[] {
  const needle = query.toLowerCase();
  if (needle === '') return [];
  const matches: LogMatch[] = [];
  for (let line = 0; line < lines.length && matches.length < limit; line += 1) {
    const text = lines[line]!.toLowerCase();
    let at = text.indexOf(needle);
    while (at >= 0 && matches.length < limit) {
      matches.push({ line, start: at, end: at + needle.length });
      at = text.indexOf(needle, at + needle.length);
    }
  }
  return matches;
}

/** The match to jump to from `current` (−1: none yet) forwards or backwards, wrapping. */
export function stepMatch(current: number, count: number, backwards: boolean): number {
  if (count === 0) return -1;
  if (current < 0) return backwards ? count - 1 : 0;
  return (current + (backwards ? count - 1 : 1)) % count;
}
