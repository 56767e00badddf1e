import type { DiffGrid } from './run-diff';

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** CSV per RFC 4180, CRLF line ends, header first. */
export function diffToCsv(grid: DiffGrid): string {
  return [grid.header, ...grid.body].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A pipe in a cell would end it, and a line break would end the row. */
function markdownCell(value: string): string {
  const escaped = value.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
  return escaped === '' ? ' ' : escaped;
}

/** A GitHub-flavoured Markdown table. */
export function diffToMarkdown(grid: DiffGrid): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [line(grid.header), `|${grid.header.map(() => ' --- ').join('|')}|`, ...grid.body.map(line)].join('\n') + '\n';
}

const latexEscapes: Readonly<Record<string, string>> = {
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '\\': '\\textbackslash{}',
};

/** One pass, so the braces an escape adds are not escaped again. Line breaks become spaces. */
export function escapeLatex(value: string): string {
  return value.replace(/[&%$#_{}~^\\]/g, (character) => latexEscapes[character] ?? character).replace(/\r?\n/g, ' ');
}

/** A LaTeX `tabular`, left-aligned, with rules under the header and around the table. */
export function diffToLatex(grid: DiffGrid): string {
  const line = (cells: readonly string[]): string => `${cells.map(escapeLatex).join(' & ')} \\\\`;
  return [
    `\\begin{tabular}{${'l'.repeat(grid.header.length)}}`,
    '\\hline',
    line(grid.header),
    '\\hline',
    ...grid.body.map(line),
    '\\hline',
    '\\end{tabular}',
  ].join('\n') + '\n';
}
