import { describe, expect, it } from 'vitest';
import { canonicalStage, checkAlias, parseModelUri } from './names';

describe('model URIs', () => {
  it('parses the forms MLflow resolves', () => {
    expect(parseModelUri('models:/churn/3')).toEqual({ kind: 'version', name: 'churn', version: 3 });
    expect(parseModelUri('models:/churn/Production')).toEqual({ kind: 'stage', name: 'churn', stage: 'Production' });
    expect(parseModelUri('models:/churn/staging')).toEqual({ kind: 'stage', name: 'churn', stage: 'Staging' });
    expect(parseModelUri('models:/churn/latest')).toEqual({ kind: 'latest', name: 'churn' });
    expect(parseModelUri('models:/churn@champion')).toEqual({ kind: 'alias', name: 'churn', alias: 'champion' });
    expect(parseModelUri(`runs:/${'a'.repeat(32)}/model/`)).toEqual({ kind: 'run', runId: 'a'.repeat(32), artifactPath: 'model' });
  });

  it('reads a non-numeric suffix as a stage (there is no models:/name/alias form)', () => {
    expect(() => parseModelUri('models:/churn/champion')).toThrow("Invalid model version stage 'champion'");
  });

  it('refuses what is not a model URI', () => {
    expect(() => parseModelUri('churn')).toThrow(/is not a model URI/);
    expect(() => parseModelUri('models:/churn')).toThrow(/names no version/);
  });
});

describe('aliases and stages', () => {
  it('reserves latest and v<digits>, case-insensitively', () => {
    expect(checkAlias('champion')).toBe('champion');
    expect(checkAlias('v2-candidate')).toBe('v2-candidate');
    expect(() => checkAlias('Latest')).toThrow(/reserved/);
    expect(() => checkAlias('v10')).toThrow(/reserved/);
  });

  it('accepts stage names in any case', () => {
    expect(canonicalStage('ARCHIVED')).toBe('Archived');
    expect(canonicalStage('none')).toBe('None');
  });
});
