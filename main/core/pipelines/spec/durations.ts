import { invalid } from '../../../../shared/errors';
import type { Duration } from '../../../../shared/pipelines';

const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };
const term = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;

/**
 * A spec duration in seconds: a number is already seconds; a string is one or more
 * `<number><unit>` terms (ms, s, m, h, d) that add up: `90s`, `5m`, `1h30m`, `1.5h`, `2d 4h`.
 */
export function parseDuration(duration: Duration): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) throw invalid(`A duration must be a non-negative number of seconds, got ${duration}.`);
    return duration;
  }
  const text = duration.trim();
  let seconds = 0;
  let terms = 0;
  term.lastIndex = 0;
  while (term.lastIndex < text.length) {
    const match = term.exec(text);
    if (!match) break;
    seconds += Number(match[1]) * unitSeconds[match[2]!]!;
    terms += 1;
    // Whitespace between terms (`1h 30m`) is allowed, as the schema allows it.
    while (text[term.lastIndex] === ' ' || text[term.lastIndex] === '\t') term.lastIndex += 1;
  }
  if (terms === 0 || term.lastIndex !== text.length) throw invalid(`'${duration}' is not a duration: write 30s, 5m, 1h30m, 2d or a number of seconds.`);
  // Sums of decimal fractions (`0.1s` + `0.2s`) should not come out as 0.30000000000000004.
  return Math.round(seconds * 1e6) / 1e6;
}
