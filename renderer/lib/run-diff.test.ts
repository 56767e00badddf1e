import { describe, expect, it } from 'vitest';
import type { Environment, LatestMetric, Run } from '../../shared/tracking';
import { buildDiffRows, defaultDiffOptions, diffGrid, lowerIsBetter, visibleDiffRows, type DiffOptions, type DiffRow, type DiffSection } from './run-diff';
import { diffToCsv, diffToLatex, diffToMarkdown, escapeLatex } from './run-diff-export';

const metric = (value: number, min: number | null = value, max: number | null = value): LatestMetric => ({ value, step: 10, timestamp: 1, count: 11, min, max });

const run = (id: string, fields: Partial<Run> = {}): Run => ({
  id, name: id, experimentId: '0', parentRunId: null, status: 'FINISHED', startTime: 0, endTime: 1, deleted: false,
  childCount: 0, source: null, environment: null, params: {}, tags: {}, metrics: {}, ...fields,
});

const environment = (fields: Partial<Environment> = {}): Environment => ({
  os: 'linux', osRelease: '6.1', arch: 'x64', hostname: 'box', cpuModel: 'Xeon', cpuCores: 8, totalMemoryBytes: 16 * 1024 ** 3,
  gpus: [], nodeVersion: '20.18.0', onnxruntimeVersion: null, trainyardVersion: '0.1.0', ...fields,
});

const only = (section: DiffSection, rest: Partial<DiffOptions> = {}): DiffOptions => ({ ...defaultDiffOptions, sections: new Set([section]), ...rest });
const byId = (rows: readonly DiffRow[], id: string): DiffRow => {
  const row = rows.find((candidate) => candidate.id === id);
  if (!row) throw new Error(`no row ${id} in ${rows.map((r) => r.id).join(', ')}`);
  return row;
};
const marks = (row: DiffRow): string[] => row.cells.map((cell) => cell.mark);
const texts = (row: DiffRow): string[] => row.cells.map((cell) => cell.text);

