/**
 * The evaluation plots as self-contained SVG strings (no scripts, no external fonts or images),
 * drawn from the same data the UI gets to draw them interactively (report.ts). Class names are
 * user data: always escaped, and cut to a readable length (the full names are in the data).
 */
import type { CalibrationData, ConfusionData, PrData, RegressionReport, RocData } from './report';
import { AXIS, Chart, GRID, INK, MUTED, PALETTE, cut, dataAxis, escapeXml, label, legend, niceTicks, num, svgDocument, unitAxis } from './svg';

const WIDTH = 520;
const HEIGHT = 420;
const PLOT = { left: 64, top: 36, width: WIDTH - 64 - 20, height: HEIGHT - 36 - 56 };

const colour = (i: number): string => PALETTE[i % PALETTE.length]!;

/** Counts in each cell, shaded by the share of its row (recall per true class), class names on both axes. */
export function confusionMatrixSvg(data: ConfusionData): string {
  const k = data.classes.length;
  const cell = Math.max(6, Math.min(60, Math.floor(400 / Math.max(k, 1))));
  const names = cell >= 10;
  const left = names ? 130 : 40;
  const top = 40;
  const size = k * cell;
  const width = left + size + 24;
  const height = top + size + (names ? 110 : 40);
  const parts: string[] = [];
  const fontSize = Math.min(12, Math.max(7, Math.floor(cell / 3)));
  data.counts.forEach((row, t) => {
    const total = row.reduce((sum, value) => sum + value, 0);
    row.forEach((count, p) => {
      const share = total === 0 ? 0 : count / total;
      const x = left + p * cell;
      const y = top + t * cell;
      const tip = `${escapeXml(data.classes[t]!)} predicted as ${escapeXml(data.classes[p]!)}: ${count} (${num(share * 100, 1)}% of the row)`;
      parts.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(cell)}" height="${num(cell)}" fill="${shade(share)}" stroke="#ffffff"><title>${tip}</title></rect>`);
      if (cell >= 22) parts.push(`<text x="${num(x + cell / 2)}" y="${num(y + cell / 2)}" dy="0.32em" text-anchor="middle" font-size="${fontSize}" fill="${share > 0.5 ? '#ffffff' : INK}">${count}</text>`);
    });
  });
  if (names) {
    data.classes.forEach((name, i) => {
      const middle = i * cell + cell / 2;
      parts.push(`<text x="${num(left - 6)}" y="${num(top + middle)}" dy="0.32em" text-anchor="end" font-size="${fontSize}" fill="${INK}">${label(name)}</text>`);
      const x = num(left + middle);
      const y = num(top + size + 8);
      parts.push(`<text x="${x}" y="${y}" transform="rotate(-45 ${x} ${y})" text-anchor="end" dy="0.32em" font-size="${fontSize}" fill="${INK}">${label(name)}</text>`);
    });
  }
  parts.push(`<rect x="${num(left)}" y="${num(top)}" width="${num(size)}" height="${num(size)}" fill="none" stroke="${AXIS}"/>`);
  parts.push(`<text x="${num(left + size / 2)}" y="${num(height - 8)}" text-anchor="middle" font-size="12" fill="${INK}">Predicted</text>`);
  const cy = num(top + size / 2);
  parts.push(`<text x="14" y="${cy}" transform="rotate(-90 14 ${cy})" text-anchor="middle" font-size="12" fill="${INK}">True</text>`);
  return svgDocument(width, height, 'Confusion matrix', parts.join(''));
}

/** White → dark blue with the row share. */
function shade(share: number): string {
  const from = [0xf5, 0xf7, 0xfa];
  const to = [0x1f, 0x4e, 0x9c];
  return `#${from.map((start, i) => Math.round(start + (to[i]! - start) * share).toString(16).padStart(2, '0')).join('')}`;
}

/** One ROC curve per class over the chance diagonal; each class's AUC in the legend. */
export function rocSvg(data: RocData): string {
  const chart = new Chart(PLOT, unitAxis('False positive rate'), unitAxis('True positive rate'));
  const lines = data.curves.map((curve, i) => polyline(chart, curve.fpr, curve.tpr, colour(i)));
  const entries = data.curves.map((curve, i) => ({ text: `${cut(curve.class, 16)} (AUC ${curve.auc.toFixed(3)})`, colour: colour(i) }));
  return svgDocument(WIDTH, HEIGHT, 'ROC curves (one class vs. rest)', chart.axes() + chart.diagonal() + lines.join('') + legend(PLOT, [...entries, { text: 'chance', colour: AXIS, dashed: true }]) + undefinedNote(data.undefinedClasses));
}

/** One precision–recall curve per class; each class's average precision in the legend. */
export function prSvg(data: PrData): string {
  const chart = new Chart(PLOT, unitAxis('Recall'), unitAxis('Precision'));
  // Stepped like sklearn's PrecisionRecallDisplay: precision holds until recall changes.
  const lines = data.curves.map((curve, i) => {
    const xs: number[] = [];
    const ys: number[] = [];
    curve.recall.forEach((recall, j) => {
      if (j > 0) {
        xs.push(recall);
        ys.push(curve.precision[j - 1]!);
      }
      xs.push(recall);
      ys.push(curve.precision[j]!);
    });
    return polyline(chart, xs, ys, colour(i));
  });
  const entries = data.curves.map((curve, i) => ({ text: `${cut(curve.class, 16)} (AP ${curve.averagePrecision.toFixed(3)})`, colour: colour(i) }));
  return svgDocument(WIDTH, HEIGHT, 'Precision–recall curves', chart.axes() + lines.join('') + legend(PLOT, entries, 'left') + undefinedNote(data.undefinedClasses));
}

