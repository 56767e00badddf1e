/**
 * The small SVG vocabulary the evaluation plots are written in: escaping, number formatting,
 * nice axis ticks, a chart frame with axes and a legend. Every element carries its colours
 * explicitly on a white background, so a plot reads the same in a light or dark UI, in an
 * <img>, or saved as a file; the only font is the generic `sans-serif` (nothing to load).
 */

export const FONT = 'font-family="sans-serif"';
export const INK = '#1f2933';
export const MUTED = '#52606d';
export const GRID = '#e4e7eb';
export const AXIS = '#9aa5b1';
/** Tableau 10: distinguishable, and readable on white. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A name cut to `max` characters, an ellipsis marking the cut. */
export function cut(text: string, max = 18): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** A name cut to `max` characters, escaped. */
export function label(text: string, max = 18): string {
  return escapeXml(cut(text, max));
}

/** A coordinate: rounded to `digits` decimals. Non-finite values are a bug upstream, never drawn as "NaN". */
export function num(value: number, digits = 2): string {
  if (!Number.isFinite(value)) throw new Error(`cannot draw the non-finite coordinate ${value}`);
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** About `count` round tick values (steps of 1, 2 or 5 × 10ⁿ) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): { ticks: number[]; step: number; min: number; max: number } {
  if (!(max > min)) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return niceTicks(min - pad, min + pad, count);
  }
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  // The round step whose interval count is nearest the one asked for.
  const step = [1, 2, 5, 10].map((m) => m * power).reduce((best, candidate) => (Math.abs((max - min) / candidate - count) < Math.abs((max - min) / best - count) ? candidate : best));
  const low = Math.floor(min / step) * step;
  const high = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let i = 0; low + i * step <= high + step / 2; i++) ticks.push(low + i * step);
  return { ticks, step, min: low, max: high };
}

/** A tick's text with as many decimals as its step needs. */
export function tickText(value: number, step: number): string {
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3)) return value.toExponential(1);
  const decimals = Math.min(6, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toFixed(decimals).replace(/^-(0\.?0*)$/, '$1');
}

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  readonly step: number;
  readonly title: string;
}

/** An axis over [0, 1] with ticks every 0.2. */
export function unitAxis(title: string): Axis {
  return { min: 0, max: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], step: 0.2, title };
}

/** An axis with nice ticks over the values' range. */
export function dataAxis(values: readonly number[], title: string): Axis {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (!Number.isFinite(min)) return { ...niceTicks(0, 1), title };
  // A little room so the extreme points are not drawn on the frame.
  const pad = (max - min) * 0.03;
  return { ...niceTicks(min - pad, max + pad), title };
}

/** Maps data to the plot box: x to the right, y up. */
export class Chart {
  constructor(
    readonly box: Box,
    readonly x: Axis,
    readonly y: Axis,
  ) {}

  px(value: number): number {
    return this.box.left + ((value - this.x.min) / (this.x.max - this.x.min)) * this.box.width;
  }

  py(value: number): number {
    return this.box.top + this.box.height - ((value - this.y.min) / (this.y.max - this.y.min)) * this.box.height;
  }

  /** A polyline's points attribute. */
  points(xs: readonly number[], ys: readonly number[]): string {
    return xs.map((x, i) => `${num(this.px(x))},${num(this.py(ys[i]!))}`).join(' ');
  }

  /** Grid, axis lines, tick labels and axis titles. */
  axes(): string {
    const { left, top, width, height } = this.box;
    const bottom = top + height;
    const parts: string[] = [];
    for (const tick of this.x.ticks) {
      const x = num(this.px(tick));
      parts.push(`<line x1="${x}" y1="${num(top)}" x2="${x}" y2="${num(bottom)}" stroke="${GRID}"/>`);
      parts.push(`<text x="${x}" y="${num(bottom + 16)}" text-anchor="middle" font-size="11" fill="${MUTED}">${escapeXml(tickText(tick, this.x.step))}</text>`);
    }
    for (const tick of this.y.ticks) {
      const y = num(this.py(tick));
      parts.push(`<line x1="${num(left)}" y1="${y}" x2="${num(left + width)}" y2="${y}" stroke="${GRID}"/>`);
      parts.push(`<text x="${num(left - 6)}" y="${y}" dy="0.32em" text-anchor="end" font-size="11" fill="${MUTED}">${escapeXml(tickText(tick, this.y.step))}</text>`);
    }
    parts.push(`<rect x="${num(left)}" y="${num(top)}" width="${num(width)}" height="${num(height)}" fill="none" stroke="${AXIS}"/>`);
    parts.push(`<text x="${num(left + width / 2)}" y="${num(bottom + 38)}" text-anchor="middle" font-size="12" fill="${INK}">${escapeXml(this.x.title)}</text>`);
    const cy = num(top + height / 2);
    parts.push(`<text x="16" y="${cy}" transform="rotate(-90 16 ${cy})" text-anchor="middle" font-size="12" fill="${INK}">${escapeXml(this.y.title)}</text>`);
    return parts.join('');
  }

  /** The line y = x across the part of the plot where both axes overlap. */
  diagonal(): string {
    const low = Math.max(this.x.min, this.y.min);
    const high = Math.min(this.x.max, this.y.max);
    if (!(high > low)) return '';
    return `<line x1="${num(this.px(low))}" y1="${num(this.py(low))}" x2="${num(this.px(high))}" y2="${num(this.py(high))}" stroke="${AXIS}" stroke-dasharray="4 4"/>`;
  }
}

export interface LegendEntry {
  /** Plain text (escaped here). */
  readonly text: string;
  readonly colour: string;
  readonly dashed?: boolean;
}

/** Entries stacked in a white box in a lower corner of the plot; past `max`, one "+N more" line. */
export function legend(box: Box, entries: readonly LegendEntry[], corner: 'left' | 'right' = 'right', max = 10): string {
  const shown = entries.slice(0, max);
  const lines = shown.length + (entries.length > max ? 1 : 0);
  if (lines === 0) return '';
  const width = 190;
  const height = lines * 16 + 8;
  const left = corner === 'right' ? box.left + box.width - width - 6 : box.left + 6;
  const top = box.top + box.height - height - 6;
  const parts = [`<rect x="${num(left)}" y="${num(top)}" width="${width}" height="${height}" fill="#ffffff" fill-opacity="0.9" stroke="${GRID}"/>`];
  shown.forEach((entry, i) => {
    const y = top + 12 + i * 16;
    parts.push(`<line x1="${num(left + 8)}" y1="${num(y)}" x2="${num(left + 26)}" y2="${num(y)}" stroke="${entry.colour}" stroke-width="2"${entry.dashed ? ' stroke-dasharray="4 4"' : ''}/>`);
    parts.push(`<text x="${num(left + 32)}" y="${num(y)}" dy="0.32em" font-size="11" fill="${INK}">${escapeXml(entry.text)}</text>`);
  });
  if (entries.length > max) parts.push(`<text x="${num(left + 32)}" y="${num(top + 12 + max * 16)}" dy="0.32em" font-size="11" fill="${MUTED}">+${entries.length - max} more</text>`);
  return parts.join('');
}

/** A whole document: viewBox, white background, title. `body` is markup already escaped. */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" ${FONT} role="img" aria-label="${escapeXml(title)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect x="0" y="0" width="${num(width)}" height="${num(height)}" fill="#ffffff"/>` +
    `<text x="${num(width / 2)}" y="20" text-anchor="middle" font-size="14" font-weight="bold" fill="${INK}">${escapeXml(title)}</text>` +
    body +
    '</svg>'
  );
}
