/**
 * The SVG plots, without snapshots: each is one well-formed document (tags balanced, attributes
 * quoted, entities valid) with a viewBox and a white background, draws no NaN or infinite
 * coordinate, escapes class names, and shows the text a reader looks for.
 */
import { describe, expect, it } from 'vitest';
import { calibrationSvg, confusionMatrixSvg, predictedVsActualSvg, prSvg, residualsSvg, rocSvg } from './plots';
import { classificationReport, regressionReport } from './report';
import { escapeXml, niceTicks, tickText } from './svg';

/** Checks well-formedness as an XML parser would for what these documents use; returns the tag counts. */
function checkXml(svg: string): Map<string, number> {
  const counts = new Map<string, number>();
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let at = 0;
  while (at < svg.length) {
    const next = svg.indexOf('<', at);
    const text = svg.slice(at, next === -1 ? svg.length : next);
    expect(text, 'text holds only valid entities').not.toMatch(/&(?!(amp|lt|gt|quot|apos);)|>/);
    if (next === -1) break;
    tag.lastIndex = next;
    const match = tag.exec(svg);
    expect(match, `a well-formed tag at ${svg.slice(next, next + 60)}`).not.toBeNull();
    const [whole, closing, name, attributes, selfClosing] = match!;
    expect(attributes).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    if (closing) expect(stack.pop()).toBe(name);
    else {
      counts.set(name!, (counts.get(name!) ?? 0) + 1);
      if (!selfClosing) stack.push(name!);
    }
    at = next + whole.length;
  }
  expect(stack).toEqual([]);
  return counts;
}

function checkPlot(svg: string): Map<string, number> {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ')).toBe(true);
  expect(svg).toMatch(/<rect x="0" y="0" width="[\d.]+" height="[\d.]+" fill="#ffffff"\/>/);
  expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
  expect(svg).not.toMatch(/<script|href=|@import|url\(/);
  const counts = checkXml(svg);
  expect(counts.get('svg')).toBe(1);
  return counts;
}

const classes = ['setosa', '<b>"Tom & Jerry\'s"</b>', 'virginica'];
const rows = 90;
const truth = Array.from({ length: rows }, (_, r) => r % 3);
const probabilities = truth.flatMap((t, r) => {
  const noise = ((r * 7919) % 97) / 97;
  const p = [0.1 + 0.2 * noise, 0.1, 0.1];
  p[t] = p[t]! + 0.5 + 0.3 * (1 - noise);
  const sum = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / sum);
});
const predicted = truth.map((_, r) => {
  const row = probabilities.slice(r * 3, r * 3 + 3);
  return row.indexOf(Math.max(...row));
});
const report = classificationReport({ classes, truth, predicted, probabilities });

describe('the well-formedness check', () => {
  it('rejects unbalanced tags, raw ampersands and unquoted attributes', () => {
    expect(() => checkXml('<svg><g></svg>')).toThrow();
    expect(() => checkXml('<svg><text>a & b</text></svg>')).toThrow();
    expect(() => checkXml('<svg><rect x=1/></svg>')).toThrow();
    expect(checkXml('<svg><text x="1">a &amp; b</text><rect/></svg>').get('rect')).toBe(1);
  });
});

