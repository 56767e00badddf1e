import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../../shared/errors';
import { parsePipeline } from './parse-pipeline';
import { PipelineSpecError } from './spec-error';
import { problemsOf as problems } from './problems-of';

const fullPipeline = `name: houses
description: Price model for houses
tags: [regression, demo]
params:
  epochs: 30
  model_name: house-prices
schedule:
  cron: "0 3 * * *"
  timezone: Europe/Paris
steps:
  ingest:
    kind: ingest
    params:
      path: data/houses.csv
      name: houses
  validate:
    kind: validate
    params:
      dataset: \${{ steps.ingest.outputs.dataset }}
      suite: suites/houses.json
  preprocess:
    kind: preprocess
    params:
      dataset: \${{ steps.validate.outputs.dataset }}
      steps:
        - op: impute
          columns: [area]
          strategy: median
        - op: split
          fractions: { train: 0.8, test: 0.2 }
  features:
    kind: features
    params:
      dataset: \${{ steps.preprocess.outputs.dataset }}
      steps:
        - op: derive
          column: price_per_m2
          expression: price / nullif(area, 0)
      output: houses-features
  train:
    kind: train
    retries: 2
    retry_delay: 30s
    retry_exponential_backoff: true
    max_retry_delay: 10m
    execution_timeout: 1h30m
    params:
      dataset: \${{ steps.features.outputs.dataset }}
      target: price
      epochs: \${{ params.epochs }}
      optimizer: { kind: adamw, lr: 0.001 }
  evaluate:
    kind: evaluate
    params:
      model: \${{ steps.train.outputs.model }}
      dataset: \${{ steps.features.outputs.dataset }}
      fail_if: metrics.rmse > 50000
  register:
    kind: register
    trigger_rule: none_failed_min_one_success
    params:
      model: \${{ steps.train.outputs.model }}
      name: \${{ params.model_name }}
      alias: champion
`;

describe('parsePipeline: a valid pipeline', () => {
  it('parses ingest → validate → preprocess → features → train → evaluate → register with defaults filled', () => {
    const parsed = parsePipeline(fullPipeline, 'pipeline.yaml');
    const { spec } = parsed;
    expect(spec.name).toBe('houses');
    expect(spec.tags).toEqual(['regression', 'demo']);
    expect(spec.params).toEqual({ epochs: 30, model_name: 'house-prices' });
    expect(spec.max_active_runs).toBe(1);
    expect(spec.max_active_tasks).toBe(4);
    expect(spec.schedule).toEqual({ cron: '0 3 * * *', timezone: 'Europe/Paris', catchup: false });
    expect(spec.steps.train).toMatchObject({ kind: 'train', retries: 2, retry_delay: '30s', retry_exponential_backoff: true, max_retry_delay: '10m', execution_timeout: '1h30m', trigger_rule: 'all_success', cache: true });
    // Airflow's defaults where the file says nothing.
    expect(spec.steps.ingest).toEqual({
      kind: 'ingest',
      params: { path: 'data/houses.csv', name: 'houses' },
      retries: 0,
      retry_delay: 300,
      retry_exponential_backoff: false,
      trigger_rule: 'all_success',
      cache: true,
    });
    expect(spec.steps.register!.trigger_rule).toBe('none_failed_min_one_success');
    // Params stay as written: references are resolved per run.
    expect(spec.steps.train!.params.epochs).toBe('${{ params.epochs }}');

    const order = ['ingest', 'validate', 'preprocess', 'features', 'train', 'evaluate', 'register'];
    expect(parsed.stepOrder).toEqual(order);
    expect(parsed.topoOrder).toEqual(order);
    expect(parsed.upstream).toEqual({ ingest: [], validate: ['ingest'], preprocess: ['validate'], features: ['preprocess'], train: ['features'], evaluate: ['train'], register: ['evaluate'] });
    expect(parsed.references).toEqual([
      { step: 'validate', field: 'params.dataset', kind: 'step', target: 'ingest', output: 'dataset' },
      { step: 'preprocess', field: 'params.dataset', kind: 'step', target: 'validate', output: 'dataset' },
      { step: 'features', field: 'params.dataset', kind: 'step', target: 'preprocess', output: 'dataset' },
      { step: 'train', field: 'params.dataset', kind: 'step', target: 'features', output: 'dataset' },
      { step: 'train', field: 'params.epochs', kind: 'param', target: 'epochs' },
      { step: 'evaluate', field: 'params.model', kind: 'step', target: 'train', output: 'model' },
      { step: 'evaluate', field: 'params.dataset', kind: 'step', target: 'features', output: 'dataset' },
      { step: 'register', field: 'params.model', kind: 'step', target: 'train', output: 'model' },
      { step: 'register', field: 'params.name', kind: 'param', target: 'model_name' },
    ]);
  });

  it('takes a step without params when its kind needs none, and a command step any output name', () => {
    const parsed = parsePipeline(`name: scripted
steps:
  fit:
    kind: command
    params: { command: [python, fit.py], env: { SEED: "7" } }
  publish:
    kind: register
    params:
      model: \${{ steps.fit.outputs.model_uri }}
      name: scripted
      stage: \${{ steps.fit.outputs.stage }}
`);
    expect(parsed.references.map((reference) => `${reference.step}.${reference.field} ← ${reference.target}.${reference.output}`)).toEqual(['publish.params.model ← fit.model_uri', 'publish.params.stage ← fit.stage']);
  });
});

