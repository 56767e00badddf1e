import { create } from 'zustand';

export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

interface UiState {
  /** `system` follows prefers-color-scheme; the toggle pins one. */
  readonly themePreference: ThemePreference;
  readonly systemTheme: Theme;
  readonly paletteOpen: boolean;
  setThemePreference(preference: ThemePreference): void;
  setSystemTheme(theme: Theme): void;
  /** Flips what is shown now, pinning it (so "toggle" always visibly toggles). */
  toggleTheme(): void;
  setPaletteOpen(open: boolean): void;
}

const themeKey = 'trainyard.theme';

function storedPreference(): ThemePreference {
  try {
    const value = typeof localStorage === 'undefined' ? null : localStorage.getItem(themeKey);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

function persist(preference: ThemePreference): void {
  try {
    if (preference === 'system') localStorage.removeItem(themeKey);
    else localStorage.setItem(themeKey, preference);
  } catch {
    // The choice lasts for this session only.
  }
}

function osTheme(): Theme {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const useUiStore = create<UiState>()((set, get) => ({
  themePreference: storedPreference(),
  systemTheme: osTheme(),
  paletteOpen: false,
  setThemePreference(preference) {
    persist(preference);
    set({ themePreference: preference });
  },
  setSystemTheme(theme) {
    set({ systemTheme: theme });
  },
  toggleTheme() {
    const current = effectiveTheme(get());
    const next: Theme = current === 'dark' ? 'light' : 'dark';
    // Toggling back to what the OS says returns to following the OS.
    get().setThemePreference(next === get().systemTheme ? 'system' : next);
  },
  setPaletteOpen(open) {
    set({ paletteOpen: open });
  },
}));

export function effectiveTheme(state: Pick<UiState, 'themePreference' | 'systemTheme'>): Theme {
  return state.themePreference === 'system' ? state.systemTheme : state.themePreference;
}
