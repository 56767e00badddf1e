import { useState, type MouseEvent } from 'react';

/** The plot area of a recharts chart drawn with these margins and axis sizes. */
export interface PlotBox {
  readonly width: number;
  readonly height: number;
  readonly margin: { readonly top: number; readonly right: number; readonly bottom: number; readonly left: number };
  readonly yAxisWidth: number;
  readonly xAxisHeight: number;
}

export function plotArea(box: PlotBox): { left: number; top: number; width: number; height: number } {
  const left = box.margin.left + box.yAxisWidth;
  const top = box.margin.top;
  return { left, top, width: Math.max(1, box.width - left - box.margin.right), height: Math.max(1, box.height - top - box.margin.bottom - box.xAxisHeight) };
}

export interface Hover {
  /** Data coordinates of the pointer, in the x domain given. */
  readonly x: number;
  /** Pixels from the frame's left edge, to place the tooltip. */
  readonly left: number;
  readonly top: number;
}

/**
 * The pointer over a chart's plot area, in data coordinates. The charts read it themselves rather
 * than through recharts' tooltip, which pairs series by index and so cannot line up curves whose
 * points sit at different x (every ROC curve has its own false positive rates).
 */
export function usePlotHover(box: PlotBox, domain: readonly [number, number]): {
  hover: Hover | null;
  handlers: { onMouseMove(event: MouseEvent<HTMLElement>): void; onMouseLeave(): void };
} {
  const [hover, setHover] = useState<Hover | null>(null);
  const area = plotArea(box);
  return {
    hover,
    handlers: {
      onMouseMove(event) {
        const rect = event.currentTarget.getBoundingClientRect();
        const left = event.clientX - rect.left;
        const top = event.clientY - rect.top;
        const share = (left - area.left) / area.width;
        if (share < -0.02 || share > 1.02 || top < area.top || top > area.top + area.height) {
          setHover(null);
          return;
        }
        const clamped = Math.min(1, Math.max(0, share));
        setHover({ x: domain[0] + clamped * (domain[1] - domain[0]), left, top });
      },
      onMouseLeave() {
        setHover(null);
      },
    },
  };
}

/** Ticks for a [0, 1] axis. */
export const unitTicks = [0, 0.25, 0.5, 0.75, 1];

export const formatUnit = (value: number): string => (value === 0 || value === 1 ? String(value) : value.toFixed(2).replace(/0$/, ''));
