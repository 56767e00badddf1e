import { describe, expect, it } from 'vitest';
import { isAppUrl } from './app-origin';
import { externalUrlOf, isAllowedNavigation } from './navigation';

describe('navigation guards', () => {
  it('lets the window move between app pages only', () => {
    expect(isAllowedNavigation('app://trainyard/')).toBe(true);
    expect(isAllowedNavigation('app://trainyard/runs/abc?tab=metrics#chart')).toBe(true);
    expect(isAllowedNavigation('https://trainyard/')).toBe(false);
    expect(isAllowedNavigation('app://trainyard.evil.example/')).toBe(false);
    expect(isAllowedNavigation('app://user@trainyard/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
  });

  it('never lets the window become an artifact or another /api page', () => {
    expect(isAllowedNavigation('app://trainyard/api/artifacts/run/report.html')).toBe(false);
    expect(isAllowedNavigation('app://trainyard/api')).toBe(false);
    expect(isAllowedNavigation('app://trainyard/apiary')).toBe(true);
  });

  it('hands only parsed http(s) links without credentials to the OS browser', () => {
    expect(externalUrlOf('https://mlflow.org/docs')).toBe('https://mlflow.org/docs');
    expect(externalUrlOf('HTTP://Example.COM/a b')).toBe('http://example.com/a%20b');
    for (const raw of ['file:///C:/Windows/System32/calc.exe', 'smb://host/share', 'javascript:alert(1)', 'ms-msdt:/id', 'app://trainyard/', 'https://user:pw@example.com/', 'not a url', '']) {
      expect(externalUrlOf(raw)).toBeNull();
    }
  });

  it('compares the app origin by scheme and host, not WHATWG origin (which is "null" for app:)', () => {
    expect(new URL('app://trainyard/').origin).toBe('null');
    expect(isAppUrl('app://trainyard/index.html')).toBe(true);
    expect(isAppUrl('null')).toBe(false);
    expect(isAppUrl('app://trainyard:8080/')).toBe(false);
  });
});
