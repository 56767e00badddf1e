import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../../shared/errors';
import { resolveReferences, scanReferences } from './references';

describe('scanReferences', () => {
  it('reads both forms with any spacing, and says why a malformed one cannot be read', () => {
    const tokens = scanReferences('a ${{params.x}} b ${{  steps.train.outputs.model  }} ${{ steps.t.output.m }} ${{ }} ${{ params.y');
    expect(tokens.map((token) => token.reference)).toEqual([{ kind: 'param', name: 'x' }, { kind: 'step', step: 'train', output: 'model' }, null, null, null]);
    expect(tokens.map((token) => token.error)).toEqual([
      null,
      null,
      "'steps.t.output.m' is not a reference: a step's values are under outputs (steps.t.outputs.m)",
      'an empty ${{ }}: write ${{ params.<name> }} or ${{ steps.<step>.outputs.<name> }}',
      "'${{ params.y' is not closed: end the reference with }}",
    ]);
    expect(tokens[1]).toMatchObject({ start: 18, end: 52 });
  });

  it('reports an unclosed reference followed by a good one as two tokens', () => {
    const tokens = scanReferences('${{ params.a ${{ params.b }}');
    expect(tokens.map((token) => [token.raw, token.error === null])).toEqual([
      ['${{ params.a ', false],
      ['${{ params.b }}', true],
    ]);
  });
});

describe('resolveReferences', () => {
  const context = {
    step: 'train',
    params: { epochs: 30, deep: true, note: null, tag: 'v2' },
    outputs: { ingest: { dataset: 'houses@3' }, fit: { run: 'abc', model: 'runs:/abc/model' } },
  };

  it('keeps the type of a param that is the whole string, and writes values into longer strings', () => {
    const params = {
      epochs: '${{ params.epochs }}',
      layerNorm: '${{ params.deep }}',
      seed: '${{ params.note }}',
      name: 'model-${{ params.tag }}-${{ params.epochs }}e${{ params.note }}',
      dataset: '${{ steps.ingest.outputs.dataset }}',
      command: ['python', 'train.py', '--data', '${{ steps.ingest.outputs.dataset }}'],
      nested: { deeper: [{ uri: 'model at ${{ steps.fit.outputs.model }}' }], '${{ params.tag }}': 1 },
      untouched: 7,
      plain: 'no references',
    };
    const copy = structuredClone(params);
    expect(resolveReferences(params, context)).toEqual({
      epochs: 30,
      layerNorm: true,
      seed: null,
      name: 'model-v2-30e',
      dataset: 'houses@3',
      command: ['python', 'train.py', '--data', 'houses@3'],
      nested: { deeper: [{ uri: 'model at runs:/abc/model' }], '${{ params.tag }}': 1 },
      untouched: 7,
      plain: 'no references',
    });
    expect(params).toEqual(copy);
  });

  it('fails clearly when an upstream did not produce the output, did not run, or a param is unknown', () => {
    expect(() => resolveReferences({ model: '${{ steps.fit.outputs.modle }}' }, context)).toThrow(
      "steps.train.params.model: ${{ steps.fit.outputs.modle }}: steps.fit did not produce 'modle' (it produced run, model).",
    );
    expect(() => resolveReferences({ steps: [{ where: 'x > ${{ steps.skipped.outputs.n }}' }] }, context)).toThrow(
      'steps.train.params.steps[0].where: ${{ steps.skipped.outputs.n }}: steps.skipped has no outputs in this run (it did not succeed).',
    );
    expect(() => resolveReferences({ x: '${{ params.nope }}' }, context)).toThrow("steps.train.params.x: ${{ params.nope }}: the run has no param 'nope' (it has epochs, deep, note, tag).");
    expect(() => resolveReferences('${{ params', { params: {}, outputs: {} })).toThrow(WorkbenchError);
    expect(() => resolveReferences('${{ params', { params: {}, outputs: {} })).toThrow("value: '${{ params' is not closed: end the reference with }}.");
  });

  it('reads an empty output map as "no outputs"', () => {
    expect(() => resolveReferences({ a: '${{ steps.cmd.outputs.x }}' }, { params: {}, outputs: { cmd: {} } })).toThrow("steps.cmd did not produce 'x' (it produced no outputs).");
  });
});
