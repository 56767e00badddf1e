// The desktop shell's composition root: it only wires Electron to the core (CONVENTIONS.md 7).
// Every concern lives in its own file next to this one.
import { app, type BrowserWindow, dialog, ipcMain, Menu, Notification, protocol, safeStorage, session, shell, utilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorkbench, type Workbench } from '../core/workbench';
import { appScheme } from './app-origin';
import { createAppProtocolHandler } from './app-protocol';
import { registerIpcTransport } from './ipc';
import { safeStorageCodec } from './secret-codec';
import { appMenuTemplate } from './menu';
import { describeBindingFailure, locateSqliteBinding, type LocatedBinding } from './native-binding';
import { watchRunNotifications, type RunNotification } from './notifications';
import { watchPipelineNotifications } from './pipeline-notifications';
import { createUtilityLauncher } from './utility-launcher';
import { createMainWindow, guardWebContents, restrictPermissions } from './window';

/** dist/electron (this bundle, the preload) and dist/ (renderer, workers). */
const bundleDir = dirname(fileURLToPath(import.meta.url));
const distDir = dirname(bundleDir);

// Both must happen before 'ready': privileged schemes are fixed at start-up, and enableSandbox
// makes every renderer sandboxed, including any a future window forgets to configure.
protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true, codeCache: true } },
]);
app.enableSandbox();

if (app.requestSingleInstanceLock()) {
  void start().catch((error: unknown) => fail('Trainyard could not start', error instanceof Error ? error.message : String(error)));
} else {
  // Another instance owns the data folder; it focuses its window on 'second-instance'.
  app.quit();
}

async function start(): Promise<void> {
  const windows = new Set<BrowserWindow>();
  // Set once the app is ready; a second launch before that only has nothing to focus yet.
  let openWindow: (() => void) | null = null;
  const focusWindow = (): void => {
    const [window] = windows;
    if (!window) {
      // macOS keeps running with no window: a second launch (or a notification click) opens one.
      openWindow?.();
      return;
    }
    if (window.isMinimized()) window.restore();
    window.focus();
  };
  const openExternal = (url: string): void => {
    shell.openExternal(url).catch((error: unknown) => console.warn('[trainyard] could not open a link:', error));
  };
  app.on('second-instance', focusWindow);
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal));

  await app.whenReady();
  const workbench = await openWorkbenchOrExplain();
  if (!workbench) return;

  restrictPermissions(session.defaultSession);
  protocol.handle(appScheme, createAppProtocolHandler({ rendererDir: join(distDir, 'renderer'), artifacts: workbench.artifacts }));
  const liveWindows = (): BrowserWindow[] => [...windows].filter((window) => !window.isDestroyed());
  const ipc = registerIpcTransport(ipcMain, {
    dispatch: workbench.dispatch,
    onDidEmit: workbench.onDidEmit,
    isKnownSender: (id) => liveWindows().some((window) => window.webContents.id === id),
    eventTargets: () => liveWindows().map((window) => window.webContents),
  });
  openWindow = (): void => {
    const window = createMainWindow({ preload: join(bundleDir, 'preload.cjs'), isPackaged: app.isPackaged });
    windows.add(window);
    window.on('closed', () => windows.delete(window));
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        platform: process.platform,
        isPackaged: app.isPackaged,
        openDataFolder: () => void shell.openPath(workbench.layout.root),
      }),
    ),
  );
  const notifier = watchRunNotifications(workbench.tracking, (notification) => showNotification(notification, focusWindow));
  const pipelineNotifier = watchPipelineNotifications(workbench.pipelines, (notification) => showNotification(notification, focusWindow));
  // MLflow scripts log into the app (MLFLOW_TRACKING_URI is shown in the status bar); port 5000
  // as MLflow's own server, or the next free one.
  await workbench.startMlflow({ port: Number(process.env.TRAINYARD_MLFLOW_PORT ?? 5000), fallbackToFreePort: true }).catch((error: unknown) => console.warn('[trainyard] the MLflow server did not start:', error));
  // Pipelines (and their schedules) run while the app is open; interrupted attempts are recovered first.
  workbench.startBackground();

  openWindow();
  app.on('activate', () => windows.size === 0 && openWindow?.());
  app.on('window-all-closed', () => process.platform !== 'darwin' && app.quit());

  // Quit waits for the workbench to close: workers killed, database closed, home lock released.
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    disposed = true;
    event.preventDefault();
    notifier.dispose();
    pipelineNotifier.dispose();
    ipc.dispose();
    workbench
      .dispose()
      .catch((error: unknown) => console.error('[trainyard] shutdown failed:', error))
      .finally(() => app.quit());
  });
}

/** Opens the core, or shows the user why it cannot (another process owns the data, wrong ABI). */
async function openWorkbenchOrExplain(): Promise<Workbench | null> {
  let located: LocatedBinding = { file: undefined, expected: '' };
  try {
    located = locateSqliteBinding({
      env: process.env,
      isPackaged: app.isPackaged,
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
      electronVersion: process.versions.electron ?? '',
      exists: existsSync,
    });
    const codec = safeStorageCodec(safeStorage);
    return await openWorkbench({
      shell: 'desktop',
      workersDir: join(distDir, 'workers'),
      launcher: createUtilityLauncher(utilityProcess.fork),
      // Remote keys in the OS keychain where there is one (after app ready, as safeStorage needs).
      ...(codec ? { secretCodec: codec } : {}),
      ...(located.file ? { nativeBinding: located.file } : {}),
    });
  } catch (error) {
    const message = describeBindingFailure(error, located, app.isPackaged) ?? (error instanceof Error ? error.message : String(error));
    fail('Trainyard could not open its data', message);
    return null;
  }
}

function showNotification(notification: RunNotification, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const shown = new Notification({ title: notification.title, body: notification.body });
  shown.on('click', onClick);
  shown.show();
}

function fail(title: string, message: string): void {
  console.error(`[trainyard] ${title}: ${message}`);
  dialog.showErrorBox(title, message);
  app.exit(1);
}
