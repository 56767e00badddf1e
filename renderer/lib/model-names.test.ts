import { describe, expect, it } from 'vitest';
import { aliasMovesFrom, aliasProblem, archivesOthers, canonicalStage, describeSignatureField, keyMetrics, modelNameProblem, modelVersionUri, newestVersion, runIdOfSource, suggestedModelName } from './model-names';

describe('registry naming rules', () => {
  it('accepts aliases of letters, digits, _ and -, and says why others are refused', () => {
    expect(aliasProblem('champion')).toBeNull();
    expect(aliasProblem('blue_green-2')).toBeNull();
    expect(aliasProblem('')).toBe('An alias cannot be empty.');
    expect(aliasProblem('a b')).toBe("The alias 'a b' may contain only letters, digits, '_' and '-'.");
    expect(aliasProblem('Latest')).toMatch(/^'latest' is a reserved alias/);
    expect(aliasProblem('v12')).toBe("'v12' is a reserved alias: v<number> names version 12 itself.");
    expect(aliasProblem('v1x')).toBeNull();
    expect(aliasProblem('x'.repeat(256))).toMatch(/at most 255 characters/);
  });

  it('refuses model names model URIs cannot carry', () => {
    expect(modelNameProblem('churn classifier')).toBeNull();
    expect(modelNameProblem('  ')).toBe('A registered model needs a name.');
    expect(modelNameProblem('a@b')).toMatch(/contains '@'/);
    expect(modelNameProblem('a:b')).toMatch(/contains ':'/);
    expect(modelNameProblem('a\u0001b')).toMatch(/contains 'a control character'/);
  });

  it('spells stages canonically and knows which ones archive the others', () => {
    expect(canonicalStage('production')).toBe('Production');
    expect(canonicalStage(' none ')).toBe('None');
    expect(canonicalStage('Retired')).toBeNull();
    expect(['None', 'Staging', 'Production', 'Archived'].filter((stage) => archivesOthers(stage as 'None'))).toEqual(['Staging', 'Production']);
  });

  it('tells when an alias would move from another version', () => {
    const aliases = [{ alias: 'champion', version: 1 }];
    expect(aliasMovesFrom(aliases, 'champion', 2)).toBe(1);
    expect(aliasMovesFrom(aliases, 'champion', 1)).toBeNull();
    expect(aliasMovesFrom(aliases, 'challenger', 2)).toBeNull();
    expect(aliasMovesFrom(aliases, 'champion', null)).toBe(1);
  });

  it("suggests the run's dataset as the model name, else the run's name", () => {
    expect(suggestedModelName({ name: 'points-mlp', tags: { 'trainyard.data': 'churn@3 (train part)' } })).toBe('churn');
    expect(suggestedModelName({ name: 'relu-net', tags: {} })).toBe('relu-net');
    expect(suggestedModelName({ name: 'a/b@c', tags: { 'trainyard.data': '/tmp/points.csv' } })).toBe('a-b-c');
  });

  it('builds URIs, reads sources and picks the key metrics in order', () => {
    expect(modelVersionUri('churn', 3)).toBe('models:/churn/3');
    expect(newestVersion({ latestVersions: [{ version: 2 }, { version: 5 }, { version: 1 }] })).toBe(5);
    expect(newestVersion({ latestVersions: [] })).toBeNull();
    expect(runIdOfSource(`runs:/${'a'.repeat(32)}/model`)).toBe('a'.repeat(32));
    expect(runIdOfSource('s3://bucket/model')).toBeNull();
    expect(keyMetrics({ val_loss: { value: 0.3 }, train_loss: { value: 0.2 }, val_accuracy: { value: 0.9 } })).toEqual([
      { key: 'val_accuracy', value: 0.9 },
      { key: 'val_loss', value: 0.3 },
    ]);
  });

  it('reads column and tensor specs of a signature', () => {
    expect(describeSignatureField({ name: 'age', type: 'double' })).toEqual({ name: 'age', type: 'double', optional: false });
    expect(describeSignatureField({ name: 'city', type: 'string', required: false })).toEqual({ name: 'city', type: 'string', optional: true });
    expect(describeSignatureField({ name: 'image', type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 3, 32, 32] } })).toEqual({ name: 'image', type: 'float32[?, 3, 32, 32]', optional: false });
    expect(describeSignatureField({ type: 'long' }).name).toBe('(unnamed)');
  });
});