describe('buildDiffRows', () => {
  it('hides params equal in every run when "only differences" is on, shows them when off', () => {
    const runs = [run('a', { params: { lr: '0.1', seed: '1' } }), run('b', { params: { lr: '0.1', seed: '2' } })];
    const rows = buildDiffRows(runs, only('params'));
    expect(visibleDiffRows(rows, true).map((row) => row.label)).toEqual(['seed']);
    expect(visibleDiffRows(rows, false).map((row) => row.label)).toEqual(['lr', 'seed']);
  });

  it('counts a key present in only some runs as a difference and shows it as missing', () => {
    const runs = [run('a', { params: { dropout: '0.5' } }), run('b'), run('c', { params: { dropout: '0.5' } })];
    const row = byId(buildDiffRows(runs, only('params')), 'params:dropout');
    expect(row.differs).toBe(true);
    expect(texts(row)).toEqual(['0.5', '—', '0.5']);
    expect(marks(row)).toEqual(['baseline', 'missing', 'same']);
    // The baseline lacks it: the others have a value unlike the baseline's.
    expect(marks(byId(buildDiffRows(runs, only('params', { baselineIndex: 1 })), 'params:dropout'))).toEqual(['different', 'baseline', 'different']);
  });

  it('marks params against the baseline as same or different, never better or worse', () => {
    const runs = [run('a', { params: { lr: '0.1' } }), run('b', { params: { lr: '0.01' } }), run('c', { params: { lr: '0.1' } })];
    expect(marks(byId(buildDiffRows(runs, only('params')), 'params:lr'))).toEqual(['baseline', 'different', 'same']);
  });

  it('gives each metric last, min and max rows, lower better for losses and errors, higher otherwise', () => {
    const runs = [
      run('a', { metrics: { val_loss: metric(0.5, 0.4, 2), accuracy: metric(0.8, 0.1, 0.8) } }),
      run('b', { metrics: { val_loss: metric(0.3, 0.3, 2), accuracy: metric(0.7, 0.2, 0.9) } }),
    ];
    const rows = buildDiffRows(runs, only('metrics'));
    expect(rows.map((row) => row.label)).toEqual(['accuracy', 'accuracy (min)', 'accuracy (max)', 'val_loss', 'val_loss (min)', 'val_loss (max)']);
    expect(marks(byId(rows, 'metrics:val_loss:last'))).toEqual(['baseline', 'better']);
    expect(marks(byId(rows, 'metrics:val_loss:min'))).toEqual(['baseline', 'better']);
    expect(byId(rows, 'metrics:val_loss:max').differs).toBe(false);
    expect(marks(byId(rows, 'metrics:accuracy:last'))).toEqual(['baseline', 'worse']);
    expect(marks(byId(rows, 'metrics:accuracy:max'))).toEqual(['baseline', 'better']);
    // Against the other baseline the verdicts flip.
    expect(marks(byId(buildDiffRows(runs, only('metrics', { baselineIndex: 1 })), 'metrics:val_loss:last'))).toEqual(['worse', 'baseline']);
  });

  it('reads rmse, mae and error names as lower-is-better', () => {
    expect(['rmse', 'train/MAE', 'mean_abs_error', 'loss'].every(lowerIsBetter)).toBe(true);
    expect(['accuracy', 'f1_macro', 'r2'].some(lowerIsBetter)).toBe(false);
  });

  it('treats NaN as equal to NaN and as neither better nor worse than a number', () => {
    const runs = [run('a', { metrics: { loss: metric(Number.NaN) } }), run('b', { metrics: { loss: metric(Number.NaN) } }), run('c', { metrics: { loss: metric(0.2) } })];
    const rows = buildDiffRows(runs.slice(0, 2), only('metrics'));
    expect(rows.every((row) => !row.differs)).toBe(true);
    const last = byId(buildDiffRows(runs, only('metrics')), 'metrics:loss:last');
    expect(last.differs).toBe(true);
    expect(texts(last)).toEqual(['NaN', 'NaN', '0.2']);
    expect(marks(last)).toEqual(['baseline', 'same', 'different']);
  });

  it('shows a summary without min/max as missing rather than inventing them', () => {
    const rows = buildDiffRows([run('a', { metrics: { loss: metric(1, null, null) } }), run('b', { metrics: { loss: metric(1, 0.5, 2) } })], only('metrics'));
    expect(texts(byId(rows, 'metrics:loss:min'))).toEqual(['—', '0.5']);
    expect(byId(rows, 'metrics:loss:last').differs).toBe(false);
  });

  it('hides trainyard.* and mlflow.* tags unless asked', () => {
    const tags = (note: string): Record<string, string> => ({ 'mlflow.user': note, 'trainyard.source': note, team: note });
    const runs = [run('a', { tags: tags('x') }), run('b', { tags: tags('y') })];
    expect(buildDiffRows(runs, only('tags')).map((row) => row.label)).toEqual(['team']);
    expect(buildDiffRows(runs, only('tags', { showSystemTags: true })).map((row) => row.label)).toEqual(['mlflow.user', 'team', 'trainyard.source']);
  });

  it('compares environment and source fields as the run page shows them', () => {
    const runs = [
      run('a', { environment: environment(), source: { gitCommit: 'abc', gitDirty: false } }),
      run('b', { environment: environment({ gpus: ['H100'] }), source: { gitCommit: 'abc', gitDirty: true } }),
      run('c'),
    ];
    const rows = buildDiffRows(runs, only('environment'));
    expect(texts(byId(rows, 'environment:gpus'))).toEqual(['none', 'H100', '—']);
    expect(texts(byId(rows, 'environment:memory'))).toEqual(['16 GB', '16 GB', '—']);
    expect(texts(byId(rows, 'environment:uncommitted changes'))).toEqual(['no', 'yes', '—']);
    expect(visibleDiffRows(buildDiffRows(runs.slice(0, 2), only('environment')), true).map((row) => row.label)).toEqual(['gpus', 'uncommitted changes']);
  });

  it('keeps sections in their fixed order and leaves out the ones turned off', () => {
    const runs = [run('a', { params: { p: '1' }, tags: { t: '1' }, metrics: { m: metric(1) }, environment: environment() })];
    const sectionsOf = (rows: readonly DiffRow[]): string[] => [...new Set(rows.map((row) => row.section))];
    expect(sectionsOf(buildDiffRows(runs, defaultDiffOptions))).toEqual(['params', 'metrics', 'tags', 'environment']);
    expect(sectionsOf(buildDiffRows(runs, { ...defaultDiffOptions, sections: new Set<DiffSection>(['tags', 'params']) }))).toEqual(['params', 'tags']);
  });

  it('with one run, nothing differs, so only differences shows nothing and all rows otherwise', () => {
    const rows = buildDiffRows([run('a', { params: { p: '1' }, metrics: { loss: metric(1) } })], defaultDiffOptions);
    expect(rows).toHaveLength(4);
    expect(rows.every((row) => row.cells.length === 1 && row.cells[0]?.mark === 'baseline')).toBe(true);
    expect(visibleDiffRows(rows, true)).toEqual([]);
  });

  it('falls back to the first run as baseline when the index is out of range', () => {
    const row = byId(buildDiffRows([run('a', { params: { p: '1' } }), run('b', { params: { p: '2' } })], only('params', { baselineIndex: 7 })), 'params:p');
    expect(marks(row)).toEqual(['baseline', 'different']);
  });

  it('handles 100 runs × 200 keys quickly, one cell per run per row', () => {
    const runs = Array.from({ length: 100 }, (_, index) => run(`r${index}`, {
      params: Object.fromEntries(Array.from({ length: 150 }, (_, key) => [`p${key}`, key % 2 === 0 ? 'same' : String(index)])),
      metrics: Object.fromEntries(Array.from({ length: 50 }, (_, key) => [`m${key}`, metric(index + key)])),
    }));
    const started = performance.now();
    const rows = buildDiffRows(runs, defaultDiffOptions);
    const elapsed = performance.now() - started;
    expect(rows).toHaveLength(150 + 50 * 3);
    expect(rows.every((row) => row.cells.length === 100)).toBe(true);
    expect(visibleDiffRows(rows, true)).toHaveLength(75 + 150);
    expect(rows.map((row) => row.label).slice(0, 3)).toEqual(['p0', 'p1', 'p2']); // numeric order: p2 before p10
    expect(elapsed).toBeLessThan(500);
  });
});

