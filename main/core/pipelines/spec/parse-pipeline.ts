/**
 * `pipeline.yaml` → a checked spec and its graph, or every problem at once with the line it is on.
 * The checks beyond the schema are the ones a DAG needs: step kinds, `depends_on`, cycles, and
 * references between steps.
 */
import { LineCounter, parseDocument } from 'yaml';
import { pipelineSpecSchema, scheduleSpecSchema, stepKinds, stepSpecSchema, type ParamValue, type PipelineSpec, type StepKind } from '../../../../shared/pipelines';
import { stepOutputNames } from '../../../../shared/pipeline-steps';
import { ancestorsOf, edgeKey, findCycles, resolveDependencies, topologicalOrder } from './dependencies';
import { formatReference, formatValuePath, stringsWithReferences, type ValuePath } from './references';
import { cronSyntaxProblem, startDateProblem, timezoneProblem } from './schedule-syntax';
import { problemsFromSchema, type SpecProblem } from './schema-issues';
import { SourcePositions, type SourcePosition } from './source-positions';
import { PipelineSpecError, type PipelineSpecIssue } from './spec-error';
import { checkStepParams } from './step-params';
import { didYouMean } from './suggest';

/** A reference from a step's params to a param or to an upstream step's output. */
export interface SpecReference {
  /** The step whose params hold it. */
  readonly step: string;
  /** Where in the step, e.g. `params.dataset` or `params.steps[0].where`. */
  readonly field: string;
  readonly kind: 'param' | 'step';
  /** The param's name, or the upstream step's id. */
  readonly target: string;
  /** For step references: the output's name. */
  readonly output?: string;
}

export interface ParsedPipeline {
  /** The spec with the schema's defaults filled in; step params stay as written (references unresolved). */
  readonly spec: PipelineSpec;
  /** Step ids in file order. */
  readonly stepOrder: string[];
  /** Step id → its direct upstream steps, `depends_on` resolved (absent: the previous step). */
  readonly upstream: Record<string, string[]>;
  /** An order to run the steps in: upstream first, file order among steps that are ready together. */
  readonly topoOrder: string[];
  readonly references: SpecReference[];
}

