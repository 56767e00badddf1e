/**
 * The desktop app's one origin. The renderer, its assets and artifact previews are all served
 * over this privileged scheme (never `file://`), so "is this our page?" is a single comparison
 * that the protocol handler, the navigation guards and the IPC sender check share.
 */
export const appScheme = 'app';
export const appHost = 'trainyard';
export const appOrigin = `${appScheme}://${appHost}`;

/** The page the window loads; the renderer routes from there. */
export const appEntryUrl = `${appOrigin}/`;

/**
 * True when `raw` parses as a URL of our origin. WHATWG `URL#origin` is `'null'` for a custom
 * scheme under Node, so protocol and host are compared instead of `origin`.
 */
export function isAppUrl(raw: string): boolean {
  const url = parseUrl(raw);
  return url !== null && url.protocol === `${appScheme}:` && url.host === appHost && url.username === '' && url.password === '' && url.port === '';
}

export function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}
