import { BrowserWindow, type Session, type WebContents } from 'electron';
import { appEntryUrl, isAppUrl } from './app-origin';
import { describeDestination, externalUrlOf, isAllowedNavigation } from './navigation';

export interface MainWindowOptions {
  /** dist/electron/preload.cjs — the only code with Electron APIs inside the page's process. */
  readonly preload: string;
  /** DevTools exist only in development builds. */
  readonly isPackaged: boolean;
}

/** The main window: sandboxed, isolated, no Node, showing the app origin only. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Trainyard',
    // Shown once painted, so the user never sees a white flash before the first frame.
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      devTools: !options.isPackaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appEntryUrl);
  return window;
}

/**
 * Guards applied to EVERY web contents the app ever creates (installed from
 * `app.on('web-contents-created')`), so a window added later cannot forget one.
 */
export function guardWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    // A link to the web clicked inside the app opens in the OS browser rather than nowhere.
    const external = externalUrlOf(event.url);
    if (external && event.isMainFrame) openExternal(external);
    else console.warn(`[trainyard] blocked navigation to ${describeDestination(event.url)}`);
  });
  contents.on('will-redirect', (event) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    console.warn(`[trainyard] blocked redirect to ${describeDestination(event.url)}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlOf(url);
    if (external) openExternal(external);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Denies every permission (camera, microphone, geolocation, notifications, HID, …). The one
 * exception is writing text to the clipboard from the app's own page: ids in the UI are
 * "shortened and copyable" (DESIGN.md §10), and Chromium asks for `clipboard-sanitized-write`
 * for `navigator.clipboard.writeText`. Reading the clipboard stays denied.
 */
export function restrictPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permission === 'clipboard-sanitized-write' && details.isMainFrame && isAppUrl(details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return permission === 'clipboard-sanitized-write' && isAppUrl(requestingOrigin);
  });
  session.setDevicePermissionHandler(() => false);
}