describe('parsePipeline: depends_on', () => {
  it('defaults to the previous step; a string, a list and [] say otherwise; the run order keeps file order among ready steps', () => {
    const parsed = parsePipeline(`name: graph
steps:
  load:
    kind: command
    params: { command: a }
  left:
    kind: command
    params: { command: b }
  right:
    kind: command
    depends_on: load
    params: { command: c }
  join:
    kind: command
    depends_on: [right, left, right]
    params: { command: d }
  lonely:
    kind: command
    depends_on: []
    params: { command: e }
  after:
    kind: command
    params: { command: f }
`);
    expect(parsed.upstream).toEqual({ load: [], left: ['load'], right: ['load'], join: ['right', 'left'], lonely: [], after: ['lonely'] });
    expect(parsed.topoOrder).toEqual(['load', 'left', 'right', 'join', 'lonely', 'after']);
  });

  it('puts a step declared before its upstream after it in the run order', () => {
    const parsed = parsePipeline(`name: backwards
steps:
  second:
    kind: command
    depends_on: first
    params: { command: b }
  first:
    kind: command
    depends_on: []
    params: { command: a }
`);
    expect(parsed.stepOrder).toEqual(['second', 'first']);
    expect(parsed.topoOrder).toEqual(['first', 'second']);
  });

  it('names an unknown upstream with a suggestion, and a step that depends on itself', () => {
    expect(
      problems(`name: deps
steps:
  train:
    kind: command
    params: { command: a }
  check:
    kind: command
    depends_on: [trian, check]
    params: { command: b }
  other:
    kind: command
    depends_on: nowhere
    params: { command: c }
`),
    ).toEqual([
      "8:18 steps.check.depends_on[0]: depends on 'trian', which is not a step (did you mean 'train'?)",
      '8:25 steps.check.depends_on[1]: steps.check depends on itself',
      "12:17 steps.other.depends_on: depends on 'nowhere', which is not a step",
    ]);
  });
});

describe('parsePipeline: cycles', () => {
  it('names the cycle in the order data flows, at the depends_on that closes it', () => {
    expect(
      problems(`name: loop
steps:
  a:
    kind: command
    depends_on: c
    params: { command: a }
  b:
    kind: command
    params: { command: b }
  c:
    kind: command
    params: { command: c }
`),
    ).toEqual(['5:17 steps.a.depends_on: steps a → b → c → a form a cycle']);
  });

  it('reports every separate cycle', () => {
    const found = problems(`name: loops
steps:
  x:
    kind: command
    depends_on: [y]
    params: { command: x }
  y:
    kind: command
    params: { command: y }
  p:
    kind: command
    depends_on: [q]
    params: { command: p }
  q:
    kind: command
    depends_on: [p]
    params: { command: q }
`);
    expect(found).toEqual(['5:18 steps.x.depends_on[0]: steps x → y → x form a cycle', '12:18 steps.p.depends_on[0]: steps p → q → p form a cycle']);
  });
});

