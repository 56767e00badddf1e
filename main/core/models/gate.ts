/**
 * Evaluation gates: `fail_if: "metrics.accuracy < 0.9"` fails the evaluate step (and so blocks a
 * register step after it). Comparisons of a metric with a number, joined by `and` / `or` (`and`
 * binds tighter, as in SQL); the `metrics.` prefix is optional. Errors name the column.
 */
import { invalid } from '../../../shared/errors';

type Comparison = { readonly key: string; readonly op: '<' | '<=' | '>' | '>=' | '=' | '!='; readonly value: number; readonly text: string };

export interface GateVerdict {
  readonly failed: boolean;
  /** The comparisons that held (why the gate failed), e.g. `metrics.accuracy = 0.85 < 0.9`. */
  readonly reasons: readonly string[];
}

const comparison = /^\s*(?:metrics\.)?([A-Za-z_][\w.-]*)\s*(<=|>=|!=|==|=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*$/i;

export function parseGate(expression: string): Comparison[][] {
  if (expression.trim() === '') throw invalid('fail_if is empty: write a condition such as "metrics.accuracy < 0.9".');
  let column = 1;
  return expression.split(/\bor\b/i).map((disjunct) => {
    const terms = disjunct.split(/\band\b/i).map((term) => {
      const match = comparison.exec(term);
      if (!match) throw invalid(`fail_if: cannot read '${term.trim()}' at column ${column + (term.length - term.trimStart().length)}; write metrics.<name> <op> <number>, e.g. metrics.accuracy < 0.9 (ops: < <= > >= = !=).`);
      column += term.length + 3;
      const op = (match[2] === '==' ? '=' : match[2]) as Comparison['op'];
      return { key: match[1]!, op, value: Number(match[3]), text: term.trim() };
    });
    column += 1;
    return terms;
  });
}

export function evaluateGate(expression: string, metrics: Readonly<Record<string, number>>): GateVerdict {
  const groups = parseGate(expression);
  for (const group of groups) {
    const reasons: string[] = [];
    const holds = group.every((term) => {
      const actual = metrics[term.key];
      if (actual === undefined) throw invalid(`fail_if names metrics.${term.key}, which this evaluation did not produce; it has ${Object.keys(metrics).sort().join(', ') || 'none'}.`);
      const ok = compare(actual, term.op, term.value);
      if (ok) reasons.push(`metrics.${term.key} = ${actual} ${term.op} ${term.value}`);
      return ok;
    });
    if (holds) return { failed: true, reasons };
  }
  return { failed: false, reasons: [] };
}

function compare(a: number, op: Comparison['op'], b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
  }
}
