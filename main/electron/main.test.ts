// The composition root can only be exercised with `electron` replaced: its runtime cannot be
// installed here (TOOLCHAIN.md). The fake records what main.ts asks of Electron, and everything
// behind it — workbench, IPC transport, protocol handler — is the real code.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { operationNames } from '../../shared/api';
import { ipcChannelOf, type RpcResult } from '../../shared/bridge';

type Handler = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const calls: string[] = [];
  const appListeners = new Map<string, Handler[]>();
  const ipcHandlers = new Map<string, Handler>();
  const windows: Array<{ options: Record<string, unknown>; url: string | null; webContents: { id: number } }> = [];
  const permission = { request: null as Handler | null, check: null as Handler | null };
  let protocolHandler: ((request: Request) => Promise<Response>) | null = null;
  const openedExternally: string[] = [];
  let quitCount = 0;
  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((resolve) => (readyResolve = resolve));

  class BrowserWindow {
    readonly webContents = { id: 100 + windows.length };
    url: string | null = null;
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this);
    }
    once(): void {}
    on(): void {}
    show(): void {}
    isDestroyed(): boolean {
      return false;
    }
    loadURL(url: string): Promise<void> {
      this.url = url;
      return Promise.resolve();
    }
  }
  const electron = {
    app: {
      isPackaged: false,
      enableSandbox: () => calls.push('enableSandbox'),
      requestSingleInstanceLock: () => true,
      whenReady: () => {
        calls.push('whenReady');
        return ready;
      },
      getAppPath: () => '/nonexistent-app-path',
      on: (event: string, listener: Handler) => appListeners.set(event, [...(appListeners.get(event) ?? []), listener]),
      quit: () => void (quitCount += 1),
      exit: (code: number) => calls.push(`exit ${code}`),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown) => calls.push(`registerSchemesAsPrivileged ${JSON.stringify(schemes)}`),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => {
        calls.push(`handle ${scheme}`);
        protocolHandler = handler;
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Handler) => (permission.request = handler),
        setPermissionCheckHandler: (handler: Handler) => (permission.check = handler),
        setDevicePermissionHandler: () => {},
      },
    },
    ipcMain: {
      handle: (channel: string, handler: Handler) => ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    BrowserWindow,
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => {} },
    Notification: class {
      static isSupported(): boolean {
        return false;
      }
    },
    shell: { openExternal: (url: string) => (openedExternally.push(url), Promise.resolve()), openPath: () => Promise.resolve('') },
    dialog: { showErrorBox: (title: string, message: string) => calls.push(`error ${title}: ${message}`) },
    utilityProcess: { fork: () => ({}) },
    // No keychain in the fake: remote keys fall back to the 0600 file.
    safeStorage: { isEncryptionAvailable: () => false, encryptString: (text: string) => Buffer.from(text), decryptString: (bytes: Buffer) => bytes.toString() },
  };
  return {
    electron,
    calls,
    appListeners,
    ipcHandlers,
    windows,
    permission,
    openedExternally,
    protocol: () => protocolHandler,
    quits: () => quitCount,
    becomeReady: () => readyResolve(),
  };
});

vi.mock('electron', () => fake.electron);

describe('main.ts composition', () => {
  let home: string;
  const previousHome = process.env.TRAINYARD_HOME;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'trainyard-main-'));
    process.env.TRAINYARD_HOME = home;
    await import('./main');
    fake.becomeReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: 10_000 });
  });
  afterAll(() => {
    process.env.TRAINYARD_HOME = previousHome;
    rmSync(home, { recursive: true, force: true });
  });

  it('registers the privileged app:// scheme and the sandbox before waiting for ready', () => {
    const order = fake.calls.map((call) => call.split(' ')[0]);
    expect(order.indexOf('registerSchemesAsPrivileged')).toBeLessThan(order.indexOf('whenReady'));
    expect(order.indexOf('enableSandbox')).toBeLessThan(order.indexOf('whenReady'));
    expect(fake.calls.find((call) => call.startsWith('registerSchemesAsPrivileged'))).toContain('"scheme":"app"');
    expect(fake.calls).toContain('handle app');
    expect(fake.calls.filter((call) => call.startsWith('error'))).toEqual([]);
  });

  it('opens one locked-down window on the app origin', () => {
    const [window] = fake.windows;
    expect(window?.url).toBe('app://trainyard/');
    expect(window?.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, devTools: true });
    expect(String((window?.options.webPreferences as { preload: string }).preload)).toMatch(/[/\\]electron[/\\]preload\.cjs$/);
  });

  it('answers every operation over IPC for its window, through the real workbench', async () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(operationNames.map(ipcChannelOf).sort());
    const handler = fake.ipcHandlers.get(ipcChannelOf('app.info'));
    const event = { sender: { id: fake.windows[0]?.webContents.id }, senderFrame: { url: 'app://trainyard/', parent: null } };
    const info = (await handler?.(event, {})) as RpcResult<{ shell: string; home: string }>;
    expect(info).toMatchObject({ ok: true, result: { shell: 'desktop', home } });
  });

  it('serves the protocol through the real artifact service', async () => {
    const response = await fake.protocol()?.(new Request('app://trainyard/api/artifacts/no-such-run/plot.png'));
    expect(response?.status).toBe(404);
  });

  it('guards every web contents: links go to the OS browser after parsing, windows are denied', () => {
    const guards = new Map<string, Handler>();
    const openHandlers: Handler[] = [];
    const contents = { on: (event: string, listener: Handler) => guards.set(event, listener), setWindowOpenHandler: (handler: Handler) => openHandlers.push(handler) };
    for (const listener of fake.appListeners.get('web-contents-created') ?? []) listener({}, contents);
    expect([...guards.keys()].sort()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect']);
    expect(openHandlers).toHaveLength(1);
    expect(openHandlers[0]?.({ url: 'https://mlflow.org/' })).toEqual({ action: 'deny' });
    expect(openHandlers[0]?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });

    // A click on a web link inside the app opens it outside; an app page stays in the window.
    const navigate = (url: string) => {
      const event = { url, isMainFrame: true, preventDefault: vi.fn() };
      guards.get('will-navigate')?.(event);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('app://trainyard/runs/abc')).toBe(false);
    expect(navigate('https://docs.example.org/page')).toBe(true);
    expect(navigate('app://trainyard/api/artifacts/r/report.html')).toBe(true);
    expect(fake.openedExternally).toEqual(['https://mlflow.org/', 'https://docs.example.org/page']);
  });

  it('denies permissions such as the camera', () => {
    const granted: boolean[] = [];
    fake.permission.request?.({}, 'media', (value: boolean) => granted.push(value), { isMainFrame: true, requestingUrl: 'app://trainyard/' });
    expect(granted).toEqual([false]);
    expect(fake.permission.check?.({}, 'geolocation', 'app://trainyard')).toBe(false);
  });

  it('closes the workbench before quitting, releasing the data folder', async () => {
    expect(existsSync(join(home, 'trainyard.lock'))).toBe(true);
    const preventDefault = vi.fn();
    for (const listener of fake.appListeners.get('will-quit') ?? []) listener({ preventDefault });
    expect(preventDefault).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(fake.quits()).toBe(1));
    expect(existsSync(join(home, 'trainyard.lock'))).toBe(false);
    expect(fake.ipcHandlers.size).toBe(0);
  });
});
