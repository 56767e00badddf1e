/**
 * Routes live in the hash (`#/runs`, `#/runs/<id>/artifacts`): the renderer is served as static
 * files from both `app://` and `http://127.0.0.1`, and a hash never reaches either server.
 */
export type RunTab = 'metrics' | 'params' | 'tags' | 'environment' | 'artifacts';
export const runTabs: readonly RunTab[] = ['metrics', 'params', 'tags', 'environment', 'artifacts'];

export type Route = { readonly section: 'runs'; readonly runId: string | null; readonly tab: RunTab };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode);
  const [section, runId, tab] = parts;
  if (section === 'runs' && runId) {
    return { section: 'runs', runId, tab: runTabs.includes(tab as RunTab) ? (tab as RunTab) : 'metrics' };
  }
  return { section: 'runs', runId: null, tab: 'metrics' };
}

export function runHref(runId: string, tab: RunTab = 'metrics'): string {
  return tab === 'metrics' ? `#/runs/${encodeURIComponent(runId)}` : `#/runs/${encodeURIComponent(runId)}/${tab}`;
}

export const runsHref = '#/runs';

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
