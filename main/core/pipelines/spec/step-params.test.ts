import { describe, expect, it } from 'vitest';
import { parsePipeline } from './parse-pipeline';
import { problemsOf as problems } from './problems-of';

describe('parsePipeline: step kinds and params', () => {
  it('lists the kinds for an unknown one, with a suggestion for a typo', () => {
    expect(
      problems(`name: kinds
steps:
  fit:
    kind: trian
  run:
    kind: spark
`),
    ).toEqual([
      "4:11 steps.fit.kind: unknown step kind 'trian' (did you mean 'train'?); the kinds are ingest, validate, preprocess, features, train, evaluate, register, command",
      "6:11 steps.run.kind: unknown step kind 'spark'; the kinds are ingest, validate, preprocess, features, train, evaluate, register, command",
    ]);
  });

  it('points a missing param at the mapping it is missing from', () => {
    expect(
      problems(`name: missing
steps:
  fit:
    kind: train
    params:
      dataset: houses@2
      epochs: 5
  score:
    kind: evaluate
`),
    ).toEqual(['6:7 steps.fit.params.target: required', '9:5 steps.score.params.model: required', '9:5 steps.score.params.dataset: required']);
  });

  it('points an unknown field at its key, with a suggestion, and says what a duration looks like', () => {
    expect(
      problems(`name: typo
steps:
  fit:
    kind: train
    retriess: 3
    params: { dataset: houses, target: price, epoch: 5 }
    execution_timeout: true
`),
    ).toEqual([
      "5:5 steps.fit.retriess: unknown field 'retriess' (did you mean 'retries'?)",
      "6:47 steps.fit.params.epoch: unknown field 'epoch' (did you mean 'epochs'?)",
      '7:24 steps.fit.execution_timeout: expected a duration like 30s, 5m, 1h30m, 2d or a number of seconds, got true',
    ]);
  });

  it('points transform errors into the list item', () => {
    expect(
      problems(`name: prep
steps:
  prep:
    kind: preprocess
    params:
      dataset: raw
      steps:
        - op: drop
          columns: [id]
        - op: scale
          columns: area
          method: standard
        - op: dorp
`),
    ).toEqual([
      "11:20 steps.prep.params.steps[1].columns: expected a list, got 'area'",
      "13:15 steps.prep.params.steps[2].op: unknown op 'dorp' (did you mean 'drop'?); expected one of drop, rename, cast, filter, impute, scale, encode, derive, split",
    ]);
  });

  it('checks dataset names, model URIs, stages and the fail_if gate before any run', () => {
    expect(
      problems(`name: checks
steps:
  score:
    kind: evaluate
    params: { model: "models:/houses", dataset: "houses@0", fail_if: accuracy is bad }
  publish:
    kind: register
    params: { model: "models:/houses/3", name: houses, stage: production }
`),
    ).toEqual([
      '5:22 steps.score.params.model: a model URI (runs:/<run id>/model, models:/name/3, models:/name@alias) or a reference like ${{ steps.train.outputs.model }}',
      '5:49 steps.score.params.dataset: a dataset: name, name@3, or a reference like ${{ steps.ingest.outputs.dataset }}',
      "5:70 steps.score.params.fail_if: cannot read 'accuracy is bad' at column 1; write metrics.<name> <op> <number>, e.g. metrics.accuracy < 0.9 (ops: < <= > >= = !=).",
      "8:63 steps.publish.params.stage: expected one of None, Staging, Production, Archived, got 'production' (did you mean 'Production'?)",
    ]);
  });

  it("checks a param reference against the param's default, and leaves a param without default to the run", () => {
    expect(
      problems(`name: typed
params:
  epochs: many
  seed: null
steps:
  fit:
    kind: train
    params: { dataset: d, target: y, epochs: "\${{ params.epochs }}", seed: "\${{ params.seed }}" }
`),
    ).toEqual(['8:46 steps.fit.params.epochs: expected a number, got \'many\' (${{ params.epochs }} defaults to "many")']);
  });

  it('leaves fields fed by an upstream output to the run, whatever their type', () => {
    expect(() =>
      parsePipeline(`name: deferred
steps:
  pick:
    kind: command
    params: { command: ./choose.sh }
  fit:
    kind: train
    params: { dataset: "\${{ steps.pick.outputs.dataset }}", target: y, epochs: "\${{ steps.pick.outputs.epochs }}" }
`),
    ).not.toThrow();
  });
});