describe('parsePipeline: the pipeline as a whole', () => {
  it('reports every problem at once, in line order, one per line of the message', () => {
    let caught: unknown;
    try {
      parsePipeline(
        `name: "bad name!"
max_active_runs: 0
schedule:
  cron: "0 3 * *"
  timezone: Mars/Olympus
  max_active_runs: 2
steps:
  fit:
    kind: train
    retry_delay: 5x
    params: { dataset: d }
`,
        'pipelines/pipeline.yaml',
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PipelineSpecError);
    expect(caught).toBeInstanceOf(WorkbenchError);
    expect((caught as PipelineSpecError).code).toBe('INVALID_ARGUMENT');
    expect((caught as PipelineSpecError).issues[0]).toEqual({ file: 'pipelines/pipeline.yaml', line: 1, column: 7, path: 'name', message: 'letters, digits, ".", "_" or "-", starting with a letter or digit' });
    expect((caught as Error).message.split('\n')).toEqual([
      'pipelines/pipeline.yaml:1:7: name: letters, digits, ".", "_" or "-", starting with a letter or digit',
      'pipelines/pipeline.yaml:2:18: max_active_runs: must be at least 1',
      "pipelines/pipeline.yaml:4:9: schedule.cron: '0 3 * *' has 4 fields; a cron has 5 (minute, hour, day of month, month, day of week), e.g. '0 3 * * *', or is one of @hourly, @daily, @weekly, @monthly, @yearly",
      "pipelines/pipeline.yaml:5:13: schedule.timezone: 'Mars/Olympus' is not a time zone: use an IANA name such as UTC, Europe/Paris or America/New_York",
      'pipelines/pipeline.yaml:6:3: schedule.max_active_runs: max_active_runs is set for the whole pipeline: move it out of schedule, to the top level',
      'pipelines/pipeline.yaml:10:18: steps.fit.retry_delay: a duration like 30s, 5m, 1h30m or 2d',
      'pipelines/pipeline.yaml:11:13: steps.fit.params.target: required',
    ]);
  });

  it('leaves the file name out when there is none, and points a missing top-level field at the start', () => {
    expect(() => parsePipeline('description: x\nsteps: {}\n')).toThrow(/^1:1: name: required\n2:8: steps: a pipeline needs at least one step$/);
  });

  it('accepts the cron presets and rejects others', () => {
    const withCron = (cron: string): string => `name: timed\nschedule: { cron: "${cron}" }\nsteps:\n  a: { kind: command, params: { command: x } }\n`;
    expect(parsePipeline(withCron('@daily')).spec.schedule).toEqual({ cron: '@daily', timezone: 'UTC', catchup: false });
    expect(parsePipeline(withCron('*/15 9-17 * JAN-JUN MON-FRI')).spec.schedule?.cron).toBe('*/15 9-17 * JAN-JUN MON-FRI');
    expect(problems(withCron('@fortnightly'))).toEqual(["2:19 schedule.cron: '@fortnightly' is not a cron preset: use @hourly, @daily, @weekly, @monthly, @yearly or five fields"]);
    expect(problems(withCron('0 3 * * * *'))).toEqual([
      "2:19 schedule.cron: '0 3 * * * *' has 6 fields; a cron has 5 (minute, hour, day of month, month, day of week), e.g. '0 3 * * *', or is one of @hourly, @daily, @weekly, @monthly, @yearly",
    ]);
  });

  it("keeps yaml's own line and column for syntax errors", () => {
    expect(problems('name: demo\nsteps:\n  a: [1, 2\n  b: 3\n', 'p.yaml')).toEqual(['4:3 Flow sequence in block collection must be sufficiently indented and end with a ]']);
    expect(problems('name: demo\nname: again\nsteps: {}\n')).toEqual(["2:1 'name' appears twice in this mapping: keys must be unique"]);
  });

  it('says so when a flow collection is broken by an unquoted reference', () => {
    const [only, ...rest] = problems('name: demo\nsteps:\n  a: { kind: command, params: { command: echo ${{ params.x }} } }\n');
    expect(rest).toEqual([]);
    expect(only).toMatch(/^3:\d+ .*\(inside \[ \] or \{ \}, put text holding \$\{\{ … \}\} in quotes\)$/);
  });

  it('rejects an empty file and a file that is not a mapping', () => {
    expect(problems('')).toEqual(['1:1 the file is empty: a pipeline needs at least a name and steps']);
    expect(problems('- a\n- b\n')).toEqual(['1:1 expected a mapping, got a list']);
  });
});
