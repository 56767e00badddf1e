import { describe, expect, it } from 'vitest';
import { parseModelSource, proxiedArtifactUri } from './registry-source';

const run = '0123456789abcdef0123456789abcdef';

describe('model version sources', () => {
  it('reads the forms MLflow clients and stores write', () => {
    expect(parseModelSource(`runs:/${run}/model`)).toEqual({ runId: run, artifactPath: 'model' });
    expect(parseModelSource(`runs:/${run}/nested/model/`)).toEqual({ runId: run, artifactPath: 'nested/model' });
    expect(parseModelSource(`mlflow-artifacts:/1/${run}/artifacts/model`)).toEqual({ runId: run, artifactPath: 'model' });
    expect(parseModelSource(`mlflow-artifacts://127.0.0.1:5000/1/${run}/artifacts/my%20model`)).toEqual({ runId: run, artifactPath: 'my model' });
    expect(parseModelSource(`file:///home/ana/mlruns/3/${run}/artifacts/model`)).toEqual({ runId: run, artifactPath: 'model' });
    expect(parseModelSource(`/home/ana/mlruns/3/${run}/artifacts/a/b`)).toEqual({ runId: run, artifactPath: 'a/b' });
    // The id the caller knows wins over another hex segment.
    const other = 'f'.repeat(32);
    expect(parseModelSource(`s3://bucket/${other}/artifacts/x/${run}/artifacts/model`, run)).toEqual({ runId: run, artifactPath: 'model' });
  });

  it('gives up on sources outside any run', () => {
    expect(parseModelSource('models:/m-0123/model')).toBeNull();
    expect(parseModelSource('s3://bucket/models/churn')).toBeNull();
    expect(parseModelSource(`mlflow-artifacts:/1/${run}/model`)).toBeNull();
  });

  it('builds the proxied URI the client downloads from', () => {
    expect(proxiedArtifactUri('4', run, 'model')).toBe(`mlflow-artifacts:/4/${run}/artifacts/model`);
  });
});
