import { describe, expect, it } from 'vitest';
import { takeSessionToken } from './session-token';

function environment(href: string, stored: string | null = null) {
  const storage = new Map<string, string>(stored ? [['trainyard.token', stored]] : []);
  const replaced: string[] = [];
  return {
    replaced,
    storage,
    env: {
      location: { href },
      history: { replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => void replaced.push(String(url)) },
      storage: { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => void storage.set(key, value) },
    },
  };
}

describe('takeSessionToken', () => {
  it('takes the token from the URL, stores it and removes it from the address bar', () => {
    const { env, replaced, storage } = environment('http://127.0.0.1:5000/?token=abc&x=1#/runs/r1');
    expect(takeSessionToken(env)).toBe('abc');
    expect(storage.get('trainyard.token')).toBe('abc');
    expect(replaced).toEqual(['/?x=1#/runs/r1']);
  });

  it('falls back to the stored token on reload, and to null without either', () => {
    expect(takeSessionToken(environment('http://127.0.0.1:5000/#/runs', 'kept').env)).toBe('kept');
    expect(takeSessionToken(environment('http://127.0.0.1:5000/').env)).toBeNull();
  });
});
