import { useSyncExternalStore } from 'react';
import { parseRoute, type Route } from './hash-route';

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

// Route objects are cached per hash so useSyncExternalStore sees a stable snapshot.
let cachedHash: string | null = null;
let cachedRoute: Route = parseRoute('');
const snapshot = (): Route => {
  if (window.location.hash !== cachedHash) {
    cachedHash = window.location.hash;
    cachedRoute = parseRoute(cachedHash);
  }
  return cachedRoute;
};

/** The current hash route; re-renders on navigation. */
export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot);
}

export function navigate(href: string): void {
  if (window.location.hash !== href) window.location.hash = href;
}
