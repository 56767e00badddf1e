import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { pipelineSpecSchema, type PipelineSpec } from '../../shared/pipelines';

/**
 * The demo back end's reading of `pipeline.yaml`: the contract's schema (shared/pipelines.ts) plus
 * the graph checks a DAG needs (unknown upstreams, cycles), each problem placed at its line and
 * column. The app's parser (main/core/pipelines/spec) checks more (step params per kind,
 * references, cron syntax); this is enough for the Add pipeline dialog to show how it behaves.
 */

export interface SpecIssue {
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

export interface ReadSpec {
  readonly spec: PipelineSpec;
  readonly stepOrder: string[];
  /** Step id → direct upstream steps (`depends_on`, else the previous step). */
  readonly upstream: Record<string, string[]>;
}

type PathPart = string | number;

function nodeAt(root: Node | null | undefined, path: readonly PathPart[]): Node | null {
  let node: unknown = root;
  let deepest: Node | null = (root as Node | null) ?? null;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
      if (!pair) return deepest;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
    } else {
      return deepest;
    }
    if (node) deepest = node as Node;
  }
  return deepest;
}

const formatPath = (path: readonly PathPart[]): string => path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');

export function readPipelineSpec(text: string): { ok: true; value: ReadSpec } | { ok: false; issues: SpecIssue[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (document.errors.length > 0) {
    return { ok: false, issues: document.errors.map((error) => ({ ...at(error.pos[0]), path: '', message: error.message.split('\n')[0]! })) };
  }
  const place = (path: readonly PathPart[], message: string): SpecIssue => {
    const node = nodeAt(document.contents as Node | null, path);
    return { ...at(node?.range?.[0] ?? 0), path: formatPath(path), message };
  };
  const parsed = pipelineSpecSchema.safeParse(document.toJS());
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((issue) => place(issue.path.filter((part): part is PathPart => typeof part !== 'symbol'), issue.message)) };
  }
  const spec = parsed.data;
  const stepOrder = Object.keys(spec.steps);
  const issues: SpecIssue[] = [];
  if (stepOrder.length === 0) issues.push(place(['steps'], 'a pipeline needs at least one step'));
  const upstream: Record<string, string[]> = {};
  stepOrder.forEach((id, index) => {
    const declared = spec.steps[id]!.depends_on;
    const list = declared === undefined ? (index > 0 ? [stepOrder[index - 1]!] : []) : typeof declared === 'string' ? [declared] : declared;
    for (const up of list) if (!spec.steps[up]) issues.push(place(['steps', id, 'depends_on'], `unknown step '${up}'; the steps are ${stepOrder.join(', ')}`));
    upstream[id] = list.filter((up) => spec.steps[up]);
  });
  // A cycle: a step reachable from itself.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id];
      issues.push(place(['steps', id, 'depends_on'], `depends_on makes a cycle: ${cycle.join(' → ')}`));
      return;
    }
    state.set(id, 'visiting');
    for (const up of upstream[id] ?? []) visit(up, [...trail, id]);
    state.set(id, 'done');
  };
  for (const id of stepOrder) visit(id, []);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: { spec, stepOrder, upstream } };
}