describe('classification plots', () => {
  it('confusion matrix: a cell per pair with its count, escaped class names on both axes', () => {
    const svg = confusionMatrixSvg(report.confusion);
    const counts = checkPlot(svg);
    expect(counts.get('rect')).toBe(1 + 9 + 1);
    expect(svg).toContain(`>${escapeXml('<b>"Tom & Jerry\'s…')}</text>`);
    expect(svg).toContain(escapeXml(classes[1]!));
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('>Predicted</text>');
    expect(svg).toContain('>True</text>');
    for (const row of report.confusion.counts) for (const count of row) expect(svg).toContain(`>${count}</text>`);
    // The diagonal of a good model is shaded darkest, with white text.
    expect(svg).toMatch(/fill="#ffffff">\d+<\/text>/);
  });

  it('ROC: one line per class and the chance diagonal, AUCs in the legend', () => {
    const svg = rocSvg(report.roc);
    const counts = checkPlot(svg);
    expect(counts.get('polyline')).toBe(3);
    expect(svg).toContain('stroke-dasharray="4 4"');
    expect(svg).toContain(`setosa (AUC ${report.roc.curves[0]!.auc.toFixed(3)})`);
    expect(svg).toContain('False positive rate');
    expect(svg).toContain(escapeXml('<b>"Tom & Jerry… (AUC'));
  });

  it('PR: one stepped line per class, average precision in the legend', () => {
    const svg = prSvg(report.pr);
    expect(checkPlot(svg).get('polyline')).toBe(3);
    expect(svg).toContain(`virginica (AP ${report.pr.curves[2]!.averagePrecision.toFixed(3)})`);
  });

  it('calibration: diagonal, the curve through the non-empty bins, a count per bin', () => {
    const svg = calibrationSvg(report.calibration);
    const counts = checkPlot(svg);
    const filled = report.calibration.bins.filter((bin) => bin.count > 0).length;
    expect(counts.get('circle')).toBe(filled);
    expect(svg).toContain('Rows per bin');
    expect(svg).toContain('Accuracy');
    for (const bin of report.calibration.bins) expect(svg).toContain(`>${bin.count}</text>`);
  });

  it('a binary model calibrates its positive class', () => {
    const binary = classificationReport({ classes: ['no', 'yes'], truth: [0, 1, 1, 0], predicted: [0, 1, 0, 0], probabilities: [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.7, 0.3] });
    const svg = calibrationSvg(binary.calibration);
    checkPlot(svg);
    expect(svg).toContain('Calibration (positive class yes)');
    expect(svg).toContain('Fraction positive');
  });

  it('a class with no curve is named on the plot instead of drawn', () => {
    const absent = classificationReport({ classes: ['a', 'b', 'c&d'], truth: [0, 1, 0, 1], predicted: [0, 1, 1, 1], probabilities: [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.4, 0.5, 0.1, 0.1, 0.8, 0.1] });
    const svg = rocSvg(absent.roc);
    expect(checkPlot(svg).get('polyline')).toBe(2);
    expect(svg).toContain('No curve for c&amp;d');
    checkPlot(prSvg(absent.pr));
  });

  it('many classes: smaller cells without counts, a capped legend, still well-formed', () => {
    const k = 40;
    const names = Array.from({ length: k }, (_, i) => `class number ${i} with a long name`);
    const t = Array.from({ length: 400 }, (_, r) => r % k);
    const p = t.flatMap((c) => Array.from({ length: k }, (_, j) => (j === c ? 0.61 : 0.01)));
    const many = classificationReport({ classes: names, truth: t, predicted: t, probabilities: p });
    const matrix = confusionMatrixSvg(many.confusion);
    expect(checkPlot(matrix).get('rect')).toBe(k * k + 2);
    expect(matrix).toContain('class number 0 wi…');
    const roc = rocSvg(many.roc);
    expect(checkPlot(roc).get('polyline')).toBe(k);
    expect(roc).toContain(`+${k + 1 - 10} more`);
  });
});

describe('regression plots', () => {
  const actual = Array.from({ length: 3000 }, (_, i) => Math.sin(i) * 10 + i / 100);
  const regression = regressionReport(actual, actual.map((y, i) => y + Math.cos(i * 3)));

  it('residuals: one dot per sampled row around the zero line', () => {
    const svg = residualsSvg(regression.residuals);
    expect(checkPlot(svg).get('circle')).toBe(2000);
    expect(svg).toContain('Residual (actual − predicted)');
  });

  it('predicted vs actual: one dot per sampled row and the y = x line', () => {
    const svg = predictedVsActualSvg(regression.predictedVsActual);
    expect(checkPlot(svg).get('circle')).toBe(2000);
    expect(svg).toContain('y = x (perfect)');
    expect(svg).toMatch(/<line [^>]*stroke-dasharray="4 4"\/>/);
  });

  it('a constant target or a single row still draws finite axes', () => {
    const constant = regressionReport([5, 5, 5], [5, 5, 5]);
    checkPlot(residualsSvg(constant.residuals));
    checkPlot(predictedVsActualSvg(constant.predictedVsActual));
    const single = regressionReport([0], [0]);
    checkPlot(residualsSvg(single.residuals));
    checkPlot(predictedVsActualSvg(single.predictedVsActual));
  });
});

describe('axis ticks', () => {
  it('are round numbers covering the range', () => {
    expect(niceTicks(0, 1)).toMatchObject({ ticks: [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1], step: 0.2 });
    expect(niceTicks(-3.2, 47).ticks).toEqual([-10, 0, 10, 20, 30, 40, 50]);
    expect(niceTicks(5, 5).ticks.length).toBeGreaterThan(1);
    expect(tickText(0.6000000000000001, 0.2)).toBe('0.6');
    expect(tickText(2_500_000, 500_000)).toBe('2.5e+6');
    expect(tickText(-0.00001, 1)).toBe('-1.0e-5');
  });
});
