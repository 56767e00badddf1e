/**
 * Static shapes with symbolic dims. A dim is a number, a named symbol ("batch") or an unknown
 * (a fresh symbol starting with "?", encoded without a name). Autodiff decides broadcast
 * reductions from these shapes at build time, so a broadcast dim must be a literal 1: two
 * different symbols are assumed equal at run time, never 1 (see README.md).
 */
export type Dim = number | string;
export type Shape = readonly Dim[];

export const isUnknownDim = (dim: Dim): boolean => typeof dim === 'string' && dim.startsWith('?');

export function isStatic(shape: Shape): shape is readonly number[] {
  return shape.every((dim) => typeof dim === 'number');
}

/** Element count when every dim is a number, else null. */
export function staticSize(shape: Shape): number | null {
  return isStatic(shape) ? shape.reduce((a, b) => a * b, 1) : null;
}

export function normalizeAxis(axis: number, rank: number): number {
  const normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= rank) throw new Error(`axis ${axis} is out of range for rank ${rank}`);
  return normalized;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Numpy broadcasting of two shapes. */
export function broadcastShapes(a: Shape, b: Shape): Dim[] {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)]!;
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)]!;
    out.push(broadcastDim(da, db, a, b));
  }
  return out;
}

function broadcastDim(da: Dim, db: Dim, a: Shape, b: Shape): Dim {
  if (da === db || db === 1) return da;
  if (da === 1) return db;
  if (typeof da === 'number' && typeof db === 'number') throw new Error(`shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`);
  // A number beats a symbol (the symbol must equal it at run time); a named symbol beats an unknown.
  if (typeof da === 'number') return da;
  if (typeof db === 'number') return db;
  return isUnknownDim(da) ? db : da;
}

/**
 * Axes of `outShape` that a value of shape `inShape` was broadcast over: the leading axes it
 * lacks, and the axes where it has a literal 1 and the output does not.
 */
export function broadcastAxes(inShape: Shape, outShape: Shape): { leading: number[]; ones: number[] } {
  const offset = outShape.length - inShape.length;
  if (offset < 0) throw new Error(`cannot reduce ${formatShape(outShape)} to the larger ${formatShape(inShape)}`);
  const leading = Array.from({ length: offset }, (_, i) => i);
  const ones: number[] = [];
  inShape.forEach((dim, i) => {
    if (dim === 1 && outShape[i + offset] !== 1) ones.push(i + offset);
  });
  return { leading, ones };
}
