import { describe, expect, it } from 'vitest';
import { parsePipeline } from './parse-pipeline';
import { problemsOf as problems } from './problems-of';

describe('parsePipeline: references', () => {
  it('rejects unknown params, unknown steps and outputs, steps that are not upstream, and malformed expressions, each where it is written', () => {
    expect(
      problems(`name: refs
params:
  epochs: 5
steps:
  ingest:
    kind: ingest
    params: { path: a.csv }
  side:
    kind: ingest
    depends_on: []
    params: { path: b.csv }
  fit:
    kind: train
    depends_on: ingest
    params:
      dataset: \${{ steps.side.outputs.dataset }}
      target: \${{ params.epoch }}
      experiment: x-\${{ steps.ingest.outputs.datset }}
      features: ["\${{ steps.nope.outputs.x }}", "\${{ steps.fit.outputs.run }}", "a \${{ params }}", "\${{ params.epochs"]
    description: \${{ params.epochs }}
`),
    ).toEqual([
      '16:16 steps.fit.params.dataset: steps.side is not upstream of steps.fit: add it to depends_on',
      "17:15 steps.fit.params.target: ${{ params.epoch }}: no param 'epoch' is declared (did you mean 'epochs'?); declare it under params: with a default",
      "18:21 steps.fit.params.experiment: ${{ steps.ingest.outputs.datset }}: a ingest step has no output 'datset' (did you mean 'dataset'?); its outputs are dataset",
      "19:19 steps.fit.params.features[0]: ${{ steps.nope.outputs.x }}: there is no step 'nope'",
      '19:50 steps.fit.params.features[1]: ${{ steps.fit.outputs.run }}: steps.fit cannot read its own outputs',
      "19:84 steps.fit.params.features[2]: 'params' is not a reference: write ${{ params.<name> }} or ${{ steps.<step>.outputs.<name> }}",
      "19:101 steps.fit.params.features[3]: '${{ params.epochs' is not closed: end the reference with }}",
      "20:18 steps.fit.description: references are resolved in step params only; '${{ params.epochs }}' would stay as written",
    ]);
  });

  it('takes shared settings through YAML merge keys', () => {
    const { spec } = parsePipeline(`name: merged
steps:
  a:
    <<: &retrying { retries: 3, retry_delay: 1m }
    kind: command
    params: { command: a }
  b:
    <<: *retrying
    kind: command
    retries: 1
    params: { command: b }
`);
    expect([spec.steps.a!.retries, spec.steps.a!.retry_delay, spec.steps.b!.retries, spec.steps.b!.retry_delay]).toEqual([3, '1m', 1, '1m']);
  });

  it('accepts a reference to an indirect upstream', () => {
    const parsed = parsePipeline(`name: indirect
steps:
  a:
    kind: ingest
    params: { path: a.csv }
  b:
    kind: command
    params: { command: b }
  c:
    kind: validate
    params: { dataset: "\${{ steps.a.outputs.dataset }}", suite: s.json }
`);
    expect(parsed.references).toEqual([{ step: 'c', field: 'params.dataset', kind: 'step', target: 'a', output: 'dataset' }]);
  });
});
