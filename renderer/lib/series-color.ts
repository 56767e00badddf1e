/**
 * A run's series colour, the same in every chart and legend: a stable hash of its id picks one
 * of a dozen hues that stay readable on both the light and the dark background. A palette (not
 * a raw hue) keeps neighbouring runs visibly different.
 */
export const seriesPalette = [
  '#3b82f6', // blue
  '#f97316', // orange
  '#10b981', // emerald
  '#e11d48', // rose
  '#8b5cf6', // violet
  '#0ea5e9', // sky
  '#eab308', // yellow
  '#14b8a6', // teal
  '#d946ef', // fuchsia
  '#84cc16', // lime
  '#f43f5e', // red-pink
  '#6366f1', // indigo
] as const;

/** 32-bit FNV-1a: fast, dependency-free, and spreads similar ids (hex counters) well. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function seriesColor(runId: string): string {
  return seriesPalette[hashString(runId) % seriesPalette.length] ?? seriesPalette[0];
}
