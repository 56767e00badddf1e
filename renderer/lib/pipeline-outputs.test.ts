import { describe, expect, it } from 'vitest';
import { outputLink } from './pipeline-outputs';

describe('step outputs as links', () => {
  it('links dataset versions, runs and model versions, and leaves the rest as text', () => {
    expect(outputLink('dataset', 'customers-clean@3')).toEqual({ kind: 'dataset', href: '#/datasets/customers-clean/3' });
    expect(outputLink('model_version', 'models:/churn/2')).toEqual({ kind: 'model', href: '#/models/churn' });
    expect(outputLink('model', 'models:/churn@champion')).toEqual({ kind: 'model', href: '#/models/churn' });
    expect(outputLink('model', 'runs:/0123456789abcdef0123456789abcdef/model')).toEqual({ kind: 'run', href: '#/runs/0123456789abcdef0123456789abcdef' });
    expect(outputLink('run', 'abc123')).toEqual({ kind: 'run', href: '#/runs/abc123' });
    expect(outputLink('anything', '0123456789abcdef0123456789abcdef')).toEqual({ kind: 'run', href: '#/runs/0123456789abcdef0123456789abcdef' });
    expect(outputLink('version', '2')).toBeNull();
    expect(outputLink('success', 'true')).toBeNull();
    expect(outputLink('path', '/tmp/a@b')).toBeNull();
  });
});