describe('diffGrid and exports', () => {
  const runs = [
    run('a', { name: 'base, "quoted"', params: { path: 'C:\\data|x', note: 'two\nlines' }, metrics: { loss: metric(0.123456789) } }),
    run('0123456789abcdef', { name: '', params: { path: '50% & $5 #1 a_b {c} ~d ^e', note: 'one' }, metrics: { loss: metric(0.1) } }),
  ];
  const rows = visibleDiffRows(buildDiffRows(runs, { ...defaultDiffOptions, sections: new Set<DiffSection>(['params', 'metrics']) }), true);

  it('lays out keys down and runs across, or transposed runs down, naming unnamed runs by short id', () => {
    const grid = diffGrid(rows, runs);
    expect(grid.header).toEqual(['section', 'key', 'base, "quoted"', '01234567']);
    expect(grid.body[0]).toEqual(['params', 'note', 'two\nlines', 'one']);
    const transposed = diffGrid(rows, runs, { transpose: true });
    expect(transposed.header).toEqual(['run', 'params: note', 'params: path', 'metrics: loss', 'metrics: loss (min)', 'metrics: loss (max)']);
    expect(transposed.body.map((row) => row[0])).toEqual(['base, "quoted"', '01234567']);
    expect(transposed.body[1]?.[3]).toBe('0.1');
  });

  it('writes CSV per RFC 4180 with full metric precision', () => {
    const csv = diffToCsv(diffGrid(rows, runs, { exact: true }));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,key,"base, ""quoted""",01234567');
    expect(csv).toContain('params,note,"two\nlines",one\r\n');
    expect(csv).toContain('metrics,loss,0.123456789,0.1\r\n');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('writes a Markdown table whose pipes and line breaks stay inside their cells', () => {
    const markdown = diffToMarkdown(diffGrid(rows, runs));
    const lines = markdown.trimEnd().split('\n');
    expect(lines[0]).toBe('| section | key | base, "quoted" | 01234567 |');
    expect(lines[1]).toBe('| --- | --- | --- | --- |');
    expect(lines).toContain('| params | note | two<br>lines | one |');
    expect(lines).toContain('| params | path | C:\\\\data\\|x | 50% & $5 #1 a_b {c} ~d ^e |');
    expect(lines).toContain('| metrics | loss | 0.12346 | 0.1 |');
    expect(lines).toHaveLength(2 + rows.length);
  });

  it('escapes every LaTeX special character once', () => {
    expect(escapeLatex('50% & $5 #1 a_b {c} ~d ^e \\f')).toBe('50\\% \\& \\$5 \\#1 a\\_b \\{c\\} \\textasciitilde{}d \\textasciicircum{}e \\textbackslash{}f');
    const latex = diffToLatex(diffGrid(rows, runs));
    const lines = latex.trimEnd().split('\n');
    expect(lines[0]).toBe('\\begin{tabular}{llll}');
    expect(lines[2]).toBe('section & key & base, "quoted" & 01234567 \\\\');
    expect(lines).toContain('params & path & C:\\textbackslash{}data|x & 50\\% \\& \\$5 \\#1 a\\_b \\{c\\} \\textasciitilde{}d \\textasciicircum{}e \\\\');
    expect(lines.at(-1)).toBe('\\end{tabular}');
  });
});
