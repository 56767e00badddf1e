import { useEffect } from 'react';
import { effectiveTheme, useUiStore } from '../stores/ui';

/** Follows the OS colour scheme and applies the effective theme to <html data-theme>. */
export function useThemeSync(): void {
  const setSystemTheme = useUiStore((state) => state.setSystemTheme);
  const theme = useUiStore(effectiveTheme);
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => setSystemTheme(query.matches ? 'dark' : 'light');
    apply();
    query.addEventListener('change', apply);
    return () => query.removeEventListener('change', apply);
  }, [setSystemTheme]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}
