import { describe, expect, it } from 'vitest';
import type { RegistryEvent } from '../../shared/registry';
import { describeRegistryEvent, registryEventLabel } from './registry-events';

const event = (kind: string, version: number | null, from: string | null, to: string | null): RegistryEvent => ({ id: 1, name: 'churn', version, kind, from, to, actor: 'ada', at: 0 });

describe('registry history in plain words', () => {
  it('describes stage moves and alias changes', () => {
    expect(describeRegistryEvent(event('stage', 3, 'Staging', 'Production'))).toBe('v3 moved Staging → Production');
    expect(describeRegistryEvent(event('archive_existing', 3, null, 'Production'))).toBe('Other versions in Production archived as v3 moved there');
    expect(describeRegistryEvent(event('alias', 2, null, '@champion'))).toBe('@champion set on v2');
    expect(describeRegistryEvent(event('alias', 3, '@champion on v2', '@champion'))).toBe('@champion moved from v2 to v3');
    expect(describeRegistryEvent(event('alias', 3, '@champion', null))).toBe('@champion removed from v3');
  });

  it('describes versions, descriptions, tags and the model itself', () => {
    expect(describeRegistryEvent(event('create_model', null, null, null))).toBe('Model created');
    expect(describeRegistryEvent(event('create_version', 1, null, `runs:/${'0123456789abcdef'.repeat(2)}/model`))).toBe('v1 registered from run 01234567');
    expect(describeRegistryEvent(event('delete_version', 2, null, null))).toBe('v2 deleted');
    expect(describeRegistryEvent(event('description', null, '', 'Churn model'))).toBe('Description changed');
    expect(describeRegistryEvent(event('description', 4, 'old', ''))).toBe('v4 description cleared');
    expect(describeRegistryEvent(event('tag', null, 'team', 'growth'))).toBe('Tag team set to “growth”');
    expect(describeRegistryEvent(event('delete_tag', 2, 'team', null))).toBe('v2 tag team removed');
    expect(describeRegistryEvent(event('rename', null, 'churn', 'churn-v2'))).toBe('Renamed from churn to churn-v2');
  });

  it('still shows kinds it does not know', () => {
    expect(describeRegistryEvent(event('gate_failed', 5, 'accuracy 0.7', 'needs 0.8'))).toBe('v5 gate failed: accuracy 0.7 → needs 0.8');
    expect(registryEventLabel('gate_failed')).toBe('gate failed');
    expect(registryEventLabel('create_version')).toBe('registered');
  });
});
