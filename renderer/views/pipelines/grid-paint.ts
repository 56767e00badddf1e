import { barColor, cellColor, gridGeometry, visibleColumns, type GridModel } from '../../lib/pipeline-grid';

export interface PaintOptions {
  /** CSS pixels of the canvas (the viewport's width, or less when every column fits). */
  readonly width: number;
  readonly height: number;
  readonly scrollLeft: number;
  /** The column under the pointer, shaded. */
  readonly hover: number | null;
  /** The keyboard cursor, outlined (row −1: the bar). */
  readonly cursor: { readonly column: number; readonly row: number } | null;
}

/**
 * Paints the columns of the grid that are in view: a faint band per row, each run's bar, each
 * task instance's cell. Colours of the theme come from the canvas's CSS custom properties, so
 * the grid follows light and dark like the rest of the UI; state colours are Airflow's.
 */
export function paintGrid(canvas: HTMLCanvasElement, model: GridModel, options: PaintOptions): void {
  const { columnWidth, cellWidth, rowHeight, cellHeight, barAreaHeight, barGap } = gridGeometry;
  const ratio = window.devicePixelRatio || 1;
  const pixelWidth = Math.round(options.width * ratio);
  const pixelHeight = Math.round(options.height * ratio);
  if (canvas.width !== pixelWidth) canvas.width = pixelWidth;
  if (canvas.height !== pixelHeight) canvas.height = pixelHeight;
  const context = canvas.getContext('2d');
  if (!context) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, options.width, options.height);

  const style = getComputedStyle(canvas);
  const token = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const rowBand = token('--bg-subtle', '#f6f7f9');
  const hoverBand = token('--bg-selected', '#e6eefc');
  const axis = token('--border', '#e3e6ea');
  const accent = token('--accent', '#2f6fec');
  const rowTop = barAreaHeight + barGap;

  for (let row = 0; row < model.tasks.length; row += 2) {
    context.fillStyle = rowBand;
    context.fillRect(0, rowTop + row * rowHeight, options.width, rowHeight);
  }
  context.fillStyle = axis;
  context.fillRect(0, barAreaHeight, options.width, 1);

  const { first, last } = visibleColumns(options.scrollLeft, options.width, model.columns.length);
  const offsetY = (rowHeight - cellHeight) / 2;
  if (options.hover !== null && options.hover >= first && options.hover <= last) {
    context.fillStyle = hoverBand;
    context.fillRect(options.hover * columnWidth - options.scrollLeft - 2, 0, cellWidth + 4, options.height);
  }
  for (let index = first; index <= last; index += 1) {
    const column = model.columns[index]!;
    const x = index * columnWidth - options.scrollLeft;
    context.fillStyle = barColor(column.state);
    context.fillRect(x, barAreaHeight - column.barHeight, cellWidth, column.barHeight);
    const cells = column.cells;
    for (let row = 0; row < cells.length; row += 1) {
      const color = cellColor(cells[row]!);
      if (color === null) continue;
      context.fillStyle = color;
      context.fillRect(x, rowTop + row * rowHeight + offsetY, cellWidth, cellHeight);
    }
  }
  const cursor = options.cursor;
  if (cursor && cursor.column >= first && cursor.column <= last) {
    const x = cursor.column * columnWidth - options.scrollLeft;
    context.strokeStyle = accent;
    context.lineWidth = 2;
    if (cursor.row < 0) context.strokeRect(x - 1.5, 0.5, cellWidth + 3, barAreaHeight - 1);
    else context.strokeRect(x - 1.5, rowTop + cursor.row * rowHeight + offsetY - 1.5, cellWidth + 3, cellHeight + 3);
  }
}
