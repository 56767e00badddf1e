import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate } from './menu';

const flatten = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);

describe('application menu', () => {
  it('offers DevTools in development only', () => {
    const roles = (isPackaged: boolean) => flatten(appMenuTemplate({ platform: 'linux', isPackaged, openDataFolder: () => {} })).map((item) => item.role);
    expect(roles(false)).toContain('toggleDevTools');
    expect(roles(true)).not.toContain('toggleDevTools');
  });

  it('has the macOS app menu on macOS only, and Help → Open data folder everywhere', () => {
    expect(appMenuTemplate({ platform: 'darwin', isPackaged: true, openDataFolder: () => {} })[0]?.role).toBe('appMenu');
    const openDataFolder = vi.fn();
    const template = appMenuTemplate({ platform: 'win32', isPackaged: true, openDataFolder });
    expect(template.map((item) => item.role)).not.toContain('appMenu');
    const item = flatten(template).find((entry) => entry.label === 'Open data folder');
    expect(item?.click).toBeTypeOf('function');
    item?.click?.({} as never, undefined, {} as never);
    expect(openDataFolder).toHaveBeenCalledOnce();
  });
});
