import { apiPathPrefix } from './app-protocol';
import { appScheme, appHost, isAppUrl, parseUrl } from './app-origin';

/**
 * Where the window itself may go: pages of the app, never `/api/…` (an artifact opened as a top
 * page would otherwise be a same-origin document) and never anything else.
 */
export function isAllowedNavigation(raw: string): boolean {
  if (!isAppUrl(raw)) return false;
  const url = parseUrl(raw);
  return url !== null && url.pathname !== '/api' && !url.pathname.startsWith(apiPathPrefix);
}

/**
 * The link to hand to the OS browser, re-serialized from a parsed URL, or null. Only http(s)
 * without embedded credentials: `shell.openExternal` on `file:`, `smb:` or a custom handler
 * scheme can run programs, so raw renderer input never reaches it (CONVENTIONS.md).
 */
export function externalUrlOf(raw: string): string | null {
  const url = parseUrl(raw);
  if (!url) return null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** For log lines: which scheme and host was refused, never the whole (maybe secret-bearing) URL. */
export function describeDestination(raw: string): string {
  const url = parseUrl(raw);
  if (!url) return 'an unparsable URL';
  return url.protocol === `${appScheme}:` && url.host === appHost ? `${url.protocol}//${url.host}${url.pathname}` : `${url.protocol}//${url.host}`;
}