/** Reliability diagram over the perfectly calibrated diagonal, with each bin's row count below it. */
export function calibrationSvg(data: CalibrationData): string {
  const main = { left: PLOT.left, top: PLOT.top, width: PLOT.width, height: 250 };
  // Below the main plot's tick labels and axis title.
  const strip = { left: PLOT.left, top: main.top + main.height + 68, width: PLOT.width, height: 50 };
  const height = strip.top + strip.height + 14;
  const binary = data.kind === 'binary';
  const chart = new Chart(main, unitAxis(binary ? `Mean predicted P(${cut(data.class ?? '', 20)})` : 'Mean top-class probability (confidence)'), unitAxis(binary ? 'Fraction positive' : 'Accuracy'));
  const filled = data.bins.filter((bin) => bin.count > 0);
  const xs = filled.map((bin) => bin.meanPredicted!);
  const ys = filled.map((bin) => bin.fractionPositive!);
  const parts = [chart.axes(), chart.diagonal(), polyline(chart, xs, ys, colour(0))];
  parts.push(...xs.map((x, i) => `<circle cx="${num(chart.px(x))}" cy="${num(chart.py(ys[i]!))}" r="3.5" fill="${colour(0)}"><title>${filled[i]!.count} rows, predicted ${x.toFixed(3)}, observed ${ys[i]!.toFixed(3)}</title></circle>`));
  parts.push(legend(main, [{ text: binary ? 'model' : 'model (top label)', colour: colour(0) }, { text: 'perfectly calibrated', colour: AXIS, dashed: true }]));
  // The counts strip: one bar per bin on the same x scale, its count above it.
  const largest = Math.max(1, ...data.bins.map((bin) => bin.count));
  parts.push(`<text x="${num(strip.left)}" y="${num(strip.top - 4)}" font-size="11" fill="${MUTED}">Rows per bin</text>`);
  parts.push(`<line x1="${num(strip.left)}" y1="${num(strip.top + strip.height)}" x2="${num(strip.left + strip.width)}" y2="${num(strip.top + strip.height)}" stroke="${AXIS}"/>`);
  for (const bin of data.bins) {
    const x0 = chart.px(bin.lower) + 1;
    const x1 = chart.px(bin.upper) - 1;
    const barHeight = (bin.count / largest) * (strip.height - 12);
    const y = strip.top + strip.height - barHeight;
    parts.push(`<rect x="${num(x0)}" y="${num(y)}" width="${num(x1 - x0)}" height="${num(barHeight)}" fill="${GRID}" stroke="${AXIS}"/>`);
    parts.push(`<text x="${num((x0 + x1) / 2)}" y="${num(y - 2)}" text-anchor="middle" font-size="9" fill="${INK}">${bin.count}</text>`);
  }
  return svgDocument(WIDTH, height, binary ? `Calibration (positive class ${cut(data.class ?? '', 24)})` : 'Calibration (top label)', parts.join(''));
}

/** Residual (actual − predicted) against the prediction, around the zero line. */
export function residualsSvg(data: RegressionReport['residuals']): string {
  const spread = Math.max(...data.residual.map(Math.abs), 0);
  const y = niceTicks(-spread * 1.03, spread * 1.03);
  const chart = new Chart(PLOT, dataAxis(data.predicted, 'Predicted'), { ...y, title: 'Residual (actual − predicted)' });
  const zero = `<line x1="${num(PLOT.left)}" y1="${num(chart.py(0))}" x2="${num(PLOT.left + PLOT.width)}" y2="${num(chart.py(0))}" stroke="${AXIS}" stroke-dasharray="4 4"/>`;
  return svgDocument(WIDTH, HEIGHT, 'Residuals vs. predicted', chart.axes() + zero + scatter(chart, data.predicted, data.residual));
}

/** Prediction against the actual value on equal axes, with the y = x line of a perfect model. */
export function predictedVsActualSvg(data: RegressionReport['predictedVsActual']): string {
  const axis = dataAxis([...data.actual, ...data.predicted], '');
  const chart = new Chart(PLOT, { ...axis, title: 'Actual' }, { ...axis, title: 'Predicted' });
  return svgDocument(WIDTH, HEIGHT, 'Predicted vs. actual', chart.axes() + chart.diagonal() + scatter(chart, data.actual, data.predicted) + legend(PLOT, [{ text: 'y = x (perfect)', colour: AXIS, dashed: true }]));
}

function polyline(chart: Chart, xs: readonly number[], ys: readonly number[], stroke: string): string {
  if (xs.length === 0) return '';
  return `<polyline points="${chart.points(xs, ys)}" fill="none" stroke="${stroke}" stroke-width="2" stroke-linejoin="round"/>`;
}

function scatter(chart: Chart, xs: readonly number[], ys: readonly number[]): string {
  const dots = xs.map((x, i) => `<circle cx="${num(chart.px(x), 1)}" cy="${num(chart.py(ys[i]!), 1)}" r="2"/>`);
  return `<g fill="${colour(0)}" fill-opacity="0.55">${dots.join('')}</g>`;
}

function undefinedNote(classes: readonly string[]): string {
  if (classes.length === 0) return '';
  const names = classes.slice(0, 3).map((name) => cut(name, 16)).join(', ') + (classes.length > 3 ? ` and ${classes.length - 3} more` : '');
  return `<text x="${num(PLOT.left + 6)}" y="${num(PLOT.top + 14)}" font-size="11" fill="${MUTED}">${escapeXml(`No curve for ${names}: no example of it, or nothing else.`)}</text>`;
}
