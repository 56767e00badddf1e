/** The browser pieces the token hand-off touches, injectable for tests. */
export interface TokenEnvironment {
  readonly location: { readonly href: string };
  readonly history: { replaceState(data: unknown, unused: string, url?: string | URL | null): void };
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
}

const storageKey = 'trainyard.token';

/**
 * `trainyard ui` prints `http://127.0.0.1:<port>/?token=…`. The token is kept in sessionStorage
 * (it survives reloads of this tab, not other tabs) and removed from the address bar so it is not
 * left in history, bookmarks or screenshots.
 */
export function takeSessionToken(environment: TokenEnvironment): string | null {
  const url = new URL(environment.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    environment.storage.setItem(storageKey, fromUrl);
    url.searchParams.delete('token');
    environment.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return environment.storage.getItem(storageKey);
}
