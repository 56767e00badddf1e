/**
 * A `text/csv` request body as pandas' `read_csv` sees it for MLflow: the first row names the
 * columns, fields may be quoted (`"a, b"`, `""` for a quote, line breaks inside quotes), blank lines
 * are skipped, and an empty field is a missing value (null). Values stay text: the model's input
 * types decide what each column becomes.
 */
import { RequestError } from './request-error';

export interface CsvFrame {
  readonly columns: readonly string[];
  /** Column-major: `values[c][r]`; null where the field was empty. */
  readonly values: readonly (string | null)[][];
  readonly rows: number;
}

export function parseCsv(text: string): CsvFrame {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let columns: string[] | null = null;
  let values: (string | null)[][] = [];
  let rows = 0;
  let line = 1;
  let fields: (string | null)[] = [];
  let i = 0;
  const length = source.length;
  const endRecord = (startLine: number): void => {
    // A blank line is one empty field: skipped, as pandas does.
    if (fields.length === 1 && fields[0] === null) {
      fields = [];
      return;
    }
    if (columns === null) {
      columns = fields.map((field, c) => field ?? `Unnamed: ${c}`);
      values = columns.map(() => []);
    } else {
      if (fields.length !== columns.length) throw new RequestError(400, `CSV line ${startLine} has ${fields.length} field(s); the header has ${columns.length}.`);
      for (let c = 0; c < fields.length; c++) values[c]!.push(fields[c]!);
      rows++;
    }
    fields = [];
  };
  while (i <= length) {
    const startLine = line;
    // One record: fields separated by commas, ended by a line break or the end of the text.
    for (;;) {
      let field: string | null;
      if (source.charCodeAt(i) === 34 /* " */) {
        let out = '';
        let from = ++i;
        for (;;) {
          const quote = source.indexOf('"', from);
          if (quote < 0) throw new RequestError(400, `CSV line ${startLine}: a quoted field is never closed.`);
          out += source.slice(from, quote);
          if (source.charCodeAt(quote + 1) === 34) {
            out += '"';
            from = quote + 2;
            continue;
          }
          i = quote + 1;
          break;
        }
        for (let k = out.indexOf('\n'); k >= 0; k = out.indexOf('\n', k + 1)) line++;
        field = out === '' ? null : out;
        const next = source.charCodeAt(i);
        if (i < length && next !== 44 && next !== 10 && next !== 13) throw new RequestError(400, `CSV line ${line}: text after a closing quote.`);
      } else {
        let end = i;
        while (end < length) {
          const code = source.charCodeAt(end);
          if (code === 44 || code === 10 || code === 13) break;
          end++;
        }
        field = end === i ? null : source.slice(i, end);
        i = end;
      }
      fields.push(field);
      if (source.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      break;
    }
    if (source.charCodeAt(i) === 13) i++;
    if (source.charCodeAt(i) === 10) i++;
    line++;
    // The text's final line break ends the last record; nothing follows it.
    if (i >= length && fields.length === 1 && fields[0] === null) break;
    endRecord(startLine);
    if (i >= length) break;
  }
  if (columns === null) throw new RequestError(400, 'The CSV body is empty: it needs a header row naming the columns.');
  return { columns, values, rows };
}