interface Located extends SpecProblem {
  /** Set when the problem is inside a value (a reference in a longer string). */
  readonly position?: SourcePosition;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isStepKind = (value: unknown): value is StepKind => typeof value === 'string' && (stepKinds as readonly string[]).includes(value);

/** Fields each mapping of the spec takes, for did-you-mean on an unknown one. */
function specFields(path: ValuePath): readonly string[] {
  if (path.length === 0) return Object.keys(pipelineSpecSchema.shape);
  if (path.length === 1 && path[0] === 'schedule') return Object.keys(scheduleSpecSchema.shape);
  if (path.length === 1 && path[0] === 'triggers') return ['datasets'];
  if (path.length === 2 && path[0] === 'steps') return Object.keys(stepSpecSchema.shape);
  return [];
}

const durationFields = ['retry_delay', 'max_retry_delay', 'execution_timeout'];

/** The schema's problems, with an unknown step kind told the way a person would want it. */
function schemaProblems(raw: unknown): Located[] {
  const parsed = pipelineSpecSchema.safeParse(raw);
  if (parsed.success) return [];
  return problemsFromSchema(parsed.error.issues, raw, [], specFields).map((problem) => {
    const [first, step, field] = problem.path;
    const kind = isRecord(raw) && isRecord(raw.steps) && typeof step === 'string' && isRecord(raw.steps[step]) ? raw.steps[step].kind : undefined;
    if (first === 'schedule' && step === 'max_active_runs' && problem.at === 'key') {
      return { ...problem, message: 'max_active_runs is set for the whole pipeline: move it out of schedule, to the top level' };
    }
    if (first === 'steps' && problem.path.length === 3 && typeof field === 'string' && durationFields.includes(field) && problem.message.startsWith('expected')) {
      return { ...problem, message: problem.message.replace(/^expected .*?, got/, 'expected a duration like 30s, 5m, 1h30m, 2d or a number of seconds, got') };
    }
    if (first === 'steps' && field === 'kind' && problem.path.length === 3 && typeof kind === 'string') {
      return { ...problem, message: `unknown step kind '${kind}'${didYouMean(kind, stepKinds)}; the kinds are ${stepKinds.join(', ')}` };
    }
    return problem;
  });
}

function scheduleProblems(schedule: unknown): Located[] {
  if (!isRecord(schedule)) return [];
  const problems: Located[] = [];
  const check = (field: string, problemOf: (value: string) => string | null): void => {
    const value = schedule[field];
    const problem = typeof value === 'string' && value.trim() !== '' ? problemOf(value) : null;
    if (problem) problems.push({ path: ['schedule', field], at: 'value', message: problem });
  };
  check('cron', cronSyntaxProblem);
  check('timezone', timezoneProblem);
  check('start_date', startDateProblem);
  return problems;
}

/** Step-to-step references: a known step, upstream of the one that reads it, with that output. */
function referenceProblems(
  steps: Readonly<Record<string, unknown>>,
  order: readonly string[],
  declared: Readonly<Record<string, ParamValue>>,
  upstream: Readonly<Record<string, readonly string[]>>,
  positions: SourcePositions,
): { problems: Located[]; references: SpecReference[] } {
  const problems: Located[] = [];
  const references: SpecReference[] = [];
  const paramNames = Object.keys(declared);
  for (const step of order) {
    const body = steps[step];
    if (!isRecord(body)) continue;
    let ancestors: Set<string> | undefined;
    for (const [field, value] of Object.entries(body)) {
      for (const found of stringsWithReferences(value, ['steps', step, field])) {
        for (const token of found.tokens) {
          const problem = (message: string): void => {
            problems.push({ path: found.path, at: 'value', message, position: positions.withinValueAt(found.path, token.raw) });
          };
          if (field !== 'params') {
            problem(`references are resolved in step params only; '${token.raw}' would stay as written`);
            continue;
          }
          if (token.error !== null || token.reference === null) {
            problem(token.error ?? 'not a reference');
            continue;
          }
          const reference = token.reference;
          const written = formatReference(reference);
          const fieldPath = formatValuePath(found.path.slice(2));
          if (reference.kind === 'param') {
            if (!Object.hasOwn(declared, reference.name)) {
              problem(`${written}: no param '${reference.name}' is declared${didYouMean(reference.name, paramNames)}; declare it under params: with a default`);
            } else references.push({ step, field: fieldPath, kind: 'param', target: reference.name });
            continue;
          }
          const source = reference.step;
          if (source === step) {
            problem(`${written}: steps.${step} cannot read its own outputs`);
            continue;
          }
          if (!order.includes(source)) {
            problem(`${written}: there is no step '${source}'${didYouMean(source, order)}`);
            continue;
          }
          const sourceKind = isRecord(steps[source]) ? steps[source].kind : undefined;
          const outputs: readonly string[] | null = isStepKind(sourceKind) ? stepOutputNames[sourceKind] : null;
          if (outputs !== null && !outputs.includes(reference.output)) {
            problem(`${written}: a ${String(sourceKind)} step has no output '${reference.output}'${didYouMean(reference.output, outputs)}; its outputs are ${outputs.join(', ')}`);
            continue;
          }
          ancestors ??= ancestorsOf(step, upstream);
          if (!ancestors.has(source)) {
            problem(`steps.${source} is not upstream of steps.${step}: add it to depends_on`);
            continue;
          }
          references.push({ step, field: fieldPath, kind: 'step', target: source, output: reference.output });
        }
      }
    }
  }
  return { problems, references };
}

/**
 * Parses and checks a pipeline spec. `file` names it in messages (`pipeline.yaml:12:5: …`).
 * Throws PipelineSpecError with every problem found, in file order.
 */
export function parsePipeline(text: string, file?: string): ParsedPipeline {
  const lineCounter = new LineCounter();
  // `<<: *defaults` merge keys, so steps can share settings the way CI files do.
  const document = parseDocument(text, { lineCounter, prettyErrors: true, merge: true });
  const named = file === undefined ? {} : { file };
  if (document.errors.length > 0) {
    // After a syntax error the parser's later errors are mostly echoes of it (one bad flow mapping
    // gives dozens), so only the first is shown; duplicate keys do not cascade and are all shown.
    const errors = document.errors.every((error) => error.code === 'DUPLICATE_KEY') ? document.errors : document.errors.slice(0, 1);
    throw new PipelineSpecError(
      errors.map((error): PipelineSpecIssue => {
        const [start] = error.linePos ?? [lineCounter.linePos(error.pos[0])];
        // yaml appends " at line N, column M:" and a source excerpt; the position says that already.
        let message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        if (error.code === 'DUPLICATE_KEY') {
          // yaml's range covers the key's first character only; the key runs up to its colon.
          const key = /^(.*?)\s*:(\s|$)/m.exec(text.slice(error.pos[0]))?.[1];
          message = `${key ? `'${key}'` : 'a key'} appears twice in this mapping: keys must be unique`;
        }
        const line = text.split(/\r?\n/)[start.line - 1] ?? '';
        if (line.includes('${{') && /[[{]/.test(line)) message += ' (inside [ ] or { }, put text holding ${{ … }} in quotes)';
        return { ...named, line: start.line, column: start.col, path: '', message };
      }),
    );
  }
  let raw: unknown;
  try {
    raw = document.toJS();
  } catch (error) {
    // Alias bombs and the like: yaml refuses to expand them.
    throw new PipelineSpecError([{ ...named, line: 1, column: 1, path: '', message: (error as Error).message }]);
  }
  const positions = new SourcePositions(document, lineCounter, text);
  if (raw === null || raw === undefined) throw new PipelineSpecError([{ ...named, line: 1, column: 1, path: '', message: 'the file is empty: a pipeline needs at least a name and steps' }]);
  const problems: Located[] = schemaProblems(raw);

  const root = isRecord(raw) ? raw : {};
  const steps = isRecord(root.steps) ? root.steps : {};
  const written = positions.keysAt(['steps']);
  const order = written.length === Object.keys(steps).length && written.every((id) => Object.hasOwn(steps, id)) ? written : Object.keys(steps);
  const declared: Record<string, ParamValue> = isRecord(root.params)
    ? Object.fromEntries(Object.entries(root.params).filter((entry): entry is [string, ParamValue] => entry[1] === null || ['string', 'number', 'boolean'].includes(typeof entry[1])))
    : {};

  if (isRecord(root.steps) && order.length === 0) problems.push({ path: ['steps'], at: 'value', message: 'a pipeline needs at least one step' });
  for (const step of order) {
    const body = steps[step];
    if (!isRecord(body) || !isStepKind(body.kind)) continue;
    const params = body.params === undefined ? {} : body.params;
    if (isRecord(params)) problems.push(...checkStepParams(body.kind, params, declared, ['steps', step, 'params']));
  }

  const dependencies = resolveDependencies(order, Object.fromEntries(order.map((step) => [step, isRecord(steps[step]) ? steps[step].depends_on : undefined])));
  problems.push(...dependencies.issues.map((issue): Located => ({ ...issue, at: 'value' })));
  const cycles = findCycles(order, dependencies.upstream);
  for (const cycle of cycles) {
    const [first] = cycle;
    const closing = cycle[cycle.length - 2]!;
    problems.push({ path: dependencies.edgePaths.get(edgeKey(first!, closing)) ?? ['steps', first!, 'depends_on'], at: 'value', message: `steps ${cycle.join(' → ')} form a cycle` });
  }

  const { problems: referenceIssues, references } = referenceProblems(steps, order, declared, dependencies.upstream, positions);
  problems.push(...referenceIssues, ...scheduleProblems(root.schedule));

  if (problems.length > 0) {
    const seen = new Set<string>();
    const issues: PipelineSpecIssue[] = [];
    for (const problem of problems) {
      const position = problem.position ?? (problem.at === 'key' ? positions.keyAt(problem.path) : positions.valueAt(problem.path));
      const issue = { ...named, line: position.line, column: position.column, path: formatValuePath(problem.path), message: problem.message };
      const key = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push(issue);
    }
    throw new PipelineSpecError(issues);
  }

  // The checks above passed, so the schema did too; parse again for the typed value with defaults.
  const spec = pipelineSpecSchema.parse(raw);
  return { spec, stepOrder: order, upstream: dependencies.upstream, topoOrder: topologicalOrder(order, dependencies.upstream), references };
}
